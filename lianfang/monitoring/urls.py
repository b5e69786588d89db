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
    path(
        "monitoring/quarantines/<uuid:pk>/adjust/",
        views.quarantine_adjust,
        name="quarantine_adjust",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/exposure/",
        views.quarantine_exposure,
        name="quarantine_exposure",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/contact/",
        views.quarantine_contact,
        name="quarantine_contact",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/end/",
        views.quarantine_end,
        name="quarantine_end",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/transfer/",
        views.quarantine_transfer,
        name="quarantine_transfer",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/room/",
        views.quarantine_room,
        name="quarantine_room",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/team/",
        views.quarantine_team,
        name="quarantine_team",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/release/",
        views.quarantine_release,
        name="quarantine_release",
    ),
    path("monitoring/members/<uuid:pk>/notice.pdf", public_views.observation_notice, name="notice"),
    path(
        "monitoring/members/<uuid:pk>/release.pdf",
        public_views.release_notice,
        name="release_notice",
    ),
    path("monitoring/members/<uuid:pk>/check/", views.member_check, name="member_check"),
    path("monitoring/members/<uuid:pk>/correct/", views.member_correct, name="member_correct"),
    path("monitoring/members/<uuid:pk>/refer/", views.member_refer, name="member_refer"),
    path("monitoring/members/<uuid:pk>/exit/", views.member_exit, name="member_exit"),
    path("monitoring/members/<uuid:pk>/token/", views.member_token, name="member_token"),
    path("monitoring/referrals/", referral_views.referral_list, name="referrals"),
    path(
        "monitoring/referrals/<uuid:pk>/outcome/", views.referral_outcome, name="referral_outcome"
    ),
    path("monitoring/exits/<uuid:pk>/approve/", views.exit_approve, name="exit_approve"),
    path("monitoring/exits/<uuid:pk>/refuse/", views.exit_refuse, name="exit_refuse"),
    path("monitoring/alerts/", views.alerts, name="alerts"),
    path(
        "monitoring/alerts/<uuid:pk>/acknowledge/",
        views.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path("monitoring/alerts/<uuid:pk>/close/", views.alert_close, name="alert_close"),
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
