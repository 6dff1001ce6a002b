"""The account's API tokens: a list with a form to create one (its key shown once, on the
page that answers the form) and a button to revoke each."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import api_tokens, selectors
from ..forms import ApiTokenForm
from .common import add_errors


@login_required
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    created = raw = None
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = (
            timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.min))
            if expires_on
            else None
        )
        try:
            created, raw = api_tokens.create_token(
                request.user, name=form.cleaned_data["name"], expires_at=expires_at, request=request
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "expires_at" in error.error_dict:
                error = ValidationError({"expires_on": error.error_dict["expires_at"]})
            add_errors(form, error)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "participation/account/tokens.html",
        {
            "form": form,
            "tokens": selectors.own_api_tokens(request.user),
            "created": created,
            "raw_key": raw,
            "may_create": api_tokens.may_create(request.user),
            "now": timezone.now(),
        },
    )
    # The page with a new key must not stay in any cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = selectors.get_api_token_for_user(request.user, pk)
    api_tokens.revoke_token(token, actor=request.user, request=request)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("participation:api_tokens")
