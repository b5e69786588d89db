"""A clue's allowed steps, in one table (监督执纪工作规则): a step from a state not listed is
refused with 409, whoever asks. Every step is an event."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianfang.core.errors import Conflict
from lianfang.discipline.models import CaseState, Disposition, State

S = State

# action → (states it may start from, state it leads to); "approve" leads to the proposal's
# state (``DISPOSITION_STATE``).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "propose": (frozenset({S.REGISTERED, S.HELD}), S.PROPOSED),  # 提出处置意见
    "reject": (frozenset({S.PROPOSED}), S.REGISTERED),  # 审批不同意
    "approve": (frozenset({S.PROPOSED}), ""),  # 审批同意
    "inquiry_close": (frozenset({S.INQUIRY}), S.CLOSED),  # 函询说明清楚，予以了结
    "inquiry_verify": (frozenset({S.INQUIRY}), S.VERIFYING),  # 转初步核实
    "verify_close": (frozenset({S.VERIFYING}), S.CLOSED),  # 核实不实或情节轻微，了结
    "open_case": (frozenset({S.VERIFYING}), S.CASE),  # 立案审查调查
    "forward": (frozenset({S.REGISTERED}), S.FORWARDED),  # 移交有管辖权的上级
    "conclude": (frozenset({S.CASE}), S.CLOSED),  # 处理决定经批准，结案
}
DISPOSITION_STATE = {
    Disposition.INQUIRY: S.INQUIRY,
    Disposition.VERIFY: S.VERIFYING,
    Disposition.HOLD: S.HELD,
    Disposition.CLOSE: S.CLOSED,
}
OPEN = frozenset({S.REGISTERED, S.PROPOSED, S.INQUIRY, S.VERIFYING, S.HELD, S.CASE})

ACTION_LABELS = {
    "register": gettext_lazy("登记"),
    "propose": gettext_lazy("提出处置意见"),
    "reject": gettext_lazy("退回处置意见"),
    "approve": gettext_lazy("批准处置意见"),
    "inquiry_close": gettext_lazy("函询了结"),
    "inquiry_verify": gettext_lazy("转初步核实"),
    "verify_close": gettext_lazy("核实了结"),
    "open_case": gettext_lazy("立案审查调查"),
    "forward": gettext_lazy("移交上级"),
    "note": gettext_lazy("办理记录"),
    "overdue": gettext_lazy("超过时限（提醒负责人）"),
    "reveal_ask": gettext_lazy("申请查看反映人身份"),
    "reveal_decide": gettext_lazy("审批查看反映人身份"),
    "reveal": gettext_lazy("查看了反映人身份"),
    "conclude": gettext_lazy("结案"),
    "case_step": gettext_lazy("审查调查措施"),
    "decide": gettext_lazy("提出处理意见"),
    "decision_approve": gettext_lazy("批准处理决定"),
    "decision_reject": gettext_lazy("退回处理意见"),
    "acknowledge": gettext_lazy("告知反映人受理"),
    "inform_result": gettext_lazy("告知反映人办理结果"),
}

C = CaseState
# A case's own steps, checked like the clue's: action → (case states it may start from, next).
CASE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "case_step": (frozenset({C.INVESTIGATING}), C.INVESTIGATING),
    "decide": (frozenset({C.INVESTIGATING}), C.DECISION_PROPOSED),
    "decision_approve": (frozenset({C.DECISION_PROPOSED}), C.DECIDED),
    "decision_reject": (frozenset({C.DECISION_PROPOSED}), C.INVESTIGATING),
}


def allowed(action: str, state: str) -> bool:
    return state in TRANSITIONS[action][0]


def target(action: str, state: str, proposal: str = "") -> str:
    """The state ``action`` leads to from ``state``, or ``Conflict`` (409) naming both."""
    sources, to = TRANSITIONS[action]
    if state not in sources:
        raise Conflict(
            "transition_not_allowed",
            _("线索当前为“%(state)s”，不能%(action)s。")
            % {"state": State(state).label, "action": ACTION_LABELS[action]},
        )
    return to or DISPOSITION_STATE[Disposition(proposal)]


def case_allowed(action: str, state: str) -> bool:
    return state in CASE_TRANSITIONS[action][0]


def case_target(action: str, state: str) -> str:
    sources, to = CASE_TRANSITIONS[action]
    if state not in sources:
        raise Conflict(
            "transition_not_allowed",
            _("案件当前为“%(state)s”，不能%(action)s。")
            % {"state": CaseState(state).label, "action": ACTION_LABELS[action]},
        )
    return to
