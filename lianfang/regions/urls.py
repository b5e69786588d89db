from django.urls import path, re_path

from lianfang.regions import views

app_name = "regions"
CODE = r"(?P<code>[0-9]{6}(?:[0-9]{3}){0,3})"

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/", views.search, name="search"),
    re_path(rf"^regions/{CODE}/$", views.region_detail, name="detail"),
    path("manage/regions/", views.manage, name="manage"),
    re_path(rf"^manage/regions/{CODE}/$", views.manage_region, name="manage_region"),
    re_path(rf"^manage/regions/{CODE}/active/$", views.set_active, name="set_active"),
]
