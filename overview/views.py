"""The home page at "/": what is waiting for the signed-in user, gathered from every app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from participation import selectors
from participation.models import Person

from .sections import nothing_waiting, role_of, sections_for


@login_required
def home(request):
    user = request.user
    sections = sections_for(user)
    context = {
        "person": Person.objects.filter(user=user).first(),
        "role": role_of(user),
        "sections": sections,
        "nothing_waiting": nothing_waiting(sections),
        "organisations": selectors.visible_organisations(user).filter(
            pk__in=selectors.own_organisation_ids(user)
        ),
        "bodies": selectors.visible_bodies(user).filter(pk__in=selectors.own_body_ids(user)),
    }
    return render(request, "overview/home.html", context)
