"""A case on a verified clue: its investigation steps, the decision (a sanction from the dated
list, the level of responsibility, the deciding body) proposed by one officer and approved by a
leader who did not propose it, which concludes the clue; every step on the timeline."""

from datetime import date

import pytest
import time_machine

from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.discipline import casework, defaults, selectors, services, workflow
from lianfang.discipline.models import Case, CaseState, Sanction, State
from lianfang.discipline.tests.factories import transferred

pytestmark = pytest.mark.django_db

DECISION = {
    "finding": "2020年2月8日20时至23时，赵某某擅离卡口值守岗位。",
    "sanction": "party_warning",
    "responsibility": "direct",
    "deciding_body": "安宁区纪委监委",
    "decided_on": "2020-02-10",
}


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(world, actor_of):
    return actor_of(world.users["discipline_officer"])


@pytest.fixture
def leader(world, actor_of):
    return actor_of(world.users["discipline_leader"])


def opened(officer, leader):
    defaults.seed_sanctions(Sanction)
    clue = transferred(officer)
    clue = services.clue_propose(actor=officer, clue=clue, disposition="verify", reason="需核实")
    clue = services.clue_approve(actor=leader, clue=clue)
    return services.clue_step(actor=leader, clue=clue, action="open_case", note="事实清楚")


def test_opening_a_case_numbers_it_with_a_ninety_day_term(officer, leader):
    clue = opened(officer, leader)
    case = Case.objects.get(clue=clue)
    assert case.number == "2020-620105-L001" and case.state == CaseState.INVESTIGATING
    assert case.due_on == date(2020, 5, 10)


def test_a_step_is_recorded_sealed_and_shown_on_the_case_and_the_timeline(officer, leader, _clock):
    clue = opened(officer, leader)
    _clock.shift(86400 * 2)
    casework.case_step_add(
        actor=officer,
        clue=clue,
        data={"kind": "talk", "on": "2020-02-11", "document": "谈话笔录", "note": "本人承认离岗"},
    )
    case = selectors.case_of(clue)
    assert case is not None and case["steps"][0]["note"] == "本人承认离岗"
    assert "本人承认" not in Case.objects.get(clue=clue).steps.get().note_enc
    assert any("本人承认离岗" in e["note"] for e in selectors.timeline(clue))


def test_a_step_dated_in_the_future_or_before_the_case_is_refused_on_its_field(officer, leader):
    clue = opened(officer, leader)
    for on in ("2020-02-11", "2020-02-01", ""):
        with pytest.raises(InvalidInput) as exc:
            casework.case_step_add(
                actor=officer, clue=clue, data={"kind": "talk", "on": on, "note": "x"}
            )
        assert set(exc.value.fields) == {"on"}
    assert not Case.objects.get(clue=clue).steps.exists()


def test_a_decision_lacking_its_parts_is_refused_naming_each(officer, leader):
    clue = opened(officer, leader)
    with pytest.raises(InvalidInput) as exc:
        casework.case_decide(actor=officer, clue=clue, data={"decided_on": "2020-02-10"})
    assert set(exc.value.fields) == {"sanction", "responsibility", "finding", "deciding_body"}
    assert Case.objects.get(clue=clue).state == CaseState.INVESTIGATING


def test_the_decision_is_approved_by_a_leader_not_its_proposer_and_concludes_the_clue(
    officer, leader, _clock
):
    clue = opened(officer, leader)
    _clock.shift(86400 * 10)
    casework.case_decide(actor=leader, clue=clue, data=DECISION)
    with pytest.raises(PermissionDeniedError) as exc:
        casework.case_decision_approve(actor=leader, clue=clue)
    assert exc.value.code == "own_proposal"
    casework.case_decision_reject(actor=leader, clue=clue, reason="事实表述不完整")
    casework.case_decide(actor=officer, clue=clue, data=DECISION)
    with pytest.raises(PermissionDeniedError):
        casework.case_decision_approve(actor=officer, clue=clue)
    case = casework.case_decision_approve(actor=leader, clue=clue, note="同意")
    clue.refresh_from_db()
    assert (
        case.state == CaseState.DECIDED
        and case.sanction is not None
        and case.sanction.name == "警告"
    )
    assert clue.state == State.CLOSED and clue.closed_at is not None
    actions = [e["action"] for e in selectors.timeline(clue)]
    assert actions[-4:] == ["退回处理意见", "提出处理意见", "批准处理决定", "结案"]


def test_a_sanction_withdrawn_from_the_list_cannot_be_chosen_from_its_date(officer, leader):
    clue = opened(officer, leader)
    Sanction.objects.create(
        code="party_warning",
        name="警告",
        group="party",
        is_active=False,
        effective_from=date(2020, 2, 1),
    )
    selectors._sanctions_on.cache_clear()
    with pytest.raises(InvalidInput) as exc:
        casework.case_decide(actor=officer, clue=clue, data=DECISION)
    assert set(exc.value.fields) == {"sanction"}


def test_case_steps_out_of_order_are_refused_with_409(officer, leader):
    clue = opened(officer, leader)
    with pytest.raises(Conflict):
        casework.case_decision_approve(actor=leader, clue=clue)
    casework.case_decide(actor=officer, clue=clue, data=DECISION)
    with pytest.raises(Conflict):
        casework.case_step_add(
            actor=officer, clue=clue, data={"kind": "talk", "on": "2020-02-10", "note": "x"}
        )


@pytest.mark.parametrize("action", sorted(workflow.CASE_TRANSITIONS))
@pytest.mark.parametrize("state", sorted(CaseState.values))
def test_every_case_step_from_every_state_is_allowed_exactly_as_the_table_says(action, state):
    if state in workflow.CASE_TRANSITIONS[action][0]:
        assert workflow.case_target(action, state)
    else:
        with pytest.raises(Conflict):
            workflow.case_target(action, state)


def test_a_case_past_its_term_is_marked_overdue_once(officer, leader, _clock):
    clue = opened(officer, leader)
    _clock.shift(86400 * 91)
    assert services.clues_overdue_mark() == 1
    assert services.clues_overdue_mark() == 0
    clue.refresh_from_db()
    assert clue.overdue
