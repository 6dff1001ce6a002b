from .indicators import SUPPLIER_KINDS, Indicator, IndicatorSet, SpatialLevel, ValueType
from .rounds import Delivery, DeliveryNotice, DeliveryReminder, Review, Round, Value, ValueChange
from .spaces import KEY_PATTERN, Space, SpaceLevel, SpaceStatus, SpaceSuccession

__all__ = [
    "KEY_PATTERN",
    "SUPPLIER_KINDS",
    "Delivery",
    "DeliveryNotice",
    "DeliveryReminder",
    "Indicator",
    "IndicatorSet",
    "Review",
    "Round",
    "Space",
    "SpaceLevel",
    "SpaceStatus",
    "SpaceSuccession",
    "SpatialLevel",
    "Value",
    "ValueChange",
    "ValueType",
]
