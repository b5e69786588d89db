"""A column mapping saved at the mapping step (``imports.services.mapping_save``): kept by column
titles for the job's region, replaced under the same name, refused without the right to import."""

import io

import pytest
import xlsxwriter

from conftest import C11, login_client
from lianfang.core.errors import PermissionDeniedError
from lianfang.people.imports import services as import_services
from lianfang.people.models import SavedMapping

pytestmark = pytest.mark.django_db


def _book(header=("姓名", "身份证号码", "备注")):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for c, h in enumerate(header):
        sheet.write_string(0, c, h)
    sheet.write_string(1, 0, "张三")
    book.close()
    return buffer.getvalue()


@pytest.fixture
def job(world, actor_of):
    actor = actor_of(world.users["community_worker"])
    return import_services.import_start(actor=actor, name="l.xlsx", content=_book(), stage=True)


TITLES = {0: "姓名", 1: "身份证号码", 2: ""}


def test_a_saved_mapping_keeps_the_column_titles_for_the_job_s_region(world, actor_of, job):
    user = world.users["community_worker"]
    saved = import_services.mapping_save(
        actor=actor_of(user),
        job=job,
        name="街道模板",
        columns={"full_name": 0, "id_number": 1, "note": 2},
        titles=TITLES,
    )
    assert (saved.region_code, saved.created_by) == (job.region_code, user)
    assert saved.mapping == {"full_name": "姓名", "id_number": "身份证号码"}  # untitled: dropped


def test_saving_under_the_same_name_replaces_the_mapping(world, actor_of, job):
    actor = actor_of(world.users["community_worker"])
    for column in (0, 1):
        import_services.mapping_save(
            actor=actor, job=job, name="模板", columns={"full_name": column}, titles=TITLES
        )
    assert SavedMapping.objects.get().mapping == {"full_name": "身份证号码"}


@pytest.mark.parametrize("role", ["grid_worker", "doctor"])
def test_saving_a_mapping_needs_the_right_to_import_in_the_region(world, actor_of, job, role):
    with pytest.raises(PermissionDeniedError):
        import_services.mapping_save(
            actor=actor_of(world.users[role]),
            job=job,
            name="模板",
            columns={"full_name": 0},
            titles=TITLES,
        )
    assert not SavedMapping.objects.exists()


def test_the_mapping_step_saves_the_mapping_when_named(client, world, job):
    login_client(client, world.users["community_worker"])
    response = client.post(
        f"/people/imports/{job.pk}/",
        {"header_row": "1", "col_0": "full_name", "col_1": "id_number", "save_as": "社区模板"},
    )
    assert response.status_code == 302
    saved = SavedMapping.objects.get()
    assert (saved.name, saved.region_code) == ("社区模板", C11)
    assert saved.mapping == {"full_name": "姓名", "id_number": "身份证号码"}
