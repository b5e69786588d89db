"""Jurisdiction and conflicts of interest (回避), and what a real-name reporter is told: a clue
about a member of the office goes to the level above or is hidden from its subject; a clue about
a cadre a higher level manages is forwarded within 5 working days, keeping only the forwarding;
acceptance and result are told and recorded, late acknowledgements flagged."""

from datetime import date

import pytest
import time_machine

from conftest import DISTRICT, SD1
from lianfang.accounts.tests.factories import UserFactory, grant
from lianfang.core.errors import Conflict, InvalidInput
from lianfang.discipline import selectors, services
from lianfang.discipline.models import Clue, State
from lianfang.discipline.tests.factories import transferred

pytestmark = pytest.mark.django_db


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


def test_a_clue_names_its_subjects_account_only_among_supervised_officials(world, officer):
    clue = transferred(officer, subject_username=world.users["community_worker"].username)
    assert clue.subject_user_id == world.users["community_worker"].pk
    with pytest.raises(InvalidInput) as exc:
        transferred(officer, subject_username="no_such_user")
    assert set(exc.value.fields) == {"subject_username"}


def test_a_clue_about_a_sub_district_office_member_goes_to_the_district(world, actor_of, officer):
    local = UserFactory.create(username="sd_jiwei", region_code=SD1)
    grant(local, "discipline_officer", SD1)
    clue = transferred(officer, region_code=SD1, subject_username="sd_jiwei")
    assert clue.region_code == DISTRICT
    assert "回避" in selectors.timeline(clue)[-1]["note"]
    assert not selectors.visible(actor_of(local)).filter(pk=clue.pk).exists()


def test_a_clue_about_a_district_office_member_is_hidden_from_them(world, officer, leader):
    clue = transferred(officer, subject_username=world.users["discipline_leader"].username)
    assert clue.region_code == DISTRICT
    assert not selectors.visible(leader).filter(pk=clue.pk).exists()
    assert selectors.visible(officer).filter(pk=clue.pk).exists()


def test_a_higher_managed_cadres_clue_is_forwarded_keeping_only_the_forwarding(officer, _clock):
    clue = transferred(
        officer, higher_managed=True, reporter_name="李四", reporter_phone="13800001111"
    )
    assert clue.forward_due_on == date(2020, 2, 17)  # 5 working days from Monday
    with pytest.raises(InvalidInput):
        services.clue_forward(actor=officer, clue=clue, to="", note="")
    clue = services.clue_forward(actor=officer, clue=clue, to="兰州市纪委监委", note="市管干部")
    assert clue.state == State.FORWARDED and clue.forwarded_to == "兰州市纪委监委"
    assert "擅自离岗" not in selectors.facts_of(clue) and clue.reporter_enc == ""
    with pytest.raises(Conflict):
        services.clue_forward(actor=officer, clue=clue, to="兰州市纪委监委", note="")


def test_a_forwarding_not_done_in_five_working_days_is_flagged(officer, _clock):
    clue = transferred(officer, higher_managed=True)
    _clock.move_to("2020-02-18 09:00 +0800")
    assert services.clues_overdue_mark() >= 1
    assert Clue.objects.get(pk=clue.pk).overdue


def test_a_real_name_reporter_is_told_of_acceptance_and_of_the_result(officer, leader):
    clue = transferred(officer, reporter_name="李四", reporter_phone="13800001111")
    assert clue.ack_due_on == date(2020, 2, 24)
    with pytest.raises(InvalidInput) as exc:
        services.clue_tell_reporter(actor=officer, clue=clue, what="acknowledge", how="", note="")
    assert set(exc.value.fields) == {"how"}
    clue = services.clue_tell_reporter(
        actor=officer, clue=clue, what="acknowledge", how="phone", note="已受理"
    )
    assert clue.acknowledged_on == date(2020, 2, 10)
    with pytest.raises(Conflict):
        services.clue_tell_reporter(
            actor=officer, clue=clue, what="inform_result", how="phone", note=""
        )
    clue = services.clue_propose(actor=officer, clue=clue, disposition="close", reason="不属实")
    clue = services.clue_approve(actor=leader, clue=clue)
    clue = services.clue_tell_reporter(
        actor=officer, clue=clue, what="inform_result", how="letter", note="经核实不属实"
    )
    assert clue.result_informed_on == date(2020, 2, 10)
    notes = " ".join(e["note"] for e in selectors.timeline(clue))
    assert "李四" not in notes and "13800001111" not in notes


def test_an_anonymous_clue_has_nobody_to_tell(officer):
    clue = transferred(officer)
    with pytest.raises(InvalidInput):
        services.clue_tell_reporter(
            actor=officer, clue=clue, what="acknowledge", how="phone", note=""
        )


def test_an_acknowledgement_past_ten_working_days_is_flagged(officer, _clock):
    clue = transferred(officer, reporter_name="李四")
    services.clue_propose(actor=officer, clue=clue, disposition="hold", reason="暂存")
    _clock.move_to("2020-02-25 09:00 +0800")
    services.clues_overdue_mark()
    assert Clue.objects.get(pk=clue.pk).overdue
