from django.urls import path

from lianfang.checkpoints import views

app_name = "checkpoints"

urlpatterns = [
    path("checkpoints/", views.home, name="home"),
    path("checkpoints/stats/", views.stats, name="stats"),
    path("checkpoints/sites/", views.sites, name="sites"),
    path("checkpoints/liaison.xlsx", views.liaison, name="liaison"),
    path("checkpoints/handovers/", views.inbox, name="inbox"),
    path("checkpoints/handovers/route/", views.route_queue, name="route_queue"),
    path("checkpoints/handovers/<uuid:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("checkpoints/handovers/<uuid:pk>/route/", views.route, name="route"),
    path("checkpoints/shifts/<int:pk>/close/", views.shift_close, name="shift_close"),
    path("checkpoints/<int:pk>/", views.board, name="board"),
    path("checkpoints/<int:pk>/check/", views.check_page, name="check"),
    path("checkpoints/<int:pk>/shift/", views.shift_open, name="shift_open"),
]
