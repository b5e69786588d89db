from django.urls import path

from lianfang.monitoring import policy_views
from lianfang.monitoring.alerts import views as alert_views
from lianfang.monitoring.checks import views as check_views
from lianfang.monitoring.quarantines import views as quarantine_views
from lianfang.monitoring.referrals import views as referral_views
from lianfang.monitoring.releases import views as release_views
from lianfang.monitoring.sites import views as site_views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", quarantine_views.board, name="board"),
    path("monitoring/today/", check_views.today, name="today"),
    path("monitoring/quarantines/", quarantine_views.quarantine_list, name="list"),
    path("monitoring/quarantines/release/", release_views.bulk_release, name="bulk_release"),
    path("monitoring/start/<uuid:person_id>/", quarantine_views.start, name="start"),
    path("monitoring/contacts/<uuid:person_id>/", quarantine_views.contacts, name="contacts"),
    path("monitoring/quarantines/<uuid:pk>/", quarantine_views.detail, name="detail"),
    path(
        "monitoring/quarantines/<uuid:pk>/adjust/",
        quarantine_views.quarantine_adjust,
        name="quarantine_adjust",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/exposure/",
        quarantine_views.quarantine_exposure,
        name="quarantine_exposure",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/contact/",
        quarantine_views.quarantine_contact,
        name="quarantine_contact",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/end/",
        quarantine_views.quarantine_end,
        name="quarantine_end",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/transfer/",
        quarantine_views.quarantine_transfer,
        name="quarantine_transfer",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/room/",
        quarantine_views.quarantine_room,
        name="quarantine_room",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/team/",
        quarantine_views.quarantine_team,
        name="quarantine_team",
    ),
    path(
        "monitoring/quarantines/<uuid:pk>/release/",
        release_views.quarantine_release,
        name="quarantine_release",
    ),
    path(
        "monitoring/members/<uuid:pk>/notice.pdf",
        quarantine_views.observation_notice,
        name="notice",
    ),
    path(
        "monitoring/members/<uuid:pk>/release.pdf",
        release_views.release_notice,
        name="release_notice",
    ),
    path("monitoring/members/<uuid:pk>/check/", check_views.member_check, name="member_check"),
    path(
        "monitoring/members/<uuid:pk>/correct/", check_views.member_correct, name="member_correct"
    ),
    path("monitoring/members/<uuid:pk>/refer/", referral_views.member_refer, name="member_refer"),
    path("monitoring/members/<uuid:pk>/exit/", referral_views.member_exit, name="member_exit"),
    path("monitoring/members/<uuid:pk>/token/", quarantine_views.member_token, name="member_token"),
    path("monitoring/referrals/", referral_views.referral_list, name="referrals"),
    path(
        "monitoring/referrals/<uuid:pk>/outcome/",
        referral_views.referral_outcome,
        name="referral_outcome",
    ),
    path("monitoring/exits/<uuid:pk>/approve/", referral_views.exit_approve, name="exit_approve"),
    path("monitoring/exits/<uuid:pk>/refuse/", referral_views.exit_refuse, name="exit_refuse"),
    path("monitoring/alerts/", alert_views.alerts, name="alerts"),
    path(
        "monitoring/alerts/<uuid:pk>/acknowledge/",
        alert_views.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path("monitoring/alerts/<uuid:pk>/close/", alert_views.alert_close, name="alert_close"),
    path("monitoring/policies/", policy_views.policy_list, name="policies"),
    path("monitoring/policies/<int:pk>/apply/", policy_views.policy_apply, name="policy_apply"),
    path("monitoring/sites/", site_views.site_list, name="sites"),
    path("monitoring/sites/<int:pk>/rooms/", site_views.site_rooms, name="site_rooms"),
    path(
        "monitoring/hospitals/<int:pk>/toggle/", site_views.hospital_toggle, name="hospital_toggle"
    ),
]

public_urlpatterns = [
    path("c/<str:token>/", check_views.checkin_page, name="checkin_page"),
    path("c/<str:token>/done/", check_views.checkin_done, name="checkin_done"),
]
