"""Registry demo data for the Anning demo district, in its third week of the emergency: arrivals
(origins weighted to Hubei and Wuhan), a finished sweep and one under way, pending self-reports,
a small import with bad rows, and some duplicate candidates. Dates are relative to today; the
random generator is the demo's fixed seed, so every run gives the same data."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta

import xlsxwriter
from django.conf import settings
from django.utils import timezone

from lianfang.accounts.models import Membership, User
from lianfang.core import crypto
from lianfang.core.errors import InvalidInput
from lianfang.core.identity import check_char
from lianfang.core.scoping import Actor, Grant
from lianfang.people import services
from lianfang.people.duplicates import services as duplicate_services
from lianfang.people.imports import jobs
from lianfang.people.models import (
    DuplicateCandidate,
    Household,
    HouseholdVisit,
    ImportBatch,
    ImportJob,
    ImportRow,
    KeyArea,
    Person,
    PersonMove,
    Registration,
    SavedMapping,
    SelfRegistrationLink,
    SelfReport,
    Source,
    Sweep,
    Transfer,
    VisitOutcome,
)
from lianfang.people.selfreg import services as selfreg_services
from lianfang.regions.models import Level, Region

ARRIVALS = 3000
WUHAN = [
    "420102",
    "420103",
    "420104",
    "420105",
    "420106",
    "420107",
    "420111",
    "420112",
    "420113",
    "420115",
]
HUBEI = [
    "420500",
    "420600",
    "420700",
    "420800",
    "420900",
    "421000",
    "421100",
    "421200",
    "421300",
    "422800",
]
ELSEWHERE = [
    "110000",
    "310000",
    "440100",
    "440300",
    "510100",
    "610100",
    "500000",
    "330100",
    "620100",
    "620400",
    "640100",
    "630100",
]
COUNTIES = [
    "420106",
    "420102",
    "420111",
    "620105",
    "620102",
    "620103",
    "620121",
    "621102",
    "622901",
    "610113",
    "510107",
    "420902",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆帅旭宁新建志国兴林文霞云莉丹慧鑫晓红梅琳瑞"


def _name(rng: random.Random) -> str:
    return (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )


def _id(rng: random.Random, used: set[str]) -> str:
    while True:
        born = date(1945, 1, 1) + timedelta(days=rng.randint(0, 365 * 65))
        body = f"{rng.choice(COUNTIES)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
        number = body + check_char(body)
        if number not in used:
            used.add(number)
            return number


MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
]


def _phone(rng: random.Random) -> str:
    return f"+86{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99999999):08d}"


def _origin(rng: random.Random) -> str:
    roll = rng.random()
    return (
        rng.choice(WUHAN)
        if roll < 0.5
        else rng.choice(HUBEI)
        if roll < 0.7
        else rng.choice(ELSEWHERE)
    )


SPREAD_DAYS = 28  # registrations fall on the demo's last four weeks, not all at its seeding


def _registered_at(rng: random.Random, today: date, now: datetime) -> datetime:
    """A registration time on one of the demo's days (07:00–21:00 local), never after ``now``:
    today's come from the part of today already gone (at 00:01, the last minute)."""
    tz = timezone.get_current_timezone()
    day = today - timedelta(days=rng.randint(0, SPREAD_DAYS - 1))
    at = datetime.combine(day, time(7), tzinfo=tz) + timedelta(seconds=rng.randint(0, 14 * 3600))
    if at <= now:
        return at
    midnight = datetime.combine(today, time.min, tzinfo=tz)
    return now - timedelta(seconds=rng.randint(0, int((now - midnight).total_seconds())))


def _address(rng: random.Random) -> str:
    return f"{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}"


def reset() -> None:
    for model in (
        DuplicateCandidate,
        ImportRow,
        ImportBatch,
        ImportJob,
        SavedMapping,
        SelfReport,
        SelfRegistrationLink,
        HouseholdVisit,
        Sweep,
        Transfer,
        PersonMove,
    ):
        model.objects.all().delete()
    Registration.companions.through.objects.all().delete()
    Registration.objects.all().delete()
    Person.objects.filter(merged_into__isnull=False).delete()
    Person.objects.all().delete()
    Household.objects.all().delete()
    KeyArea.objects.all().delete()


def _worker_of(building_code: str, workers: dict[str, int]) -> int:
    return workers.get(building_code) or next(iter(workers.values()))


