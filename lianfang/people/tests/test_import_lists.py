"""Lists as districts received them in 2020 (issue 15, "Real pushed lists"): made by people in
Excel, imported as they come, with the import saying what it did."""

from datetime import date
from typing import Any

import pytest
import time_machine

from lianfang.people.imports import header, jobs
from lianfang.people.imports import selectors as import_selectors
from lianfang.people.imports import services as import_services
from lianfang.people.models import ImportJob, Person
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
    return jobs.run(import_services.import_start(actor=worker, name=name, content=content).pk)


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
    outcomes = {n: (o, r) for n, o, r in import_selectors.row_outcomes(job)}
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


# --- the header and its columns -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("到达时间", "arrival_date"),
        ("抵安时间", "arrival_date"),
        ("返兰时间", "arrival_date"),
        ("返回日期（必填）", "arrival_date"),
        ("离开武汉时间", "departure_date"),
        ("现详细住址", "address"),
        ("现居住地址\n（小区+楼栋+门牌）", "address"),
        ("户籍地址", None),
        ("从何地来", "origin"),
        ("来源地", "origin"),
        ("出发地", "origin"),
        ("交通方式", "transport"),
        ("如何返回", "transport"),
        ("车次/航班号", "transport_number"),
        ("姓　名", "full_name"),
        ("紧急联系人姓名", None),
        ("公民身份号码(必填)", "id_number"),
        ("联系电话*", "phone"),
        ("序号", "serial"),
        ("备注", None),
    ],
)
def test_headers_are_recognised_by_meaning(header, field):
    from lianfang.people.imports.header import classify

    assert classify(header) == field


def test_the_header_is_found_below_title_rows_and_joined_with_its_second_row():

    head: list[list[Any]] = [
        ["关于…人员名单"],
        ["2020年2月8日"],
        ["序号", "姓名", "身份证号", "返程信息", None, "现住址"],
        [None, None, None, "从何地来", "返兰时间", None],
        [1, "甲", "620105198001010011", "武汉", "1月22日", "建宁路社区"],
    ]
    found = header.find_header(head)
    assert (found.first, found.last, found.found) == (3, 4, True)
    mapping = header.detect_mapping(found.cells)
    assert mapping == {
        "serial": 0,
        "full_name": 1,
        "id_number": 2,
        "origin": 3,
        "arrival_date": 4,
        "address": 5,
    }
    assert header.list_year(head, found, mapping) == 2020  # from the date line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020.1.20", "2020-01-20"),
        ("2020年1月21日", "2020-01-21"),
        ("1月22日", "2020-01-22"),
        ("1/22", "2020-01-22"),
        ("12月30日", "2019-12-30"),  # would be after the import date: the year before
        ("2020/1/23 14:30", "2020-01-23"),
        ("2020-01-24T08:00:00", "2020-01-24"),
        ("2020年1月25日下午", "2020-01-25"),
        ("20200126", "2020-01-26"),
        ("43857", "2020-01-27"),
        (43858, "2020-01-28"),
        ("二月", None),
        ("13/45", None),
    ],
)
def test_dates_as_people_write_them(raw, expected):
    from lianfang.people.imports.cells import date_cell

    reasons: list[str] = []
    found = date_cell(raw, reasons, "bad", 2020, date(2020, 2, 10), [])
    assert (str(found) if found else None) == expected
    assert reasons == ([] if expected else ["bad"])


# --- the mapping step, through the pages ---------------------------------------------------------


def _upload(client, name, content, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/people/imports/", {"file": SimpleUploadedFile(name, content), **extra})


@pytest.fixture
def worker_client(client, world, login):
    login(client, world.users["community_worker"])
    return client


def test_the_mapping_step_shows_the_header_taken_and_unrecognised_columns_with_samples(
    worker_client,
):
    response = _upload(worker_client, "名单.xlsx", messylist.xlsx())
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "mapping" and Person.objects.count() == 0  # nothing runs yet
    page = worker_client.get(response["Location"]).content.decode()
    assert "表头取自第 3–4 行" in page
    for title in messylist.UNRECOGNISED:
        assert title in page
    assert "湖北武汉" in page  # the sample of the unrecognised 户籍地 column
    assert "未识别" in page
    assert "420902198503041234" not in page  # an ID as a sample is masked
    # Confirmed as recognised: the import runs (the test's task backend runs it at once).
    form = {"header_row": "4"}
    mapping = {0: "serial", 1: "full_name", 2: "id_number", 3: "phone", 4: "origin"}
    mapping |= {5: "departure_date", 6: "arrival_date", 7: "transport", 8: "address"}
    form |= {f"col_{i}": f for i, f in mapping.items()}
    response = worker_client.post(f"/people/imports/{job.pk}/", form)
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created, job.skipped) == ("done", 7, 6)
    page = worker_client.get(f"/people/imports/{job.pk}/").content.decode()
    assert "表头：第 3–4 行" in page and "按 2020 年处理" in page and "6 行不是人员" in page


