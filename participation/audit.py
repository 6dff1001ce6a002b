"""Which registry records keep an audit trail (who, when, what changed)."""

from auditlog.registry import auditlog

from .models import Body, BodyMembership, Membership, Organisation, Person, User

auditlog.register(Organisation)
auditlog.register(Person)
auditlog.register(Membership)
auditlog.register(Body)
auditlog.register(BodyMembership)
auditlog.register(User, include_fields=["email", "is_coordinator", "is_active", "is_staff"])
