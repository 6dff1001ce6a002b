"""Writes to the registry of social spaces and neighbourhoods. Members of a municipality
propose and edit their own municipality's spaces; the county's coordinators confirm them.
Every write checks the whole registry's rules (a neighbourhood inside its own municipality's
social space and validity, versions of one key never overlapping, a boundary that is a valid
polygon inside its social space's) and saves nothing when one fails."""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.validation import explain_validity

from participation.models import OrganisationKind
from participation.selectors import is_coordinator

from .models import Space, SpaceLevel, SpaceStatus, SpaceSuccession

# Boundaries drawn by different offices rarely meet exactly: a neighbourhood may stick out of
# its social space by this much (in degrees, about 10 m) before it counts as outside.
BOUNDARY_TOLERANCE = 0.0001


def save_space(space: Space, *, actor) -> Space:
    """Create or change a version. A member's change makes it a proposal again; only a
    coordinator's keeps it confirmed."""
    if not is_coordinator(actor):
        space.status = SpaceStatus.PROPOSED
        space.confirmed_at = None
        space.confirmed_by = None
    if space.pk is None:
        space.created_by = actor
    with transaction.atomic(), set_actor(actor):
        # Versions of one key are checked against each other: hold them while checking.
        list(Space.objects.select_for_update().filter(key=space.key))
        check_space(space)
        space.save()
    return space


def confirm_space(space: Space, *, actor) -> Space:
    if not is_coordinator(actor):
        raise ValidationError(_("Only the county's coordinators confirm spaces."))
    if space.status == SpaceStatus.CONFIRMED:
        return space
    with transaction.atomic(), set_actor(actor):
        check_space(space)
        space.status = SpaceStatus.CONFIRMED
        space.confirmed_at = timezone.now()
        space.confirmed_by = actor
        space.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
    return space


def start_new_version(space: Space, *, valid_from: datetime.date, actor, name=None, geometry=None):
    """A re-cut or renaming from `valid_from` on: the current version ends the day before, a
    new version with the same key begins, and the succession carries every figure over whole.
    A split adds further successions with shares (`add_succession`)."""
    if valid_from <= space.valid_from:
        raise ValidationError(
            {"valid_from": _("A new version must begin after the current one began.")}
        )
    if space.valid_until is not None and valid_from > space.valid_until + datetime.timedelta(1):
        raise ValidationError(
            {"valid_from": _("This version has already ended; start from its last day at most.")}
        )
    successor = Space(
        municipality=space.municipality,
        level=space.level,
        parent=space.parent,
        key=space.key,
        name=name or space.name,
        valid_from=valid_from,
        valid_until=space.valid_until,
        geometry=space.geometry if geometry is None else geometry,
        street_list_key=space.street_list_key,
    )
    with transaction.atomic(), set_actor(actor):
        space.valid_until = valid_from - datetime.timedelta(days=1)
        check_space(space, ignore=[])
        space.save(update_fields=["valid_until", "updated_at"])
        save_space(successor, actor=actor)
        add_succession(space, successor, share=1, actor=actor)
    return successor


def add_succession(earlier: Space, later: Space, *, share, actor) -> SpaceSuccession:
    succession = SpaceSuccession(earlier=earlier, later=later, share=share)
    with transaction.atomic(), set_actor(actor):
        succession.full_clean()
        if earlier.municipality_id != later.municipality_id:
            raise ValidationError(_("A space can only carry over within its municipality."))
        if later.valid_from <= earlier.valid_from:
            raise ValidationError(_("The later version must begin after the earlier one."))
        succession.save()
    return succession


def check_space(space: Space, *, ignore=None) -> None:
    """Every rule of the registry; raises one ValidationError naming each broken field."""
    space.full_clean(exclude=ignore)
    errors = {}
    if space.municipality.kind != OrganisationKind.MUNICIPALITY:
        errors["municipality"] = _("Spaces belong to a municipality.")
    if space.level == SpaceLevel.SOCIAL_SPACE and space.parent_id is not None:
        errors["parent"] = _("A social space lies directly in its municipality.")
    if space.level == SpaceLevel.NEIGHBOURHOOD:
        errors.update(_parent_errors(space))
    same_key = Space.objects.filter(key=space.key).exclude(pk=space.pk)
    if same_key.exclude(municipality=space.municipality_id).exists():
        errors["key"] = _("This key belongs to another municipality's space.")
    elif overlapping := _overlapping(same_key, space).first():
        errors["valid_from"] = _(
            "The version valid from %(date)s overlaps this one: end it before this one begins."
        ) % {"date": f"{overlapping.valid_from:%d.%m.%Y}"}
    if space.geometry:
        errors.update(_geometry_errors(space))
    if errors:
        raise ValidationError(errors)


def _parent_errors(space):
    parent = space.parent
    if parent is None:
        return {"parent": _("Choose the social space the neighbourhood lies in.")}
    if parent.level != SpaceLevel.SOCIAL_SPACE:
        return {"parent": _("A neighbourhood lies in a social space, not in a neighbourhood.")}
    if parent.municipality_id != space.municipality_id:
        return {"parent": _("This social space lies in another municipality.")}
    ends_after = parent.valid_until is not None and (
        space.valid_until is None or space.valid_until > parent.valid_until
    )
    if space.valid_from < parent.valid_from or ends_after:
        return {"valid_from": _("A neighbourhood is valid only while its social space is.")}
    return {}


def _overlapping(versions, space):
    overlapping = versions
    if space.valid_until is not None:
        overlapping = overlapping.filter(valid_from__lte=space.valid_until)
    return overlapping.exclude(valid_until__lt=space.valid_from)


def _geometry_errors(space):
    try:
        boundary = shape(space.geometry)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return {"geometry": _("This is not a GeoJSON Polygon or MultiPolygon.")}
    if boundary.geom_type not in ("Polygon", "MultiPolygon") or boundary.is_empty:
        return {"geometry": _("This is not a GeoJSON Polygon or MultiPolygon.")}
    if not boundary.is_valid:
        return {
            "geometry": _("The boundary is not a valid polygon: %(reason)s")
            % {"reason": explain_validity(boundary)}
        }
    minx, miny, maxx, maxy = boundary.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return {"geometry": _("Coordinates must be longitude and latitude (WGS 84).")}
    parent = space.parent
    if parent is not None and parent.geometry:
        outer = shape(parent.geometry).buffer(BOUNDARY_TOLERANCE)
        if not outer.contains(boundary):
            return {"geometry": _("The neighbourhood reaches outside its social space.")}
    return {}
