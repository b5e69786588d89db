from django.urls import path, re_path

from lianfang.cases import public_views, views

app_name = "cases"

urlpatterns = [
    path("cases/", views.board, name="board"),
    path("cases/desk/", views.desk, name="desk"),
    path("cases/desk/done/", views.desk_done, name="desk_done"),
    path("cases/categories/", views.categories, name="categories"),
    path("cases/stats/", views.stats, name="stats"),
    path("cases/export.xlsx", views.export, name="export"),
    re_path(r"^cases/posters/(?P<code>\d{12})\.pdf$", views.poster, name="poster"),
    path("cases/<uuid:order_id>/", views.detail, name="detail"),
    path("cases/<uuid:order_id>/photos/<int:photo_id>.jpg", views.photo, name="photo"),
    path("cases/<uuid:order_id>/accept/", views.accept, name="accept"),
    path("cases/<uuid:order_id>/return/", views.return_order, name="return"),
    path("cases/<uuid:order_id>/start/", views.start, name="start"),
    path("cases/<uuid:order_id>/note/", views.note, name="note"),
    path("cases/<uuid:order_id>/reply/", views.reply, name="reply"),
    path("cases/<uuid:order_id>/dispatch/", views.dispatch, name="dispatch"),
    path("cases/<uuid:order_id>/answer/", views.answer, name="answer"),
    path("cases/<uuid:order_id>/followup/", views.followup, name="followup"),
    path("cases/<uuid:order_id>/close/", views.close, name="close"),
    path("cases/<uuid:order_id>/merge/", views.merge, name="merge"),
    path("cases/<uuid:order_id>/reveal/", views.reveal, name="reveal"),
    path("cases/<uuid:order_id>/register/", views.lead_register, name="lead_register"),
    path("cases/<uuid:order_id>/extension/", views.extension_ask, name="extension_ask"),
    path(
        "cases/<uuid:order_id>/extension/decide/",
        views.extension_decide,
        name="extension_decide",
    ),
]

# Public (no login): the tip-off form behind the posters and the status page.
public_urlpatterns = [
    path("tips/", public_views.tip_form, name="tip_form"),
    path("tips/status/", public_views.tip_status, name="tip_status"),
    path("tips/done/", public_views.tip_done, name="tip_done"),
    path("tips/help/done/", public_views.help_done, name="tip_help_done"),
    path("tips/help/<str:token>/", public_views.help_request, name="tip_help"),
]
