"""A body's calendar feed for signed-in members (calendar programs use the secret per-person
address of views.calendars instead)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from .. import feed, selectors


@login_required
def body_calendar(request, body_pk):
    body = selectors.get_body_for_user(request.user, body_pk)
    response = HttpResponse(
        feed.body_feed(body), content_type=f"{feed.ICS_MIMETYPE}; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="sitzungen-{body.pk}.ics"'
    return response
