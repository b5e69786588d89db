from django.urls import path

from lianfang.monitoring import admin_views, public_views, referral_views, views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", views.board, name="board"),
    path("monitoring/today/", views.today, name="today"),
    path("monitoring/quarantines/", views.quarantine_list, name="list"),
    path("monitoring/quarantines/release/", views.bulk_release, name="bulk_release"),
    path("monitoring/start/<uuid:person_id>/", views.start, name="start"),
    path("monitoring/contacts/<uuid:person_id>/", views.contacts, name="contacts"),
    path("monitoring/quarantines/<uuid:pk>/", views.detail, name="detail"),
    path("monitoring/quarantines/<uuid:pk>/<slug:action>/", views.act, name="act"),
    path("monitoring/members/<uuid:pk>/notice.pdf", public_views.observation_notice, name="notice"),
    path(
        "monitoring/members/<uuid:pk>/release.pdf",
        public_views.release_notice,
        name="release_notice",
    ),
    path("monitoring/members/<uuid:pk>/<slug:action>/", views.member_action, name="member_action"),
    path("monitoring/referrals/", referral_views.referral_list, name="referrals"),
    path(
        "monitoring/referrals/<uuid:pk>/outcome/", views.referral_outcome, name="referral_outcome"
    ),
    path("monitoring/exits/<uuid:pk>/<slug:decision>/", views.exit_decide, name="exit_decide"),
    path("monitoring/alerts/", views.alerts, name="alerts"),
    path("monitoring/alerts/<uuid:pk>/<slug:action>/", views.alert_action, name="alert_action"),
    path("monitoring/policies/", admin_views.policy_list, name="policies"),
    path("monitoring/policies/<int:pk>/apply/", admin_views.policy_apply, name="policy_apply"),
    path("monitoring/sites/", admin_views.site_list, name="sites"),
    path("monitoring/sites/<int:pk>/rooms/", admin_views.site_rooms, name="site_rooms"),
    path(
        "monitoring/hospitals/<int:pk>/toggle/", admin_views.hospital_toggle, name="hospital_toggle"
    ),
]

public_urlpatterns = [
    path("c/<str:token>/", public_views.checkin_page, name="checkin_page"),
    path("c/<str:token>/done/", public_views.checkin_done, name="checkin_done"),
]
