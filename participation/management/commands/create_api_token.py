"""Create an API token for an account: ``manage.py create_api_token <email> [--name N]
[--days D]``. The key is printed once; only its hash is kept."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from participation import api_tokens
from participation.models import User


class Command(BaseCommand):
    help = (
        "Create a named API token for the account with this e-mail address and print its key "
        "(shown only now). Accounts that must use two-factor authentication need it set up."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="command line", help="The token's name.")
        parser.add_argument(
            "--days", type=int, default=None, help="Expires after this many days (default never)."
        )

    def handle(self, *args, email, name, days, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}.")
        if not user.is_active:
            raise CommandError(f"The account {user.email} is inactive.")
        expires = timezone.now() + datetime.timedelta(days=days) if days else None
        try:
            _token, raw = api_tokens.create_token(user, name=name, expires_at=expires)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        # Only the key goes to stdout, so scripts can capture it.
        self.stdout.write(raw)
