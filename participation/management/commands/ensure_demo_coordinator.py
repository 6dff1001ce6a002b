"""Make sure the demo coordinator can sign in, and say how.

Its password is published (settings and README), so the command refuses outside the
embedded demo unless told otherwise with --force."""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from participation import api_tokens, security_log, services
from participation.models import (
    ApiToken,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    SecurityEvent,
    User,
)

from .seed_demo import COUNTY_DOMAIN, SOCIAL_OFFICE

SINCE = datetime.date(2019, 1, 1)
DEMO_TOKEN_NAME = "Auswertung Sozialplanung (Skript)"


class Command(BaseCommand):
    help = "Create or repair the demo coordinator account and print its sign-in data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="also outside the embedded mode (the password is public: never in production)",
        )

    def handle(self, *args, force, **options):
        if settings.RUN_MODE != "embedded" and not force:
            raise CommandError(
                "The demo coordinator's password is public; it is only created in the "
                "embedded mode. Use --force to create it anyway (never on a shared server)."
            )
        email = settings.MITPLANEN_DEMO_EMAIL.lower()
        password = settings.MITPLANEN_DEMO_PASSWORD
        with transaction.atomic():
            user = ensure_user(email, password)
            ensure_person(user)
            raw_key = ensure_demo_token(user)
            ensure_security_log(user)
        self.stdout.write(f"Demo coordinator: {email} / password: {password}")
        if raw_key:
            self.stdout.write(f"Demo API token “{DEMO_TOKEN_NAME}” (shown only now): {raw_key}")
        if email not in {e.lower() for e in settings.MITPLANEN_2FA_WAIVED_EMAILS}:
            self.stdout.write("Coordinators must set up TOTP (two-factor) at their first sign-in.")


def ensure_user(email, password, *, is_coordinator=True):
    """The account with this address and password, active, a coordinator or not."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, is_coordinator=is_coordinator
        )
    else:
        changed = []
        if not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        for field, wanted in (("is_coordinator", is_coordinator), ("is_active", True)):
            if getattr(user, field) != wanted:
                setattr(user, field, wanted)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user


def ensure_person(user):
    person = (
        Person.objects.filter(user=user).first()
        or Person.objects.filter(email__iexact=user.email).first()
    )
    if person is None:
        person = Person(first_name="Katrin", last_name="Demmer", email=user.email)
    if person.user_id != user.pk:
        person.user = user
        services.save_person(person, actor=None)
    office = Organisation.objects.filter(name=SOCIAL_OFFICE).first()
    if office is None:
        office = services.save_organisation(
            Organisation(
                name=SOCIAL_OFFICE,
                short_name="Sozialamt",
                kind=OrganisationKind.COUNTY_OFFICE,
                email=f"sozialamt@{COUNTY_DOMAIN}",
            ),
            actor=None,
        )
    if not Membership.objects.current().filter(person=person, organisation=office).exists():
        services.save_membership(
            Membership(
                person=person,
                organisation=office,
                function="Koordination Sozialplanung (Demo)",
                valid_from=SINCE,
            ),
            actor=None,
        )
    return person


def ensure_demo_token(user):
    """One named API token, so the tokens page shows what a token looks like; its key is
    printed once when it is made. The demo's waived second factor is not asked for."""
    if ApiToken.objects.filter(user=user, name=DEMO_TOKEN_NAME, revoked_at=None).exists():
        return None
    _token, raw = api_tokens.issue(user, name=DEMO_TOKEN_NAME)
    return raw


def ensure_security_log(user):
    """A few entries, so the security log has something to filter: a sign-in, a mistyped
    password and a failed attempt for an unknown address (documentation addresses)."""
    if SecurityEvent.objects.filter(detail__demo="yes").exists():
        return
    Kind = security_log.Kind
    security_log.record(Kind.SIGN_IN_FAILED, user=user, address="192.0.2.10", demo="yes")
    security_log.record(Kind.SIGNED_IN, user=user, actor=user, address="192.0.2.10", demo="yes")
    security_log.record(
        Kind.SIGN_IN_FAILED, address="198.51.100.7", login="admin@example.org", demo="yes"
    )
