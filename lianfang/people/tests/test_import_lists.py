"""Lists as districts received them in 2020 (issue 15, "Real pushed lists"): made by people in
Excel, imported as they come, with the import saying what it did."""

from datetime import date

import pytest
import time_machine

from lianfang.people import importer, imports
from lianfang.people.models import Person
from lianfang.people.tests import messylist

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _feb_2020():
    with time_machine.travel(date(2020, 2, 10), tick=False):
        yield


@pytest.fixture
def worker(world, actor_of):
    return actor_of(world.users["community_worker"])


def _run(worker, content, name):
    return importer.run(imports.start_import(actor=worker, name=name, content=content).pk)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("名单.xlsx", messylist.xlsx()),
        ("名单.csv", messylist.csv_text().encode("gb18030")),
        ("名单.csv", messylist.csv_text().encode("utf-8-sig")),
    ],
    ids=["xlsx", "csv-gbk", "csv-utf8-bom"],
)
def test_a_messy_pushed_list_is_imported_as_it_comes(worker, name, content):
    job = _run(worker, content, name)
    assert job.status == "done", job.error
    outcomes = {n: (o, r) for n, o, r in imports.row_outcomes(job)}
    assert outcomes == messylist.EXPECTED
    assert (job.created, job.linked, job.queued, job.rejected, job.skipped) == (7, 1, 1, 1, 6)
    assert job.notes["header_rows"] == list(messylist.HEADER_ROWS)
    assert job.notes["year"] == 2020 and job.notes["year_from"] == "list"
    assert set(job.notes["yearless"]) == {"1月22日", "1/22"}
    arrivals = {
        p.full_name: str(p.registrations.get().arrival_date)
        for p in Person.objects.filter(full_name__in=messylist.ARRIVALS)
    }
    assert arrivals == messylist.ARRIVALS
    wang = Person.objects.get(full_name="王芳").registrations.get()
    assert (wang.transport, wang.origin_code) == ("flight", "420900")
