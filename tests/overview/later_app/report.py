"""A later app's part of the committee report (as consultations will add theirs)."""

from participation.report import ReportPart, ReportTable


def summary(*, start, end):
    return [
        ReportPart(
            key="consultations",
            heading="Konsultationen",
            order=50,
            paragraphs=[f"Konsultationen vom {start:%d.%m.%Y} bis {end:%d.%m.%Y}: 1."],
            tables=[
                ReportTable(
                    caption="Stellungnahmen",
                    header=["Entwurf", "Stellungnahmen"],
                    rows=[["Indikatorenset", 4]],
                    numeric=(1,),
                    sheet="Konsultationen",
                )
            ],
        )
    ]
