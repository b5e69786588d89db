"""An import never writes to persons outside the importer's territory (issue 15, security 4)."""

from datetime import date

import pytest
import time_machine

from conftest import B211, C11
from lianfang.people.imports import jobs
from lianfang.people.imports import selectors as import_selectors
from lianfang.people.imports import services as import_services
from lianfang.people.models import ImportRow, Registration
from lianfang.people.tests.factories import make_person, resident_id
from lianfang.people.tests.test_import import xlsx

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _feb_2020():
    with time_machine.travel(date(2020, 2, 10), tick=False):
        yield


def test_a_row_matching_a_person_of_another_community_is_queued_not_linked(world, actor_of):
    worker = actor_of(world.users["community_worker"])  # 建宁路社区 (C11)
    elsewhere = make_person(B211, "外社区", id_number=resident_id(seq=611))  # 水挂庄社区
    row = [["外社区", resident_id(seq=611), "", "420100", "2020-01-25", "建宁路社区"]]
    job = jobs.run(import_services.import_start(actor=worker, name="l.xlsx", content=xlsx(row)).pk)
    assert Registration.objects.filter(person=elsewhere).count() == 0
    assert (job.created, job.linked, job.queued) == (0, 0, 1)
    outcome = ImportRow.objects.get(job=job)
    assert (outcome.outcome, outcome.reasons) == ("queued", "registered_elsewhere")
    # The outcome file says only that: no community, no code of where.
    text = str(import_selectors.REASON_TEXT["registered_elsewhere"])
    assert "水挂庄" not in text and B211[:6] not in text
    # It waits in the queue of the person's territory, not in the importer's.
    district = actor_of(world.users["command_office"])
    own_subdistrict = actor_of(world.users["subdistrict_officer"])  # 培黎街道, not 西路街道
    assert list(import_selectors.queued_rows(district)) == [outcome]
    assert list(import_selectors.queued_rows(own_subdistrict)) == []
    # Routed by the district, the registration lands on the existing person, once.
    import_services.import_row_route(actor=district, row=outcome, region_code=B211[:12])
    assert Registration.objects.filter(person=elsewhere).count() == 1
    job = import_services.import_start(actor=worker, name="l.xlsx", content=xlsx(row))
    again = jobs.run(job.pk)
    assert Registration.objects.filter(person=elsewhere).count() == 1
    assert again.queued == 0 or ImportRow.objects.get(job=again).reasons != "registered_elsewhere"


def test_a_row_matching_a_person_of_the_importers_own_community_still_links(world, actor_of):
    worker = actor_of(world.users["community_worker"])
    own = make_person(C11 + "001", "本社区", id_number=resident_id(seq=612))
    row = [["本社区", resident_id(seq=612), "", "420100", "2020-01-25", "建宁路社区"]]
    job = jobs.run(import_services.import_start(actor=worker, name="l.xlsx", content=xlsx(row)).pk)
    assert job.linked == 1 and Registration.objects.filter(person=own).count() == 1
