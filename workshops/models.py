"""Filled by the workshops issue; registered now so settings and migrations are stable."""
