"""Subscribing to the meetings' calendar: the page to create, rotate and revoke the secret
address (shown once), and the feeds a calendar program fetches with it, without a session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from participation.selectors import visible_bodies

from .. import calendar_subscriptions, feed


@never_cache
@login_required
def subscribe_page(request):
    context = {"subscription": calendar_subscriptions.active(request.user)}
    if request.method == "POST":
        _subscription, raw = calendar_subscriptions.create(request.user, actor=request.user)
        context = {
            "subscription": _subscription,
            "feed_url": calendar_subscriptions.feed_url(raw),
            "body_urls": [
                (body, calendar_subscriptions.feed_url(raw, body))
                for body in visible_bodies(request.user).order_by("name")
            ],
        }
    return render(request, "meetings/calendar_subscribe.html", context)


@login_required
@require_POST
def subscribe_revoke(request):
    if calendar_subscriptions.revoke(request.user, actor=request.user):
        messages.success(request, _("Your calendar address is revoked: it shows nothing any more."))
    return redirect("meetings:calendar_subscribe")


def _feed_response(text, filename):
    response = HttpResponse(text, content_type=f"{feed.ICS_MIMETYPE}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def person_calendar(request, token, body_pk=None):
    """The feed a calendar program fetches with the secret address (no session)."""
    subscription = calendar_subscriptions.subscription_for_token(token)
    if subscription is None:
        raise Http404
    text = calendar_subscriptions.feed_for(subscription, body_pk=body_pk)
    if text is None:
        raise Http404
    return _feed_response(text, f"sitzungen-{body_pk}.ics" if body_pk else "sitzungen.ics")
