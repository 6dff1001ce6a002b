"""Fixtures of the base app's tests: records in the registry, as the API shows them."""

from tests.api_support import create_payloads, member_records, outsider_records  # noqa: F401
