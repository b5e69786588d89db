from django.urls import path

from lianfang.accounts import admin_views, views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/otp/", views.otp_verify, name="otp_verify"),
    path("accounts/otp/setup/", views.otp_setup, name="otp_setup"),
    path("accounts/otp/backup-codes/", views.backup_codes_regenerate, name="backup_codes"),
    path("accounts/me/", views.profile, name="profile"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/tokens/", views.token_list, name="tokens"),
    path("accounts/tokens/<uuid:public_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("accounts/switch-region/", views.switch_region, name="switch_region"),
    path("manage/users/", admin_views.user_list, name="user_list"),
    path("manage/users/new/", admin_views.user_create, name="user_create"),
    path("manage/users/<uuid:public_id>/", admin_views.user_detail, name="user_detail"),
    path("manage/memberships/<int:pk>/end/", admin_views.membership_end, name="membership_end"),
    path("audit/changes/", admin_views.audit_changes, name="audit_changes"),
    path("audit/access/", admin_views.audit_access, name="audit_access"),
]
