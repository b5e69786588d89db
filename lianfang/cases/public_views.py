"""The public tip-off pages (no login): the form, the receipt shown once, and the status page
opened with the receipt and check code (sent in a POST body: the codes are secrets, never in a
URL). Rate-limited by the real client address; a honeypot field instead of a captcha."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lianfang.cases import codes, photos, rules, selectors, services
from lianfang.cases.forms import AddInfoForm, StatusForm, TipForm
from lianfang.cases.models import Channel, MessageDirection, WorkOrder
from lianfang.core import crypto, ratelimit
from lianfang.core.clientaddr import client_address
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.permissions import PUBLIC
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import requires

SUBMITS_PER_HOUR = 20
LOOKUPS_PER_HOUR = 60


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def submit_tip(
    data: dict[str, Any],
    files: list[bytes],
    who: str,
    channel: str,
    actor: Any = None,
    observation_id: Any = None,
) -> Any:
    """Clean, re-encode the photos and receive, charging the address's limit (``who``; the
    operator's desk, ``actor``, is not limited) by the insert itself: a refused submission
    (429 included) leaves nothing of the order behind."""
    district = selectors.district_code()
    clean = rules.clean_tip(data, selectors.categories_in_force(), selectors.place_codes(district))
    cleaned = photos.reencode_all(files)

    limit = ratelimit.Limit("tips", who, SUBMITS_PER_HOUR, 3600, _("提交过于频繁，请稍后再试。"))
    return services.tip_receive(
        clean=clean,
        channel=channel,
        district=district,
        photos=cleaned,
        actor=actor,
        observation_id=observation_id,
        check=codes.new_check(),
        limit=limit if actor is None else None,
    )


@requires(PUBLIC)
def tip_form(request: ActorRequest) -> HttpResponse:
    district = selectors.district_code()
    initial = {"place_code": request.GET.get("c", "")}
    form = TipForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        categories=selectors.categories_in_force(),
        places=selectors.place_choices(district),
    )
    if request.method == "POST" and form.is_valid():
        if request.POST.get("website"):  # the honeypot people never see
            form.add_error(None, _("提交未成功，请刷新页面后重试。"))
        else:
            files = [f.read() for f in request.FILES.getlist("photos")]
            try:
                receipt = submit_tip(
                    form.cleaned_data, files, client_address(request) or "-", Channel.WEB
                )
            except DomainError as exc:
                apply_domain_error(exc, form)
                status = exc.status if isinstance(exc, ratelimit.RateLimited) else 200
                page = render(request, "cases/tip_form.html", {"form": form}, status=status)
                return _private(page)
            else:
                return _shown_once(request, receipt, "tip_done")
    return _private(render(request, "cases/tip_form.html", {"form": form}))


def _status_context(order: WorkOrder, form: Any) -> dict[str, Any]:
    replies = [
        (m.at, crypto.decrypt(m.text_enc, selectors.MESSAGE_LABEL))
        for m in order.messages.filter(direction=MessageDirection.TO_REPORTER)
    ]
    added = [
        (m.at, crypto.decrypt(m.text_enc, selectors.MESSAGE_LABEL))
        for m in order.messages.filter(direction=MessageDirection.FROM_REPORTER)
    ]
    return {"order": order, "replies": replies, "added_texts": added, "form": form}


def _lookup(request: ActorRequest, form: Any) -> WorkOrder | None:
    ratelimit.charge(
        "tip-status",
        client_address(request) or "-",
        limit=LOOKUPS_PER_HOUR,
        window_seconds=3600,
        message=_("查询过于频繁，请稍后再试。"),
    )
    return selectors.public_status(form.cleaned_data["receipt"], form.cleaned_data["check_code"])


@requires(PUBLIC)
def tip_status(request: ActorRequest) -> HttpResponse:
    """GET: the lookup form; POST: the status (same answer for an unknown receipt and a wrong
    code); POST with ``text``: information added under the same codes."""
    adding = "text" in request.POST
    form = StatusForm(request.POST or None)  # the codes first, whatever else was sent
    if request.method == "POST" and form.is_valid():
        try:
            order = _lookup(request, form)
            if order is None:
                form.add_error(None, _("受理编号或查询码不正确。"))
            else:
                codes = {k: form.cleaned_data[k] for k in ("receipt", "check_code")}
                info = AddInfoForm(request.POST if adding else None, initial=codes)
                added = False
                if adding and info.is_valid():
                    try:
                        services.message_from_reporter(order=order, text=info.cleaned_data["text"])
                    except DomainError as exc:
                        apply_domain_error(exc, info)
                    else:
                        added, info = True, AddInfoForm(initial=codes)
                context = _status_context(order, info) | {"added": added}
                status = 422 if adding and not added else 200
                return _private(render(request, "cases/tip_status.html", context, status=status))
        except DomainError as exc:
            apply_domain_error(exc, form)
    return _private(render(request, "cases/tip_lookup.html", {"form": form}))


@requires(PUBLIC)
def help_request(request: ActorRequest, token: str) -> HttpResponse:
    """A quarantined resident asks their community for help from their check-in link: the
    request becomes a work order for the community, with who and where already known."""
    from lianfang.cases.forms import HELP_NEEDS, HelpForm
    from lianfang.core import residentlinks

    holder = residentlinks.resolve(token)
    if holder is None:
        return _private(render(request, "cases/help_gone.html", status=404))
    form = HelpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        need = dict(HELP_NEEDS)[form.cleaned_data["need"]]
        note = form.cleaned_data.get("note") or ""
        data = {
            "category": "quarantine_help",
            "text": _("%(who)s（居家观察）需要：%(need)s。%(note)s")
            % {"who": holder.label, "need": need, "note": note},
            "place_code": holder.region_code,
            "urgent": form.cleaned_data.get("urgent"),
            "anonymous": True,
            "extra": {"need": str(need)},
        }
        try:
            receipt = submit_tip(
                data,
                [],
                f"help:{client_address(request) or '-'}",
                Channel.CHECKIN,
                observation_id=holder.observation_id,
            )
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            return _shown_once(request, receipt, "tip_help_done")
    return _private(render(request, "cases/help_form.html", {"form": form, "token": token}))


SHOWN_ONCE = "cases.receipt"


def _shown_once(request: ActorRequest, receipt: Any, page: str) -> HttpResponse:
    """Redirect after the submission (a reload must not file the tip again); the codes wait in
    the session for the one page that shows them."""
    from django.shortcuts import redirect

    request.session[SHOWN_ONCE] = {"receipt": receipt.receipt, "check_code": receipt.check_code}
    return redirect(page)


def pop_receipt(request: ActorRequest) -> dict[str, str] | None:
    found = request.session.pop(SHOWN_ONCE, None)
    return found if isinstance(found, dict) else None


@requires(PUBLIC)
def tip_done(request: ActorRequest) -> HttpResponse:
    """The codes, once: a reload shows that they were shown, not the codes again."""
    return _private(render(request, "cases/tip_done.html", {"receipt": pop_receipt(request)}))


@requires(PUBLIC)
def help_done(request: ActorRequest) -> HttpResponse:
    return _private(render(request, "cases/help_done.html", {"receipt": pop_receipt(request)}))