def test_the_worker_may_choose_another_header_row(worker_client):
    content = "名单\n姓名,身份证号,现住址\n甲,620105198001010011,建宁路社区\n".encode()
    job_url = _upload(worker_client, "l.csv", content)["Location"]
    page = worker_client.get(job_url + "?header=3").content.decode()
    assert "表头取自第 3 行" in page and "人员从第 4 行开始" in page


def test_a_list_without_arrival_address_or_origin_columns_warns_before_it_runs(worker_client):
    content = f"姓名,身份证号\n甲,{messylist._person(40)}\n".encode()
    page = worker_client.get(_upload(worker_client, "l.csv", content)["Location"])
    assert "没有找到这些列：到达日期、现住址、来源地" in page.content.decode()


def test_confirming_without_a_name_or_id_column_is_refused_visibly(worker_client):
    content = f"姓名,身份证号\n甲,{messylist._person(41)}\n".encode()
    job_url = _upload(worker_client, "l.csv", content)["Location"]
    response = worker_client.post(job_url, {"header_row": "1", "col_0": "full_name"})
    assert response.status_code == 200
    assert "请指定这些列：身份证号码" in response.content.decode()
    assert ImportJob.objects.get().status == "mapping"


# --- files that are not lists --------------------------------------------------------------------


def test_a_header_only_file_ends_with_a_clear_message(worker):
    job = _run(worker, "序号,姓名,身份证号码,现住址\n".encode(), "l.csv")
    assert job.status == "failed"
    assert "没有人员行" in job.error and "第 1 行" in job.error


def test_an_empty_file_is_refused_on_upload(worker_client):
    response = _upload(worker_client, "l.csv", b"")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_file_error"' in page and "空" in page


def _damaged_xlsx() -> bytes:
    return messylist.xlsx()[:900]  # cut short: a zip without its central directory


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("名单.xlsx", _damaged_xlsx(), "文件已损坏"),
        ("名单.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "PNG 文件，不是表格"),
    ],
    ids=["damaged", "png-renamed"],
)
def test_a_damaged_or_wrong_type_file_is_refused_in_chinese_without_library_names(
    worker_client, name, content, words
):
    response = _upload(worker_client, name, content)
    page = response.content.decode()
    assert response.status_code == 200 and words in page
    assert "Error" not in page and "BadZipFile" not in page
    assert 'class="invalid-feedback d-block" id="id_file_error"' in page
    assert ImportJob.objects.count() == 0


def test_a_sheet_damaged_late_fails_the_job_in_chinese(worker):
    from lianfang.people.imports import tabular

    exc = tabular.unreadable(ValueError("XlsxError"))
    assert "XlsxError" not in exc.message and "损坏" in exc.message


# --- the queue, dry runs, routing ---------------------------------------------------------------


def _queued_list(seq=50):
    number = messylist._person(seq)
    return f"姓名,身份证号,来源地,到达日期,现住址\n甲,{number},武汉,2020-01-25,不知道哪里\n"


def test_a_dry_run_never_touches_the_queue(world, actor_of, worker):
    job = jobs.run(
        import_services.import_start(
            actor=worker, name="l.csv", content=_queued_list().encode(), dry_run=True
        ).pk
    )
    assert job.queued == 1  # said, not stored
    district = actor_of(world.users["command_office"])
    assert list(import_selectors.queued_rows(district)) == []


def test_a_routed_row_is_neither_queued_again_nor_registered_twice(world, actor_of, worker):
    from lianfang.people.models import Registration

    officer = actor_of(world.users["subdistrict_officer"])
    first = _run(worker, _queued_list().encode(), "a.csv")
    second = _run(worker, _queued_list().encode(), "b.csv")  # the same person, another file
    rows = list(import_selectors.queued_rows(officer))
    assert [r.job_id for r in rows] == [first.pk, second.pk]
    person = import_services.import_row_route(
        actor=officer, row=rows[0], region_code=world.users["community_worker"].region_code
    )
    assert Registration.objects.filter(person=person).count() == 1
    import_services.import_row_route(actor=officer, row=rows[1], region_code=person.region_code)
    assert Registration.objects.filter(person=person).count() == 1  # not twice
    third = _run(worker, _queued_list().encode(), "c.csv")  # and a re-import
    assert (third.queued, third.linked) == (0, 1)
    assert Registration.objects.filter(person=person).count() == 1


