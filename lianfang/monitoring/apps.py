from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "lianfang.monitoring"
    label = "monitoring"
    verbose_name = "医学观察与健康监测"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lianfang.core import residentlinks
        from lianfang.monitoring import jobs, permissions  # noqa: F401
        from lianfang.monitoring.checks import tokens

        residentlinks.register(tokens.link_holder)
        from lianfang.monitoring.models import (
            Alert,
            ExitRequest,
            Hospital,
            Observation,
            Policy,
            Quarantine,
            Referral,
            Room,
            Site,
        )
        from lianfang.regions.services import register_region_code_column

        auditlog.register(Policy)
        auditlog.register(Site)
        auditlog.register(Room)
        auditlog.register(Hospital)
        auditlog.register(Quarantine)
        # The check-in token never reaches the change log, even encrypted.
        auditlog.register(Observation, exclude_fields=["checkin_token_enc", "checkin_token_bidx"])
        auditlog.register(Alert)
        auditlog.register(Referral)
        auditlog.register(ExitRequest)
        for label in (
            "monitoring.Quarantine",
            "monitoring.Observation",
            "monitoring.HealthCheck",
            "monitoring.Alert",
            "monitoring.Referral",
            "monitoring.ExitRequest",
            "monitoring.Event",
        ):
            register_region_code_column(label, "region_code")

        from django.utils.translation import gettext_lazy as _

        from lianfang.core import navigation
        from lianfang.monitoring.permissions import (
            CONFIGURE,
            MANAGE_QUARANTINE,
            RECORD_CHECKS,
            REFER,
            VIEW_MONITORING,
        )

        navigation.register("monitoring:today", _("今日测温"), RECORD_CHECKS, 30)
        navigation.register("monitoring:board", _("医学观察"), VIEW_MONITORING, 31)
        navigation.register("monitoring:alerts", _("预警"), VIEW_MONITORING, 32)
        navigation.register("monitoring:referrals", _("转诊"), REFER, 33)
        navigation.register("monitoring:policies", _("观察政策"), CONFIGURE, 33)
        navigation.register_action(
            "person", "monitoring:start", _("发起医学观察"), MANAGE_QUARANTINE
        )
        navigation.register_action(
            "person", "monitoring:contacts", _("登记密切接触者"), MANAGE_QUARANTINE, order=60
        )
        from lianfang.monitoring.quarantines import selectors as quarantine_selectors

        navigation.register_panel(
            "person",
            "monitoring/person_panel.html",
            quarantine_selectors.person_panel,
            VIEW_MONITORING,
        )

        from lianfang.monitoring import indicators as monitoring_indicators

        monitoring_indicators.register_all()

        from lianfang.monitoring import worktiles as monitoring_worktiles

        monitoring_worktiles.register_all()
