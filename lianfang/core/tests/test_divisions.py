import re
from collections import Counter

from lianfang.core import divisions


def test_origin_choices_name_each_division_once():
    labels = Counter(label for _code, label in divisions.origin_choices())
    assert [label for label, n in labels.items() if n > 1] == []
    codes = Counter(code for code, _label in divisions.origin_choices())
    assert [code for code, n in codes.items() if n > 1] == []


def test_no_origin_label_repeats_a_segment():
    # "广东省东莞市东莞市": a city without counties listed again as its own county
    repeated = [
        label for _c, label in divisions.origin_choices() if re.search(r"(.{2,}[市县区])\1", label)
    ]
    assert repeated == []


def test_municipalities_and_county_less_cities_appear_once_without_placeholders():
    labels = [label for _c, label in divisions.origin_choices()]
    for name in ("北京市", "天津市", "上海市", "重庆市", "广东省东莞市", "广东省中山市"):
        assert labels.count(name) == 1, name
    for name in ("海南省儋州市", "甘肃省嘉峪关市", "河南省济源市", "湖北省仙桃市"):
        assert labels.count(name) == 1, name
    assert not any("市辖区" in label or "直辖" in label for label in labels)


def test_names_resolve_to_the_division_not_its_placeholder():
    assert divisions.resolve("北京市") == "110000"
    assert divisions.resolve("重庆市") == "500000"
    assert divisions.resolve("河南省") == "410000"
    assert divisions.resolve("嘉峪关") == "620200"
    assert divisions.name_of("110100") == "北京市"  # a stored placeholder code still reads


def test_search_lists_a_division_once():
    assert [label for _c, label in divisions.search("重庆")].count("重庆市") == 1
    assert [label for _c, label in divisions.search("嘉峪关")] == ["甘肃省嘉峪关市"]
