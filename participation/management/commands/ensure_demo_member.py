"""Make sure the demo member can sign in, and say how: an account for the demo's social
planner of Troisdorf, whose municipality has the demo survey in progress and who is invited
to the steering group's retreat (run `seed_demo` first).

Its password is published (settings and README), so the command refuses outside the
embedded demo unless told otherwise with --force."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from participation import services
from participation.models import Person

from .ensure_demo_coordinator import ensure_user
from .seed_demo import DEMO_MEMBER, demo_member_email


class Command(BaseCommand):
    help = "Create or repair the demo member account (a municipality's planner) and print it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="also outside the embedded mode (the password is public: never in production)",
        )

    def handle(self, *args, force, **options):
        if settings.RUN_MODE != "embedded" and not force:
            raise CommandError(
                "The demo member's password is public; it is only created in the embedded "
                "mode. Use --force to create it anyway (never on a shared server)."
            )
        person = Person.objects.filter(email__iexact=demo_member_email()).first()
        if person is None:
            raise CommandError(
                f"{' '.join(DEMO_MEMBER[1:])} of {DEMO_MEMBER[0]} is not in the registry; "
                "run `manage.py seed_demo` first."
            )
        email = settings.MITPLANEN_DEMO_MEMBER_EMAIL.lower()
        password = settings.MITPLANEN_DEMO_MEMBER_PASSWORD
        with transaction.atomic():
            user = ensure_user(email, password, is_coordinator=False)
            if person.user_id != user.pk:
                Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
                person.user = user
                services.save_person(person, actor=None)
        self.stdout.write(
            f"Demo member ({person.full_name}, {DEMO_MEMBER[0]}): {email} / password: {password}"
        )
