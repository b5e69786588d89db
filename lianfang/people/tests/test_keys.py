import base64

import pytest
from django.core.management import call_command

from conftest import B111
from lianfang.core import crypto
from lianfang.people.models import Person
from lianfang.people.services import ID_LABEL
from lianfang.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_rotation_re_encrypts_under_the_new_key_and_is_idempotent(world, settings, capsys):
    person = make_person(B111, id_number="11010519491231002X")
    old_keys = settings.LIANFANG_DATA_KEYS
    settings.LIANFANG_DATA_KEYS = "k2:" + base64.b64encode(b"k" * 32).decode() + "," + old_keys
    call_command("rotate_keys")
    assert "Person: 1" in capsys.readouterr().out
    row = Person.objects.get(pk=person.pk)
    assert crypto.key_id(row.id_number_enc) == "k2"
    call_command("rotate_keys")
    assert "Person: 0" in capsys.readouterr().out
    settings.LIANFANG_DATA_KEYS = "k2:" + base64.b64encode(b"k" * 32).decode()  # old key removed
    assert (
        crypto.decrypt(Person.objects.get(pk=person.pk).id_number_enc, ID_LABEL)
        == "11010519491231002X"
    )
