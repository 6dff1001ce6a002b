"""Documents for download, built the same way for every feature: PDF from a Django template
through WeasyPrint (`pdf.py`) and editable Word files through python-docx (`word.py`). The
same inputs give the same bytes: dates come from the record, never from the clock, and no
random ids are written."""
