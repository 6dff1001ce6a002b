"""Erasure: a committee report lists open tasks with their owner's name, so the finished
reports are built again once a task owner is erased (`participation.erasure`)."""

from meetings.models import Task

from .report_jobs import rebuild_finished_reports


def erase_person(erasure) -> None:
    if Task.objects.filter(owner_person=erasure.person).exists():
        rebuild_finished_reports()
