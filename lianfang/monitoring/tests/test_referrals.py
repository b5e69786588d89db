from datetime import date

import pytest
import time_machine

from conftest import B111, login_client
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.models import Alert, AlertStatus
from lianfang.monitoring.referrals import services as referrals
from lianfang.monitoring.tests.factories import make_hospital, make_quarantine, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(world):
    """A person with a fever and a cough, referred to the fever clinic."""
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        q = make_quarantine(B111, start=date(2020, 2, 10))
        member = q.members.get()
        checks.check_record(
            observation=member, temperature="38.6", symptoms=["cough"], source="self"
        )
        referral = referrals.referral_create(
            actor=staff(B111, world.users["doctor"].pk),
            observation=member,
            hospital_id=make_hospital().pk,
            transport="120 负压救护车",
            reason="发热伴咳嗽",
        )
    return referral


@pytest.mark.parametrize("outcome", ["excluded", "suspected"])
def test_a_referrals_outcome_closes_the_alert_it_answered(world, referred, outcome):
    with time_machine.travel("2020-02-10 15:00 +0800", tick=False):
        referrals.referral_outcome_record(
            actor=staff(B111, world.users["doctor"].pk),
            referral=referred,
            outcome=outcome,
            note="血常规正常" if outcome == "excluded" else "",
        )
    alert = Alert.objects.get()
    assert alert.status == AlertStatus.CLOSED and alert.closed_by_id == world.users["doctor"].pk
    assert alert.action.startswith("发热门诊诊断：")
    assert outcome != "excluded" or alert.action == "发热门诊诊断：排除；血常规正常"


def test_the_person_page_shows_the_observation_and_its_referrals_outcome(client, world, referred):
    with time_machine.travel("2020-02-10 15:00 +0800", tick=False):
        referrals.referral_outcome_record(
            actor=staff(B111, world.users["doctor"].pk), referral=referred, outcome="excluded"
        )
        person_id = referred.observation.person_id
        login_client(client, world.users["community_worker"])
        page = client.get(f"/people/{person_id}/").content.decode()
    assert 'id="person-observations"' in page
    assert f"/monitoring/quarantines/{referred.observation.quarantine_id}/" in page
    assert "安宁区人民医院发热门诊" in page and "<strong>排除</strong>" in page
