"""Data protection: the declarations of personal data every app keeps beside its models
(`inventory.py`), the records of processing built from them (`records.py`) and a person's
download of their own data (`exports.py`)."""
