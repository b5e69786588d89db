from django.urls import path

from lianfang.discipline import views

app_name = "discipline"

urlpatterns = [
    path("discipline/", views.register, name="register"),
    path("discipline/new/", views.clue_new, name="new"),
    path("discipline/rules/", views.rules, name="rules"),
    path("discipline/<uuid:clue_id>/", views.detail, name="detail"),
    path("discipline/<uuid:clue_id>/propose/", views.propose, name="propose"),
    path("discipline/<uuid:clue_id>/approve/", views.approve, name="approve"),
    path("discipline/<uuid:clue_id>/reject/", views.reject, name="reject"),
    path("discipline/<uuid:clue_id>/case/step/", views.case_step, name="case_step"),
    path("discipline/<uuid:clue_id>/case/decide/", views.decide, name="decide"),
    path(
        "discipline/<uuid:clue_id>/case/approve/", views.decision_approve, name="decision_approve"
    ),
    path("discipline/<uuid:clue_id>/case/reject/", views.decision_reject, name="decision_reject"),
    path("discipline/<uuid:clue_id>/forward/", views.forward, name="forward"),
    path("discipline/<uuid:clue_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("discipline/<uuid:clue_id>/inform-result/", views.inform_result, name="inform_result"),
    path("discipline/<uuid:clue_id>/reveal/", views.reveal_ask, name="reveal_ask"),
    path(
        "discipline/reveals/<int:reveal_id>/approve/", views.reveal_approve, name="reveal_approve"
    ),
    path("discipline/reveals/<int:reveal_id>/refuse/", views.reveal_refuse, name="reveal_refuse"),
    path("discipline/reveals/<int:reveal_id>/read/", views.reveal_read, name="reveal_read"),
    *(
        path(f"discipline/<uuid:clue_id>/{action.replace('_', '-')}/", view, name=action)
        for action, view in views.STEP_VIEWS.items()
    ),
]
