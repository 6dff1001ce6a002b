"""The declarations of personal data: every concrete model of every installed app is
declared, every field the rule takes for personal is declared or exempted with a reason,
every declared name is a field, every way to a person's records ends at a person, and the
check itself catches a field nobody declared (a stand-in model)."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from participation.models import Person
from participation.privacy import inventory, subjects
from participation.retention import PERIODS


def test_every_model_and_every_personal_field_is_declared():
    missing = inventory.undeclared(inventory.concrete_models(), inventory.all_entries())
    assert missing == [], (
        "Declare these in the app's personal_data.py (a Declaration, or exempt the field, "
        f"or NoPersonalData with the reason): {missing}"
    )


def test_every_declared_name_is_a_field_of_its_model():
    assert inventory.unknown_fields(inventory.all_entries()) == []


def test_every_way_to_a_persons_records_ends_at_a_person():
    for declaration in inventory.declarations():
        for path in declaration.subject:
            assert subjects.target_kind(declaration.model_class, path) in (
                subjects.USER,
                subjects.PERSON,
                subjects.INVITATION,
                subjects.EMAIL,
            )


def test_declarations_have_unique_keys_and_known_retention_periods():
    declarations = inventory.declarations()
    keys = [declaration.key for declaration in declarations]
    assert len(keys) == len(set(keys))
    assert {declaration.retention for declaration in declarations} <= set(PERIODS)


def test_every_installed_app_of_ours_declares_through_its_hook_module():
    names = {module.__name__ for module in inventory.hook_modules()}
    assert names == {
        "participation.personal_data",
        "surveys.personal_data",
        "workshops.personal_data",
        "meetings.personal_data",
        "consultations.personal_data",
        "overview.personal_data",
        "monitoring.personal_data",
    }


def test_a_declaration_must_say_how_to_find_a_persons_records():
    with pytest.raises(ValueError, match="find"):
        inventory.Declaration(
            key="nowhere",
            model="participation.Person",
            fields=("notes",),
            category="c",
            purpose="p",
            legal_basis="b",
            visible_to="v",
            retention="account",
        )


def test_a_declaration_with_an_unknown_retention_key_is_refused():
    with pytest.raises(ValueError, match="retention"):
        inventory.Declaration(
            key="forever",
            model="participation.Person",
            fields=("notes",),
            category="c",
            purpose="p",
            legal_basis="b",
            visible_to="v",
            retention="forever",
            subject=("pk",),
        )


@isolate_apps("participation")
def test_the_check_catches_a_personal_field_nobody_declared():
    class StandIn(models.Model):
        owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
        display_name = models.CharField(max_length=60)
        contact_email = models.EmailField()
        client = models.GenericIPAddressField()
        title = models.CharField(max_length=60)
        count = models.IntegerField()

        class Meta:
            app_label = "participation"

        def __str__(self):
            return self.display_name

    assert inventory.flagged_fields(StandIn) == {"owner", "display_name", "contact_email", "client"}
    assert inventory.undeclared([StandIn], []) == ["participation.StandIn"]

    declared_owner_only = inventory.Declaration(
        key="stand_in",
        model="participation.StandIn",
        fields=("owner", "contact_email"),
        exempt={"client": "the address of a machine, not a person's"},
        category="c",
        purpose="p",
        legal_basis="b",
        visible_to="v",
        retention="account",
        subject=("owner",),
    )
    assert inventory.undeclared([StandIn], [declared_owner_only]) == [
        "participation.StandIn.display_name"
    ]
    no_personal_data = inventory.NoPersonalData("participation.StandIn", "stand-in")
    assert inventory.undeclared([StandIn], [no_personal_data]) == []
