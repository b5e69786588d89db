"""The work order's allowed transitions, in one table (12345 practice): an action from a state
not listed is refused with 409, whoever asks. Every transition is an event."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianfang.cases.models import State
from lianfang.core.errors import Conflict

S = State
OPEN = frozenset({S.RECEIVED, S.DISPATCHED, S.ACCEPTED, S.IN_PROGRESS})

# action → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "dispatch": (frozenset({S.RECEIVED}), S.DISPATCHED),  # 派单
    "answer": (frozenset({S.RECEIVED}), S.DONE),  # a question answered at intake
    "accept": (frozenset({S.DISPATCHED}), S.ACCEPTED),  # 签收
    "return": (frozenset({S.DISPATCHED, S.ACCEPTED}), S.RECEIVED),  # 退单 to the dispatcher
    "start": (frozenset({S.ACCEPTED}), S.IN_PROGRESS),  # 办理中
    "reply": (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.DONE),  # 办结, with the reply
    "followup": (frozenset({S.DONE}), S.FOLLOWED_UP),  # 回访
    "redo": (frozenset({S.DONE}), S.IN_PROGRESS),  # 重办: unsatisfied, the unit can fix it
    "close": (frozenset({S.DONE, S.FOLLOWED_UP}), S.CLOSED),  # 归档
    "merge": (OPEN, S.MERGED),  # 重复件
}

ACTION_LABELS = {
    "dispatch": gettext_lazy("派单"),
    "answer": gettext_lazy("当场答复"),
    "accept": gettext_lazy("签收"),
    "return": gettext_lazy("退单"),
    "start": gettext_lazy("开始办理"),
    "reply": gettext_lazy("办结答复"),
    "followup": gettext_lazy("回访"),
    "redo": gettext_lazy("重办"),
    "close": gettext_lazy("归档"),
    "merge": gettext_lazy("合并为重复件"),
    "receive": gettext_lazy("受理"),
    "note": gettext_lazy("办理记录"),
    "message_in": gettext_lazy("举报人补充"),
    "message_out": gettext_lazy("告知举报人"),
    "sign_overdue": gettext_lazy("超时未签收"),
    "overdue": gettext_lazy("超期未办结（催办、督办）"),
    "extension_ask": gettext_lazy("申请延期"),
    "extension_decide": gettext_lazy("延期审批"),
    "reveal": gettext_lazy("查看举报人信息"),
}


def allowed(action: str, state: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return state in sources


def target(action: str, state: str) -> str:
    """The state ``action`` leads to from ``state``, or ``Conflict`` (409) naming both."""
    sources, to = TRANSITIONS[action]
    if state not in sources:
        raise Conflict(
            "transition_not_allowed",
            _("工单当前为“%(state)s”，不能%(action)s。")
            % {"state": State(state).label, "action": ACTION_LABELS[action]},
        )
    return to
