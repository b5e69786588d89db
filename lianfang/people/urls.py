from django.urls import path, re_path

from lianfang.people import keyarea_views, views
from lianfang.people.duplicates import views as duplicate_views
from lianfang.people.imports import views as import_views
from lianfang.people.selfreg import views as selfreg_views
from lianfang.people.sweeps import views as sweep_views
from lianfang.people.transfers import views as transfer_views

app_name = "people"
CODE = r"(?P<code>[0-9]{12})"

urlpatterns = [
    path("people/", views.person_list, name="list"),
    path("people/export/", views.person_export, name="export"),
    path("people/new/", views.person_create, name="create"),
    path("people/<uuid:person_id>/", views.person_detail, name="detail"),
    path("people/<uuid:person_id>/reveal/<str:field_name>/", views.person_reveal, name="reveal"),
    path("people/<uuid:person_id>/registrations/", views.registration_add, name="registration_add"),
    path(
        "people/<uuid:person_id>/registrations/<uuid:registration_id>/override/",
        views.registration_override,
        name="registration_override",
    ),
    path("people/<uuid:person_id>/move/", views.person_move, name="move"),
    path("people/<uuid:person_id>/edit/", views.person_edit, name="edit"),
    path("people/imports/", import_views.import_list, name="imports"),
    path("people/imports/<uuid:import_id>/", import_views.import_detail, name="import_detail"),
    path(
        "people/imports/<uuid:import_id>/outcomes.xlsx",
        import_views.import_outcomes,
        name="import_outcomes",
    ),
    path("people/<uuid:person_id>/transfer/", transfer_views.propose, name="transfer_propose"),
    path("people/transfers/", transfer_views.inbox, name="transfers"),
    path("people/transfers/request/", transfer_views.request_transfer, name="transfer_request"),
    path(
        "people/transfers/<uuid:transfer_id>/decide/", transfer_views.decide, name="transfer_decide"
    ),
    path("people/key-areas/", keyarea_views.key_areas, name="key_areas"),
    path("people/key-areas/<int:pk>/end/", keyarea_views.key_area_end, name="key_area_end"),
    path("people/sweeps/", sweep_views.sweep_list, name="sweeps"),
    path("people/sweeps/<uuid:sweep_id>/", sweep_views.sweep_detail, name="sweep_detail"),
    path("people/sweeps/<uuid:sweep_id>/close/", sweep_views.sweep_close, name="sweep_close"),
    path("people/sweeps/<uuid:sweep_id>/assign/", sweep_views.sweep_assign, name="sweep_assign"),
    re_path(
        r"^people/sweeps/(?P<sweep_id>[0-9a-f-]{36})/b/(?P<code>[0-9]{15})/$",
        sweep_views.sweep_building,
        name="sweep_building",
    ),
    path("people/duplicates/", duplicate_views.queue, name="duplicates"),
    path("people/duplicates/<uuid:candidate_id>/", duplicate_views.detail, name="duplicate_detail"),
    path(
        "people/duplicates/<uuid:candidate_id>/decide/",
        duplicate_views.decide,
        name="duplicate_decide",
    ),
    path("people/route/", import_views.route_queue, name="route_queue"),
    path("people/route/<int:row_id>/", import_views.route_row, name="route_row"),
    path("people/self-reports/", selfreg_views.queue, name="selfreg_queue"),
    path(
        "people/self-reports/<uuid:report_id>/", selfreg_views.report_detail, name="selfreg_report"
    ),
    path("people/self-registration/", selfreg_views.links, name="selfreg_links"),
    re_path(
        rf"^people/self-registration/{CODE}/issue/$", selfreg_views.link_issue, name="selfreg_issue"
    ),
    re_path(
        rf"^people/self-registration/{CODE}/poster.pdf$",
        selfreg_views.poster,
        name="selfreg_poster",
    ),
]

# Public (no login): the page behind a community's QR code.
public_urlpatterns = [
    path("r/<str:token>/", selfreg_views.public_form, name="selfreg_form"),
    path("r/<str:token>/done/", selfreg_views.public_done, name="selfreg_done"),
]
