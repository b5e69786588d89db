from django.apps import AppConfig


class CheckpointsConfig(AppConfig):
    name = "lianfang.checkpoints"
    label = "checkpoints"
    verbose_name = "交通卡口"

    def ready(self) -> None:
        from lianfang.checkpoints import cluerules

        cluerules.register()  # its rule for system-raised discipline clues
        from auditlog.registry import auditlog
        from django.utils.translation import gettext_lazy as _

        from lianfang.checkpoints import indicators, jobs  # noqa: F401
        from lianfang.checkpoints.models import Checkpoint, Handover, HandoverPolicy, Shift
        from lianfang.checkpoints.permissions import RECEIVE, VIEW_CHECKPOINTS
        from lianfang.core import navigation
        from lianfang.regions.services import register_region_code_column

        auditlog.register(Checkpoint)
        auditlog.register(Shift)
        auditlog.register(HandoverPolicy)
        auditlog.register(Handover)
        for label in (
            "checkpoints.Checkpoint",
            "checkpoints.Shift",
            "checkpoints.VehicleCheck",
            "checkpoints.Occupant",
            "checkpoints.Handover",
        ):
            register_region_code_column(label, "region_code")
        navigation.register("checkpoints:home", _("卡口"), VIEW_CHECKPOINTS, 50)
        navigation.register("checkpoints:inbox", _("卡口移交"), RECEIVE, 51)
        indicators.register_all()

        from lianfang.checkpoints import worktiles

        worktiles.register_all()
