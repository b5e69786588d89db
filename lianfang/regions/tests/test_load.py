import pytest
from django.core.management import CommandError, call_command

from lianfang.regions.models import Region
from lianfang.regions.services import load_csv

pytestmark = pytest.mark.django_db

GOOD = """code,name,parent_code
620105,安宁区,
620105001,培黎街道,620105
620105001001,建宁路社区居委会,620105001
"""


def _write(tmp_path, text, name="regions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_creates_the_tree_and_shortens_names(tmp_path):
    report = load_csv(_write(tmp_path, GOOD))
    assert report.ok and len(report.created) == 3
    assert Region.objects.get(code="620105001001").name == "建宁路社区"
    parent = Region.objects.get(code="620105001001").parent
    assert parent is not None and parent.code == "620105001"


def test_reloading_updates_names_and_never_duplicates(tmp_path):
    load_csv(_write(tmp_path, GOOD))
    report = load_csv(
        _write(
            tmp_path,
            GOOD.replace("培黎街道", "培黎街道办事处") + "620105001002,向阳社区,620105001\n",
        )
    )
    assert report.created == ["620105001002"]
    assert report.renamed == [("620105001", "培黎街道", "培黎街道办事处")]
    assert report.unchanged == 2
    assert Region.objects.count() == 4


def test_bad_rows_are_reported_with_line_numbers_and_good_rows_load(tmp_path):
    text = GOOD + "\n".join(
        [
            "62010500100X,坏代码,620105001",  # line 5
            "620105002001,孤儿社区,620105002",  # line 6: parent missing
            "620105001002,,620105001",  # line 7: no name
            "620105003,沙井驿街道,620105",  # line 8: good
            "620105001001,重复,620105001",  # line 9: duplicate in file
        ]
    )
    report = load_csv(_write(tmp_path, text))
    lines = [line for line, _ in report.errors]
    assert lines == [5, 6, 7, 9]
    assert Region.objects.filter(code="620105003").exists()
    assert not Region.objects.filter(code="620105002001").exists()


def test_level_column_may_replace_parent_code(tmp_path):
    report = load_csv(
        _write(
            tmp_path,
            "code,name,level\n620105,安宁区,district\n620105001,培黎街道,subdistrict\n620105002,西路,community\n",
        )
    )
    assert [line for line, _ in report.errors] == [4]
    assert Region.objects.count() == 2


def test_missing_columns_are_reported(tmp_path):
    report = load_csv(_write(tmp_path, "编码,名称\n620105,安宁区\n"))
    assert report.errors and "缺少列" in report.errors[0][1]
    assert Region.objects.count() == 0


def test_cli_reports_errors_and_exits_non_zero(tmp_path, capsys):
    path = _write(tmp_path, GOOD + "999,坏,\n")
    with pytest.raises(CommandError):
        call_command("regions", "load", str(path))
    out = capsys.readouterr()
    assert "第 5 行" in out.err
    assert Region.objects.count() == 3


def test_the_shipped_anning_list_has_8_subdistricts_and_60_communities():
    from lianfang.regions.services import ANNING_REGION_LIST

    report = load_csv(ANNING_REGION_LIST)
    assert report.ok
    assert Region.objects.filter(level="subdistrict").count() == 8
    assert Region.objects.filter(level="community").count() == 60
