"""Who proposed, changed and confirmed a space, and how versions carry over, keep an audit
trail: the county must be able to show where a boundary in its monitoring came from."""

from auditlog.registry import auditlog

from participation.audit import untracked_fields

from .models import Indicator, IndicatorSet, Space, SpaceSuccession

auditlog.register(Space, exclude_fields=untracked_fields(Space))
auditlog.register(SpaceSuccession, exclude_fields=untracked_fields(SpaceSuccession))
auditlog.register(Indicator, exclude_fields=untracked_fields(Indicator))
auditlog.register(
    IndicatorSet, exclude_fields=untracked_fields(IndicatorSet), m2m_fields={"indicators"}
)
