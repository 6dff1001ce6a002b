"""The consultations' chapter of the committee report: who was asked, who answered, what
became of the points, whether the result is out; in the PDF the committee reads."""

import datetime
import io

import pytest
import time_machine
from pypdf import PdfReader

from consultations import report, weighing
from consultations.models import Reply
from overview import committee

from .conftest import own_answer

pytestmark = pytest.mark.django_db

START, END = datetime.date(2027, 1, 1), datetime.date(2027, 6, 30)


@pytest.fixture
def weighed(cycle, coordinator, own_org, other_org):
    """Two points weighed (one adopted, one not), the result published on 2027-04-01."""
    with time_machine.travel(datetime.datetime(2027, 4, 1, 9, 0, tzinfo=datetime.UTC)):
        for organisation, reply in ((own_org, Reply.ADOPTED), (other_org, Reply.NOT_ADOPTED)):
            point = weighing.add_point(
                own_answer(cycle, organisation, 1), actor=coordinator, text="Punkt"
            )
            weighing.save_point(
                point,
                actor=coordinator,
                base_revision=point.revision,
                text="Punkt",
                reply=reply,
                reasons="Begründung",
            )
        weighing.publish(cycle, actor=coordinator, notify=False)
    return cycle


def test_the_chapter_counts_asked_answered_weighed_and_published(weighed):
    [part] = report.summary(start=START, end=END)
    [table] = part.tables
    assert table.rows == [
        [weighed.title, "15.03.2027", 3, 2, 0, 1, 2, 1, 1, "Version 1 vom 01.04.2027"]
    ]
    assert part.paragraphs == [
        "1 Beteiligungsverfahren liefen im Zeitraum; 2 von 3 erbetenen Stellungnahmen wurden "
        "abgegeben, 0 Organisationen erklärten, keine abzugeben."
    ]


def test_a_period_before_the_consultation_has_no_rows(weighed):
    [part] = report.summary(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    assert part.tables == []
    assert part.paragraphs == ["Im Zeitraum lief kein Beteiligungsverfahren."]


def test_the_committee_report_pdf_has_the_consultations_chapter(weighed):
    content = committee.report_content(START, END)
    assert [part.key for part in content.parts][-1] == "consultations"
    data = committee.build_pdf(content)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Beteiligungsverfahren" in text
    assert "Version 1 vom 01.04.2027" in text
