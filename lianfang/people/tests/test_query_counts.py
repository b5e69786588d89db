"""Query counts of the registry's lists and list endpoints: the same fixed number with few rows and
with three times as many (see tests/querycount.py)."""

import io
import itertools
import json
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from conftest import B111, B121, C11, DISTRICT, SD1, login_client
from lianfang.core import crypto
from lianfang.people import services
from lianfang.people.imports.records import PAYLOAD_LABEL
from lianfang.people.models import (
    ImportJob,
    ImportRow,
    KeyArea,
    SelfRegistrationLink,
    SelfReport,
    Transfer,
)
from lianfang.people.sweeps import services as sweep_services
from lianfang.people.tests.factories import make_person, person_name, resident_id
from lianfang.regions.models import Region
from lianfang.regions.tests.factories import make_region
from tests.querycount import flat_queries

pytestmark = pytest.mark.django_db
serial = itertools.count()


def _count(marker):
    return lambda response: response.content.decode().count(marker)


def _persons(k, code=B111):
    return [make_person(code, person_name("新人", next(serial))) for _ in range(k)]


def _job(world, code=C11):
    return ImportJob.objects.create(
        region_code=code,
        created_by=world.users["community_worker"],
        file_name=f"名单{next(serial)}.xlsx",
        file_path="/nonexistent",
        file_sha256="x",
        status="done",
    )


def test_person_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries, client, "/people/", _persons, 7, rows_on_page=_count(">新人")
    )


def test_person_export_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def rows(response):
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        return len(book.get_sheet_by_index(0).to_python())

    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries, client, "/people/export/", _persons, 5, rows_on_page=rows
    )


def test_person_api_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/api/v1/persons",
        _persons,
        7,
        rows_on_page=lambda r: len(r.json()["items"] if isinstance(r.json(), dict) else r.json()),
    )


@pytest.fixture
def registered(world, actor_of):
    """One person in B111 and ``add(k)``, which gives them k more registrations."""
    person = make_person(B111, "登记人")
    worker = actor_of(world.users["community_worker"])

    def add(k):
        for _ in range(k):
            services.add_registration(
                actor=worker,
                person=person,
                source="door_to_door",
                origin="420100",
                departure_date=f"2020-01-{10 + next(serial) % 18:02d}",
                arrival_date="2020-01-31",
            )

    return person, add


def test_person_registrations_api_queries_do_not_grow_with_rows(
    client, world, registered, django_assert_num_queries
):
    person, add = registered
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/api/v1/persons/{person.pk}/registrations",
        add,
        9,
        rows_on_page=lambda r: len(r.json()),
    )


def test_person_page_queries_do_not_grow_with_registrations(
    client, world, registered, django_assert_num_queries
):
    person, add = registered
    login_client(client, world.users["community_worker"])
    flat_queries(django_assert_num_queries, client, f"/people/{person.pk}/", add, 12)


def test_import_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):
        for _ in range(k):
            _job(world)

    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/people/imports/",
        add,
        8,
        rows_on_page=_count(">名单"),
    )


def test_route_queue_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):
        job = _job(world)
        for i in range(k):
            payload = json.dumps({"full_name": person_name("排队", i), "address": "不知道哪里"})
            ImportRow.objects.create(
                job=job,
                row_number=i + 2,
                outcome="queued",
                reasons="no_community_in_address",
                payload_enc=crypto.encrypt(payload, PAYLOAD_LABEL),
            )

    login_client(client, world.users["subdistrict_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/people/route/",
        add,
        8,
        rows_on_page=_count("不知道哪里"),
    )


def test_transfer_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):  # half leave C11, half arrive there (the receiver picks a building for each)
        for i in range(k):
            person = make_person(B111 if i % 2 else B121, person_name("转移", next(serial)))
            Transfer.objects.create(
                person=person,
                from_region_code=person.region_code,
                to_region_code="620105001002" if i % 2 else C11,
                reason="搬家",
                proposed_by=world.users["community_worker"],
            )

    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/people/transfers/",
        add,
        10,
        rows_on_page=_count("<td>转移"),
    )


