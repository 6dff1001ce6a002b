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
from surveys.models import Answer
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
    ags = factory.Sequence(lambda n: f"0538{n:04d}")


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
