from django.urls import path, re_path

from lianfang.reporting import views

app_name = "reporting"

DAY = r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})"
CODE = r"(?P<code>[0-9]{6,12})"

urlpatterns = [
    path("reports/", views.overview, name="overview"),
    path("reports/mine/", views.mine, name="mine"),
    path("reports/supervision/", views.supervision, name="supervision"),
    path("reports/supervision/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("reports/bulletins/", views.bulletin_list, name="bulletins"),
    path("reports/bulletins/<int:pk>.<str:fmt>", views.bulletin_file, name="bulletin_file"),
    path("reports/public/", views.public, name="public"),
    path("reports/policies/", views.policies, name="policies"),
    re_path(rf"^reports/{CODE}/history/$", views.history, name="history"),
    re_path(rf"^reports/{CODE}/{DAY}/$", views.detail, name="detail"),
    re_path(rf"^reports/{CODE}/{DAY}/submit/$", views.submit, name="submit"),
    re_path(
        rf"^reports/{CODE}/{DAY}/review/(?P<decision>approve|return)/$",
        views.review,
        name="review",
    ),
    re_path(rf"^reports/{CODE}/{DAY}/figures/(?P<key>[a-z0-9_]+)/$", views.drill, name="drill"),
]
