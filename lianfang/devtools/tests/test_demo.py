import json
import random
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from lianfang.accounts.models import Membership, User
from lianfang.accounts.roles import Role
from lianfang.devtools import demo
from lianfang.devtools.management.commands.seed_demo import reset_all
from lianfang.regions.models import Region
from lianfang.reporting.models import DailyReport

# Seeding is the suite's longest step: the module seeds once per worker it lands on
# (xdist_group marks are silently ignored under pytest 9.2, docs/performance.md).
pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as conftest sets per test


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for the tests that only read it (each test still runs in its own
    rolled-back transaction); removed again after the module."""
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("seed_demo", no_migrate=True)
    yield
    with django_db_blocker.unblock():
        reset_all()


def _snapshot():
    return (
        list(Region.objects.order_by("code").values_list("code", "name")),
        list(User.objects.order_by("username").values_list("username", "full_name", "region_code")),
        list(
            Membership.objects.order_by("user__username", "region_code").values_list(
                "user__username", "role", "region_code"
            )
        ),
    )


def _seed_grid() -> None:
    """The grid and its accounts as ``seed_demo`` seeds them (the first two seeders, same rng)."""
    assert [s.name for s in demo.seeders()[:2]] == ["regions", "accounts"]
    rng, today = random.Random(demo.SEED), timezone.localdate()
    for seeder in demo.seeders()[:2]:
        seeder.seed(rng, today)


def test_demo_district_has_the_real_grid_and_is_deterministic():
    # First in the module, before ``seeded``: the grid is seeded from nothing, twice, inside this
    # test's rolled-back transaction (reset_all makes it hold on a seeded database too, slower).
    reset_all()
    _seed_grid()
    assert Region.objects.filter(level="subdistrict").count() == 8
    assert Region.objects.get(code="620105004").name == "十里店街道"
    assert Region.objects.filter(level="community").count() == 60
    per_community = Counter(
        code[:12] for code in Region.objects.filter(level="building").values_list("code", flat=True)
    )
    assert len(per_community) == 60
    assert min(per_community.values()) >= 8 and max(per_community.values()) <= 40
    buildings = set(Region.objects.filter(level="building").values_list("code", flat=True))
    with_worker = set(
        Membership.objects.filter(role=Role.GRID_WORKER).values_list("region_code", flat=True)
    )
    assert buildings == with_worker
    first = _snapshot()
    reset_all()
    assert not Region.objects.exists()
    _seed_grid()
    assert _snapshot() == first


def test_the_demo_seeds_just_after_local_midnight(seeded):
    # Yesterday's window closed a minute ago: its reports are this morning's work, still open.
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    reporting = next(s for s in demo.seeders() if s.name == "reporting")
    with time_machine.travel(midnight + timedelta(days=1, minutes=1), tick=True):
        # The reports seeded again at 00:01 over the records already there (rolled back after).
        reporting.reset()
        reporting.seed(random.Random(demo.SEED), timezone.localdate())
        yesterday = timezone.localdate() - timedelta(days=1)
        reports = DailyReport.objects.filter(level="community")
        assert set(reports.filter(day=yesterday).values_list("status", flat=True)) == {"draft"}
        assert reports.filter(day=yesterday).count() >= 50  # opened, not filed
        assert reports.filter(day=yesterday - timedelta(days=1), status="approved").exists()


def test_demo_accounts_cover_every_role_and_every_subdistrict(seeded, capsys):
    capsys.readouterr()
    call_command("demo_accounts", json=True)
    rows = json.loads(capsys.readouterr().out)
    assert {r["role"] for r in rows} == set(Role.values)
    for r in rows:
        assert {"username", "password", "role", "region_code", "region_name"} <= set(r)
    officers = {r["region_code"] for r in rows if r["role"] == "subdistrict_officer"}
    assert len(officers) == 8
    assert len({r["region_code"] for r in rows if r["role"] == "community_worker"}) >= 3
    assert len({r["region_code"] for r in rows if r["role"] == "grid_worker"}) >= 3
    for r in rows:
        if r["role"] in ("command_office", "discipline_officer", "system_admin"):
            assert r["otp"] and len(r["otp"]) == 6


def test_demo_password_logs_in(seeded, client):
    from lianfang.devtools.demo.accounts import DEMO_PASSWORD

    response = client.post("/accounts/login/", {"username": "cw001001", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_demo_registry_has_current_work_on_every_page(seeded):
    from lianfang.people.models import (
        DuplicateCandidate,
        ImportJob,
        Person,
        Registration,
        SelfReport,
        Sweep,
    )

    assert Person.objects.count() >= 3000
    hubei = Registration.objects.filter(origin_code__startswith="42").count()
    assert hubei > Registration.objects.count() / 2  # weighted to Hubei and Wuhan
    assert Registration.objects.filter(risk_category="key_area_arrival").exists()
    assert SelfReport.objects.filter(status="pending").count() >= 10
    assert (
        Sweep.objects.filter(is_open=False).exists() and Sweep.objects.filter(is_open=True).exists()
    )
    job = ImportJob.objects.get()
    assert job.status == "done" and job.rejected >= 3 and job.queued == 1
    assert DuplicateCandidate.objects.filter(status="open").count() >= 10


def test_demo_registrations_are_spread_over_its_weeks_not_stamped_at_seeding(seeded):
    from lianfang.core import indicators
    from lianfang.people.models import HouseholdVisit, Person, Registration

    now, today = timezone.now(), timezone.localdate()
    days = Counter(
        timezone.localtime(t).date()
        for t in Registration.objects.values_list("registered_at", flat=True)
    )
    assert len(days) >= 25 and min(days) >= today - timedelta(days=30)
    assert max(days.values()) < Registration.objects.count() / 10  # no day holds them all
    assert not Registration.objects.filter(registered_at__gt=now).exists()
    assert Registration.objects.filter(arrival_date__lt=today - timedelta(days=21)).exists()
    assert (
        len(
            {
                timezone.localtime(t).date()
                for t in Person.objects.values_list("created_at", flat=True)
            }
        )
        >= 25
    )
    finished = HouseholdVisit.objects.filter(sweep__is_open=False)
    assert not finished.filter(visited_at__gte=now - timedelta(days=11)).exists()
    # the trends show arrivals on most of the last thirty days
    window = indicators.Window.of_day(today - timedelta(days=10))
    figures = indicators.compute("620105", window)
    assert figures["arrivals_key_area"] + figures["arrivals_other"] > 0


def test_demo_monitoring_is_a_live_district_in_its_third_week(seeded):
    from django.utils import timezone

    from lianfang.monitoring.models import (
        Alert,
        ExitRequest,
        HealthCheck,
        Observation,
        Quarantine,
        Referral,
        Site,
    )

    today = timezone.localdate()
    assert Quarantine.objects.filter(status="active").count() >= 150  # a few hundred households
    assert Site.objects.count() == 2 and Quarantine.objects.filter(kind="centralised").exists()
    assert HealthCheck.objects.filter(slot_date=today - timedelta(days=1)).count() > 100
    assert HealthCheck.objects.filter(fever=True).exists() and Referral.objects.exists()
    assert Alert.objects.filter(kind="missed").exists()  # realistic gaps
    released = Observation.objects.filter(status="released")
    assert released.exists()
    # each release dated on its own end date, not all on the day the demo was seeded
    assert len({timezone.localtime(o.ended_at).date() for o in released}) > 3
    assert ExitRequest.objects.filter(status="pending").exists()


def test_demo_reports_cover_thirty_days_with_lateness_gaps_and_a_correction(seeded):
    from django.utils import timezone

    from lianfang.reporting.models import DailyReport, ReportRevision, SupervisionItem

    today = timezone.localdate()
    communities = DailyReport.objects.filter(level="community")
    days = set(communities.values_list("day", flat=True))
    assert min(days) == today - timedelta(days=30) and max(days) == today - timedelta(days=1)
    assert communities.filter(day=today - timedelta(days=2)).count() == 60
    assert communities.filter(late=True).count() > 30
    assert communities.filter(status="missing").exists()
    assert communities.filter(zero=True).exists() and communities.filter(zero=False).exists()
    assert ReportRevision.objects.filter(number=2).count() >= 2  # a correction and a return
    assert SupervisionItem.objects.filter(kind="missing").exists()
    assert DailyReport.objects.filter(level="subdistrict", status="submitted").count() >= 8 * 28
    # this morning's work: yesterday's reports are partly still to be filed
    yesterday = communities.filter(day=today - timedelta(days=1))
    assert yesterday.filter(status__in=["draft", "missing"]).exists()


def test_demo_checkpoints_have_two_weeks_of_traffic_and_hand_overs(seeded):
    from lianfang.checkpoints.models import Checkpoint, Handover, Occupant, Shift, VehicleCheck

    assert Checkpoint.objects.count() == 3
    assert Shift.objects.count() >= 80 and VehicleCheck.objects.count() > 3000
    assert Occupant.objects.filter(fever=True).exists()
    handovers = Handover.objects.all()
    in_time = sum(1 for h in handovers if h.in_time)
    assert in_time > handovers.count() / 2
    assert handovers.filter(status="pending", level__in=["subdistrict", "district"]).exists()
    assert not any(h.level != "community" for h in handovers if h.in_time)


def test_demo_pages_and_files_read_in_chinese_for_every_featured_role(seeded, client):
    """Every page and file a featured demo login reaches by links, in zh-hans: no snake_case
    identifier (key_area_arrival, created) and no English word in what the user reads."""
    from conftest import login_client
    from lianfang.devtools.management.commands.demo_accounts import FEATURED
    from tests.language import crawl

    login_names = frozenset(
        u for u in User.objects.values_list("username", flat=True) if "_" in u
    )  # login names are data the user types, not the interface's words
    read_by_anyone: set[str] = set()
    problems = {}
    for username in FEATURED:
        login_client(client, User.objects.get(username=username))
        found, read = crawl(client, ["/"], limit=90, allowed=login_names)
        read_by_anyone |= read
        problems.update({f"{username} {url}": texts for url, texts in found.items()})
        client.logout()
    assert problems == {}
    # the pages where raw codes were met are among those read
    for shape in (
        "/monitoring/start/N/",
        "/people/imports/N/outcomes.xlsx",
        "/checkpoints/liaison.xlsx",
        "/audit/access/",
        "/audit/changes/",
        "/people/self-reports/N/",
    ):
        assert shape in read_by_anyone, shape