def seed(rng: random.Random, today: date) -> dict[str, int]:
    start = today - timedelta(days=20)  # the emergency began three weeks ago
    KeyArea.objects.create(
        code="420000",
        name="湖北省",
        valid_from=start - timedelta(days=10),
        region_code="620105",
        note="2020 年 1 月起：湖北来返人员",
    )
    buildings = list(Region.objects.filter(level=Level.BUILDING, is_active=True).order_by("code"))
    workers = dict(
        Membership.objects.filter(role="grid_worker").values_list("region_code", "user_id")
    )
    used: set[str] = set()
    people: list[Person] = []
    households: dict[tuple[str, str], Household] = {}
    for _ in range(ARRIVALS):
        building = rng.choice(buildings)
        address = _address(rng)
        number = _id(rng, used)
        clean = services.CleanPerson(
            full_name=_name(rng),
            doc_type="resident_id",
            id_number=number,
            phone=_phone(rng),
            region=building,
            address=address,
            gender="M" if int(number[16]) % 2 else "F",
            birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        )
        person = services.build_person(clean, created_by_id=_worker_of(building.code, workers))
        key = (building.code, address)
        if key not in households:
            households[key] = Household(region=building, region_code=building.code, address=address)
        person.household = households[key]
        people.append(person)
    Household.objects.bulk_create(households.values(), batch_size=500)
    Person.objects.bulk_create(people, batch_size=500)
    key_prefixes = ["42"]
    registrations = []
    now = timezone.now()
    for person in people:
        origin = _origin(rng)
        registered_at = _registered_at(rng, today, now)
        arrival = timezone.localdate(registered_at) - timedelta(days=rng.choice([0, 0, 0, 1, 2]))
        person.created_at = registered_at
        departure = arrival - timedelta(days=rng.choice([0, 0, 1, 1, 2]))
        roll = rng.random()
        symptoms = ["fever", "cough"] if roll < 0.015 else ["cough"] if roll < 0.04 else []
        contact = rng.random() < 0.03
        category = (
            "close_contact"
            if contact
            else "fever"
            if "fever" in symptoms
            else "key_area_arrival"
            if origin[:2] in key_prefixes
            else "general"
        )
        transport = rng.choice(["train", "train", "flight", "car", "bus"])
        number = {
            "train": f"Z{rng.randint(1, 300)}",
            "flight": f"MU{rng.randint(2000, 2999)}",
            "car": f"鄂A{rng.randint(10000, 99999)}",
            "bus": "",
        }[transport]
        registrations.append(
            Registration(
                person=person,
                region_code=person.region_code,
                source=rng.choice(
                    [Source.DOOR_TO_DOOR] * 6
                    + [Source.SELF, Source.CHECKPOINT, Source.HOTLINE, Source.IMPORT]
                ),
                origin_code=origin,
                departure_date=departure,
                arrival_date=arrival,
                transport=transport,
                transport_number=number,
                contact_with_cases=contact,
                symptoms=symptoms,
                health_code="green" if category == "general" else rng.choice(["green", "yellow"]),
                risk_computed=category,
                risk_category=category,
                registered_by_id=person.created_by_id,
            )
        )
    Registration.objects.bulk_create(registrations, batch_size=500)
    # bulk_create stamps auto_now_add fields with the seeding time: put the demo's times back.
    for registration, person in zip(registrations, people, strict=True):
        registration.registered_at = person.created_at
    Registration.objects.bulk_update(registrations, ["registered_at"], batch_size=500)
    Person.objects.bulk_update(people, ["created_at"], batch_size=500)
    # A few duplicate candidates: the same person registered twice under another name spelling.
    for person in rng.sample(people, 12):
        twin = services.build_person(
            services.CleanPerson(
                full_name=person.full_name[:1] + rng.choice(GIVEN),
                doc_type="resident_id",
                id_number=_id(rng, used),
                phone=crypto.decrypt(person.phone_enc, services.PHONE_LABEL),
                region=person.region,
                address=person.address,
            ),
            created_by_id=person.created_by_id,
        )
        twin.save()
        duplicate_services.duplicate_detect_for(twin)
    sweeps = _sweeps(rng, today, buildings, workers)
    reports = _self_reports(rng, today, used)
    imported = _import(rng, today, used)
    return {
        "arrivals": len(people),
        "sweep_visits": sweeps,
        "self_reports": reports,
        "import_rows": imported,
        "duplicate_candidates": DuplicateCandidate.objects.count(),
    }


