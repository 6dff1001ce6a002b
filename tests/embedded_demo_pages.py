"""Run by tests/test_embedded_demo.py in a process of its own, on the embedded SQLite
database that `make run` uses, after `migrate` and `seed_demo`: prints each page's status
as `<status> <role> <url>`. The pages whose queries are written in SQL by hand."""

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from consultations.models import Consultation  # noqa: E402
from monitoring.models import Delivery, Indicator, Round  # noqa: E402


def pages_of_the_coordinator():
    for consultation in Consultation.objects.all():
        yield f"/consultations/{consultation.pk}/weighing/"
        yield f"/consultations/{consultation.pk}/weighing/?section=1"
        yield f"/consultations/{consultation.pk}/weighing.xlsx"
    for indicator in Indicator.objects.all():
        yield f"/monitoring/indicators/{indicator.pk}/results/"
        yield f"/monitoring/indicators/{indicator.pk}/export/kommonitor.csv"
        yield f"/monitoring/indicators/{indicator.pk}/export/kommonitor.geojson"
    for delivery_round in Round.objects.all():
        yield f"/monitoring/rounds/{delivery_round.pk}/"
        yield f"/monitoring/rounds/{delivery_round.pk}/export.xlsx"
    for delivery in Delivery.objects.all():
        yield f"/monitoring/deliveries/{delivery.pk}/"
    yield "/"


def main():
    users = get_user_model().objects
    for role, email, urls in (
        ("coordinator", "koordination@demo.mitplanen.example", pages_of_the_coordinator()),
        ("member", "mitglied@demo.mitplanen.example", ["/"]),
    ):
        client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="de")
        client.force_login(users.get(email=email))
        for url in urls:
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            print(response.status_code, role, url, flush=True)


main()
