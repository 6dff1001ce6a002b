"""Answers typed while the session had expired are not lost, whatever app they belong to.

A save posted without a valid session cannot be stored (nobody is signed in to store it
as), so the posted inputs are kept in the anonymous session instead: Django keeps session
data across the sign-in (it only cycles the key). When the user opens the response again
after signing in, the kept inputs go through the app's normal save, with its permission
and revision checks and its history (`restore`), and are then forgotten.

Inputs follow one naming rule: every input of question "x" is named "q-x" or "q-x-…"
(its revision "q-x-revision", see `responses.revision_name`). Each app keeps its entries
under its own session key (`KeptInput("surveys_kept_input")`), by response id.

What is kept is bounded, so an anonymous client cannot make sessions grow: the inputs of
at most `MAX_FIELDS` fields and `MAX_BYTES` of JSON in all, per app.
"""

import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import QueryDict

from .responses import AnswerConflict, posted_revision

MAX_FIELDS = 1000  # as Django's DATA_UPLOAD_MAX_NUMBER_FIELDS: a whole section fits
MAX_BYTES = 100_000  # a few long texts (10,000 characters each at most)
# Keys of published questions hold no hyphen.
INPUT_NAME = re.compile(r"q-([a-z0-9_]+)(?:-.*)?", re.DOTALL)


def _question_key(name):
    match = INPUT_NAME.fullmatch(name)
    return match.group(1) if match else None


def _as_query_dict(inputs):
    data = QueryDict(mutable=True)
    for name, values in inputs.items():
        data.setlist(name, values)
    return data


class KeptInput:
    """The inputs an app keeps over a sign-in, under `session_key` in the session."""

    def __init__(self, session_key: str):
        self.session_key = session_key

    def keep(self, session, response_pk: int, data: QueryDict, *, key: str | None = None):
        """Keep the posted inputs of question `key` (or of every question posted, for a
        whole form) of a response, with the revision each was based on, replacing what was
        kept of the same questions before. Returns False, keeping nothing of this post,
        when the kept inputs would grow beyond the bounds."""
        posted = {}
        for name in data:
            question_key = _question_key(name)
            if question_key and (key is None or question_key == key):
                posted.setdefault(question_key, {})[name] = data.getlist(name)
        kept = dict(session.get(self.session_key) or {})
        kept[str(response_pk)] = {**kept.get(str(response_pk), {}), **posted}
        fields = sum(len(inputs) for entries in kept.values() for inputs in entries.values())
        if fields > MAX_FIELDS or len(json.dumps(kept)) > MAX_BYTES:
            return False
        session[self.session_key] = kept
        return True

    def take(self, session, response_pk: int) -> dict[str, QueryDict]:
        """The inputs kept for a response, by question key; they are forgotten here."""
        kept = dict(session.get(self.session_key) or {})
        entries = kept.pop(str(response_pk), None)
        if entries is None:
            return {}
        if kept:
            session[self.session_key] = kept
        else:
            del session[self.session_key]
        return {key: _as_query_dict(inputs) for key, inputs in entries.items()}

    def put_back(self, session, response_pk: int, entries: dict[str, QueryDict]):
        """Keep entries taken but not shown yet (a part of what `take` returned: no new
        bounds)."""
        if not entries:
            return
        kept = dict(session.get(self.session_key) or {})
        mine = kept.setdefault(str(response_pk), {})
        for key, data in entries.items():
            mine[key] = {name: data.getlist(name) for name in data}
        session[self.session_key] = kept


@dataclass
class Refused:
    """A kept entry the normal save did not take: the answer changed since the user saw it
    (`conflict`, the current answer), or it is not valid (`error`)."""

    question: object
    raw: object
    data: QueryDict
    conflict: object = None
    error: str = ""


@dataclass
class Restored:
    saved: list = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    def __bool__(self):
        return bool(self.saved or self.refused)


def restore(response, entries: dict[str, QueryDict], questions, *, read, save) -> Restored:
    """Save kept inputs of a response the actor may answer (the caller checks that).

    `questions`: those of the response's questions that kept entries may answer, in page
    order (entries of questions it no longer has are dropped); `read(question, data)`
    turns a question's posted inputs into its raw value; `save(question, raw, *,
    base_revision)` is the app's normal save as a whole form (`whole_form=True`: entries
    the user had not changed are no edit). Conflicts and invalid entries come back as
    `refused` for the user to decide."""
    restored = Restored()
    answers = {answer.question_id: answer for answer in response.answers.all()}
    for question in questions:
        data = entries[question.key]
        raw = read(question, data)
        before = answers.get(question.pk)
        try:
            answer = save(question, raw, base_revision=posted_revision(data, question.key))
        except AnswerConflict as conflict:
            restored.refused.append(Refused(question, raw, data, conflict=conflict.answer))
        except ValidationError as error:
            restored.refused.append(Refused(question, raw, data, error=" ".join(error.messages)))
        else:
            if answer.revision != (before.revision if before else 0):
                restored.saved.append(question)
    return restored
