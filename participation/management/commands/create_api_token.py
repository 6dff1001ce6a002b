"""Issue the API token of an account: ``manage.py create_api_token <email> [--rotate]``."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from participation.models import User


class Command(BaseCommand):
    help = (
        "Print the API token of the account with this e-mail address, creating it if needed. "
        "With --rotate the old token stops working and a new one is printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--rotate", action="store_true", help="Replace an existing token with a new one."
        )

    def handle(self, *args, email, rotate, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}.")
        if not user.is_active:
            raise CommandError(f"The account {user.email} is inactive.")
        with transaction.atomic():
            if rotate:
                Token.objects.filter(user=user).delete()
            token, _created = Token.objects.get_or_create(user=user)
        # Only the key goes to stdout, so scripts can capture it.
        self.stdout.write(token.key)
