from django.urls import path

from lianfang.people import views

app_name = "people"

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
]
