"""The clue register: registering a transfer, the four ways of disposal with a second person's
approval, the steps after, the table of allowed steps, confidential tip-offs taken in once, and
nothing readable in the database without the discipline key."""

from datetime import date

import pytest
import time_machine

from conftest import SD1
from lianfang.accounts.tests.factories import UserFactory, grant
from lianfang.cases.tests.factories import tip
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.discipline import secrecy, selectors, services, workflow
from lianfang.discipline.models import Clue, ClueEvent, State
from lianfang.discipline.tests.factories import TRANSFER, transferred

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


@pytest.fixture
def officer(world, actor_of):
    return actor_of(world.users["discipline_officer"])


@pytest.fixture
def leader(world, actor_of):
    return actor_of(world.users["discipline_leader"])


def test_a_transfer_is_registered_with_a_number_and_its_facts_sealed(officer):
    clue = transferred(officer)
    assert clue.number == "2020-620105-0001" and clue.state == State.REGISTERED
    stored = Clue.objects.get(pk=clue.pk)
    assert "擅自离岗" not in stored.facts_enc
    assert selectors.facts_of(stored) == TRANSFER["facts"]
    assert list(ClueEvent.objects.filter(clue=clue).values_list("action", flat=True)) == [
        "register"
    ]
    assert transferred(officer).number == "2020-620105-0002"


def test_a_transfer_without_its_reason_or_subject_is_refused_on_the_fields(officer):
    with pytest.raises(InvalidInput) as exc:
        transferred(officer, transfer_reason="", subject_name="", subject_unit="")
    assert set(exc.value.fields) >= {"transfer_reason", "subject_name"}
    assert not Clue.objects.exists()


def test_the_proposer_cannot_approve_their_own_proposal_a_second_leader_can(
    world, leader, actor_of
):
    clue = transferred(leader)
    clue = services.clue_propose(
        actor=leader, clue=clue, disposition="verify", reason="事实具体，需初步核实"
    )
    assert clue.state == State.PROPOSED
    with pytest.raises(PermissionDeniedError) as exc:
        services.clue_approve(actor=leader, clue=clue)
    assert exc.value.code == "own_proposal"
    second = UserFactory.create(username="second_leader")
    grant(second, "discipline_leader", "620105")
    clue = services.clue_approve(actor=actor_of(second), clue=clue, note="同意")
    assert (clue.state, clue.disposition) == (State.VERIFYING, "verify")


def test_an_officer_proposes_and_only_a_leader_approves(officer, leader):
    clue = transferred(officer)
    clue = services.clue_propose(
        actor=officer, clue=clue, disposition="inquiry", reason="情节较轻，先函询"
    )
    with pytest.raises(PermissionDeniedError):
        services.clue_approve(actor=officer, clue=clue)
    clue = services.clue_approve(actor=leader, clue=clue)
    assert clue.state == State.INQUIRY
    assert clue.inquiry_due_on == date(2020, 3, 2)  # 15 working days from Monday 10 February
    clue = services.clue_step(
        actor=officer, clue=clue, action="inquiry_close", note="书面说明属实，已整改"
    )
    assert clue.state == State.CLOSED and clue.closed_at is not None


def test_a_rejected_proposal_goes_back_to_the_handler_with_the_reason(officer, leader):
    clue = transferred(officer)
    clue = services.clue_propose(actor=officer, clue=clue, disposition="close", reason="不属实")
    with pytest.raises(InvalidInput):
        services.clue_reject(actor=leader, clue=clue, reason="")
    clue = services.clue_reject(actor=leader, clue=clue, reason="尚未核实，不宜了结")
    assert (clue.state, clue.proposal) == (State.REGISTERED, "")
    notes = [e["note"] for e in selectors.timeline(clue)]
    assert "尚未核实，不宜了结" in notes


def test_a_verification_opens_a_case_only_with_a_leader(officer, leader):
    clue = transferred(officer)
    clue = services.clue_propose(actor=officer, clue=clue, disposition="verify", reason="需核实")
    clue = services.clue_approve(actor=leader, clue=clue)
    with pytest.raises(PermissionDeniedError):
        services.clue_step(actor=officer, clue=clue, action="open_case", note="违纪事实清楚")
    clue = services.clue_step(actor=leader, clue=clue, action="open_case", note="违纪事实清楚")
    assert clue.state == State.CASE