def test_duplicate_queue_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):  # pairs sharing a phone (the registry opens the candidate itself)
        for _ in range(k):
            n = next(serial)
            for name, day in (
                (person_name("新人", n, "甲"), 1 + 2 * (n // 12)),
                (person_name("新人", n, "乙"), 2 + 2 * (n // 12)),
            ):
                born = f"1970{1 + n % 12:02d}{day:02d}"  # a day no one else was born
                make_person(B111, name, id_number=resident_id(born=born), phone=f"1381111{n:04d}")

    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/people/duplicates/",
        add,
        7,
        rows_on_page=_count("↔"),
    )


def test_key_area_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):
        for _ in range(k):
            KeyArea.objects.create(
                code="420100",
                name=f"重点{next(serial)}",
                valid_from=date(2020, 1, 1),
                region_code=DISTRICT,
            )

    login_client(client, world.users["command_office"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/people/key-areas/",
        add,
        6,
        rows_on_page=_count(">重点"),
    )


def test_sweep_list_queries_do_not_grow_with_rows(
    client, world, actor_of, django_assert_num_queries
):
    officer = actor_of(world.users["subdistrict_officer"])

    def add(k):
        for _ in range(k):
            sweep_services.start_sweep(
                actor=officer,
                region_code=SD1,
                name=f"排查{next(serial)}",
                start_date=date(2020, 2, 1),
                end_date=date(2020, 2, 7),
            )

    login_client(client, world.users["subdistrict_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/people/sweeps/",
        add,
        9,
        rows_on_page=_count(">排查"),
    )


def test_self_report_queue_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    link = SelfRegistrationLink.objects.create(
        region=Region.objects.get(code=C11), region_code=C11, token="t-queue"
    )

    def add(k):
        for _ in range(k):
            SelfReport.objects.create(
                link=link,
                region_code=C11,
                name_masked=f"自报{next(serial)}",
                id_number_masked="x",
                phone_masked="x",
            )

    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/people/self-reports/",
        add,
        7,
        rows_on_page=_count(">自报"),
    )


def test_self_registration_links_queries_do_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    def add(k):  # communities, each with its link
        for _ in range(k):
            n = next(serial)
            community = make_region(f"{SD1}{n + 100:03d}", f"新社区{n}")
            SelfRegistrationLink.objects.create(
                region=community, region_code=community.code, token=f"t-{n}"
            )

    login_client(client, world.users["subdistrict_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/people/self-registration/",
        add,
        7,
        rows_on_page=_count(">新社区"),
    )


def test_sweep_page_queries_do_not_grow_with_rows(
    client, world, actor_of, django_assert_num_queries
):
    officer = actor_of(world.users["subdistrict_officer"])
    sweep = sweep_services.start_sweep(
        actor=officer,
        region_code=SD1,
        name="二月排查",
        start_date=date(2020, 2, 1),
        end_date=date(2020, 2, 7),
    )

    def add(k):  # communities, each with a building, a household and a visited door
        for _ in range(k):
            n = next(serial)
            community = make_region(f"{SD1}{n + 100:03d}", f"新社区{n}")
            building = make_region(f"{community.code}001", f"新楼{n}")
            make_person(building.code, person_name("新人", n), address="1单元101")
            sweep_services.record_visit(
                actor=officer,
                sweep=sweep,
                building_code=building.code,
                address="1单元102",
                outcome="nobody_home",
            )

    login_client(client, world.users["subdistrict_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/people/sweeps/{sweep.pk}/",
        add,
        12,
        rows_on_page=_count(">新社区"),
    )


def test_sweep_page_of_a_community_queries_do_not_grow_with_buildings(
    client, world, actor_of, django_assert_num_queries
):
    worker = actor_of(world.users["community_worker"])
    sweep = sweep_services.start_sweep(
        actor=worker,
        region_code=C11,
        name="楼栋排查",
        start_date=date(2020, 2, 1),
        end_date=date(2020, 2, 7),
    )

    def add(k):  # buildings, every other one given to the grid worker, with a visited door each
        for _ in range(k):
            n = next(serial)
            building = make_region(f"{C11}{n + 100:03d}", f"新楼{n}")
            if n % 2:
                sweep_services.sweep_assign(
                    actor=worker,
                    sweep=sweep,
                    building_codes=[building.code],
                    assignee_id=world.users["grid_worker"].pk,
                )
            sweep_services.record_visit(
                actor=worker,
                sweep=sweep,
                building_code=building.code,
                address="1单元102",
                outcome="refused",
            )

    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/people/sweeps/{sweep.pk}/?region={C11}",
        add,
        14,
        rows_on_page=lambda r: _count(">新楼")(r) // 2,  # once to visit, once to assign
    )


@pytest.fixture
def outcomes(world):
    """An import and ``add(k)``, which records k more rejected rows of it."""
    job = _job(world)
    rows = itertools.count(2)

    def add(k):
        ImportRow.objects.bulk_create(
            ImportRow(job=job, row_number=next(rows), outcome="rejected", reasons="id_invalid")
            for _ in range(k)
        )

    return job, add


def _sheet_rows(response):
    return len(
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )


def test_import_outcomes_file_queries_do_not_grow_with_rows(
    client, world, outcomes, django_assert_num_queries
):
    job, add = outcomes
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/people/imports/{job.pk}/outcomes.xlsx",
        add,
        7,
        rows_on_page=_sheet_rows,
    )


def test_import_outcomes_api_queries_do_not_grow_with_rows(
    client, world, outcomes, django_assert_num_queries
):
    job, add = outcomes
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/api/v1/imports/{job.pk}/outcomes",
        add,
        9,
        rows_on_page=_sheet_rows,
    )
