from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "lianfang.people"
    label = "people"
    verbose_name = "人员登记"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lianfang.people import permissions  # noqa: F401
        from lianfang.people.models import (
            Household,
            KeyArea,
            Person,
            Registration,
            SweepAssignment,
        )
        from lianfang.regions.services import register_region_code_column

        # Encrypted columns and their indexes never reach the change log, even as ciphertext.
        secret = ["id_number_enc", "id_number_bidx", "phone_enc", "phone_bidx"]
        auditlog.register(
            Person,
            exclude_fields=secret,
            mask_fields=["id_number_masked", "phone_masked"],
            mask_callable="lianfang.accounts.changelog.mask",
        )
        auditlog.register(Household)
        auditlog.register(Registration)
        auditlog.register(KeyArea)
        auditlog.register(SweepAssignment)
        for label in (
            "people.Person",
            "people.Household",
            "people.Registration",
            "people.SweepAssignment",
        ):
            register_region_code_column(label, "region_code")

        from django.utils.translation import gettext_lazy as _

        from lianfang.core import navigation
        from lianfang.people.permissions import (
            IMPORT,
            MANAGE_KEY_AREAS,
            MERGE,
            REGISTER,
            ROUTE,
            VIEW_PEOPLE,
        )

        navigation.register("people:list", _("人员登记"), VIEW_PEOPLE, 20)
        navigation.register("people:sweeps", _("逐户排查"), VIEW_PEOPLE, 21)
        navigation.register("people:selfreg_queue", _("自主申报"), REGISTER, 22)
        navigation.register("people:transfers", _("人员转移"), REGISTER, 23)
        navigation.register("people:imports", _("名单导入"), IMPORT, 24)
        navigation.register("people:duplicates", _("疑似重复"), MERGE, 25)
        navigation.register("people:route_queue", _("待分派"), ROUTE, 26)
        navigation.register("people:key_areas", _("重点地区"), MANAGE_KEY_AREAS, 27)

        from lianfang.people import indicators as people_indicators

        people_indicators.register_all()

        from lianfang.people import worktiles as people_worktiles

        people_worktiles.register_all()
