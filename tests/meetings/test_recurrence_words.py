"""The series' rule in words (German and English) and the cadence presets of the series
form, which fill the rule without JavaScript; the raw rule stays as "advanced"."""

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.models import MeetingSeries
from meetings.recurrence import describe

from .test_api import api
from .test_views import form_data


@pytest.mark.parametrize(
    ("rule", "german", "english"),
    [
        (
            "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU",
            "am 2. Dienstag im Januar, April, Juli und Oktober",
            "on the 2nd Tuesday of January, April, July and October",
        ),
        (
            "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=WE;BYMONTHDAY=9,10,11,12,13,14,15",
            "am Mittwoch zwischen dem 9. und 15. im Januar, April, Juli und Oktober",
            "on the Wednesday between the 9th and the 15th of January, April, July and October",
        ),
        ("FREQ=WEEKLY;BYDAY=TH", "wöchentlich am Donnerstag", "weekly on Thursday"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
            "alle 2 Wochen am Montag und Mittwoch",
            "every 2 weeks on Monday and Wednesday",
        ),
        ("FREQ=DAILY", "täglich", "daily"),
        ("FREQ=DAILY;INTERVAL=3", "alle 3 Tage", "every 3 days"),
        (
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR;COUNT=4",
            "alle 3 Monate am letzten Freitag, 4-mal",
            "every 3 months on the last Friday, 4 times",
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20271231T000000Z",
            "monatlich am 15., bis 31.12.2027",
            "monthly on the 15th, until 31 December 2027",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=1,22", "monatlich am 1. und 22.", "monthly on the 1st and 22nd"),
        ("FREQ=YEARLY;BYMONTH=3", "jährlich im März", "yearly in March"),
        (
            "FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=1MO",
            "alle 2 Jahre am 1. Montag im März",
            "every 2 years on the 1st Monday of March",
        ),
        (
            "rrule:freq=monthly;byday=3we",
            "monatlich am 3. Mittwoch",
            "monthly on the 3rd Wednesday",
        ),
    ],
)
def test_rule_in_words_in_both_languages(rule, german, english):
    assert describe(rule, "de") == german
    assert describe(rule, "en") == english
    with translation.override("de"):
        assert describe(rule) == german


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO",  # a part the form does not offer
        "FREQ=WEEKLY;BYDAY=2TU",  # an ordinal in a weekly rule
        "FREQ=MONTHLY;BYDAY=MO,TU",  # every Monday and Tuesday of the month
        "FREQ=MONTHLY;BYDAY=-2FR",
        "FREQ=HOURLY",
        "not a rule",
    ],
)
def test_unknown_shapes_fall_back_to_the_rule(rule):
    assert describe(rule, "de") == describe(rule, "en") == rule.upper()


@pytest.mark.django_db
def test_series_page_shows_the_rule_in_words(series, client, member):
    client.force_login(member)
    page = client.get(reverse("meetings:series_detail", args=[series.pk])).content.decode()
    assert "am 2. Dienstag im Januar, April, Juli und Oktober" in page
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = client.get(
            reverse("meetings:series_detail", args=[series.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "on the 2nd Tuesday of January, April, July and October" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ({"cadence": "weekly", "cadence_weekday": "TH"}, "FREQ=WEEKLY;BYDAY=TH"),
        (
            {"cadence": "monthly", "cadence_weekday": "WE", "cadence_ordinal": "-1"},
            "FREQ=MONTHLY;BYDAY=-1WE",
        ),
        (
            {
                "cadence": "quarterly",
                "cadence_weekday": "TU",
                "cadence_ordinal": "2",
                "cadence_month": "2",
            },
            "FREQ=YEARLY;BYMONTH=2,5,8,11;BYDAY=2TU",
        ),
        (
            {
                "cadence": "yearly",
                "cadence_weekday": "MO",
                "cadence_ordinal": "1",
                "cadence_month": "3",
            },
            "FREQ=YEARLY;BYMONTH=3;BYDAY=1MO",
        ),
    ],
)
def test_a_cadence_preset_fills_the_rule(clock, client, coordinator, body, choice, expected):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:series_create"), form_data(body, rule="", **choice))
    assert response.status_code == 302
    assert MeetingSeries.objects.get().rule == expected


@pytest.mark.django_db
def test_a_preset_without_its_fields_is_explained_and_nothing_saved(
    clock, client, coordinator, body
):
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:series_create"),
        form_data(body, rule="", cadence="quarterly", cadence_weekday="TU"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Wählen Sie, der wievielte Wochentag im Monat." in page
    assert "Wählen Sie den Monat für diesen Rhythmus." in page
    assert not MeetingSeries.objects.exists()


@pytest.mark.django_db
def test_advanced_without_a_rule_is_explained(clock, client, coordinator, body):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:series_create"), form_data(body, rule=""))
    assert "Wählen Sie einen Rhythmus oder schreiben Sie eine Wiederholungsregel" in (
        response.content.decode()
    )
    assert not MeetingSeries.objects.exists()


@pytest.mark.django_db
def test_api_gives_the_rule_in_words_in_the_requested_language(series, member):
    url = f"/api/v1/meeting-series/{series.pk}/"
    german = api(member).get(url, HTTP_ACCEPT_LANGUAGE="de").json()
    english = api(member).get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert german["rule"] == "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU"
    assert german["rule_in_words"] == "am 2. Dienstag im Januar, April, Juli und Oktober"
    assert english["rule_in_words"] == "on the 2nd Tuesday of January, April, July and October"
