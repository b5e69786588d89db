"""Scoping matrix for monitoring: every list and detail seen from the same community, a sibling,
the parent and without membership. Out of scope and missing look the same (404)."""

import pytest
import time_machine

from conftest import B111, B121, C11, login_client
from lianfang.accounts.tests.factories import UserFactory, grant
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.referrals import services as referrals
from lianfang.monitoring.releases import services as release
from lianfang.monitoring.tests.factories import make_hospital, make_quarantine, staff
from lianfang.people.tests.factories import person_name

pytestmark = pytest.mark.django_db

# A community worker of C11 looks at quarantines in: its own building, a sibling community's
# building, and the parent sub-district's… (a quarantine always sits in a building or community;
# "parent" is seen by a worker who holds the role on the sibling community only).
TARGETS = {"same": B111, "sibling": B121}
EXPECTED = {"same": 200, "sibling": 404, "none": 404}


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


@pytest.fixture
def worker(world):
    user = UserFactory.create(username="cw_monitoring", region_code=C11)
    grant(user, "community_worker", C11)
    grant(user, "doctor", C11)
    return user


def _quarantine(code):
    return make_quarantine(code, address=f"{code[-6:]}室")


def _released_member(code):
    q = _quarantine(code)
    member = q.members.get()
    with time_machine.travel("2020-02-25 09:00 +0800", tick=False):
        checks.check_record(observation=member, temperature="36.5", source="self")
        release.quarantine_release(actor=staff(code), quarantine=q)
    return member


DETAILS = [
    ("quarantine page", _quarantine, lambda o: f"/monitoring/quarantines/{o.pk}/"),
    ("quarantine api", _quarantine, lambda o: f"/api/v1/quarantines/{o.pk}"),
    (
        "observation notice pdf",
        lambda c: _quarantine(c).members.get(),
        lambda o: f"/monitoring/members/{o.pk}/notice.pdf",
    ),
    ("release notice pdf", _released_member, lambda o: f"/monitoring/members/{o.pk}/release.pdf"),
]


@pytest.mark.parametrize(("name", "make", "url"), DETAILS, ids=[d[0] for d in DETAILS])
@pytest.mark.parametrize("relation", ["same", "sibling", "none"])
def test_monitoring_detail_scoping(client, world, worker, name, make, url, relation):
    obj = make(TARGETS.get(relation, B111))
    login_client(client, world.nobody if relation == "none" else worker)
    assert client.get(url(obj)).status_code == EXPECTED[relation], (name, relation)


def test_parent_sees_what_its_communities_hold(client, world):
    q = _quarantine(B111)
    login_client(client, world.users["subdistrict_officer"])
    assert client.get(f"/monitoring/quarantines/{q.pk}/").status_code == 200
    login_client(client, world.users["grid_worker"])  # B111's own grid worker
    assert client.get(f"/monitoring/quarantines/{q.pk}/").status_code == 200


def _fever(code):
    q = make_quarantine(code, (person_name("发热", int(code[-6:])),), address=f"{code[-6:]}号")
    checks.check_record(observation=q.members.get(), temperature="38.0", source="self")
    return q


LISTS = [
    ("quarantine list", "/monitoring/quarantines/", lambda q: str(q.pk)),
    ("quarantine api list", "/api/v1/quarantines", lambda q: str(q.pk)),
    ("alerts page", "/monitoring/alerts/", lambda q: q.members.get().person.full_name),
    ("alerts api", "/api/v1/alerts", lambda q: str(q.members.get().person_id)),
    ("today page", "/monitoring/today/", lambda q: q.members.get().person.full_name),
    ("board", "/monitoring/", None),
]


@pytest.mark.parametrize(("name", "url", "marker"), LISTS, ids=[x[0] for x in LISTS])
def test_monitoring_list_scoping(client, world, worker, name, url, marker):
    same, sibling = _fever(B111), _fever(B121)
    login_client(client, worker)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    if marker is not None:
        assert marker(same) in body, name
        assert marker(sibling) not in body, name
    else:
        assert response.context["board"].active_quarantines == 1
        assert response.context["board"].open_alerts == 1
    login_client(client, world.nobody)
    assert client.get(url).status_code == 404


def test_referral_outcome_out_of_scope_is_404(client, world, worker):
    q = _quarantine(B121)
    hospital = make_hospital()
    referral = referrals.referral_create(
        actor=staff(B121, world.users["doctor"].pk),
        observation=q.members.get(),
        hospital_id=hospital.pk,
        transport="120",
        reason="发热",
    )
    login_client(client, worker)
    r = client.post(
        f"/monitoring/referrals/{referral.pk}/outcome/", {"outcome-outcome": "excluded"}
    )
    assert r.status_code == 404
    referral.refresh_from_db()
    assert referral.outcome == "pending"


def _person(code):
    from lianfang.people.tests.factories import make_person

    return make_person(code, "某人", address=f"{code[-6:]}号")


