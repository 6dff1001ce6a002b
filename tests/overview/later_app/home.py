"""A stand-in for a later app (meetings, date polls, tasks …) that adds its line to the home
page only by having this module."""

from participation.home import HomeItem, HomeSection


def for_member(user, *, today):
    return [
        HomeSection(
            key="tasks",
            heading="Aufgaben",
            order=15,
            items=[HomeItem(title="Protokoll prüfen", url="/tasks/1/", deadline=today)],
        )
    ]
