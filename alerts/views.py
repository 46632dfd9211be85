"""Subscribe, confirm, leave: public pages that set no cookie.

The forms here post without a CSRF token, because the token would need a
cookie (see subscribe() for why that is safe). Pages reached through a
personal link are never cached and never indexed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from medborgarlofte.db import use_primary
from medborgarlofte.ratelimit import rate_limited
from promises.models import Commitment, Promise

from . import links, subscriptions, targets
from .forms import SubscribeForm
from .models import CONFIRMATION_VALID, Subscription


def _unknown_target(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/unknown_target.html", status=404)


def _target_context(target: targets.Target) -> dict:
    """The target, and what the breadcrumbs need to lead back to its page."""
    obj = target.obj
    context = {"target": target, "municipality": target.municipality}
    if isinstance(obj, Promise):
        context.update(promise=obj, crumb_promise=True)
    elif isinstance(obj, Commitment):
        context.update(
            promise=obj.promise, crumb_promise=True, commitment=obj, crumb_commitment=True
        )
    return context


# No CSRF token, since it would set a cookie on a public page. A forged
# request could do no more than anyone can do by posting the form themselves:
# ask for a confirmation mail to some address. The double opt-in (nothing is
# sent until the owner confirms), the cap of one confirmation mail per
# subscription per few minutes and of a few unconfirmed subscriptions per
# address, and the rate limit per client address protect against that.
@csrf_exempt
@rate_limited("subscribe", "RATE_LIMIT_SUBSCRIBE", methods=("POST",))
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    target = targets.from_query(request.GET)
    if target is None:
        return _unknown_target(request)
    form = SubscribeForm(
        request.POST if request.method == "POST" else None,
        initial={"frekvens": Subscription.Frequency.DAILY},
    )
    if form.is_bound and form.is_valid():
        subscriptions.request(form.cleaned_data["epost"], target, form.cleaned_data["frekvens"])
        # The same answer whatever the address's state: see subscriptions.request().
        return redirect(f"{reverse('alerts:subscribe-sent')}?{target.query}")
    return render(
        request,
        "alerts/subscribe.html",
        {**_target_context(target), "form": form, "days": CONFIRMATION_VALID.days},
        status=400 if form.errors else 200,
    )


@require_safe
def subscribe_sent(request: HttpRequest) -> HttpResponse:
    target = targets.from_query(request.GET)
    context = _target_context(target) if target else {}
    return render(
        request, "alerts/subscribe_sent.html", {**context, "days": CONFIRMATION_VALID.days}
    )


# The personal link is what allows these: a CSRF token would add nothing to
# it, and would need a cookie. They read the primary database even on a GET:
# a subscription made or confirmed a moment ago may not be on a replica yet.
@csrf_exempt
@never_cache
@use_primary
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, code: str) -> HttpResponse:
    """GET asks, POST confirms: a link checker that opens the link confirms nothing."""
    try:
        token, expired = links.read_confirmation_code(code)
    except BadSignature:
        return _confirm_page(request, "invalid", status=400)
    subscription = subscriptions.for_token(token)
    if subscription is None:
        return _confirm_page(request, "gone", status=404)
    target = targets.of(subscription)
    if subscription.is_confirmed:
        return _confirm_page(request, "confirmed", target, subscription)
    if expired:
        return _confirm_page(request, "expired", target, status=410)
    if request.method == "POST":
        subscriptions.confirm(subscription)
        return _confirm_page(request, "confirmed", target, subscription, just_now=True)
    return _confirm_page(request, "ask", target, subscription)


def _confirm_page(
    request, state, target=None, subscription=None, *, just_now=False, status=200
) -> HttpResponse:
    context = _target_context(target) if target else {}
    context.update(
        {
            "state": state,
            "subscription": subscription,
            "just_now": just_now,
            "days": CONFIRMATION_VALID.days,
        }
    )
    return render(request, "alerts/confirm.html", context, status=status)


@csrf_exempt
@never_cache
@use_primary
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """POST leaves at once: the button on the page, and a mail program's one-click
    unsubscribe (RFC 8058), which posts "List-Unsubscribe=One-Click" here.

    GET only asks, with that button: programs that scan mail for harmful links
    open them, and must not end anyone's subscription by doing so (RFC 8058).
    """
    if request.method == "POST":
        target = subscriptions.unsubscribe(token)
        context = _target_context(target) if target else {}
        # Answered the same way when it was already gone: the address is not on the list.
        return render(request, "alerts/unsubscribe.html", {**context, "state": "left"})
    subscription = subscriptions.for_token(token)
    if subscription is None:
        return render(request, "alerts/unsubscribe.html", {"state": "gone"}, status=404)
    return render(
        request,
        "alerts/unsubscribe.html",
        {
            **_target_context(targets.of(subscription)),
            "state": "ask",
            "subscription": subscription,
        },
    )


ABOUT_DEFAULT_OWNER = _("lokalpolisområdena och kommunerna som publicerar sina medborgarlöften här")


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "alerts/about.html",
        {
            "site_owner": settings.SITE_OWNER or ABOUT_DEFAULT_OWNER,
            "feedback_email": settings.FEEDBACK_EMAIL,
            "days": CONFIRMATION_VALID.days,
        },
    )
