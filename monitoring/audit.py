"""Who proposed, changed and confirmed a space, and how versions carry over, keep an audit
trail: the county must be able to show where a boundary in its monitoring came from. So do
delivery rounds and the course of each delivery (submitted, approved, sent back, extended);
each figure keeps its own history in the engine."""

from auditlog.registry import auditlog

from participation.audit import untracked_fields

from .models import Delivery, Indicator, IndicatorSet, Round, Space, SpaceSuccession

auditlog.register(Space, exclude_fields=untracked_fields(Space))
auditlog.register(SpaceSuccession, exclude_fields=untracked_fields(SpaceSuccession))
auditlog.register(Indicator, exclude_fields=untracked_fields(Indicator))
auditlog.register(
    IndicatorSet, exclude_fields=untracked_fields(IndicatorSet), m2m_fields={"indicators"}
)
auditlog.register(Round, exclude_fields=untracked_fields(Round))
auditlog.register(Delivery, exclude_fields=untracked_fields(Delivery) + ["last_activity_at"])
