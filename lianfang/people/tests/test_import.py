import io
from datetime import date

import pytest
import time_machine
import xlsxwriter

from conftest import B111, C12, login_client
from lianfang.people.imports import jobs, reading, writer
from lianfang.people.imports import selectors as import_selectors
from lianfang.people.imports import services as import_services
from lianfang.people.models import DuplicateCandidate, ImportJob, ImportRow, Person, Registration
from lianfang.people.tests.factories import make_person, person_name, resident_id

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ["姓名", "身份证号码", "手机号", "来源地", "到达日期", "现住址"]


def xlsx(rows, header=HEADER, numeric_id_row=None, title=False):
    """A list; ``title``: a merged title row above the header (rows then start a row lower)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    top = 1 if title else 0
    if title:
        sheet.merge_range(0, 0, 0, len(header) - 1, "关于返兰人员的名单")
    for c, h in enumerate(header):
        sheet.write_string(top, c, h)
    for r, row in enumerate(rows, start=1 + top):
        for c, v in enumerate(row):
            if numeric_id_row == r and c == 1:
                sheet.write_number(r, c, float(v))
            else:
                sheet.write_string(r, c, v)
    book.close()
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _feb_2020():
    with time_machine.travel(date(2020, 2, 10), tick=False):
        yield


@pytest.fixture
def worker(world, actor_of):
    return actor_of(world.users["community_worker"])


def _run(worker, content, name="list.xlsx", **kw):
    job = import_services.import_start(actor=worker, name=name, content=content, **kw)
    return jobs.run(job.pk)


def test_import_creates_links_queues_and_rejects_with_reasons(worker):
    existing = make_person(B111, "老住户", id_number=resident_id(seq=11))
    rows = [
        [
            "新人甲",
            resident_id(seq=21),
            "13812345678",
            "湖北省武汉市",
            "2020-01-25",
            "建宁路社区建宁路1号楼3单元",
        ],
        ["老住户", resident_id(seq=11), "", "武汉", "2020-01-26", "建宁路社区"],
        ["无社区", resident_id(seq=23), "", "420100", "2020-01-27", "某某小区5号"],
        ["坏号码", "110105194912310021", "", "", "", "建宁路社区"],
        ["数字号", "110105194912310023", "", "", "", "建宁路社区"],
        ["", resident_id(seq=25), "", "", "", "建宁路社区"],
        ["将来", resident_id(seq=27), "", "", "2020-03-01", "建宁路社区"],
    ]
    job = _run(worker, xlsx(rows, numeric_id_row=5))
    assert (job.status, job.total, job.done) == ("done", 7, 7)
    assert (job.created, job.linked, job.queued, job.rejected) == (1, 1, 1, 4)
    outcomes = {n: (o, r) for n, o, r in import_selectors.row_outcomes(job)}
    assert outcomes[2][0] == "created" and outcomes[3][0] == "linked"
    assert outcomes[4] == ("queued", "no_community_in_address")
    assert outcomes[5] == ("rejected", "id_checksum")
    assert outcomes[6] == ("rejected", "id_numeric_cell")
    assert outcomes[7] == ("rejected", "name_missing")
    assert outcomes[8] == ("rejected", "date_in_future")
    created = Person.objects.get(full_name="新人甲")
    assert created.region_code == B111  # routed to the building named in the address
    assert Registration.objects.get(person=created).risk_category in ("general", "key_area_arrival")
    assert Registration.objects.filter(person=existing).count() == 1


def test_importing_the_same_file_twice_changes_nothing(worker):
    content = xlsx([["甲", resident_id(seq=31), "", "420100", "2020-01-25", "建宁路社区"]])
    _run(worker, content)
    before = (Person.objects.count(), Registration.objects.count())
    second = _run(worker, content)
    assert (Person.objects.count(), Registration.objects.count()) == before
    assert ImportRow.objects.get(job=second).reasons == "already_imported"


def test_an_interrupted_import_resumes_to_the_same_end_state(worker, monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    rows = [
        [person_name("人", i), resident_id(seq=100 + i), "", "", "", "建宁路社区"] for i in range(7)
    ]
    monkeypatch.setattr(reading, "BATCH", 3)
    monkeypatch.setattr(jobs, "TRANSACTION_ROWS", 3)  # a commit per batch
    job = import_services.import_start(actor=worker, name="l.xlsx", content=xlsx(rows))
    calls = {"n": 0}
    original = writer.write_batch

    def dies_on_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the process was killed mid-import
        return original(*args, **kwargs)

    monkeypatch.setattr(writer, "write_batch", dies_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        jobs.run(job.pk)
    assert Person.objects.count() == 3  # the first batch committed, nothing half-written
    monkeypatch.setattr(writer, "write_batch", original)
    job = jobs.run(job.pk)
    assert (job.status, job.done, job.created) == ("done", 7, 7)
    assert Person.objects.count() == 7
    # Every row once, in order, though two runs wrote their batches.
    assert [(n, o) for n, o, _r in import_selectors.row_outcomes(job)] == [
        (n, "created") for n in range(2, 9)
    ]


def test_the_outcomes_list_every_row_in_order_across_batches(worker, monkeypatch):
    monkeypatch.setattr(reading, "BATCH", 2)
    first = ["甲", resident_id(seq=131), "", "", "", "建宁路社区"]
    rows = [
        first,
        ["坏号码", "110105194912310021", "", "", "", "建宁路社区"],
        ["乙", resident_id(seq=132), "", "", "", "建宁路社区"],
        first,  # the same row again: already imported
        ["无社区", resident_id(seq=133), "", "", "", "某某小区"],
        ["丙", resident_id(seq=134), "", "", "", "建宁路社区"],
    ]
    job = _run(worker, xlsx(rows))
    assert list(import_selectors.row_outcomes(job)) == [
        (2, "created", ""),
        (3, "rejected", "id_checksum"),
        (4, "created", ""),
        (5, "linked", "duplicate_row:2"),
        (6, "queued", "no_community_in_address"),
        (7, "created", ""),
    ]
    assert job.total == job.done == 6


def test_duplicated_rows_inside_one_file(worker):
    row = ["甲", resident_id(seq=41), "", "420100", "2020-01-25", "建宁路社区"]
    job = _run(worker, xlsx([row, row]))
    assert (job.created, job.linked) == (1, 1)
    assert Person.objects.count() == 1


def test_same_phone_makes_a_duplicate_candidate(worker):
    make_person(B111, "张三", phone="13812345678")
    _run(worker, xlsx([["张叁", resident_id(seq=51), "13812345678", "", "", "建宁路社区"]]))
    assert (
        DuplicateCandidate.objects.count() == 1
    )  # same phone (and here also same pinyin and birth)


def test_two_new_people_sharing_a_phone_are_each_paired_with_the_registered_one(worker):
    """Three people, one phone: every pair is a candidate, not only the pair of the last row."""
    registered = make_person(B111, "张三", phone="13812345678")
    rows = [
        ["李四", resident_id(seq=52), "13812345678", "", "", "建宁路社区"],
        ["王五", resident_id(seq=53), "13812345678", "", "", "建宁路社区"],
    ]
    _run(worker, xlsx(rows))
    new = {p.full_name: p.pk for p in Person.objects.exclude(pk=registered.pk)}
    pairs = {
        frozenset((c.person_a_id, c.person_b_id))
        for c in DuplicateCandidate.objects.filter(reason="same_phone")
    }
    assert pairs == {
        frozenset((registered.pk, new["李四"])),
        frozenset((registered.pk, new["王五"])),
        frozenset((new["李四"], new["王五"])),
    }


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("list.pdf", b"%PDF-1.4", "file_type"),
        ("list.xlsx", b"not a zip", "file_corrupt"),
        ("list.csv", b"PK\x03\x04", "file_corrupt"),
    ],
)
def test_wrong_files_are_refused_before_anything_is_stored(worker, name, content, code):
    from lianfang.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        import_services.import_start(actor=worker, name=name, content=content)
    assert exc.value.code == code
    assert ImportJob.objects.count() == 0


def test_a_merged_title_above_the_header_is_read_past(worker):
    """Merged cells were refused once; a title merged over the columns is now a row above the
    header, found by its content."""
    job = _run(worker, xlsx([["甲", resident_id(seq=11), "", "", "", "建宁路社区"]], title=True))
    assert (job.status, job.created) == ("done", 1)
    assert job.notes["header_rows"] == [2, 2]


def test_csv_in_gbk_with_saved_mapping(worker):
    text = "名字,证件,住址\n乙," + resident_id(seq=61) + ",建宁路社区\n"
    job = _run(
        worker,
        text.encode("gb18030"),
        name="l.csv",
        mapping={"full_name": "名字", "id_number": "证件", "address": "住址"},
    )
    assert (job.status, job.created) == ("done", 1)


def test_dry_run_writes_no_people(worker):
    job = _run(worker, xlsx([["甲", resident_id(seq=71), "", "", "", "建宁路社区"]]), dry_run=True)
    assert job.created == 1 and Person.objects.count() == 0


def test_a_subdistrict_officer_routes_a_queued_row(world, actor_of, worker):
    job = _run(
        worker, xlsx([["丙", resident_id(seq=81), "", "420100", "2020-01-25", "不知道哪里"]])
    )
    row = ImportRow.objects.get(job=job)
    officer = actor_of(world.users["subdistrict_officer"])
    assert list(import_selectors.queued_rows(officer)) == [row]
    assert list(import_selectors.queued_rows(worker)) == []
    person = import_services.import_row_route(actor=officer, row=row, region_code=C12)
    row.refresh_from_db()
    assert (row.outcome, row.payload_enc, person.region_code) == ("created", "", C12)


def test_import_api_flow_and_outcome_file(client, world):
    from python_calamine import CalamineWorkbook

    login_client(client, world.users["community_worker"])
    content = xlsx(
        [
            ["甲", resident_id(seq=91), "", "", "", "建宁路社区"],
            ["乙", "123", "", "", "", "建宁路社区"],
        ]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("list.xlsx", content)
    response = client.post("/api/v1/imports", {"file": upload})
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    status = client.get(f"/api/v1/imports/{job_id}").json()  # the immediate backend ran it already
    assert (status["status"], status["total"], status["created"], status["rejected"]) == (
        "done",
        2,
        1,
        1,
    )
    outcome = client.get(f"/api/v1/imports/{job_id}/outcomes")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(outcome.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert (rows[2][0], rows[2][3], rows[2][4], rows[2][5]) == (
        3,
        "拒绝",
        "身份证号格式错误",
        "id_format",
    )
    login_client(client, world.users["grid_worker"])
    assert client.get(f"/api/v1/imports/{job_id}").status_code == 404


def test_resume_command_finishes_an_unfinished_import(worker, settings, capsys):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = import_services.import_start(
        actor=worker,
        name="l.xlsx",
        content=xlsx([["甲", resident_id(seq=3), "", "", "", "建宁路社区"]]),
    )
    assert ImportJob.objects.get(pk=job.pk).status == "queued"  # the worker never ran it
    call_command("import_resume")
    assert ImportJob.objects.get(pk=job.pk).status == "done"
    assert "1/1" in capsys.readouterr().out


def test_reading_in_a_child_process_reaches_the_same_end_state(worker, monkeypatch):
    monkeypatch.setattr(reading, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(reading, "BATCH", 4)
    make_person(B111, "老住户", id_number=resident_id(seq=201))
    rows = [
        [
            person_name("并行", i),
            resident_id(seq=300 + i),
            "",
            "420100",
            "2020-01-25",
            "建宁路社区建宁路1号楼",
        ]
        for i in range(10)
    ]
    rows.append(["老住户", resident_id(seq=201), "", "", "", "建宁路社区"])
    rows.append(["坏", "123", "", "", "", "建宁路社区"])
    job = _run(worker, xlsx(rows))
    assert (job.status, job.done, job.created, job.linked, job.rejected) == ("done", 12, 10, 1, 1)
    assert Person.objects.filter(full_name__startswith="并行", region_code=B111).count() == 10


def test_a_row_repeated_in_later_batches_links_to_the_person_its_first_row_created(
    worker, monkeypatch
):
    monkeypatch.setattr(reading, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(reading, "BATCH", 2)
    first = ["重复", resident_id(seq=401), "", "420100", "2020-01-25", "建宁路社区建宁路1号楼"]
    rows = [
        first,
        ["其他甲", resident_id(seq=402), "", "", "", "建宁路社区"],
        ["其他乙", resident_id(seq=403), "", "", "", "建宁路社区"],
        [*first[:4], "2020-01-30", first[5]],  # the same person, another arrival
        first,  # the same row again
    ]
    job = _run(worker, xlsx(rows))
    assert (job.status, job.created, job.linked, job.rejected) == ("done", 3, 2, 0)
    person = Person.objects.get(full_name="重复")
    assert Registration.objects.filter(person=person).count() == 2
    assert dict((n, r) for n, _o, r in import_selectors.row_outcomes(job))[6] == "duplicate_row:2"


def test_an_import_inside_a_larger_transaction_leaves_the_planner_as_it_was(worker):
    """The batches turn sequential scans off for their own lookups only (PostgreSQL): an import
    run inside a larger transaction (the demo's seeding) must not leave the rest of it without
    them — a test seeding the demo took minutes at its deferred constraint checks."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    content = xlsx([["甲", resident_id(seq=501), "", "420100", "2020-01-25", "建宁路社区"]])
    with transaction.atomic():
        job = _run(worker, content)
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
    assert job.created == 1


@pytest.fixture
def scanned_by_the_child(monkeypatch):
    """Any xlsx counts as large: the reading process scans it (count, formulas, merged header)."""
    monkeypatch.setattr(reading, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(jobs, "SCAN_IN_CHILD_BYTES", 1)


def test_a_large_sheet_is_counted_by_the_reading_process(worker, scanned_by_the_child, monkeypatch):
    rows = [
        [person_name("大表", i), resident_id(seq=400 + i), "", "", "", "建宁路社区"]
        for i in range(5)
    ]
    seen_totals = []
    original = writer.write_batch

    def noting_the_total(job, *args, **kwargs):
        # The count the reading process sent, before any row was written (the end of the
        # import recounts the recorded rows, which would hide a missing count).
        seen_totals.append(ImportJob.objects.get(pk=job.pk).total)
        return original(job, *args, **kwargs)

    monkeypatch.setattr(writer, "write_batch", noting_the_total)
    job = _run(worker, xlsx(rows))
    assert seen_totals[0] == 5
    assert (job.status, job.total, job.done, job.created) == ("done", 5, 5, 5)


def test_a_large_sheet_with_a_merged_title_is_read_past(worker, scanned_by_the_child):
    job = _run(worker, xlsx([["甲", resident_id(seq=12), "", "", "", "建宁路社区"]], title=True))
    assert (job.status, job.created) == ("done", 1)


@pytest.mark.parametrize("large", [False, True])
def test_a_row_with_a_formula_cell_is_rejected_with_its_reason(worker, large, request):
    if large:
        request.getfixturevalue("scanned_by_the_child")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for c, h in enumerate(HEADER):
        sheet.write_string(0, c, h)
    good = ["甲", resident_id(seq=51), "", "420100", "2020-01-25", "建宁路社区"]
    for c, v in enumerate(good):
        sheet.write_string(1, c, v)
    formula = ["乙", resident_id(seq=52), "", "420100", "2020-01-25", "建宁路社区"]
    for c, v in enumerate(formula):
        sheet.write_string(2, c, v)
    sheet.write_formula(2, 4, '=TEXT(DATE(2020,1,25),"yyyy-mm-dd")', None, "2020-01-25")
    book.close()
    job = import_services.import_start(actor=worker, name="f.xlsx", content=buffer.getvalue())
    job.refresh_from_db()
    outcomes = {n: (o, r) for n, o, r in import_selectors.row_outcomes(job)}
    assert outcomes[2][0] == "created"
    assert outcomes[3] == ("rejected", "formula_cell")
    assert not Person.objects.filter(full_name="乙").exists()


def test_formula_rows_of_an_ods_sheet_count_repeated_rows(tmp_path):
    import zipfile

    from lianfang.people.imports.tabular import formula_rows

    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="S">'
        "<table:table-row><table:table-cell><text:p>姓名</text:p></table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell table:formula="of:=1+1"><text:p>2</text:p>'
        "</table:table-cell></table:table-row>"
        '</table:table><table:table table:name="T"><table:table-row>'
        '<table:table-cell table:formula="of:=2"/></table:table-row></table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "list.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    assert formula_rows(path) == {5}  # the second sheet is not read


def test_the_import_key_is_the_first_versions_key_cut_to_128_bits(worker):
    """Keys stored before the cut were shortened by a migration: the formula must not change,
    or a list imported before would be registered again."""
    import hashlib
    import json

    number = resident_id(seq=81)
    _run(worker, xlsx([["甲", number, "", "420100", "2020-01-25", "建宁路社区"]]))
    source = "import:" + json.dumps([number, "420100", "None", "2020-01-25"], ensure_ascii=False)
    expected = hashlib.sha256(source.encode()).hexdigest()[:32]
    assert Registration.objects.get(person__full_name="甲").import_key == expected


def test_a_sheet_damaged_after_its_header_fails_the_job_with_a_message(worker):
    import zipfile

    good = xlsx([["甲", resident_id(seq=91), "", "", "", "建宁路社区"]])
    source, damaged = zipfile.ZipFile(io.BytesIO(good)), io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # row 2 points at a missing string
                head, _, rest = data.partition(b'<row r="2"')
                data = (
                    head
                    + b'<row r="2"><c r="A2" t="s"><v>99</v></c></row>'
                    + rest[rest.index(b"</row>") + 6 :]
                )
            out.writestr(item, data)
    job = _run(worker, damaged.getvalue())
    assert job.status == "failed" and "无法读取" in job.error
    assert Person.objects.count() == 0


def test_an_unmapped_column_never_stands_in_for_a_missing_one(worker):
    # No phone, origin or date columns; a remarks column after the mapped ones.
    rows = [["甲", resident_id(seq=141), "建宁路社区", "随便写写"]]
    job = _run(worker, xlsx(rows, header=["姓名", "身份证号码", "现住址", "备注"]))
    assert (job.created, job.rejected) == (1, 0)
    assert Person.objects.get(full_name="甲").phone_enc == ""


def test_imported_ids_are_unguessable_and_grouped_by_batch(worker, monkeypatch):
    monkeypatch.setattr(reading, "BATCH", 2)
    rows = [
        [person_name("人", i), resident_id(seq=160 + i), "", "", "", "建宁路社区"] for i in range(4)
    ]
    _run(worker, xlsx(rows))
    persons = sorted(Person.objects.filter(full_name__startswith="人"), key=lambda p: p.full_name)
    registrations = [Registration.objects.get(person=p) for p in persons]
    assert {p.id.version for p in persons} == {8}
    assert {r.id.version for r in registrations} == {7}
    assert len({p.id for p in persons}) == len({r.id for r in registrations}) == 4
    # Two batches of two: a batch's persons share their first six bytes, its registrations
    # their time stamp; each id keeps ten random bytes of its own.
    prefixes = [p.id.bytes[:6] for p in persons]
    assert prefixes[0] == prefixes[1] != prefixes[2] == prefixes[3]
    assert registrations[0].id.bytes[:6] == registrations[1].id.bytes[:6]
    assert len({p.id.bytes[6:] for p in persons} | {r.id.bytes[6:] for r in registrations}) == 8
