"""`login_required` for the views that save an organisation's answers (any app using the
organisation-response engine), which must not lose what was typed when the session has
expired.

`login_required` would redirect to the sign-in page, and htmx follows redirects unseen: it
would swap the sign-in page into the question and the entry would be gone. Instead the
posted inputs are kept (`participation.kept_input`) for after the sign-in, and the user is
told: htmx gets the message for the question's status part (401), a form post goes to the
sign-in page and back to the response."""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget

from ..kept_input import KeptInput
from ..responses import posted_revision, revision_name


def login_required_keeping_input(kept: KeptInput, page_for):
    """A view decorator for views taking the response's `pk` (and optionally a question
    `key` or a `section_pk`). `page_for(pk, section_pk)` is the URL of the response page
    (of that section) to return to after the sign-in."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            if request.user.is_authenticated:
                return view(request, pk, *args, **kwargs)
            if request.method != "POST":
                return redirect_to_login(request.get_full_path())
            key = kwargs.get("key")
            stored = kept.keep(request.session, pk, request.POST, key=key)
            login_url = redirect_to_login(
                _page_after_sign_in(request, page_for, pk, kwargs.get("section_pk"))
            ).url
            if not (request.htmx and key):
                messages.warning(request, _session_expired_message(stored))
                return redirect(login_url)
            context = {
                "key": key,
                "kept": stored,
                "login_url": login_url,
                "revision": (
                    posted_revision(request.POST, key)
                    if revision_name(key) in request.POST
                    else None
                ),
            }
            result = render(
                request, "participation/includes/session_expired.html", context, status=401
            )
            return reswap(retarget(result, f"#question-{key}-status"), "innerHTML")

        return wrapper

    return decorator


def _page_after_sign_in(request, page_for, pk, section_pk):
    """The response page the user was on (from htmx's current URL), to return to."""
    page = page_for(pk, section_pk)
    if section_pk is not None:
        return page
    current = request.htmx.current_url_abs_path if request.htmx else None
    if current and urlsplit(current).path == urlsplit(page).path:
        return current
    return page


def _session_expired_message(kept):
    if kept:
        return _("Your session has expired. Sign in again – what you entered is kept.")
    return _(
        "Your session has expired. What you entered was too much to keep: please sign in "
        "again and enter it anew."
    )
