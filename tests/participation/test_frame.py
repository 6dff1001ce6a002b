"""The frame every page shares (templates/base.html) and the shared KERN rendering of forms."""

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

STYLESHEETS = [
    "kern/fonts/fira-sans.css",
    "kern/kern.min.css",
    "participation/theme.css",
    "participation/mitplanen.css",
]


def test_the_frame_loads_kern_the_theme_and_our_sheet_in_order_from_our_own_files(client):
    page = client.get(reverse("account_login")).content.decode()
    linked = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert linked == [f"/static/{name}" for name in STYLESHEETS]
    for name in STYLESHEETS:
        assert finders.find(name), name
    # The fonts KERN names are ours too.
    fonts_css = Path(finders.find("kern/fonts/fira-sans.css")).read_text(encoding="utf-8")
    font_files = re.findall(r'url\("\./([^"]+)"\)', fonts_css)
    assert font_files and all(finders.find(f"kern/fonts/{name}") for name in font_files)
    # The theme sets KERN's action colour.
    theme = Path(finders.find("participation/theme.css")).read_text(encoding="utf-8")
    assert "--kern-color-action-default:" in theme


def test_no_page_of_the_frame_names_another_site(client, coordinator):
    client.force_login(coordinator)
    for url in (reverse("account_login"), reverse("participation:organisation_list")):
        page = client.get(url).content.decode()
        addresses = re.findall(r'(?:href|src|action)="([^"]*)"', page)
        external = [a for a in addresses if re.match(r"(https?:)?//", a)]
        assert external == [], external
        assert "url(http" not in page


def test_the_signed_in_frame_has_navigation_account_and_kopfzeile(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("participation:organisation_list")).content.decode()
    assert "Ein Angebot des Rhein-Sieg-Kreises" in page
    nav = page.split('class="main-nav"')[1].split("</nav>")[0]
    assert [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", nav)] == [
        "Übersicht",
        "Organisationen",
        "Personen",
        "Gremien",
        "Abfragen",
        "Workshops",
        "Sitzungen",
        "Beteiligungsverfahren",
        "Monitoring",
    ]
    account = page.split('class="account-nav"')[1].split("</nav>")[0]
    assert coordinator.email in account and "Sicherheit" in account and "Abmelden" in account
    assert 'class="footer-links"' in page


def test_a_message_is_a_kern_alert_with_its_role(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("participation:organisation_create"),
        {"name": "Gemeinde Neu", "kind": "municipality", "ags": "05382999", "is_active": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert re.search(
        r'class="kern-alert kern-alert--success message message-success" role="status"', page
    )


class Sample(forms.Form):
    name = forms.CharField(label="Name", help_text="Wie er im Register steht.")
    kind = forms.ChoiceField(label="Art", choices=[("a", "Amt"), ("b", "Verband")])
    reply = forms.ChoiceField(
        label="Antwort", choices=[("y", "Ja"), ("n", "Nein")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="Einverstanden")


def test_every_form_field_renders_as_kern_with_its_error_wired_up():
    form = Sample(data={"kind": "a"})
    html = form.render()
    name = str(form["name"])
    assert 'class="kern-form-input__input kern-form-input__input--error"' in name
    assert 'aria-invalid="true"' in name
    assert 'aria-describedby="id_name_helptext id_name_error"' in name
    assert '<div class="kern-form-input kern-form-input--error">' in html
    assert '<label class="kern-label" for="id_name">Name</label>' in html
    assert '<div class="kern-hint" id="id_name_helptext">' in html
    assert re.search(r'<p class="kern-error" id="id_name_error" role="alert">', html)
    # a select in KERN's wrapper; radio buttons and a checkbox as KERN form-checks
    assert '<div class="kern-form-input__select-wrapper"><select name="kind"' in html
    assert (
        '<fieldset class="kern-fieldset kern-fieldset--error" aria-describedby="id_reply_error">'
        in html
    )
    assert '<legend class="kern-label">Antwort</legend>' in html
    assert re.search(
        r'<input type="radio" name="reply" value="y"[^>]*'
        r'class="kern-form-check__radio kern-form-check__radio--error"',
        html,
    )
    assert 'class="kern-form-check__checkbox kern-form-check__checkbox--error"' in html
    # the summary on top links to each field
    assert '<div class="error-summary" role="alert" tabindex="-1"' in html
    assert 'href="#id_reply_0"' in html and 'href="#id_name"' in html


def test_a_valid_field_has_no_error_marks():
    form = Sample(data={"name": "x", "kind": "a", "reply": "y", "agree": "on"})
    assert form.is_valid()
    html = form.render()
    assert "--error" not in html and "aria-invalid" not in html and "error-summary" not in html


def test_a_kind_with_brackets_is_never_bracketed_again(client, coordinator):
    """Kind labels hold brackets themselves ("Kreisverwaltung (Amt)")."""
    office = OrganisationFactory(name="Rhein-Sieg-Kreis", kind="county_office", ags=None)
    membership = MembershipFactory(organisation=office)
    client.force_login(coordinator)
    for url in (
        reverse("participation:organisation_list"),
        office.get_absolute_url(),
        membership.person.get_absolute_url(),
    ):
        text = re.sub(r"<[^>]+>", "", client.get(url).content.decode())
        assert "Kreisverwaltung (Amt)" in text, url
        assert "(Kreisverwaltung (Amt))" not in text and "((" not in text and "))" not in text
    person_page = client.get(membership.person.get_absolute_url()).content.decode()
    assert re.search(
        r"Rhein-Sieg-Kreis</a> <span[^>]*>– Kreisverwaltung \(Amt\)</span>", person_page
    )
