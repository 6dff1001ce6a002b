"""Fixtures of the survey tests. None are survey-only yet: the organisations and their
members come from tests/conftest.py, the surveys themselves from tests/factories.py and
`build_survey` (tests/surveys/test_services.py)."""
