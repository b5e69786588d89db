"""Symptom vocabulary (DOMAIN §2). Stored as these keys; shown translated."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SYMPTOMS = {
    "fever": _("发热"),
    "cough": _("咳嗽"),
    "shortness_of_breath": _("气促"),
    "dry_cough": _("干咳"),
    "fatigue": _("乏力"),
    "sore_throat": _("咽痛"),
    "loss_of_smell_taste": _("嗅觉味觉减退"),
    "diarrhoea": _("腹泻"),
    "conjunctivitis": _("结膜炎"),
    "muscle_pain": _("肌肉酸痛"),
}
