import copy
import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from participation.models import (
    Body,
    BodyKind,
    BodyMembership,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    User,
)
from surveys import services as survey_services
from surveys.models import Answer, Question, QuestionKind, Section, Survey, SurveyVersion
from workshops.models import Workshop


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeinde Beispiel {n}")
    kind = OrganisationKind.MUNICIPALITY
    # Outside the Rhein-Sieg-Kreis (05382…), whose real keys the tests give their own
    # municipalities: a sequence reaching 2060 must not collide with Siegburg's.
    ags = factory.Sequence(lambda n: f"09{n:06d}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Vorname{n}")
    last_name = factory.Sequence(lambda n: f"Nachname{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    function = "Sozialplaner"
    valid_from = datetime.date(2020, 1, 1)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Lenkungsgruppe {n}")
    kind = BodyKind.STEERING_GROUP


class BodyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMembership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory)
    valid_from = datetime.date(2020, 1, 1)


class WorkshopFactory(factory.django.DjangoModelFactory):
    """A published workshop in a month's time in the Kreishaus, replies open for three weeks."""

    class Meta:
        model = Workshop

    title = factory.Sequence(lambda n: f"Fachworkshop Teilhabe {n}")
    topic = "Kinderarmut"
    status = "published"
    start = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=30)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=4))
    registration_deadline = factory.LazyAttribute(lambda o: o.start - datetime.timedelta(days=7))
    venue_name = "Kreishaus Siegburg, Raum 1.04"
    venue_address = "Kaiser-Wilhelm-Platz 1\n53721 Siegburg"


class SurveyFactory(factory.django.DjangoModelFactory):
    """A draft survey with its first (draft) version, created as the builder creates it
    (`services.create_survey`, audited as `actor`). `audience`: organisations asked to
    respond. Add sections and questions to `survey.draft_version`, then publish it with
    `services.publish`."""

    class Meta:
        model = Survey
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Umfrage {n}")

    @classmethod
    def _create(cls, model_class, *, actor=None, **kwargs):
        return survey_services.create_survey(model_class(**kwargs), actor=actor)

    @factory.post_generation
    def audience(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience.add(*extracted)


class SurveyVersionFactory(factory.django.DjangoModelFactory):
    """A further, unpublished version, numbered after the survey's last one."""

    class Meta:
        model = SurveyVersion

    survey = factory.SubFactory(SurveyFactory)
    number = factory.LazyAttribute(lambda o: o.survey.versions.count() + 1)


class SectionFactory(factory.django.DjangoModelFactory):
    """A section placed after the version's others (by default in a new survey's draft)."""

    class Meta:
        model = Section

    version = factory.LazyFunction(lambda: SurveyFactory().draft_version)
    position = factory.LazyAttribute(lambda o: o.version.sections.count() + 1)
    title = factory.Sequence(lambda n: f"Abschnitt {n}")


# A valid `config` for each question kind that needs one (see `Question`); the other kinds
# work with none. A test passes its own `config` where the settings matter.
KIND_CONFIG = {
    QuestionKind.SINGLE_CHOICE: {
        "choices": [{"value": "yes", "label": "Ja"}, {"value": "no", "label": "Nein"}]
    },
    QuestionKind.MULTIPLE_CHOICE: {
        "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]
    },
    QuestionKind.MATRIX: {
        "rows": [{"value": "kita", "label": "Kita"}, {"value": "jugend", "label": "Jugend"}],
        "columns": [{"value": "gut", "label": "Gut"}, {"value": "schlecht", "label": "Mau"}],
    },
    QuestionKind.TABLE: {
        "columns": [
            {"key": "title", "label": "Titel", "kind": "short_text"},
            {"key": "year", "label": "Jahr", "kind": "integer"},
        ]
    },
}


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question saved straight into its section (also into a published version, which the
    builder would refuse), placed after the section's others. `kind` is any of
    `QuestionKind`; kinds that need settings get a valid default `config`."""

    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    position = factory.LazyAttribute(lambda o: o.section.questions.count() + 1)
    key = factory.Sequence(lambda n: f"q{n}")
    kind = QuestionKind.SHORT_TEXT
    text = factory.LazyAttribute(lambda o: f"Frage {o.key}")
    config = factory.LazyAttribute(lambda o: copy.deepcopy(KIND_CONFIG.get(o.kind, {})))


class AnswerFactory(factory.django.DjangoModelFactory):
    """An answer saved as the respondents save it, WITHOUT an author unless `updated_by` is
    given: the demo's answers have none, nor has an answer whose author's account was
    deleted. Pass `response`, `question` and a raw `value` as the form would post it."""

    class Meta:
        model = Answer

    value = "Angabe ohne Verfasser"
    updated_by = None

    @classmethod
    def _create(cls, model_class, *, response, question, value, updated_by=None, **kwargs):
        current = model_class.objects.filter(response=response, question=question).first()
        return survey_services.save_answer(
            response,
            question,
            value,
            actor=updated_by,
            base_revision=current.revision if current else 0,
        )


def give_totp(user):
    """Activate TOTP for a user; returns the secret so a test can compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def member_of(organisation, **user_fields):
    """A signed-up user whose person currently belongs to the organisation."""
    user = UserFactory(**user_fields)
    person = PersonFactory(user=user, email=user.email)
    MembershipFactory(person=person, organisation=organisation)
    return user
