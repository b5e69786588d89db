from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "lianfang.people"
    label = "people"
    verbose_name = "人员登记"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lianfang.people import permissions  # noqa: F401
        from lianfang.people.models import Household, KeyArea, Person, Registration
        from lianfang.regions.services import register_region_code_column

        # Encrypted columns and their indexes never reach the change log, even as ciphertext.
        secret = ["id_number_enc", "id_number_bidx", "phone_enc", "phone_bidx"]
        auditlog.register(
            Person, exclude_fields=secret, mask_fields=["id_number_masked", "phone_masked"]
        )
        auditlog.register(Household)
        auditlog.register(Registration)
        auditlog.register(KeyArea)
        for label in ("people.Person", "people.Household", "people.Registration"):
            register_region_code_column(label, "region_code")
