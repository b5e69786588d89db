"""The referrals list (转诊): pending ones first for the doctor's feedback, each linked to its
observation's page where the outcome is recorded. Thin: selectors do the reading."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianfang.core.scoping import ActorRequest
from lianfang.core.views import paginate, requires
from lianfang.monitoring import selectors
from lianfang.monitoring.models import ReferralOutcome
from lianfang.monitoring.permissions import REFER, VIEW_MONITORING
from lianfang.people import selectors as people_selectors

SEARCH_KEY = "monitoring_referral_q"


def _search_text(request: ActorRequest) -> str:
    # A name (or an ID number) never travels in a URL: the form posts it into the session.
    return str(request.session.get(SEARCH_KEY, "")) if request.GET.get("qs") == "1" else ""


@requires(VIEW_MONITORING)
def referral_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if request.method == "POST":
        request.session[SEARCH_KEY] = request.POST.get("q", "").strip()[:60]
        params = {"qs": "1", "outcome": request.POST.get("outcome", "pending")}
        return redirect(reverse("monitoring:referrals") + "?" + urlencode(params))
    outcome = request.GET.get("outcome", ReferralOutcome.PENDING)
    text = _search_text(request)
    qs = selectors.referrals(
        actor,
        pending=outcome == ReferralOutcome.PENDING,
        outcome=outcome,
        persons=people_selectors.persons(actor, q=text) if text else None,
    )
    page, query = paginate(request, qs)
    return render(
        request,
        "monitoring/referrals.html",
        {
            "page": page,
            "query": query,
            "outcome": outcome,
            "outcomes": [("all", _("全部")), *ReferralOutcome.choices],
            "search_text": text,
            "can_refer": actor.can(REFER),
        },
    )
