"""CSV import of people: all rows checked first, all-or-nothing, Excel encodings."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participation.models import Membership, Person
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    return [
        OrganisationFactory(name="Stadt Königswinter", ags="05382024"),
        OrganisationFactory(name="Caritas", kind="welfare_association", ags=None),
    ]


def upload(client, content, *, encoding="utf-8", check_only=False):
    data = {"file": SimpleUploadedFile("people.csv", content.encode(encoding), "text/csv")}
    data["check_only" if check_only else "import"] = "1"
    return client.post(reverse("participation:person_import"), data, follow=True)


def test_valid_utf8_file_imports_every_row(client, coordinator, organisations):
    client.force_login(coordinator)
    response = upload(
        client,
        "Vorname;Nachname;E-Mail;Organisation;Funktion\n"
        "Jörg;Mustermann;joerg@koenigswinter.example;05382024;Sozialplaner\n"
        "Änne;Beispiel;aenne@caritas.example;caritas;Referentin\n",
    )
    assert "2 Personen importiert." in response.content.decode()
    joerg = Person.objects.get(email="joerg@koenigswinter.example")
    assert joerg.first_name == "Jörg"
    assert Membership.objects.get(person=joerg).organisation.ags == "05382024"
    assert Membership.objects.get(person__first_name="Änne").function == "Referentin"


def test_windows_1252_file_from_excel_imports_umlauts(client, coordinator, organisations):
    client.force_login(coordinator)
    content = (
        "first_name;last_name;email;organisation;function\r\n"
        "Jürgen;Größe;juergen@koenigswinter.example;Stadt Königswinter;Sozialdezernent\r\n"
    )
    upload(client, content, encoding="cp1252")
    person = Person.objects.get(email="juergen@koenigswinter.example")
    assert (person.first_name, person.last_name) == ("Jürgen", "Größe")


def test_one_bad_row_imports_nothing_and_names_each_rows_error(client, coordinator, organisations):
    PersonFactory(email="vergeben@example.org")
    client.force_login(coordinator)
    response = upload(
        client,
        "first_name,last_name,email,organisation,function\n"
        "Gut,Zeile,gut@example.org,Caritas,\n"
        "Doppelt,Vergeben,VERGEBEN@example.org,Caritas,\n"
        "Unbekannt,Organisation,unbekannt@example.org,Nirgendwo,\n"
        ",Ohne Vorname,kaputt-at-example.org,Caritas,\n"
        "Zweimal,Gleich,gut@example.org,Caritas,\n",
    )
    page = response.content.decode()
    assert "Es wurde nichts importiert" in page
    assert (
        "vergeben@example.org" in page and "Nirgendwo" in page and "kaputt-at-example.org" in page
    )
    listed_lines = set(re.findall(r"<tr[^>]*><td[^>]*>(\d+)</td>", page))
    assert listed_lines == {"3", "4", "5", "6"}  # the good row (line 2) is not listed as wrong
    assert not Person.objects.filter(email="gut@example.org").exists()
    assert Person.objects.count() == 1 + Person.objects.filter(user__isnull=False).count()


def test_wrong_columns_are_named_and_nothing_imported(client, coordinator, organisations):
    client.force_login(coordinator)
    page = upload(client, "Name,Mail\nA,a@example.org\n").content.decode()
    assert "Fehlende Spalten" in page and "email" in page
    assert not Person.objects.filter(email="a@example.org").exists()


def test_check_only_validates_without_importing(client, coordinator, organisations):
    """Catches: the check's success sentence missing (an error text also contains "gültig")."""
    client.force_login(coordinator)
    page = upload(
        client,
        "first_name,last_name,email,organisation\nNur,Prüfen,pruefen@example.org,Caritas\n",
        check_only=True,
    ).content.decode()
    assert (
        "1 Zeile ist gültig. Laden Sie die Datei erneut mit „Importieren“ hoch, um sie zu "
        "importieren."
    ) in " ".join(page.split())
    assert "Es wurde nichts importiert" not in page
    assert not Person.objects.filter(email="pruefen@example.org").exists()


def test_member_cannot_import(client, member):
    client.force_login(member)
    assert client.get(reverse("participation:person_import")).status_code == 404
