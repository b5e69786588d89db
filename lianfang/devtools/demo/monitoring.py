"""Demo monitoring data: fever clinics, two centralised sites, a few hundred households under
home observation at different days of their 14, two weeks of checks with realistic gaps, some
fevers with referrals, releases. Relative to today, like the registry's demo."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lianfang.accounts.models import Membership
from lianfang.core.errors import DomainError
from lianfang.core.scoping import Actor, Grant
from lianfang.monitoring import jobs
from lianfang.monitoring.models import (
    Alert,
    AlertKind,
    AlertLevel,
    AlertStatus,
    CheckSource,
    Event,
    ExitRequest,
    HealthCheck,
    Hospital,
    Kind,
    Observation,
    ObservationStatus,
    Quarantine,
    Referral,
    Reminder,
    Room,
    Site,
)
from lianfang.monitoring.policies import slots_of
from lianfang.monitoring.quarantines import services
from lianfang.monitoring.referrals import services as referrals
from lianfang.people.models import Person, Registration
from lianfang.regions.models import Level, Region

HOUSEHOLDS = 300
CENTRALISED = 30
HOSPITALS = [
    ("安宁区人民医院发热门诊", "安宁区安宁西路 17 号"),
    ("兰州市第二人民医院发热门诊", "城关区共和路 388 号"),
    ("甘肃省人民医院（定点医院）", "城关区东岗西路 204 号"),
]


def reset() -> None:
    for model in (Reminder, Event, ExitRequest, Referral, Alert):
        model.objects.all().delete()
    HealthCheck.objects.exclude(corrects=None).delete()
    HealthCheck.objects.all().delete()
    Observation.objects.all().delete()
    Quarantine.objects.all().delete()
    Room.objects.all().delete()
    Site.objects.all().delete()
    Hospital.objects.all().delete()


def _actor(region_code: str) -> Actor:
    community = region_code[:12]
    user_id = (
        Membership.objects.filter(role="community_worker", region_code=community)
        .values_list("user_id", flat=True)
        .first()
    )
    return Actor(
        user_id=user_id,
        grants=(Grant("community_worker", community), Grant("doctor", community)),
    )


def _sites() -> list[Site]:
    subdistricts = list(Region.objects.filter(level=Level.SUBDISTRICT).order_by("code")[:2])
    sites = []
    for i, sd in enumerate(subdistricts):
        site = Site.objects.create(
            name=["安宁区集中隔离点（某宾馆）", "安宁区第二集中隔离点（培训中心）"][i],
            region=sd,
            region_code=sd.code,
            address=["安宁区北滨河西路", "安宁区银安路"][i],
        )
        Room.objects.bulk_create(
            [Room(site=site, number=f"{f}{r:02d}", beds=1) for f in (2, 3) for r in range(1, 16)]
        )
        sites.append(site)
    return sites


def _temperature(rng: random.Random, fever: bool) -> Decimal:
    if fever:
        return Decimal(str(round(rng.uniform(37.4, 38.6), 1)))
    return Decimal(str(round(rng.gauss(36.5, 0.25), 1))).max(Decimal("35.6")).min(Decimal("37.1"))


def _checks(
    rng: random.Random, member: Observation, start: date, today: date, now: datetime
) -> int:
    """Two weeks of readings with gaps: about 92 % on time, a few late, a rare fever."""
    policy = member.quarantine.policy
    rows = []
    day = start
    while day <= min(today, member.quarantine.end_date):
        for slot in slots_of(policy, day):
            if slot.end > now and not (slot.start <= now):
                continue
            if slot.start > now:
                continue
            roll = rng.random()
            if roll < 0.06:
                continue  # missed
            taken = slot.start + timedelta(minutes=rng.randint(10, 200))
            if taken > now:
                continue
            fever = rng.random() < 0.004
            temp = _temperature(rng, fever)
            rows.append(
                HealthCheck(
                    observation=member,
                    region_code=member.region_code,
                    taken_at=taken,
                    slot_date=day,
                    slot_index=slot.index,
                    temperature=temp,
                    method=rng.choice(["forehead", "armpit", "armpit"]),
                    symptoms=["cough"] if fever and rng.random() < 0.5 else [],
                    source=CheckSource.SELF if rng.random() < 0.7 else CheckSource.STAFF,
                    recorded_by_id=None,
                    fever=policy.is_fever(temp),
                    late=roll > 0.97,
                )
            )
        day += timedelta(days=1)
    HealthCheck.objects.bulk_create(rows, batch_size=500)
    for check in rows:
        if check.fever:
            Alert.objects.create(
                observation=member,
                region_code=member.region_code,
                kind=AlertKind.FEVER,
                level=AlertLevel.COMMUNITY,
                health_check=check,
                slot_date=check.slot_date,
                slot_index=check.slot_index,
            )
    return len(rows)


def _backdate_releases() -> None:
    """The demo releases everything past due in one run: date each release (and its event) to
    the evening of its end date, as the hourly job would have done."""
    tz = timezone.get_current_timezone()
    for member in Observation.objects.filter(status=ObservationStatus.RELEASED).select_related(
        "quarantine"
    ):
        when = datetime.combine(member.quarantine.end_date, time(20, 30), tzinfo=tz)
        Observation.objects.filter(pk=member.pk).update(ended_at=when, checkin_expires_at=when)
        Quarantine.objects.filter(pk=member.quarantine_id).update(closed_at=when)
        Event.objects.filter(observation=member, kind="released").update(at=when)


def _exit_requests(rng: random.Random, now: datetime) -> int:
    """A few pending emergency outings for tomorrow morning (hospital visits, a funeral)."""
    members = list(Observation.objects.filter(status=ObservationStatus.ACTIVE).order_by("pk")[:200])
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    tz = timezone.get_current_timezone()
    count = 0
    for member in rng.sample(members, min(5, len(members))):
        leave = datetime.combine(tomorrow, time(9), tzinfo=tz)
        referrals.exit_request_create(
            actor=_actor(member.region_code),
            observation=member,
            data={
                "reason": rng.choice(["透析治疗", "孕检", "家属丧事"]),
                "destination": rng.choice(
                    ["兰州市第一人民医院", "甘肃省妇幼保健院", "安宁区殡仪服务站"]
                ),
                "leave_at": leave,
                "return_at": leave + timedelta(hours=3),
                "route": "社区安排车辆点对点接送",
            },
        )
        count += 1
    return count


def _old_missed_alerts(rng: random.Random, today: date, now: datetime) -> int:
    """The gaps before yesterday got their (now closed) missed alerts back then."""
    alerts = []
    members = Observation.objects.select_related("quarantine__policy")
    for member in members:
        policy = member.quarantine.policy
        done = set(
            HealthCheck.objects.filter(observation=member).values_list("slot_date", "slot_index")
        )
        day = member.quarantine.start_date
        last = min(today - timedelta(days=2), member.quarantine.end_date)
        while day <= last:
            for slot in slots_of(policy, day):
                if (day, slot.index) not in done:
                    alerts.append(
                        Alert(
                            observation=member,
                            region_code=member.region_code,
                            kind=AlertKind.MISSED,
                            slot_date=day,
                            slot_index=slot.index,
                        )
                    )
            day += timedelta(days=1)
    Alert.objects.bulk_create(alerts, batch_size=500, ignore_conflicts=True)
    return len(alerts)


def seed(rng: random.Random, today: date) -> dict[str, int]:
    now = timezone.now()
    for name, address in HOSPITALS:
        Hospital.objects.create(name=name, address=address)
    sites = _sites()
    # Arrivals who need observation, grouped by household.
    candidates = (
        Registration.objects.filter(
            risk_category__in=["key_area_arrival", "close_contact", "fever"]
        )
        .exclude(person__household=None)
        .values_list("person_id", "person__household_id", "arrival_date")
    )
    by_household: dict[Any, list[tuple[Any, date | None]]] = {}
    for person_id, household_id, arrival in candidates:
        by_household.setdefault(household_id, []).append((person_id, arrival))
    households = list(by_household.items())
    rng.shuffle(households)
    started = checks = 0
    for _household, members in households[:HOUSEHOLDS]:
        arrival = max((a for _p, a in members if a), default=today)
        start = max(arrival, today - timedelta(days=19))
        first = Person.objects.get(pk=members[0][0])
        actor = _actor(first.region_code)
        try:
            q = services.quarantine_start(
                actor=actor,
                person_ids=[p for p, _a in members[:4]],
                kind=Kind.HOME,
                start_date=start,
                basis_date=start,
            )
        except DomainError:  # e.g. a member already observed with another household
            continue
        started += 1
        for member in q.members.all():
            member.started_at = datetime.combine(
                start, time(9), tzinfo=timezone.get_current_timezone()
            )
            member.save(update_fields=["started_at"])
            checks += _checks(rng, member, start, today, now)
    # Centralised observation for close contacts without a household at home.
    contacts = list(
        Registration.objects.filter(risk_category="close_contact")
        .exclude(person_id__in=Observation.objects.values("person_id"))
        .values_list("person_id", flat=True)[:CENTRALISED]
    )
    for i, person_id in enumerate(contacts):
        person = Person.objects.get(pk=person_id)
        actor = _actor(person.region_code)
        site = sites[i % len(sites)]
        actor = Actor(
            user_id=actor.user_id,
            grants=(*actor.grants, Grant("community_worker", site.region_code)),
        )
        start = today - timedelta(days=rng.randint(0, 12))
        q = services.quarantine_start(
            actor=actor,
            person_ids=[person_id],
            kind=Kind.CENTRALISED,
            start_date=start,
            site_id=site.pk,
            basis_date=start,
        )
        member = q.members.get()
        room = site.rooms.exclude(observations__status=ObservationStatus.ACTIVE).first()
        if room:
            services.room_assign(
                actor=actor, quarantine=q, observation_id=member.pk, room_id=room.pk
            )
        member.started_at = datetime.combine(start, time(9), tzinfo=timezone.get_current_timezone())
        member.save(update_fields=["started_at"])
        checks += _checks(rng, member, start, today, now)
    # Fevers: most referred; older referrals have outcomes (mostly excluded).
    hospital = Hospital.objects.order_by("pk").first()
    assert hospital is not None
    fevers = list(Alert.objects.filter(kind=AlertKind.FEVER).select_related("observation"))
    for alert in fevers:
        member = alert.observation
        actor = _actor(member.region_code)
        if member.status != ObservationStatus.ACTIVE:
            continue
        if member.referrals.exists():
            continue
        referral = referrals.referral_create(
            actor=actor,
            observation=member,
            hospital_id=hospital.pk,
            transport="120 负压救护车",
            reason="体温异常",
        )
        if alert.slot_date < today - timedelta(days=1):
            outcome = "suspected" if rng.random() < 0.15 else "excluded"
            referrals.referral_outcome_record(
                actor=actor,
                referral=referral,
                outcome=outcome,
                note="核酸检测阴性" if outcome == "excluded" else "核酸待复核",
            )
            Alert.objects.filter(pk=alert.pk).update(
                status=AlertStatus.CLOSED,
                closed_at=now,
                closed_by_id=actor.user_id,
                acknowledged_at=now,
                acknowledged_by_id=actor.user_id,
                action="已转诊发热门诊",
            )
        else:
            Alert.objects.filter(pk=alert.pk).update(
                status=AlertStatus.ACKNOWLEDGED,
                acknowledged_at=now,
                acknowledged_by_id=actor.user_id,
            )
    missed = jobs.missed_checks_now(now, notify=False)
    history = _old_missed_alerts(rng, today, now)
    # Older missed alerts were dealt with by the grid workers.
    for alert in Alert.objects.filter(kind=AlertKind.MISSED, slot_date__lt=today):
        Alert.objects.filter(pk=alert.pk).update(
            status=AlertStatus.CLOSED,
            closed_at=now,
            acknowledged_at=now,
            action=rng.choice(
                ["电话联系，已补测体温正常", "上门测温，体温正常", "本人忘记自报，已提醒"]
            ),
        )
    exits = _exit_requests(rng, now)
    released = jobs.auto_release_now(now)
    _backdate_releases()
    return {
        "quarantines": started + len(contacts),
        "health_checks": checks,
        "fever_alerts": len(fevers),
        "missed_alerts": missed["missed"] + history,
        "released": released["released"],
        "to_review": released["review"],
        "referrals": Referral.objects.count(),
        "exit_requests": exits,
    }
