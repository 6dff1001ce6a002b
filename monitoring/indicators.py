"""Writes to the indicator catalogue and its sets; the county's coordinators keep them.
Each write checks the whole record and leaves an audit entry naming the actor."""

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied
from django.db import transaction

from participation.selectors import is_coordinator

from .models import Indicator, IndicatorSet


def save_indicator(indicator: Indicator, *, actor) -> Indicator:
    _require_coordinator(actor)
    if indicator.pk is None:
        indicator.created_by = actor
    with transaction.atomic(), set_actor(actor):
        indicator.full_clean()
        indicator.save()
    return indicator


def save_indicator_set(indicator_set: IndicatorSet, *, indicators, actor) -> IndicatorSet:
    _require_coordinator(actor)
    if indicator_set.pk is None:
        indicator_set.created_by = actor
    with transaction.atomic(), set_actor(actor):
        indicator_set.full_clean()
        indicator_set.save()
        indicator_set.indicators.set(indicators)
    return indicator_set


def _require_coordinator(actor):
    if not is_coordinator(actor):
        raise PermissionDenied
