"""The access log's discipline rule: a user who revealed or exported personal data far above
their usual on a day (泄露个人信息 risk). "Usual" is their daily average over the 28 days before;
a day counts when it reaches the threshold and five times that average. Records count the
reads by kind, never whose data was read."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianfang.accounts.models import User
from lianfang.core import cluerules
from lianfang.core.access import action_label
from lianfang.core.models import AccessLog

ACTIONS = ("reveal_id_number", "reveal_phone", "export_unmasked")
BASELINE_DAYS = 28
FACTOR = 5


def find(first: date, last: date, threshold: int) -> list[cluerules.Finding]:
    tz = timezone.get_current_timezone()
    since = datetime.combine(first - timedelta(days=BASELINE_DAYS), time(), tzinfo=tz)
    until = datetime.combine(last, time(), tzinfo=tz) + timedelta(days=1)
    rows = (
        AccessLog.objects.filter(at__gte=since, at__lt=until, action__in=ACTIONS)
        .annotate(day=TruncDate("at", tzinfo=tz))
        .values_list("user_id", "day", "action")
        .annotate(n=Sum("row_count"))
    )
    per_day: dict[int, dict[date, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for user_id, day, action, n in rows:
        per_day[user_id][day][action] = int(n or 0)
    out = []
    for user_id, days in per_day.items():
        for day in sorted(d for d in days if first <= d <= last):
            total = sum(days[day].values())
            before = [
                sum(v.values())
                for d, v in days.items()
                if day - timedelta(BASELINE_DAYS) <= d < day
            ]
            usual = sum(before) / BASELINE_DAYS
            if total < threshold or total < FACTOR * usual:
                continue
            out.append((user_id, day, total, usual, days[day]))
    users = {u.pk: u for u in User.objects.filter(pk__in=[o[0] for o in out])}
    findings = []
    for user_id, day, total, usual, actions in out:
        user = users[user_id]
        unit = user.region_code or ""
        records = [f"{day:%m-%d} {action_label(a)} {n} 条" for a, n in sorted(actions.items())]
        facts = _(
            "账号 %(u)s 在 %(d)s 查看或导出个人信息 %(n)s 条，远高于其前 %(b)s 日的日均 "
            "%(usual).1f 条（阈值：至少 %(t)s 条且为日均的 %(f)s 倍）。"
        ) % {
            "u": user.username,
            "d": f"{day:%m-%d}",
            "n": total,
            "b": BASELINE_DAYS,
            "usual": usual,
            "t": threshold,
            "f": FACTOR,
        }
        findings.append(
            cluerules.Finding(
                key=f"user{user_id}",
                latest=day,
                unit_code=unit,
                subject_unit="",
                facts=facts,
                records=records,
                subject_user_id=user_id,
                subject_name=user.get_full_name() or user.username,
            )
        )
    return findings


def register() -> None:
    cluerules.register(
        cluerules.ClueRule(
            key="personal_data_reads_above_usual",
            label=gettext_lazy("查看、导出个人信息远超平时"),
            kind_code="rumour_leak",
            threshold=100,
            window_days=1,
            find=find,
            threshold_label=gettext_lazy("一日查看和导出的条数"),
        )
    )
