from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "lianfang.reporting"
    label = "reporting"
    verbose_name = "日报告与零报告"

    def ready(self) -> None:
        from lianfang.reporting import cluerules

        cluerules.register()  # its rule for system-raised discipline clues
        from auditlog.registry import auditlog
        from django.utils.translation import gettext_lazy as _

        from lianfang.core import navigation
        from lianfang.regions.services import register_region_code_column
        from lianfang.reporting import jobs  # noqa: F401
        from lianfang.reporting.models import (
            Bulletin,
            DailyReport,
            ReportPolicy,
            SupervisionItem,
        )
        from lianfang.reporting.permissions import (
            PUBLIC_BULLETIN,
            SUBMIT_REPORT,
            VIEW_REPORTS,
        )

        auditlog.register(ReportPolicy)
        auditlog.register(DailyReport)
        auditlog.register(SupervisionItem)
        auditlog.register(Bulletin, exclude_fields=["data"])
        for label in (
            "reporting.DailyReport",
            "reporting.ReportFigure",
            "reporting.SupervisionItem",
            "reporting.Bulletin",
        ):
            register_region_code_column(label, "region_code")

        navigation.register("reporting:mine", _("今日报告"), SUBMIT_REPORT, 40)
        navigation.register("reporting:overview", _("报送情况"), VIEW_REPORTS, 41)
        navigation.register("reporting:public", _("公开日报"), PUBLIC_BULLETIN, 42)

        from lianfang.reporting import worktiles

        worktiles.register_all()
