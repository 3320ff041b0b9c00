"""Small conversions from Cypher rows (dates come back as ISO strings) to field values."""

from __future__ import annotations

import datetime as dt
from typing import Any


def day(value: Any) -> dt.date | None:
    """An ISO date string (or None) as a date."""
    return dt.date.fromisoformat(str(value)[:10]) if value not in (None, "") else None


def text(value: Any) -> str | None:
    return None if value is None else str(value)


def number(value: Any) -> float | None:
    return None if value is None else float(value)
