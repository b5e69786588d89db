from datetime import date

import pytest
import time_machine

from conftest import B111, B211, C11, login_client
from lianfang.core.errors import InvalidInput
from lianfang.people.models import Person, Registration, SelfReport
from lianfang.people.selfreg import services as selfreg_services
from lianfang.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _feb_2020():
    with time_machine.travel(date(2020, 2, 10), tick=False):
        yield


@pytest.fixture
def link(world, actor_of):
    return selfreg_services.link_for(
        actor=actor_of(world.users["community_worker"]), community=Region.objects.get(code=C11)
    )


ANSWERS = {
    "full_name": "钱七",
    "doc_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "region_code": B111,
    "address": "3单元101",
    "origin": "420100",
    "departure_date": "2020-01-28",
    "arrival_date": "2020-01-29",
    "transport": "train",
    "transport_number": "Z55",
}


def test_public_page_queues_an_encrypted_report_and_shows_nothing_else(client, link):
    page = client.get(f"/r/{link.token}/")
    assert page.status_code == 200 and "建宁路社区" in page.content.decode()
    response = client.post(f"/r/{link.token}/", ANSWERS)
    assert response.status_code == 302
    report = SelfReport.objects.get()
    assert report.status == "pending" and report.name_masked == "钱*"
    assert "11010519491231002X" not in report.payload_enc
    assert Person.objects.count() == 0
    done = client.get(response["Location"]).content.decode()
    assert "钱" not in done and "1381234" not in done


def test_public_form_rejects_another_communitys_building(client, link):
    response = client.post(f"/r/{link.token}/", {**ANSWERS, "region_code": B211})
    assert response.status_code == 200
    assert SelfReport.objects.count() == 0


def test_unknown_or_renewed_token_is_404(client, world, actor_of, link):
    assert client.get("/r/not-a-token/").status_code == 404
    selfreg_services.link_for(
        actor=actor_of(world.users["community_worker"]), community=link.region, renew=True
    )
    assert client.get(f"/r/{link.token}/").status_code == 404


def test_public_form_is_rate_limited(client, link):
    for _ in range(10):
        assert client.post(f"/r/{link.token}/", ANSWERS).status_code == 302
    response = client.post(f"/r/{link.token}/", ANSWERS)
    assert "提交过于频繁" in response.content.decode()
    assert SelfReport.objects.count() == 10


def test_invalid_submissions_do_not_use_up_the_residents_limit(client, link):
    for _ in range(12):
        client.post(f"/r/{link.token}/", {**ANSWERS, "id_number": "bad"})
    assert client.post(f"/r/{link.token}/", ANSWERS).status_code == 302
    assert SelfReport.objects.count() == 1


def _fill_limit_through_proxy(client, link, forwarded_for):
    for _ in range(10):
        client.post(
            f"/r/{link.token}/",
            ANSWERS,
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )


def test_residents_behind_the_trusted_proxy_have_a_limit_each(client, link, settings):
    from lianfang.core.clientaddr import parse_networks

    settings.LIANFANG_TRUSTED_PROXIES = parse_networks("10.0.0.0/24")
    _fill_limit_through_proxy(client, link, "203.0.113.7")
    other = client.post(
        f"/r/{link.token}/", ANSWERS, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert other.status_code == 302
    same = client.post(
        f"/r/{link.token}/", ANSWERS, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert "提交过于频繁" in same.content.decode()


def test_a_sender_that_is_not_a_trusted_proxy_cannot_choose_its_address(client, link, settings):
    settings.LIANFANG_TRUSTED_PROXIES = ()
    _fill_limit_through_proxy(client, link, "203.0.113.7")
    spoofed = client.post(
        f"/r/{link.token}/", ANSWERS, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert "提交过于频繁" in spoofed.content.decode()


def test_worker_accepts_with_a_correction(world, actor_of, link):
    report = selfreg_services.selfreport_submit(link=link, data=ANSWERS)
    person = selfreg_services.selfreport_accept(
        actor=actor_of(world.users["community_worker"]),
        report=report,
        corrections={"address": "3单元102"},
    )
    assert person.address == "3单元102"
    reg = Registration.objects.get(person=person)
    assert reg.source == "self" and reg.origin_code == "420100"
    report.refresh_from_db()
    assert report.status == "accepted" and report.payload_enc == ""


def test_accepting_an_already_registered_id_links_the_existing_person(world, actor_of, link):
    from lianfang.people.tests.factories import make_person

    existing = make_person(B111, "钱七", id_number="11010519491231002X")
    report = selfreg_services.selfreport_submit(link=link, data=ANSWERS)
    person = selfreg_services.selfreport_accept(
        actor=actor_of(world.users["community_worker"]), report=report
    )
    assert person.pk == existing.pk and Person.objects.count() == 1


def test_reject_needs_a_reason_and_erases_the_answers(world, actor_of, link):
    report = selfreg_services.selfreport_submit(link=link, data=ANSWERS)
    worker = actor_of(world.users["community_worker"])
    with pytest.raises(InvalidInput):
        selfreg_services.selfreport_reject(actor=worker, report=report, reason="")
    selfreg_services.selfreport_reject(actor=worker, report=report, reason="重复提交")
    report.refresh_from_db()
    assert report.status == "rejected" and report.payload_enc == ""
    with pytest.raises(InvalidInput):
        selfreg_services.selfreport_accept(actor=worker, report=report)


def test_queue_and_report_are_scoped(client, world, link):
    report = selfreg_services.selfreport_submit(link=link, data=ANSWERS)
    login_client(client, world.users["community_worker"])
    assert "钱*" in client.get("/people/self-reports/").content.decode()
    assert client.get(f"/people/self-reports/{report.pk}/").status_code == 200
    from lianfang.accounts.tests.factories import UserFactory, grant

    other = UserFactory.create(username="cw_sibling", region_code="620105001002")
    grant(other, "community_worker", "620105001002")
    login_client(client, other)
    assert "钱*" not in client.get("/people/self-reports/").content.decode()
    assert client.get(f"/people/self-reports/{report.pk}/").status_code == 404


def test_poster_is_a_pdf(client, world, link):
    login_client(client, world.users["community_worker"])
    response = client.get(f"/people/self-registration/{C11}/poster.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