def test_the_queue_page_shows_the_masked_name_address_and_a_community_select(
    client, world, login, actor_of, worker
):
    _run(worker, _queued_list().encode(), "a.csv")
    login(client, world.users["subdistrict_officer"])
    page = client.get("/people/route/").content.decode()
    assert "甲*" in page and "不知道哪里" in page
    assert '<optgroup label="培黎街道">' in page and "向阳社区" in page
    assert 'name="region_code" placeholder' not in page  # no code to type


# --- the outcome file ---------------------------------------------------------------------------


def _sheet(content):
    import io

    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_the_outcome_file_is_chinese_with_the_lists_own_number_and_masked_names(worker):
    job = _run(worker, messylist.xlsx(), "名单.xlsx")
    rows = _sheet(import_selectors.outcomes_xlsx(job))
    assert rows[0] == ["行号", "序号", "姓名", "结果", "说明", "原因代码"]
    by_row = {int(r[0]): r for r in rows[1:]}
    assert by_row[5][1:4] == ["1", "张**", "新建"]
    assert by_row[13][3:] == [
        "拒绝",
        str(import_selectors.REASON_TEXT["id_numeric_cell"]),
        "id_numeric_cell",
    ]
    assert by_row[14][4] == "与本名单第 5 行重复，按该行处理"
    assert by_row[17][3] == "跳过（非人员行）"
    assert "张 伟" not in str(rows)


def test_a_failed_jobs_outcome_file_says_why(worker):
    job = _run(worker, "姓名,身份证号\n".encode(), "l.csv")
    rows = _sheet(import_selectors.outcomes_xlsx(job))
    assert rows[1][3] == "导入失败" and "没有人员行" in rows[1][4]


# --- address routing by short names --------------------------------------------------------------


def test_an_address_routes_by_a_communitys_short_name_and_ambiguous_ones_are_reported():
    from lianfang.regions.selectors import RegionRef, Router, short_names

    assert "师大" in short_names("西北师大社区")
    assert short_names("建宁路社区") == []  # "宁路" would route other streets' addresses
    shida, gansu_shida, jianning = RegionRef(1, "A"), RegionRef(2, "B"), RegionRef(3, "C")
    router = Router(
        [("西北师大社区", shida), ("西北师大", shida), ("建宁路", jianning)],
        {},
        [("北师大", shida), ("师大", shida)],
    )
    assert router.route("师大家属院3号楼") == shida
    assert router.route("建宁路社区5号") == jianning
    router = Router.from_data(
        (
            [("西北师大", shida), ("甘肃师大", gansu_shida)],
            {},
            [("师大", shida), ("师大", gansu_shida)],
        )
    )
    assert router.route("师大家属院3号楼") is None
    assert router.is_ambiguous("师大家属院3号楼")


def test_a_row_whose_address_names_several_communities_is_queued_as_ambiguous(world, actor_of):
    from lianfang.regions.models import Region

    officer = actor_of(world.users["subdistrict_officer"])  # both communities are theirs
    Region.objects.filter(name="向阳社区").update(name="西北师大社区")
    Region.objects.filter(name="建宁路社区").update(name="甘肃师大社区")
    content = f"姓名,身份证号,现住址\n甲,{messylist._person(60)},师大家属院\n"
    job = _run(officer, content.encode(), "l.csv")
    assert [(n, o, r) for n, o, r in import_selectors.row_outcomes(job)] == [
        (2, "queued", "community_ambiguous")
    ]


def test_the_api_reports_skipped_rows_and_what_the_import_decided(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import login_client

    login_client(client, world.users["community_worker"])
    upload = SimpleUploadedFile("名单.xlsx", messylist.xlsx())
    job_id = client.post("/api/v1/imports", {"file": upload}).json()["id"]
    status = client.get(f"/api/v1/imports/{job_id}").json()
    assert (status["status"], status["skipped"], status["rejected"]) == ("done", 6, 1)
    assert any("表头" in line for line in status["notes"])
    assert any("2020" in line for line in status["notes"])
