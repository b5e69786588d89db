import pytest

from conftest import B111, B211, C11
from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.people import services
from lianfang.people.duplicates import selectors as duplicate_selectors
from lianfang.people.duplicates import services as duplicate_services
from lianfang.people.models import DuplicateCandidate, Person, Registration
from lianfang.people.tests.factories import make_person, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(world, actor_of):
    return actor_of(world.users["community_worker"])


def test_same_phone_or_same_name_and_birth_date_are_candidates(worker):
    a = make_person(
        B111, "张三", id_number=resident_id(born="19800101", seq=1), phone="13812345678"
    )
    b = make_person(C11, "张叁", id_number=resident_id(born="19900101", seq=3), phone="13812345678")
    c = make_person(C11, "张三", id_number=resident_id(born="19800101", seq=5), phone="13900000000")
    reasons = {
        (frozenset([x.person_a_id, x.person_b_id]), x.reason)
        for x in DuplicateCandidate.objects.all()
    }
    assert (frozenset([a.pk, b.pk]), "same_phone") in reasons
    assert (frozenset([a.pk, c.pk]), "same_name_birth") in reasons


def test_merge_keeps_every_linked_record_and_is_audited(worker):
    from auditlog.models import LogEntry

    a = make_person(B111, "王五", id_number=resident_id(seq=11), phone="13812345678")
    b = make_person(B111, "王五", id_number=resident_id(seq=13), phone="13812345678")
    services.add_registration(actor=worker, person=a, source="door_to_door")
    reg_b = services.add_registration(actor=worker, person=b, source="hotline", companions=[a])
    candidate = DuplicateCandidate.objects.get()
    kept = duplicate_services.duplicate_merge(actor=worker, candidate=candidate, keep=a)
    assert kept.pk == a.pk
    assert Registration.objects.filter(person=a).count() == 2
    b.refresh_from_db()
    assert (b.status, b.merged_into_id) == ("merged", a.pk)
    assert Person.objects.active().filter(pk=b.pk).count() == 0
    reg_b.refresh_from_db()
    assert reg_b.person_id == a.pk
    candidate.refresh_from_db()
    assert candidate.status == "merged"
    assert LogEntry.objects.filter(object_pk=str(b.pk), changes__icontains="merged").exists()


def test_merge_keeps_both_registrations_of_one_imported_row(worker):
    a = make_person(B111, "赵六", id_number=resident_id(seq=15), phone="13812345679")
    b = make_person(B111, "赵六", id_number=resident_id(seq=17), phone="13812345679")
    reg_a = services.add_registration(actor=worker, person=a, source="import")
    reg_b = services.add_registration(actor=worker, person=b, source="import")
    Registration.objects.filter(pk__in=[reg_a.pk, reg_b.pk]).update(import_key="k" * 32)
    candidate = DuplicateCandidate.objects.get()
    duplicate_services.duplicate_merge(actor=worker, candidate=candidate, keep=a)
    assert sorted(
        (r.pk == reg_a.pk, r.import_key) for r in Registration.objects.filter(person=a)
    ) == [(False, None), (True, "k" * 32)]


def test_not_a_duplicate_is_remembered(worker):
    a = make_person(B111, "赵六", phone="13812345678")
    b = make_person(B111, "赵陆", phone="13812345678")
    duplicate_services.not_duplicate(actor=worker, candidate=DuplicateCandidate.objects.get())
    duplicate_services.duplicate_detect_for(a)
    duplicate_services.duplicate_detect_for(b)
    assert list(DuplicateCandidate.objects.values_list("status", flat=True)) == ["not_duplicate"]
    assert list(duplicate_selectors.open_candidates(worker)) == []


def test_merge_needs_both_people_in_scope(worker):
    make_person(B111, "孙七", phone="13812345678")
    make_person(B211, "孙七", phone="13812345678")
    candidate = DuplicateCandidate.objects.get()
    with pytest.raises(PermissionDeniedError):
        duplicate_services.duplicate_merge(
            actor=worker, candidate=candidate, keep=candidate.person_a
        )


def test_keep_must_be_one_of_the_pair(worker):
    make_person(B111, "周八", phone="13812345678")
    make_person(B111, "周捌", phone="13812345678")
    stranger = make_person(B111, "吴九")
    with pytest.raises(InvalidInput):
        duplicate_services.duplicate_merge(
            actor=worker, candidate=DuplicateCandidate.objects.get(), keep=stranger
        )


def test_a_pair_across_territories_is_not_shown_to_either_community(client, world, worker):
    from conftest import login_client

    make_person(B111, "孙七", phone="13812345678")
    make_person(B211, "外社区孙七", phone="13812345678")
    # The pair is stamped with one person's region (the lower id's): here the worker's.
    DuplicateCandidate.objects.update(region_code=B111)
    candidate = DuplicateCandidate.objects.get()
    assert list(duplicate_selectors.open_candidates(worker)) == []
    login_client(client, world.users["community_worker"])
    assert "外社区孙七" not in client.get("/people/duplicates/").content.decode()
    detail = client.get(f"/people/duplicates/{candidate.pk}/", follow=True).content.decode()
    assert "外社区孙七" not in detail
    office = world.users["subdistrict_officer"]  # SD1 does not hold B211 either
    login_client(client, office)
    assert "外社区孙七" not in client.get("/people/duplicates/").content.decode()
