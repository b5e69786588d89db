"""The work order's transitions table and its deadlines (DOMAIN §10, 12345 practice)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from lianfang.cases import workflow
from lianfang.cases.models import State
from lianfang.core import workdays
from lianfang.core.errors import Conflict

EXPECTED = {
    "dispatch": {"received"},
    "answer": {"received"},
    "accept": {"dispatched"},
    "return": {"dispatched", "accepted"},
    "start": {"accepted"},
    "reply": {"accepted", "in_progress"},
    "followup": {"done"},
    "redo": {"done"},
    "close": {"done", "followed_up"},
    "merge": {"received", "dispatched", "accepted", "in_progress"},
}


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("state", State.values)
def test_every_action_from_every_state_is_allowed_exactly_as_the_table_says(action, state):
    if state in EXPECTED[action]:
        assert workflow.target(action, state) in State.values
    else:
        with pytest.raises(Conflict) as exc:
            workflow.target(action, state)
        assert exc.value.code == "transition_not_allowed"
        assert str(State(state).label) in exc.value.message


def test_the_table_has_no_action_the_spec_does_not_know():
    assert set(workflow.TRANSITIONS) == set(EXPECTED)


def test_closed_and_merged_orders_accept_no_action():
    for state in (State.CLOSED, State.MERGED):
        assert not any(workflow.allowed(a, state) for a in workflow.TRANSITIONS)


def _at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


def test_working_days_skip_the_extended_spring_festival_of_2020():
    """24 January to 2 February 2020 were holidays (the State Council extended them to the 2nd
    for the epidemic): three working days from the 23rd end on Wednesday 5 February."""
    due = workdays.deadline(_at("2020-01-23 10:00"), 3, "workdays")
    assert due == _at("2020-02-06 00:00")
    assert not workdays.is_workday(date(2020, 2, 2))


def test_a_make_up_sunday_counts_as_a_working_day():
    assert workdays.is_workday(date(2020, 1, 19))  # 调休: Sunday worked before the festival
    assert workdays.deadline(_at("2020-01-17 18:00"), 3, "workdays") == _at("2020-01-22 00:00")


def test_hours_count_the_clock_not_the_calendar():
    assert workdays.deadline(_at("2020-01-24 23:00"), 2, "hours") == _at("2020-01-25 01:00")


def test_a_year_the_calendar_does_not_know_counts_monday_to_friday():
    assert workdays.add_workdays(date(2040, 1, 6), 1) == date(2040, 1, 9)  # a Friday → Monday


def test_working_days_between_two_dates():
    assert workdays.workdays_between(date(2020, 1, 23), date(2020, 2, 5)) == 3
