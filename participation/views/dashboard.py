from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors
from ..models import Body, Organisation, Person


@login_required
def dashboard(request):
    user = request.user
    person = Person.objects.filter(user=user).first()
    context = {
        "person": person,
        "organisations": selectors.visible_organisations(user).filter(
            pk__in=selectors.own_organisation_ids(user)
        ),
        "bodies": selectors.visible_bodies(user).filter(pk__in=selectors.own_body_ids(user)),
    }
    if selectors.is_coordinator(user):
        context["counts"] = {
            "organisations": Organisation.objects.filter(is_active=True).count(),
            "people": Person.objects.count(),
            "bodies": Body.objects.filter(is_active=True).count(),
        }
    return render(request, "participation/dashboard.html", context)
