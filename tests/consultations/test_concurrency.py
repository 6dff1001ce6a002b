"""Two members of one organisation saving the same section of their statement at the same
moment, each from the revision they had loaded: one save goes through, the other is a
conflict carrying the saved value, and the history holds exactly the one change."""

import threading

import pytest
from django.db import connections

from consultations import services

from .conftest import build_consultation, value

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_members_saving_the_same_section_at_once_lose_nothing(
    coordinator, member, colleague, own_org
):
    consultation = build_consultation(coordinator, [own_org])
    statement = services.statement_for(consultation, own_org)
    section = consultation.sections.first()
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(actor, entry):
        try:
            barrier.wait()
            services.save_section_answer(statement, section, entry, actor=actor, base_revision=0)
            outcomes[actor.pk] = "saved"
        except services.AnswerConflict as conflict:
            outcomes[actor.pk] = conflict.answer.value
        finally:
            connections.close_all()

    entries = {member: value("agree", "Von mir"), colleague: value("disagree", "Von ihr")}
    threads = [threading.Thread(target=save, args=item) for item in entries.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    [winner] = [user for user in entries if outcomes[user.pk] == "saved"]
    [loser] = [user for user in entries if user != winner]
    # The one who lost sees what the other saved, and nothing of theirs overwrote it.
    assert outcomes[loser.pk] == entries[winner]
    answer = statement.answers.get()
    assert answer.value == entries[winner] and answer.revision == 1
    assert list(answer.changes.values_list("changed_by", flat=True)) == [winner.pk]
