"""A supplier's member uploads a filled-in template from the delivery page: a wrong file is
refused with an error summary (row, column, problem) that takes focus, the right one is
stored with a message; axe finds no violation on the page, with and without errors."""

import pytest
from playwright.sync_api import expect

from monitoring import delivery_files
from monitoring.models import Delivery, Value
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_uploads_a_template_and_sees_each_error_by_row_and_column(
    page, live_server, member, own_org, delivery_round, neighbourhood, tmp_path
):
    delivery = Delivery.objects.get(round=delivery_round, organisation=own_org)
    template = delivery_files.template_csv(delivery).decode("utf-8-sig")
    wrong = tmp_path / "lieferung.csv"
    altstadt = f"05382060;{neighbourhood.key};Altstadt;EW;Einwohner;Personen;ja;"
    assert altstadt + ";;0" in template
    wrong.write_text(template.replace(altstadt + ";;0", altstadt + "viele;;0"), "utf-8-sig")
    sign_in(page, live_server, member)
    assert_accessible(page, live_server.url + delivery.get_absolute_url())
    expect(page.get_by_role("link", name="Vorlage als Excel-Datei (XLSX)")).to_be_visible()

    page.get_by_label("Ausgefüllte Vorlage (CSV oder XLSX)").set_input_files(str(wrong))
    page.get_by_role("button", name="Hochladen und Zahlen speichern").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    # mitplanen.js moves the focus to the summary.
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    expect(summary.get_by_role("cell", name="„viele“ ist keine Zahl.")).to_be_visible()
    expect(summary.get_by_role("row")).to_have_count(2)  # the header and the one error
    assert_accessible(page)
    assert not Value.objects.exists()

    right = tmp_path / "richtig.csv"
    right.write_text(
        f"AGS;Raumschlüssel;Indikator;Wert\r\n05382060;{neighbourhood.key};EW;1.234\r\n",
        encoding="utf-8-sig",
    )
    page.get_by_label("Ausgefüllte Vorlage (CSV oder XLSX)").set_input_files(str(right))
    page.get_by_role("button", name="Hochladen und Zahlen speichern").click()
    page.wait_for_load_state()
    expect(page.get_by_text("1 Zahl geändert, 0 unverändert", exact=False)).to_be_visible()
    assert Value.objects.get(space=neighbourhood).number == 1234
    assert_accessible(page)
