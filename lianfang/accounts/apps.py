from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lianfang.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from lianfang.accounts import cluerules

        cluerules.register()  # its rule for system-raised discipline clues
        from auditlog.registry import auditlog

        from lianfang.accounts import actors, jobs, permissions, selectors, tokens  # noqa: F401
        from lianfang.core import api, navigation

        navigation.register_region_people(
            staff=selectors.region_staff, grid_workers=selectors.grid_workers_below
        )

        api.register_accounts(
            api.AccountHooks(
                user_for_token=tokens.user_for_token,
                actor_for=actors.actor_for,
                needs_second_factor=lambda user: (
                    actors.requires_two_factor(user) and not actors.is_verified(user)
                ),
            )
        )
        from lianfang.accounts.models import ApiToken, Membership, User

        auditlog.register(
            User,
            exclude_fields=["password", "last_login"],
            mask_fields=["phone"],
            mask_callable="lianfang.accounts.changelog.mask",
        )
        auditlog.register(Membership)
        auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])

        from django.utils.translation import gettext_lazy as _

        from lianfang.accounts.permissions import MANAGE_USERS, VIEW_AUDIT
        from lianfang.core import navigation

        navigation.register("accounts:user_list", _("用户管理"), MANAGE_USERS, 100)
        navigation.register("accounts:audit_changes", _("变更记录"), VIEW_AUDIT, 120)
        navigation.register("accounts:audit_access", _("访问记录"), VIEW_AUDIT, 121)
