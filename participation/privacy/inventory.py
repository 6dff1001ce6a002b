"""The contract for declaring personal data, and the rule that finds undeclared fields.

Every installed app (ours, and the base for the third-party apps it installs) has a module
`<app>/personal_data.py` with a list `DECLARATIONS`: for each model a `Declaration` (personal
fields, category, purpose, legal basis, who can see it, a key of `retention.PERIODS`, and
how to find the records of one person) or `NoPersonalData` with the reason. The records of
processing (Art. 30 GDPR) and "Download my data" (Art. 15/20) are built from these lists,
so what the county declares and what the platform hands out cannot drift apart. The base
gathers the modules through the app registry, so it imports no feature app.

**The rule for a personal field** (`flagged_fields`), checked for every concrete model by
`tests/participation/test_personal_data.py`:

- a foreign key or one-to-one field to the user model or to `participation.Person`;
- an `EmailField` or a `GenericIPAddressField`;
- a text field (`CharField`, `TextField`, `JSONField`) whose name, split at underscores,
  holds one of `PERSONAL_WORDS` (name, email, phone, address, notes, comment, needs, wishes,
  dietary, text, word, presenter, deputy, display): the words for who someone is, how to
  reach them and what they wrote.

Each such field must be in a declaration's `fields` or `withheld`, or in `exempt` (a field
that matches the rule but holds nothing about a person) with the reason; every concrete
model must be declared, by one or more `Declaration`s or by `NoPersonalData`."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..hooks import app_modules
from ..retention import PERIODS

PERSONAL_WORDS = frozenset(
    {
        "name",
        "email",
        "phone",
        "address",
        "notes",
        "comment",
        "needs",
        "wishes",
        "dietary",
        "text",
        "word",
        "presenter",
        "deputy",
        "display",
    }
)
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
PERSON_MODEL = "participation.Person"
HOOK_MODULE = "personal_data"


@dataclass(frozen=True)
class Declaration:
    """One kind of personal record: `fields` of `model` ("app_label.ModelName") about one
    person. `subject` are lookup paths from the model to the person the record is about:
    each ends at the user model, `participation.Person`, `participation.Invitation` or an
    e-mail field (the download finds the records by them); `find`, for records no path
    reaches, takes a `DataSubject` and returns a queryset. `context` are fields without
    personal data handed out beside `fields` (dates, states). `withheld` are personal fields
    kept out of the download, each with the reason (a secret that opens the account)."""

    key: str
    model: str
    fields: tuple[str, ...]
    category: str
    purpose: str
    legal_basis: str
    visible_to: str
    retention: str
    subject: tuple[str, ...] = ()
    find: Callable | None = None
    context: tuple[str, ...] = ()
    withheld: Mapping[str, str] = field(default_factory=dict)
    exempt: Mapping[str, str] = field(default_factory=dict)
    # Why no path leads from these records to a person (a name typed as free text).
    unfindable: str = ""

    def __post_init__(self):
        if self.retention not in PERIODS:
            raise ValueError(f"{self.key}: unknown retention key {self.retention!r}")
        if not (self.subject or self.find or self.unfindable):
            raise ValueError(f"{self.key}: say how to find a person's records, or why not")

    @property
    def model_class(self):
        return apps.get_model(self.model)

    @property
    def period(self):
        return PERIODS[self.retention]

    @property
    def findable(self) -> bool:
        return bool(self.subject) or self.find is not None


@dataclass(frozen=True)
class NoPersonalData:
    """A model that holds no personal data; `reason` says why, and covers every field of it
    the rule flags."""

    model: str
    reason: str

    @property
    def model_class(self):
        return apps.get_model(self.model)


# Legal bases used across the apps, one wording each.
PUBLIC_TASK = _("Art. 6(1)(e) GDPR with § 3 DSG NRW (a task in the public interest)")
CONSENT_SPECIAL = _("Art. 9(2)(a) GDPR (explicit consent)")
LEGAL_OBLIGATION = _("Art. 6(1)(c) GDPR with Art. 32 GDPR (security of processing)")


def authored(key, model, by, *, purpose, fields=(), context=(), exempt=None) -> Declaration:
    """Who set up, wrote or changed a record (`by`, a link to the account or person): the
    author's name in the county's files, found by that link."""
    return Declaration(
        key=key,
        model=model,
        fields=(by, *fields),
        context=context,
        category=_("Authors of records"),
        purpose=purpose,
        legal_basis=PUBLIC_TASK,
        visible_to=_("coordinators; members who may see the record"),
        retention="records",
        subject=(by,),
        exempt=exempt or {},
    )


def _words(name):
    return set(re.split(r"_+", name.lower()))


def is_person_relation(model_field) -> bool:
    if not model_field.is_relation or not (model_field.many_to_one or model_field.one_to_one):
        return False
    target = model_field.related_model
    if target is None or isinstance(target, str):
        return False
    label = target._meta.label
    return label in (settings.AUTH_USER_MODEL, PERSON_MODEL)


def flagged_fields(model) -> set[str]:
    """The concrete fields of `model` the rule takes for personal (see the module's
    docstring)."""
    return {
        model_field.name
        for model_field in model._meta.concrete_fields
        if is_person_relation(model_field)
        or isinstance(model_field, models.EmailField | models.GenericIPAddressField)
        or (isinstance(model_field, TEXT_FIELDS) and _words(model_field.name) & PERSONAL_WORDS)
    }


@cache
def hook_modules():
    """The `personal_data` modules of the installed apps, in app order (`hooks.app_modules`)."""
    return tuple(module for _config, module in app_modules(HOOK_MODULE))


def all_entries() -> list:
    """Every `Declaration` and `NoPersonalData` of every installed app."""
    return [entry for module in hook_modules() for entry in module.DECLARATIONS]


def declarations() -> list[Declaration]:
    return [entry for entry in all_entries() if isinstance(entry, Declaration)]


def undeclared(model_classes, entries) -> list[str]:
    """What the rule finds that `entries` do not declare: models without any entry, and
    personal fields no declaration names, as "app.Model" or "app.Model.field"."""
    by_model: dict[str, list] = {}
    for entry in entries:
        by_model.setdefault(entry.model.lower(), []).append(entry)
    missing = []
    for model in model_classes:
        label = model._meta.label
        found = by_model.get(label.lower())
        if not found:
            missing.append(label)
            continue
        if any(isinstance(entry, NoPersonalData) for entry in found):
            continue
        covered = set()
        for entry in found:
            covered |= set(entry.fields) | set(entry.withheld) | set(entry.exempt)
        missing.extend(f"{label}.{name}" for name in sorted(flagged_fields(model) - covered))
    return missing


def unknown_fields(entries) -> list[str]:
    """Declared names that are no field of their model (a renamed field, a typo)."""
    wrong = []
    for entry in entries:
        if not isinstance(entry, Declaration):
            continue
        names = {f.name for f in entry.model_class._meta.concrete_fields}
        declared = (*entry.fields, *entry.context, *entry.withheld, *entry.exempt)
        wrong.extend(f"{entry.key}: {name}" for name in declared if name not in names)
    return wrong


def concrete_models():
    """Every concrete model of every installed app (no proxies, no unmanaged views)."""
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy and not model._meta.abstract and model._meta.managed
    ]
