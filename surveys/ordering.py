"""Moving sections and questions of a draft version up and down in the builder.

After every move the positions are dense and unique again (1, 2, 3, … within the version,
or within the section), whatever they were before: the section and question forms let a
coordinator type positions by hand, so gaps and ties can exist.
"""

from auditlog.context import set_actor
from django.db import transaction

from .models import Question, Section, Survey, SurveyVersion
from .services import _ensure_draft

UP, DOWN = "up", "down"
DIRECTIONS = (UP, DOWN)


def _locked_draft(version_id):
    """The version, read again while its survey is locked (as publishing locks it), so a
    move neither races another move nor changes a version being published."""
    version = SurveyVersion.objects.get(pk=version_id)
    Survey.objects.select_for_update().get(pk=version.survey_id)
    version.refresh_from_db()
    _ensure_draft(version)
    return version


def _renumbered(items):
    """Give `items` (in their new order) the positions 1, 2, 3, …; returns those changed."""
    changed = []
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            changed.append(item)
    return changed


def _neighbour(index, direction, count):
    target = index - 1 if direction == UP else index + 1
    return target if 0 <= target < count else None


def move_section(section: Section, *, direction: str, actor) -> Section:
    """Move a section of a draft version one place up or down (the first stays first, the
    last stays last). Raises ValidationError for a published version."""
    if direction not in DIRECTIONS:
        raise ValueError(f"Unknown direction {direction!r}")
    with transaction.atomic(), set_actor(actor):
        version = _locked_draft(section.version_id)
        sections = list(version.sections.order_by("position", "pk"))
        index = next(i for i, item in enumerate(sections) if item.pk == section.pk)
        target = _neighbour(index, direction, len(sections))
        if target is not None:
            sections[index], sections[target] = sections[target], sections[index]
        Section.objects.bulk_update(_renumbered(sections), ["position"])
    section.refresh_from_db()
    return section


def move_question(question: Question, *, direction: str, actor) -> Question:
    """Move a question of a draft version one place up or down within its section. The
    first question of a section moves up to the end of the previous section, the last one
    down to the start of the next; the very first and very last stay. Raises
    ValidationError for a published version."""
    if direction not in DIRECTIONS:
        raise ValueError(f"Unknown direction {direction!r}")
    with transaction.atomic(), set_actor(actor):
        version = _locked_draft(Section.objects.get(pk=question.section_id).version_id)
        sections = list(version.sections.order_by("position", "pk"))
        section_index = next(i for i, s in enumerate(sections) if s.pk == question.section_id)
        siblings = list(sections[section_index].questions.order_by("position", "pk"))
        index = next(i for i, item in enumerate(siblings) if item.pk == question.pk)
        target = _neighbour(index, direction, len(siblings))
        changed = []
        if target is not None:
            siblings[index], siblings[target] = siblings[target], siblings[index]
        elif (other := _neighbour(section_index, direction, len(sections))) is not None:
            moving = siblings.pop(index)
            moving.section = sections[other]
            others = list(sections[other].questions.order_by("position", "pk"))
            others = [*others, moving] if direction == UP else [moving, *others]
            changed = _renumbered(others)
            if moving not in changed:
                changed.append(moving)  # its section changed, even if its position did not
        changed += _renumbered(siblings)
        Question.objects.bulk_update(changed, ["section", "position"])
    question.refresh_from_db()
    return question
