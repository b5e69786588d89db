"""The discipline office's pages through the test client: the register, registering a transfer
(errors on the fields, 422), proposing and approving from a clue's page."""

import pytest
import time_machine

from conftest import DISTRICT, login_client
from lianfang.discipline.models import Clue
from lianfang.discipline.tests.factories import TRANSFER, transferred

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


def test_a_transfer_with_missing_fields_stays_on_its_form_with_the_errors(client, world):
    login_client(client, world.users["discipline_officer"])
    page = client.post("/discipline/new/", {**TRANSFER, "transfer_reason": "", "facts": ""})
    assert page.status_code == 422
    body = page.content.decode()
    assert 'id="id_transfer_reason_error"' in body and 'id="id_facts_error"' in body
    assert not Clue.objects.exists()


def test_a_transfer_registered_from_the_form_opens_its_page(client, world):
    login_client(client, world.users["discipline_officer"])
    page = client.post("/discipline/new/", TRANSFER, follow=True)
    body = page.content.decode()
    assert page.status_code == 200 and 'id="clue-facts"' in body and "擅自离岗" in body
    register = client.get("/discipline/").content.decode()
    assert Clue.objects.get().number in register


def test_the_leader_approves_from_the_page_and_sees_no_approval_of_their_own(
    client, world, actor_of
):
    clue = transferred(actor_of(world.users["discipline_officer"]))
    login_client(client, world.users["discipline_officer"])
    empty = client.post(f"/discipline/{clue.pk}/propose/", {"propose-disposition": ""})
    assert (
        empty.status_code == 422 and 'id="id_propose-disposition_error"' in empty.content.decode()
    )
    client.post(
        f"/discipline/{clue.pk}/propose/",
        {"propose-disposition": "verify", "propose-reason": "需初步核实"},
    )
    login_client(client, world.users["discipline_leader"])
    register = client.get("/discipline/").content.decode()
    assert 'id="clues-to-approve"' in register
    page = client.post(f"/discipline/{clue.pk}/approve/", {"approve-note": "同意"}, follow=True)
    assert "初步核实" in page.content.decode()
    clue.refresh_from_db()
    assert clue.state == "verifying" and clue.region_code == DISTRICT


def test_the_reporter_appears_only_on_the_approved_one_time_reading(client, world, actor_of):
    from lianfang.discipline.models import RevealRequest

    officer = actor_of(world.users["discipline_officer"])
    clue = transferred(
        officer, source="in_person", reporter_name="钱七", reporter_phone="13812345678"
    )
    login_client(client, world.users["discipline_officer"])
    page = client.get(f"/discipline/{clue.pk}/").content.decode()
    assert "钱七" not in page and "13812345678" not in page and 'id="reveal-form"' in page
    client.post(f"/discipline/{clue.pk}/reveal/", {"reveal-purpose": "需向反映人核实细节"})
    asked = RevealRequest.objects.get()
    login_client(client, world.users["discipline_leader"])
    register = client.get("/discipline/").content.decode()
    assert 'id="reveals-to-decide"' in register and "钱七" not in register
    client.post(f"/discipline/reveals/{asked.pk}/approve/")
    login_client(client, world.users["discipline_officer"])
    assert client.get(f"/discipline/reveals/{asked.pk}/read/").status_code == 405
    shown = client.post(f"/discipline/reveals/{asked.pk}/read/")
    assert shown["Cache-Control"] == "no-store"
    assert "钱七" in shown.content.decode() and "13812345678" in shown.content.decode()
    again = client.post(f"/discipline/reveals/{asked.pk}/read/", follow=True).content.decode()
    assert "钱七" not in again and "13812345678" not in again


def test_a_tip_off_clue_leads_to_its_work_order_where_the_reporter_is_answered(client, world):
    from lianfang.cases.tests.factories import tip
    from lianfang.discipline import services

    order = tip("discipline", text="某社区干部把捐赠口罩分给亲友", extra={"kind": "其他"}).order
    services.clues_from_tipoffs()
    clue = Clue.objects.get(work_order_id=order.pk)
    login_client(client, world.users["discipline_officer"])
    page = client.get(f"/discipline/{clue.pk}/").content.decode()
    assert f'href="/cases/{order.pk}/"' in page
    assert client.get(f"/cases/{order.pk}/").status_code == 200


def test_an_empty_proposal_shows_each_field_message_once(client, world, actor_of):
    clue = transferred(actor_of(world.users["discipline_officer"]))
    login_client(client, world.users["discipline_officer"])
    body = client.post(f"/discipline/{clue.pk}/propose/", {}).content.decode()
    assert 'id="id_propose-disposition_error"' in body
    assert "请选择处置方式。" not in body  # the form's own message only, not the service's too


def test_a_case_is_worked_from_the_clue_page_with_errors_on_the_fields(client, world, actor_of):
    from lianfang.discipline import defaults
    from lianfang.discipline.models import Case, Sanction
    from lianfang.discipline.tests.test_cases import opened

    defaults.seed_sanctions(Sanction)
    officer = actor_of(world.users["discipline_officer"])
    clue = opened(officer, actor_of(world.users["discipline_leader"]))
    login_client(client, world.users["discipline_officer"])
    page = client.get(f"/discipline/{clue.pk}/").content.decode()
    assert 'id="case-step-form"' in page and 'id="decide-form"' in page
    bad = client.post(f"/discipline/{clue.pk}/case/decide/", {"decide-finding": "x"})
    body = bad.content.decode()
    assert bad.status_code == 422
    assert 'id="id_decide-sanction_error"' in body and 'id="id_decide-deciding_body_error"' in body
    client.post(
        f"/discipline/{clue.pk}/case/step/",
        {"case_step-kind": "talk", "case_step-on": "2020-02-10", "case_step-note": "谈话核实"},
    )
    client.post(
        f"/discipline/{clue.pk}/case/decide/",
        {
            "decide-finding": "擅离岗位三小时",
            "decide-sanction": "party_warning",
            "decide-responsibility": "direct",
            "decide-deciding_body": "安宁区纪委监委",
            "decide-decided_on": "2020-02-10",
        },
    )
    assert Case.objects.get(clue=clue).state == "proposed"
    page = client.get(f"/discipline/{clue.pk}/").content.decode()
    assert 'id="own-decision"' in page and "decision-approve-form" not in page
    login_client(client, world.users["discipline_leader"])
    client.post(f"/discipline/{clue.pk}/case/approve/", {"decision_approve-note": "同意"})
    assert Case.objects.get(clue=clue).state == "decided"


def test_the_leader_adds_a_threshold_version_from_a_date_and_a_past_date_is_refused(client, world):
    from lianfang.discipline.models import RuleSetting

    login_client(client, world.users["discipline_leader"])
    page = client.get("/discipline/rules/").content.decode()
    assert 'data-rule="reports_missing_late"' in page and 'id="rule-setting-form"' in page
    data = {"rule_key": "reports_missing_late", "threshold": "3", "window_days": "7"}
    past = client.post("/discipline/rules/", {**data, "effective_from": "2020-02-01"})
    assert past.status_code == 422 and 'id="id_effective_from_error"' in past.content.decode()
    client.post("/discipline/rules/", {**data, "effective_from": "2020-02-11", "is_active": "on"})
    assert RuleSetting.objects.get().threshold == 3
    login_client(client, world.users["discipline_officer"])
    assert 'id="rule-setting-form"' not in client.get("/discipline/rules/").content.decode()
    assert client.post("/discipline/rules/", data).status_code == 404
