"""The KomMonitor CSV writes its text cells by hand (`value_exports._csv_text`), for speed:
each must come out as csv.writer writes the defused text, in the file's dialect."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from monitoring.value_exports import CSV_SEPARATOR, _csv_text
from participation.spreadsheets import defuse


def as_csv_writer_writes(text):
    """The cell as csv.writer writes it among others (alone, an empty cell becomes "")."""
    line = io.StringIO()
    csv.writer(line, delimiter=CSV_SEPARATOR, lineterminator="\r\n").writerow(
        [defuse(text), "next"]
    )
    return line.getvalue().removesuffix(f"{CSV_SEPARATOR}next\r\n")


TRICKY = ["Siegburg", "Sankt Augustin; Nord", 'Die "Mitte"', "=SUMME(A1)", "+49", "-3", "@x",
          "\tTab", "Zeile\nzwei", "Ende\r", "", " ", '"', ";", "Müller-Lüdenscheid"]  # fmt: skip


def test_the_tricky_texts_come_out_as_csv_writer_writes_them():
    assert [_csv_text(text) for text in TRICKY] == [as_csv_writer_writes(t) for t in TRICKY]


@given(st.text(alphabet=st.sampled_from(list('ab;"\r\n\t =+-@| ä')), max_size=12))
def test_any_text_comes_out_as_csv_writer_writes_it(text):
    assert _csv_text(text) == as_csv_writer_writes(text)
