"""The daily report (日报告) and zero report (零报告): figures from the records, submission rules,
corrections, review, consolidation, deadlines. DOMAIN §3."""

from datetime import date

import pytest

from conftest import B111, B121, C11, C12, C21, DISTRICT, SD1
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.monitoring.tests.factories import make_quarantine
from lianfang.reporting import services
from lianfang.reporting.models import (
    ReportFigure,
    ReportStatus,
    SupervisionItem,
)
from lianfang.reporting.tests.factories import at, report, submit, unit_actor

pytestmark = pytest.mark.django_db
D = date(2020, 2, 10)


@pytest.fixture(autouse=True)
def _clock():
    with at("2020-02-01 09:00"):
        yield


@pytest.fixture
def busy_day(world):
    """Day D: two households start observation in C11 (B111), one in C12 (B121); C21 is quiet."""
    with at("2020-02-10 10:00"):
        make_quarantine(B111, ("甲",), start=D, address="1号")
        make_quarantine(B111, ("乙",), start=D, address="2号")
        make_quarantine(B121, ("丙",), start=D, address="3号")


def test_submission_opens_only_when_the_window_closes(busy_day):
    with at("2020-02-10 23:59"), pytest.raises(InvalidInput) as exc:
        services.report_submit(actor=unit_actor(C11), report=report(C11, D))
    assert exc.value.code == "window_open"
    assert report(C11, D).revision == 0


def test_community_report_freezes_figures_computed_from_the_records(busy_day):
    revision = submit(C11, D, "2020-02-11 07:30", note="一切正常")
    assert revision.number == 1
    assert revision.figures["observations_started"] == 2
    assert revision.figures["under_home_observation"] == 2
    assert not revision.zero and not revision.late
    assert revision.versions["observations_started"] == 1
    r = report(C11, D)
    assert r.shown_status == "submitted" and r.revision == 1
    rows = dict(ReportFigure.objects.filter(report=r).values_list("key", "value"))
    assert rows["observations_started"] == 2
    assert "fevers_found" not in rows  # zero figures are not stored in the roll-up table


def test_snapshot_does_not_move_when_records_change_later(busy_day):
    from lianfang.monitoring.models import Observation

    submit(C11, D, "2020-02-11 07:30")
    # After the submission one of the two turns out to live in C12 (as a transfer records it).
    moved = Observation.objects.filter(region_code=B111).first()
    assert moved is not None
    Observation.objects.filter(pk=moved.pk).update(region_code=B121)
    r = report(C11, D)
    assert r.revisions.get().figures["observations_started"] == 2
    assert (
        dict(ReportFigure.objects.filter(report=r).values_list("key", "value"))[
            "observations_started"
        ]
        == 2
    )
    with at("2020-02-11 09:00"):
        assert services.live_figures(r)["observations_started"] == 1


def test_zero_report_must_be_confirmed_explicitly(world):
    with at("2020-02-11 07:00"), pytest.raises(InvalidInput) as exc:
        services.report_submit(actor=unit_actor(C21), report=report(C21, D))
    assert exc.value.code == "confirm_zero"
    revision = submit(C21, D, "2020-02-11 07:05", confirm_zero=True)
    assert revision.zero
    assert report(C21, D).shown_status == "zero"


def test_zero_report_refused_when_something_new_happened(busy_day):
    with at("2020-02-11 07:00"), pytest.raises(Conflict) as exc:
        services.report_submit(actor=unit_actor(C11), report=report(C11, D), confirm_zero=True)
    assert exc.value.code == "not_zero"
    assert "新增医学观察 2" in exc.value.message
    assert exc.value.fields["confirm_zero"] == ["本时段新增医学观察 2，不能勾选“无事零报告”。"]
    assert report(C11, D).revision == 0


def test_a_refused_zero_report_puts_the_unit_after_the_number(busy_day):
    from lianfang.monitoring.tests.factories import record_check

    with at("2020-02-10 10:30"):
        member = make_quarantine(B111, ("丁",), start=D, address="4号")
        record_check(member.members.get(), "38.5")
    with at("2020-02-11 07:00"), pytest.raises(Conflict) as exc:
        services.report_submit(actor=unit_actor(C11), report=report(C11, D), confirm_zero=True)
    assert "新增医学观察 3、发现发热 1 人" in exc.value.fields["confirm_zero"][0]


def test_submitting_twice_returns_the_same_revision(busy_day):
    first = submit(C11, D, "2020-02-11 07:30")
    second = submit(C11, D, "2020-02-11 07:31")
    assert second.pk == first.pk
    assert report(C11, D).revisions.count() == 1


