from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lianfang.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lianfang.accounts import jobs, permissions  # noqa: F401
        from lianfang.accounts.models import ApiToken, Membership, User

        auditlog.register(
            User,
            exclude_fields=["password", "last_login"],
            mask_fields=["phone"],
        )
        auditlog.register(Membership)
        auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