@pytest.mark.parametrize("action", sorted(workflow.TRANSITIONS))
@pytest.mark.parametrize("state", sorted(State.values))
def test_every_step_from_every_state_is_allowed_exactly_as_the_table_says(action, state):
    sources, _to = workflow.TRANSITIONS[action]
    if state in sources:
        assert workflow.target(action, state, "verify")
    else:
        with pytest.raises(Conflict):
            workflow.target(action, state, "verify")


def test_a_step_out_of_order_is_refused_and_changes_nothing(officer):
    clue = transferred(officer)
    with pytest.raises(Conflict):
        services.clue_step(actor=officer, clue=clue, action="verify_close", note="不属实")
    clue.refresh_from_db()
    assert clue.state == State.REGISTERED and clue.version == 0


def test_a_confidential_tip_off_becomes_one_clue_with_its_reporter_sealed_apart(world):
    order = tip(
        "discipline",
        text="某社区干部把捐赠口罩分给亲友",
        extra={"kind": "贪污挪用截留防控款物和捐赠物资"},
        name="钱七",
        phone="13812345678",
        anonymous=False,
    ).order
    assert services.clues_from_tipoffs() == 1
    assert services.clues_from_tipoffs() == 0  # run again: still one
    clue = Clue.objects.get(work_order_id=order.pk)
    assert (clue.source, clue.kind_code) == ("tipoff", "embezzlement")
    assert "钱七" not in clue.reporter_enc and "13812345678" not in clue.reporter_enc
    assert secrecy.open_reporter(clue.reporter_enc) == {"name": "钱七", "phone": "+8613812345678"}
    assert clue.ack_due_on is not None  # a real-name reporter is told within 10 working days


def test_a_sub_district_office_keeps_its_own_register_only(world, actor_of, officer):
    district_clue = transferred(officer)
    local = UserFactory.create(username="sd_discipline", region_code=SD1)
    grant(local, "discipline_officer", SD1)
    sd = actor_of(local)
    assert [code for code, _n in selectors.offices(sd)] == [SD1]
    own = transferred(sd, region_code=SD1)
    assert list(selectors.visible(sd)) == [own]
    assert set(selectors.visible(officer)) == {own, district_clue}
    with pytest.raises(InvalidInput):
        transferred(sd)  # the district's register is not theirs


def test_a_clue_left_undisposed_is_marked_overdue_once_even_after_the_scheduler_was_down(
    officer,
):
    from datetime import timedelta

    from django.utils import timezone

    clue = transferred(officer)
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        assert services.clues_overdue_mark() == 1
        assert services.clues_overdue_mark() == 0
    clue.refresh_from_db()
    assert clue.overdue
    assert list(selectors.overdue_open(officer)) == [clue]


def _named_clue(officer):
    return transferred(
        officer, source="in_person", reporter_name="钱七", reporter_phone="13812345678"
    )


def test_a_reporter_is_seen_only_after_a_leader_approves_and_only_once(officer, leader):
    from lianfang.core.models import AccessLog

    clue = _named_clue(officer)
    with pytest.raises(InvalidInput):
        services.reveal_ask(actor=officer, clue=clue, purpose="")
    asked = services.reveal_ask(actor=officer, clue=clue, purpose="需向反映人核实细节")
    with pytest.raises(Conflict):
        services.reveal_read(actor=officer, request=asked)  # not approved yet
    services.reveal_decide(actor=leader, request=asked, approve=True)
    assert services.reveal_read(actor=officer, request=asked) == {
        "name": "钱七",
        "phone": "13812345678",
    }
    with pytest.raises(Conflict):
        services.reveal_read(actor=officer, request=asked)  # once
    log = AccessLog.objects.get(action="reveal_reporter", object_type="discipline_clue")
    assert "钱七" not in str(log.__dict__) and "13812345678" not in str(log.__dict__)


def test_a_leader_cannot_approve_their_own_request_and_only_the_requester_reads(
    officer, leader, world, actor_of
):
    clue = _named_clue(officer)
    mine = services.reveal_ask(actor=leader, clue=clue, purpose="核实")
    with pytest.raises(PermissionDeniedError):
        services.reveal_decide(actor=leader, request=mine, approve=True)
    asked = services.reveal_ask(actor=officer, clue=clue, purpose="核实")
    services.reveal_decide(actor=leader, request=asked, approve=True)
    with pytest.raises(PermissionDeniedError):
        services.reveal_read(actor=leader, request=asked)


def test_an_anonymous_clue_has_no_identity_to_ask_for(officer):
    with pytest.raises(InvalidInput):
        services.reveal_ask(actor=officer, clue=transferred(officer), purpose="核实")
