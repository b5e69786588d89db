"""A quarantined resident asks for help from their check-in link: monitoring and cases meet
through core.residentlinks, so this test sits outside both apps."""

import pytest
import time_machine

from conftest import B111
from lianfang.cases.models import WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


def test_a_quarantined_resident_asks_for_help_from_the_check_in_link(client, world):
    from lianfang.monitoring.checks import tokens
    from lianfang.monitoring.tests.factories import make_quarantine

    member = make_quarantine(B111, ("张三",)).members.get()
    token = tokens.token_of(member)
    assert "tips/help/" in client.get(f"/c/{token}/").content.decode()
    page = client.post(
        f"/tips/help/{token}/", {"need": "medicine", "note": "降压药一盒"}, follow=True
    )
    assert page.status_code == 200 and 'id="help-receipt"' in page.content.decode()
    order = WorkOrder.objects.get()
    assert (order.channel, order.category_code, order.region_code) == (
        "checkin",
        "quarantine_help",
        B111,
    )
    assert order.observation_id == member.pk
    from lianfang.cases import selectors

    text = selectors.text_of(order)
    assert "张*" in text and "买药" in text and "降压药一盒" in text
    assert client.get("/tips/help/not-a-real-token-at-all/").status_code == 404
