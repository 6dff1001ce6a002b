"""What the security log hears from Django and allauth: sign-ins and their failures,
sign-outs, password and second-factor changes, and role changes made anywhere (a page, the
API, the Django admin, a command). Receivers only record; no rule is decided here."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_init, post_save

from . import security_log
from .models import BodyMembership

Kind = security_log.Kind
USER_ROLE_FIELDS = ("is_coordinator", "is_staff", "is_superuser", "is_active")


def connect():
    user_model = get_user_model()
    auth_signals.user_logged_in.connect(signed_in, dispatch_uid="security-signed-in")
    auth_signals.user_logged_out.connect(signed_out, dispatch_uid="security-signed-out")
    auth_signals.user_login_failed.connect(sign_in_failed, dispatch_uid="security-failed")
    account_signals.login_code_rejected.connect(code_rejected, dispatch_uid="security-code")
    mfa_signals.authentication_failed.connect(
        second_factor_failed, dispatch_uid="security-mfa-failed"
    )
    for signal, change in (
        (mfa_signals.authenticator_added, "added"),
        (mfa_signals.authenticator_removed, "removed"),
        (mfa_signals.authenticator_reset, "reset"),
    ):
        signal.connect(
            _second_factor_changed(change), weak=False, dispatch_uid=f"security-mfa-{change}"
        )
    for signal, change in (
        (account_signals.password_changed, "changed"),
        (account_signals.password_set, "set"),
        (account_signals.password_reset, "reset"),
    ):
        signal.connect(
            _password_changed(change), weak=False, dispatch_uid=f"security-password-{change}"
        )
    for model, fields in ((user_model, USER_ROLE_FIELDS), (BodyMembership, ("role",))):
        post_init.connect(
            _remember(fields), sender=model, weak=False, dispatch_uid=f"security-init-{model}"
        )
        post_save.connect(
            _role_changed(fields), sender=model, weak=False, dispatch_uid=f"security-save-{model}"
        )


def signed_in(sender, request, user, **kwargs):
    security_log.record(Kind.SIGNED_IN, request=request, user=user, actor=user)


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        security_log.record(Kind.SIGNED_OUT, request=request, user=user, actor=user)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("email") or credentials.get("username") or "")[:200]
    user = get_user_model().objects.filter(email__iexact=login).first() if login else None
    security_log.record(
        Kind.SIGN_IN_FAILED, request=request, user=user, login=login, method="password"
    )


def code_rejected(sender, request, user, **kwargs):
    security_log.record(Kind.SIGN_IN_FAILED, request=request, user=user, method="code")


def second_factor_failed(sender, request, user, authenticator=None, **kwargs):
    security_log.record(
        Kind.SIGN_IN_FAILED,
        request=request,
        user=user,
        method="second_factor",
        authenticator=getattr(authenticator, "type", ""),
    )


def _second_factor_changed(change):
    def receiver(sender, request, user, authenticator, **kwargs):
        security_log.record(
            Kind.SECOND_FACTOR_CHANGED,
            request=request,
            user=user,
            change=change,
            authenticator=authenticator.type,
        )

    return receiver


def _password_changed(change):
    def receiver(sender, request, user, **kwargs):
        security_log.record(Kind.PASSWORD_CHANGED, request=request, user=user, change=change)

    return receiver


def _remember(fields):
    def receiver(sender, instance, **kwargs):
        instance._security_roles = {
            name: instance.__dict__[name] for name in fields if name in instance.__dict__
        }

    return receiver


def _role_changed(fields):
    def receiver(sender, instance, created, raw=False, **kwargs):
        before = getattr(instance, "_security_roles", {})
        now = {name: instance.__dict__[name] for name in fields if name in instance.__dict__}
        instance._security_roles = now
        is_user = sender is get_user_model()
        if raw or (created and is_user and not any(now.get(f) for f in USER_ROLE_FIELDS[:3])):
            return  # fixtures, or a new account without a role: nothing to note
        changed = {
            name: value if created else f"{before[name]} → {value}"
            for name, value in now.items()
            if created or (name in before and before[name] != value)
        }
        if not changed:
            return
        # Changed on a page, over the API or in the admin: whoever is signed in did it.
        security_log.record(
            Kind.ROLE_CHANGED,
            request=security_log.current_request(),
            user=instance if is_user else instance.person.user,
            record=f"{sender._meta.model_name}:{instance.pk}",
            created="yes" if created else "",
            **({} if is_user else {"person": str(instance.person)}),
            **changed,
        )

    return receiver
