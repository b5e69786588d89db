"""One URL and one view per action, each with its own permission (issue 16 item 8).

Each action is a spec: a role that lacks the action's permission gets 404 and nothing changes;
a role that holds it on the quarantine's region gets the change and a redirect."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import resolve, reverse
from django.utils import timezone

from conftest import B111, B112, C11, login_client
from lianfang.core.errors import Conflict, PermissionDeniedError
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.checks import tokens
from lianfang.monitoring.models import (
    AlertStatus,
    Event,
    EventKind,
    ExitRequest,
    ExitStatus,
    HealthCheck,
    Kind,
    ObservationStatus,
    Referral,
)
from lianfang.monitoring.permissions import MANAGE_QUARANTINE, RECORD_CHECKS, REFER
from lianfang.monitoring.quarantines import services
from lianfang.monitoring.referrals import services as referrals
from lianfang.monitoring.tests.factories import make_hospital, make_quarantine, make_site, staff
from lianfang.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

PK = "00000000-0000-0000-0000-000000000001"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


# --- the route table --------------------------------------------------------------------------

ROUTES = [
    ("quarantines", "adjust", "quarantine_adjust", MANAGE_QUARANTINE),
    ("quarantines", "exposure", "quarantine_exposure", MANAGE_QUARANTINE),
    ("quarantines", "contact", "quarantine_contact", MANAGE_QUARANTINE),
    ("quarantines", "end", "quarantine_end", MANAGE_QUARANTINE),
    ("quarantines", "transfer", "quarantine_transfer", MANAGE_QUARANTINE),
    ("quarantines", "room", "quarantine_room", MANAGE_QUARANTINE),
    ("quarantines", "team", "quarantine_team", MANAGE_QUARANTINE),
    ("quarantines", "release", "quarantine_release", MANAGE_QUARANTINE),
    ("members", "check", "member_check", RECORD_CHECKS),
    ("members", "correct", "member_correct", RECORD_CHECKS),
    ("members", "exit", "member_exit", RECORD_CHECKS),
    ("members", "refer", "member_refer", REFER),
    ("members", "token", "member_token", MANAGE_QUARANTINE),
    ("exits", "approve", "exit_approve", MANAGE_QUARANTINE),
    ("exits", "refuse", "exit_refuse", MANAGE_QUARANTINE),
    ("alerts", "acknowledge", "alert_acknowledge", RECORD_CHECKS),
    ("alerts", "close", "alert_close", RECORD_CHECKS),
]


@pytest.mark.parametrize(("entity", "action", "name", "perm"), ROUTES, ids=[r[2] for r in ROUTES])
def test_each_action_has_its_own_url_name_view_and_permission(entity, action, name, perm):
    path = f"/monitoring/{entity}/{PK}/{action}/"
    assert reverse(f"monitoring:{name}", args=[PK]) == path
    match = resolve(path)
    assert match.url_name == name
    assert match.func.required_permission == perm  # type: ignore[attr-defined]  # set by core.views.requires


@pytest.mark.parametrize(
    "path",
    [
        f"/monitoring/quarantines/{PK}/bogus/",
        f"/monitoring/members/{PK}/bogus/",
        f"/monitoring/exits/{PK}/maybe/",
        f"/monitoring/alerts/{PK}/bogus/",
    ],
)
def test_an_unknown_action_is_no_route(path):
    from django.urls import Resolver404

    with pytest.raises(Resolver404):
        resolve(path)


def test_an_unknown_exit_decision_refuses_nothing(client, world):
    """Before the split any decision other than "approve" counted as a refusal."""
    item = _exit_request(world)
    login_client(client, world.users["community_worker"])
    response = client.post(f"/monitoring/exits/{item.pk}/maybe/", {"decide-decision_note": "否"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == ExitStatus.PENDING


# --- actions on a quarantine: monitoring.manage -----------------------------------------------


def _member(q):
    return q.members.get()


def _adjust(q):
    return {"adjust-days": "2", "adjust-reason": "复核后延长"}


def _exposure(q):
    return {
        "exposure-observation": str(_member(q).pk),
        "exposure-exposure_date": "2020-02-08",
        "exposure-reason": "再次接触",
    }


def _contact(q):
    return {"contact-how": "phone", "contact-result": "在家"}


def _end(q):
    return {"end-observation": str(_member(q).pk), "end-reason": "误登记"}


def _transfer(q):
    return {
        "transfer-observation": str(_member(q).pk),
        "transfer-reason": "搬到同社区另一楼栋",
        "transfer-to_region_code": B112,
    }


def _room(q):
    return {"room-observation": str(_member(q).pk), "room-room": str(q.site.rooms.first().pk)}


def _team(q):
    return {}


def _release(q):
    return {"release-reason": "期满，居民外出未测温"}


def _home(**kwargs):
    return make_quarantine(B111, **kwargs)


def _centralised():
    site = make_site(C11)
    return services.quarantine_start(
        actor=staff(C11),
        person_ids=[make_person(B111, "集中甲").pk],
        kind=Kind.CENTRALISED,
        site_id=site.pk,
    )


QUARANTINE_ACTIONS = [
    ("adjust", lambda: _home(), _adjust, EventKind.ADJUSTED),
    ("exposure", lambda: _home(basis=date(2020, 2, 5)), _exposure, EventKind.EXPOSURE),
    ("contact", lambda: _home(), _contact, EventKind.CONTACT),
    ("end", lambda: _home(), _end, EventKind.ENDED_EARLY),
    ("transfer", lambda: _home(), _transfer, EventKind.TRANSFERRED),
    ("room", _centralised, _room, EventKind.ROOM),
    ("team", lambda: _home(), _team, EventKind.TEAM),
    ("release", lambda: _home(start=date(2020, 1, 20)), _release, EventKind.RELEASED),
]
Q_IDS = [a[0] for a in QUARANTINE_ACTIONS]


@pytest.mark.parametrize(("action", "make", "data", "kind"), QUARANTINE_ACTIONS, ids=Q_IDS)
@pytest.mark.parametrize("role", ["grid_worker", "volunteer"])
def test_a_quarantine_action_is_not_found_without_the_right_to_manage(
    client, world, action, make, data, kind, role
):
    """A grid worker sees the quarantine but may not change it; a volunteer may not see it."""
    q = make()
    login_client(client, world.users[role])
    response = client.post(f"/monitoring/quarantines/{q.pk}/{action}/", data(q))
    assert response.status_code == 404
    assert not Event.objects.filter(quarantine=q, kind=kind).exists()


@pytest.mark.parametrize(("action", "make", "data", "kind"), QUARANTINE_ACTIONS, ids=Q_IDS)
def test_the_community_worker_performs_each_quarantine_action(
    client, world, action, make, data, kind
):
    q = make()
    user = world.users["community_worker"]
    login_client(client, user)
    response = client.post(f"/monitoring/quarantines/{q.pk}/{action}/", data(q))
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == f"/monitoring/quarantines/{q.pk}/"
    assert Event.objects.filter(quarantine=q, kind=kind, actor=user).exists()


def test_a_quarantine_action_with_invalid_input_returns_the_page_with_the_form_error(client, world):
    q = _home()
    login_client(client, world.users["community_worker"])
    response = client.post(f"/monitoring/quarantines/{q.pk}/adjust/", {"adjust-days": "2"})
    assert response.status_code == 422
    assert "is-invalid" in response.content.decode()
    assert not Event.objects.filter(quarantine=q, kind=EventKind.ADJUSTED).exists()


def test_a_quarantine_action_refused_by_the_service_shows_the_reason_on_the_form(client, world):
    q = _home()  # the basis is today: a new exposure must be later, and not in the future
    login_client(client, world.users["community_worker"])
    response = client.post(
        f"/monitoring/quarantines/{q.pk}/exposure/",
        {
            "exposure-observation": str(_member(q).pk),
            "exposure-exposure_date": "2020-02-10",
            "exposure-reason": "再次接触",
        },
    )
    assert response.status_code == 422
    assert "新的接触日期须晚于当前起算日期" in response.content.decode()


def test_a_manager_of_another_community_gets_404_for_a_quarantine_action(client, world):
    from lianfang.accounts.tests.factories import UserFactory, grant

    other = UserFactory.create(username="cw_c12", region_code="620105001002")
    grant(other, "community_worker", "620105001002")
    q = _home()
    login_client(client, other)
    assert client.post(f"/monitoring/quarantines/{q.pk}/adjust/", _adjust(q)).status_code == 404
    q.refresh_from_db()
    assert q.adjustment_days == 0


# --- actions on one member --------------------------------------------------------------------


def test_a_staff_check_needs_the_right_to_record_checks(client, world):
    member = _member(_home())
    login_client(client, world.users["subdistrict_officer"])  # manages, does not record checks
    url = f"/monitoring/members/{member.pk}/check/"
    assert client.post(url, {"check-temperature": "36.5"}).status_code == 404
    assert not HealthCheck.objects.exists()
    login_client(client, world.users["grid_worker"])
    response = client.post(url, {"check-temperature": "36.5", "next": "today"})
    assert response.status_code == 302 and response["Location"] == "/monitoring/today/"
    assert HealthCheck.objects.get().recorded_by == world.users["grid_worker"]


def test_a_correction_needs_the_right_to_record_checks(client, world):
    member = _member(_home())
    wrong, _ = checks.check_record(
        observation=member,
        source="staff",
        actor=staff(B111, world.users["doctor"].pk),
        temperature="35.1",
    )
    data = {
        "correct-corrects": str(wrong.pk),
        "correct-temperature": "36.5",
        "correct-correction_reason": "小数点录错",
    }
    url = f"/monitoring/members/{member.pk}/correct/"
    login_client(client, world.users["subdistrict_officer"])
    assert client.post(url, data).status_code == 404
    assert HealthCheck.objects.count() == 1
    login_client(client, world.users["grid_worker"])
    assert client.post(url, data).status_code == 302
    assert HealthCheck.objects.exclude(pk=wrong.pk).get().corrects_id == wrong.pk


def test_an_exit_request_needs_the_right_to_record_checks(client, world):
    member = _member(_home())
    leave = timezone.make_aware(datetime(2020, 2, 10, 15, 0))
    data = {
        "exit-reason": "透析",
        "exit-destination": "医院",
        "exit-route": "点对点",
        "exit-leave_at": leave.strftime("%Y-%m-%dT%H:%M"),
        "exit-return_at": (leave + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    url = f"/monitoring/members/{member.pk}/exit/"
    login_client(client, world.users["subdistrict_officer"])
    assert client.post(url, data).status_code == 404
    login_client(client, world.users["grid_worker"])
    assert client.post(url, data).status_code == 302
    assert ExitRequest.objects.get().observation == member


def test_a_referral_needs_the_right_to_refer(client, world):
    member = _member(_home())
    data = {
        "refer-hospital": str(make_hospital().pk),
        "refer-transport": "120",
        "refer-reason": "发热",
    }
    url = f"/monitoring/members/{member.pk}/refer/"
    login_client(client, world.users["grid_worker"])  # records checks, does not refer
    assert client.post(url, data).status_code == 404
    assert not Referral.objects.exists()
    login_client(client, world.users["doctor"])
    assert client.post(url, data).status_code == 302
    assert Referral.objects.get().observation == member


def test_a_new_link_needs_the_right_to_manage(client, world):
    member = _member(_home())
    old = tokens.token_of(member)
    url = f"/monitoring/members/{member.pk}/token/"
    login_client(client, world.users["grid_worker"])
    assert client.post(url).status_code == 404
    assert tokens.observation_by_token(old) == member
    login_client(client, world.users["community_worker"])
    assert client.post(url).status_code == 302
    assert tokens.observation_by_token(old) is None


def test_a_sub_district_officer_can_renew_the_link_the_page_offers_them(client, world):
    """The page shows the button to whoever manages; the link no longer also needs
    monitoring.check (which sub-district officers do not hold)."""
    member = _member(_home())
    old = tokens.token_of(member)
    login_client(client, world.users["subdistrict_officer"])
    page = client.get(f"/monitoring/quarantines/{member.quarantine_id}/").content.decode()
    assert f"/monitoring/members/{member.pk}/token/" in page
    assert client.post(f"/monitoring/members/{member.pk}/token/").status_code == 302
    assert tokens.observation_by_token(old) is None


def test_a_new_link_for_a_closed_member_is_refused_with_a_message(client, world):
    q = _home(names=("甲", "乙"))
    ended = q.members.order_by("started_at").first()
    services.observation_end_early(
        actor=staff(B111), quarantine=q, observation_id=ended.pk, reason="误登记"
    )
    login_client(client, world.users["community_worker"])
    response = client.post(f"/monitoring/members/{ended.pk}/token/", follow=True)
    assert "该人员已不在观察期内" in response.content.decode()
    assert not Event.objects.filter(kind=EventKind.TOKEN).exists()


# --- exit decisions and alerts ----------------------------------------------------------------


def _exit_request(world):
    member = _member(_home())
    leave = timezone.make_aware(datetime(2020, 2, 10, 15, 0))
    return referrals.exit_request_create(
        actor=staff(B111, world.users["grid_worker"].pk),
        observation=member,
        data={
            "reason": "透析",
            "destination": "医院",
            "route": "点对点",
            "leave_at": leave,
            "return_at": leave + timedelta(hours=2),
        },
    )


@pytest.mark.parametrize(
    ("decision", "data", "status"),
    [
        ("approve", {}, ExitStatus.APPROVED),
        ("refuse", {"decide-decision_note": "改为上门透析"}, ExitStatus.REFUSED),
    ],
)
def test_an_exit_decision_needs_the_right_to_manage(client, world, decision, data, status):
    item = _exit_request(world)
    url = f"/monitoring/exits/{item.pk}/{decision}/"
    login_client(client, world.users["grid_worker"])
    assert client.post(url, data).status_code == 404
    item.refresh_from_db()
    assert item.status == ExitStatus.PENDING
    login_client(client, world.users["community_worker"])
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.status == status


def test_a_refusal_without_a_reason_changes_nothing(client, world):
    item = _exit_request(world)
    login_client(client, world.users["community_worker"])
    response = client.post(f"/monitoring/exits/{item.pk}/refuse/", follow=True)
    assert "不同意时请说明理由" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ExitStatus.PENDING


def _alert():
    member = _member(_home())
    checks.check_record(observation=member, source="self", temperature="38.5")
    return member.alerts.get()


@pytest.mark.parametrize(
    ("action", "data", "status"),
    [
        ("acknowledge", {}, AlertStatus.ACKNOWLEDGED),
        ("close", {"close-action": "已送医"}, AlertStatus.CLOSED),
    ],
)
def test_handling_an_alert_needs_the_right_to_record_checks(client, world, action, data, status):
    alert = _alert()
    url = f"/monitoring/alerts/{alert.pk}/{action}/"
    login_client(client, world.users["subdistrict_officer"])
    assert client.post(url, data).status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    login_client(client, world.users["grid_worker"])
    response = client.post(url, {**data, "next": "today"})
    assert response.status_code == 302 and response["Location"] == "/monitoring/today/"
    alert.refresh_from_db()
    assert alert.status == status


# --- the service behind a new link ------------------------------------------------------------


def test_checkin_link_issue_replaces_the_link_and_records_who_did_it(world, actor_of):
    member = _member(_home())
    old = tokens.token_of(member)
    user = world.users["community_worker"]
    new = services.checkin_link_issue(actor=actor_of(user), observation=member)
    assert new != old
    assert tokens.observation_by_token(new) == member
    assert tokens.observation_by_token(old) is None
    event = Event.objects.get(kind=EventKind.TOKEN)
    assert (event.observation, event.actor, event.quarantine) == (member, user, member.quarantine)


@pytest.mark.parametrize("role", ["grid_worker", "volunteer"])
def test_checkin_link_issue_needs_the_right_to_manage_the_region(world, actor_of, role):
    member = _member(_home())
    old = tokens.token_of(member)
    with pytest.raises(PermissionDeniedError):
        services.checkin_link_issue(actor=actor_of(world.users[role]), observation=member)
    assert tokens.observation_by_token(old) == member
    assert not Event.objects.filter(kind=EventKind.TOKEN).exists()


def test_checkin_link_issue_refuses_outside_the_actor_s_region(world):
    member = _member(_home())
    with pytest.raises(PermissionDeniedError):
        services.checkin_link_issue(actor=staff("620105001002001"), observation=member)


def test_checkin_link_issue_refuses_a_member_no_longer_observed(world):
    q = _home(names=("甲", "乙"))
    ended = q.members.order_by("started_at").first()
    services.observation_end_early(
        actor=staff(B111), quarantine=q, observation_id=ended.pk, reason="误登记"
    )
    with pytest.raises(Conflict):
        services.checkin_link_issue(actor=staff(B111), observation=ended)
    ended.refresh_from_db()
    assert ended.status == ObservationStatus.ENDED_EARLY


def test_checkin_link_issue_is_all_or_nothing(world, monkeypatch):
    """If the event cannot be written, the old link keeps working."""
    member = _member(_home())
    old = tokens.token_of(member)

    def broken(*args, **kwargs):
        raise RuntimeError("event store down")

    monkeypatch.setattr(services, "event_record", broken)
    with pytest.raises(RuntimeError):
        services.checkin_link_issue(actor=staff(B111), observation=member)
    assert tokens.observation_by_token(old) == member