def _sweeps(
    rng: random.Random, today: date, buildings: list[Region], workers: dict[str, int]
) -> int:
    district = Region.objects.get(code="620105")
    office = User.objects.get(username="anning_command")
    done = Sweep.objects.create(
        name="全区第一轮逐户排查",
        region=district,
        region_code="620105",
        start_date=today - timedelta(days=18),
        end_date=today - timedelta(days=12),
        is_open=False,
        created_by=office,
    )
    current = Sweep.objects.create(
        name="第二轮逐户排查（回访）",
        region=district,
        region_code="620105",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=4),
        created_by=office,
    )
    from lianfang.people.sweeps.services import sweep_assign_by_grid

    sweep_assign_by_grid(current)  # each building to its grid worker, as start_sweep does
    visits = []
    outcomes = (
        [VisitOutcome.VISITED] * 80
        + [VisitOutcome.NOBODY_HOME] * 12
        + [VisitOutcome.REFUSED] * 2
        + [VisitOutcome.ARRIVALS_FOUND] * 6
    )
    for building in buildings:
        if rng.random() > 0.93:
            continue  # a few buildings were never reached
        for door in range(rng.randint(6, 14)):
            address = f"{door // 6 + 1}单元{door % 6 + 1}01"
            visits.append(
                HouseholdVisit(
                    sweep=done,
                    building=building,
                    region_code=building.code,
                    address=address,
                    outcome=rng.choice(outcomes),
                    visited_by_id=_worker_of(building.code, workers),
                )
            )
        if building.code.startswith("620105001") and rng.random() < 0.5:
            visits.append(
                HouseholdVisit(
                    sweep=current,
                    building=building,
                    region_code=building.code,
                    address="1单元101",
                    outcome=rng.choice(outcomes),
                    visited_by_id=_worker_of(building.code, workers),
                )
            )
    HouseholdVisit.objects.bulk_create(visits, batch_size=1000)
    # The finished round's visits on its own days (bulk_create stamped them with the seeding
    # time): the buildings share its days in turn, one statement a day.
    tz = timezone.get_current_timezone()
    days = (done.end_date - done.start_date).days + 1
    for i in range(days):
        HouseholdVisit.objects.filter(
            sweep=done, region_code__in=[b.code for b in buildings[i::days]]
        ).update(visited_at=datetime.combine(done.start_date + timedelta(days=i), time(10), tz))
    return len(visits)


def _self_reports(rng: random.Random, today: date, used: set[str]) -> int:
    count = 0
    for community in Region.objects.filter(level=Level.COMMUNITY).order_by("code"):
        worker = User.objects.filter(username=f"cw{community.code[6:]}").first()
        actor = Actor(
            user_id=worker.pk if worker else None,
            grants=(Grant("community_worker", community.code),),
        )
        link = selfreg_services.link_for(actor=actor, community=community)
        if community.code[-3:] not in ("001", "002"):
            continue
        building = community.children.order_by("code").first()
        for _ in range(rng.randint(2, 4)):
            arrival = today - timedelta(days=rng.randint(0, 2))
            _submit(
                link,
                {
                    "full_name": _name(rng),
                    "doc_type": "resident_id",
                    "id_number": _id(rng, used),
                    "phone": _phone(rng),
                    "region_code": building.code if building else community.code,
                    "address": _address(rng),
                    "origin": _origin(rng),
                    "departure_date": arrival - timedelta(days=1),
                    "arrival_date": arrival,
                    "transport": "train",
                    "transport_number": f"Z{rng.randint(1, 300)}",
                    "contact_with_cases": False,
                    "symptoms": [],
                    "health_code": "green",
                },
            )
            count += 1
    return count


def _import(rng: random.Random, today: date, used: set[str]) -> int:
    """A province list pushed to 培黎街道 today, with a few bad rows and one unroutable row."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for c, h in enumerate(["姓名", "身份证号码", "手机号", "来源地", "到达日期", "现住址"]):
        sheet.write_string(0, c, h)
    communities = list(Region.objects.filter(code__startswith="620105001", level=Level.COMMUNITY))
    rows = []
    for _ in range(30):
        community = rng.choice(communities)
        rows.append(
            [
                _name(rng),
                _id(rng, used),
                _phone(rng)[3:],
                "湖北省武汉市",
                str(today - timedelta(days=rng.randint(0, 3))),
                f"安宁区{community.name}{_address(rng)}",
            ]
        )
    rows[3][1] = rows[3][1][:-1] + ("0" if rows[3][1][-1] != "0" else "1")  # wrong check digit
    rows[7][2] = "1381234"  # short phone
    rows[11][5] = "兰州市城关区某小区"  # no community of the sub-district
    rows[15][4] = str(today + timedelta(days=3))  # a date in the future
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    content = buffer.getvalue()
    folder = settings.VAR_DIR / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    officer = User.objects.get(username="sd001_officer")
    job = ImportJob.objects.create(
        region_code="620105001",
        created_by=officer,
        file_name="省推送名单-培黎街道.xlsx",
        file_path=str(folder / "demo-import.xlsx"),
        file_sha256="demo",
    )
    (folder / "demo-import.xlsx").write_bytes(content)
    jobs.run(job.pk)
    return len(rows)


def _submit(link: SelfRegistrationLink, data: dict[str, object]) -> None:
    try:
        selfreg_services.selfreport_submit(link=link, data=data)
    except InvalidInput as exc:
        raise ValueError(f"demo self-report invalid: {exc.fields}") from exc
