import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lianfang.core import crypto


@given(value=st.text(min_size=1, max_size=60))
def test_encrypt_decrypt_round_trip(value):
    stored = crypto.encrypt(value, "person.id_number")
    assert stored != value
    assert crypto.decrypt(stored, "person.id_number") == value


@given(value=st.text(min_size=1, max_size=40))
def test_blind_index_is_deterministic_and_label_bound(value):
    assert crypto.blind_index(value, "a") == crypto.blind_index(value, "a")
    assert crypto.blind_index(value, "a") != crypto.blind_index(value, "b")


@given(value=st.from_regex(r"[0-9]{11,18}", fullmatch=True))
def test_stored_form_does_not_contain_the_number(value):
    assert value not in crypto.encrypt(value, "person.id_number")


def test_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("13812345678", "p") != crypto.encrypt("13812345678", "p")


def test_value_moved_to_another_column_does_not_decrypt():
    stored = crypto.encrypt("secret", "person.phone")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, "person.id_number")


def test_rotation_old_values_decrypt_under_the_new_active_key(settings):
    old = crypto.encrypt("v", "l")
    new_key = base64.b64encode(b"n" * 32).decode()
    settings.LIANFANG_DATA_KEYS = f"k2:{new_key},{settings.LIANFANG_DATA_KEYS}"
    assert crypto.decrypt(old, "l") == "v"
    fresh = crypto.encrypt("v", "l")
    assert crypto.key_id(fresh) == "k2"
    assert crypto.key_id(old) != "k2"


@given(st.text(max_size=40), st.sampled_from(["person.id_number", "person.phone"]))
def test_a_sealer_seals_like_encrypt(plaintext, label):
    sealed = crypto.sealer(label)(plaintext)
    assert crypto.decrypt(sealed, label) == plaintext
    assert crypto.key_id(sealed) == crypto.key_id(crypto.encrypt(plaintext, label))  # "" for ""
    assert sealed != crypto.sealer(label)(plaintext) or plaintext == ""  # a fresh nonce each time


@given(st.text(max_size=40), st.sampled_from(["person.id_number", "person.phone"]))
def test_an_indexer_indexes_like_blind_index(value, label):
    assert crypto.indexer(label)(value) == crypto.blind_index(value, label)


def test_a_sealer_uses_the_nonce_it_is_given_and_only_of_twelve_bytes():
    seal = crypto.sealer("person.id_number")
    nonce = bytes(range(12))
    sealed = seal("620105198001011234", nonce)
    assert crypto.decrypt(sealed, "person.id_number") == "620105198001011234"
    assert base64.b64decode(sealed.partition("$")[2])[:12] == nonce
    with pytest.raises(ValueError):
        seal("620105198001011234", b"short")