def test_correction_is_a_new_revision_with_a_reason_and_shows_as_corrected(busy_day):
    submit(C11, D, "2020-02-11 07:30")
    revision = submit(C11, D, "2020-02-11 09:30", reason="补录漏登记人员")
    assert revision.number == 2 and revision.reason == "补录漏登记人员"
    r = report(C11, D)
    assert r.is_corrected and not r.late  # timeliness is the first submission's
    assert [e.kind for e in r.events.all()] == ["submitted", "corrected"]


def test_approved_report_takes_a_revision_only_with_a_reason(busy_day, world):
    submit(C11, D, "2020-02-11 07:30")
    with at("2020-02-11 08:30"):
        services.report_review(actor=unit_actor(SD1), report=report(C11, D), approve=True)
    with at("2020-02-11 10:00"), pytest.raises(InvalidInput) as exc:
        services.report_submit(actor=unit_actor(C11), report=report(C11, D))
    assert exc.value.code == "reason_required"
    revision = submit(C11, D, "2020-02-11 10:01", reason="更正")
    assert revision.number == 2
    assert report(C11, D).status == ReportStatus.SUBMITTED  # back to review


def test_only_the_unit_itself_submits_its_report(busy_day):
    with at("2020-02-11 07:00"):
        for actor in (unit_actor(C12), unit_actor(SD1), unit_actor(DISTRICT)):
            with pytest.raises(PermissionDeniedError):
                services.report_submit(actor=actor, report=report(C11, D))


def test_late_submission_is_marked_late_with_a_supervision_item_above(busy_day):
    revision = submit(C11, D, "2020-02-11 08:30")
    assert revision.late
    r = report(C11, D)
    assert r.shown_status == "late"
    item = SupervisionItem.objects.get(report=r)
    assert (item.kind, item.region_code, item.subject_code) == ("late", SD1, C11)


def test_return_needs_a_comment_and_resubmission_a_reason(busy_day):
    submit(C11, D, "2020-02-11 07:30")
    with at("2020-02-11 08:20"):
        with pytest.raises(InvalidInput):
            services.report_review(actor=unit_actor(SD1), report=report(C11, D), approve=False)
        services.report_review(
            actor=unit_actor(SD1), report=report(C11, D), approve=False, comment="请核对"
        )
    assert report(C11, D).shown_status == "returned"
    with at("2020-02-11 08:40"), pytest.raises(InvalidInput):
        services.report_submit(actor=unit_actor(C11), report=report(C11, D))
    submit(C11, D, "2020-02-11 08:41", reason="已核对")
    r = report(C11, D)
    assert r.shown_status == "submitted" and r.revision == 2 and not r.late


def test_only_the_direct_parent_reviews(busy_day):
    submit(C11, D, "2020-02-11 07:30")
    with at("2020-02-11 08:20"):
        for actor in (unit_actor(DISTRICT), unit_actor(C12)):
            with pytest.raises(PermissionDeniedError):
                services.report_review(actor=actor, report=report(C11, D), approve=True)
        with pytest.raises(Conflict):  # a draft cannot be reviewed
            services.report_review(actor=unit_actor(SD1), report=report(C12, D), approve=True)


def test_consolidated_report_sums_the_communities_snapshots(busy_day):
    submit(C11, D, "2020-02-11 07:30")
    submit(C12, D, "2020-02-11 07:40")
    revision = submit(SD1, D, "2020-02-11 08:50")
    assert revision.figures["observations_started"] == 3
    assert revision.completeness["expected"] == 2 and revision.completeness["submitted"] == 2
    district = submit(DISTRICT, D, "2020-02-11 09:50")
    assert district.figures["observations_started"] == 3  # C21 quiet, C11 + C12
    assert district.completeness == {
        "expected": 3,
        "submitted": 2,
        "on_time": 2,
        "late": 0,
        "missing": 0,
        "pending": 1,
        "zero": 0,
    }


def test_building_is_not_a_reporting_unit(world):
    from lianfang.regions.models import Region

    with pytest.raises(InvalidInput):
        services.report_for(Region.objects.get(code=B111), D)


def test_per_child_computation_matches_the_single_region_one(busy_day):
    from lianfang.core import indicators

    with at("2020-02-11 07:00"):
        window = indicators.Window.of_day(D)
        by_child = indicators.compute_by_child(SD1, 12, window)
        assert by_child[C11] == indicators.compute(C11, window)
        assert by_child[C12] == indicators.compute(C12, window)
        assert C21 not in by_child  # another sub-district
        assert indicators.compute_by_child("620105", 9, window)[SD1] == indicators.compute(
            SD1, window
        )