MORE_DETAILS = [
    ("start page", _person, lambda o: f"/monitoring/start/{o.pk}/"),
    ("contacts page", _person, lambda o: f"/monitoring/contacts/{o.pk}/"),
]


@pytest.mark.parametrize(("name", "make", "url"), MORE_DETAILS, ids=[d[0] for d in MORE_DETAILS])
@pytest.mark.parametrize("relation", ["same", "sibling", "none"])
def test_monitoring_person_pages_scoping(client, world, worker, name, make, url, relation):
    obj = make(TARGETS.get(relation, B111))
    login_client(client, world.nobody if relation == "none" else worker)
    assert client.get(url(obj)).status_code == EXPECTED[relation], (name, relation)


def _member_post(code):
    q = _quarantine(code)
    return q.members.get()


def _alert(code):
    return _fever(code).members.get().alerts.get()


def _exit(code):
    from datetime import datetime, timedelta

    from django.utils import timezone

    from lianfang.accounts.models import User

    member = _quarantine(code).members.get()
    leave = timezone.make_aware(datetime(2020, 2, 10, 15, 0))
    return referrals.exit_request_create(
        actor=staff(code, User.objects.order_by("pk").values_list("pk", flat=True).first()),
        observation=member,
        data={
            "reason": "透析",
            "destination": "医院",
            "route": "点对点",
            "leave_at": leave,
            "return_at": leave + timedelta(hours=2),
        },
    )


ACTIONS = [
    (
        "staff check",
        _member_post,
        lambda o: f"/monitoring/members/{o.pk}/check/",
        {"check-temperature": "36.5"},
    ),
    ("new link", _member_post, lambda o: f"/monitoring/members/{o.pk}/token/", {}),
    (
        "alert close",
        _alert,
        lambda o: f"/monitoring/alerts/{o.pk}/close/",
        {"close-action": "已处理"},
    ),
    ("exit approve", _exit, lambda o: f"/monitoring/exits/{o.pk}/approve/", {}),
    (
        "contact record",
        _quarantine,
        lambda o: f"/monitoring/quarantines/{o.pk}/contact/",
        {"contact-how": "phone", "contact-result": "在家"},
    ),
]


@pytest.mark.parametrize(("name", "make", "url", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
@pytest.mark.parametrize("relation", ["same", "sibling", "none"])
def test_monitoring_actions_scoping(client, world, worker, name, make, url, data, relation):
    obj = make(TARGETS.get(relation, B111))
    grant(worker, "grid_worker", C11)  # staff checks need the grid worker's or doctor's right
    login_client(client, world.nobody if relation == "none" else worker)
    status = client.post(url(obj), data).status_code
    assert (status == 302) == (relation == "same"), (name, relation, status)
    if relation != "same":
        assert status == 404, (name, relation, status)


def _referral(code, doctor, name):
    q = make_quarantine(code, (name,), address=f"{code[-6:]}室")
    return referrals.referral_create(
        actor=staff(code, doctor.pk),
        observation=q.members.get(),
        hospital_id=make_hospital(f"发热门诊{name}").pk,
        transport="120",
        reason="发热",
    )


@pytest.mark.parametrize(
    ("viewer", "sees_same", "sees_sibling"),
    [
        ("same", True, False),  # the community's own doctor and worker
        ("sibling", False, True),  # a worker of the sibling community
        ("parent", True, True),  # the sub-district above both
        ("none", None, None),  # no membership: 404
    ],
)
def test_referrals_page_scoping(client, world, worker, viewer, sees_same, sees_sibling):
    _referral(B111, world.users["doctor"], "转诊甲")
    _referral(B121, world.users["doctor"], "转诊乙")
    sibling = UserFactory.create(username="cw_sibling", region_code="620105001002")
    grant(sibling, "community_worker", "620105001002")
    user = {
        "same": worker,
        "sibling": sibling,
        "parent": world.users["subdistrict_officer"],
        "none": world.nobody,
    }[viewer]
    login_client(client, user)
    response = client.get("/monitoring/referrals/?outcome=all")
    if sees_same is None:
        assert response.status_code == 404
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert ("转诊甲" in body) is sees_same
    assert ("转诊乙" in body) is sees_sibling


def test_referrals_page_search_keeps_the_name_out_of_the_url(client, world, worker):
    _referral(B111, world.users["doctor"], "转诊甲")
    _referral(B111.replace("001001001", "001001002"), world.users["doctor"], "转诊丙")
    login_client(client, worker)
    posted = client.post("/monitoring/referrals/", {"q": "转诊甲", "outcome": "all"})
    location = posted["Location"]
    assert posted.status_code == 302 and "q=" not in location and "%E8%BD%AC" not in location
    body = client.get(posted["Location"]).content.decode()
    assert "转诊甲" in body and "转诊丙" not in body
    assert (
        'href="/monitoring/quarantines/' in body
    )  # each row links to where the outcome is recorded
