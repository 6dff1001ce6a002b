"""Filled by the surveys issue; registered now so settings and migrations are stable."""
