"""Reading OCDS compiled releases the way Cardinal reads them (``src/lib.rs`` helpers).

Input is JSON lines, one compiled release per line (parsed with orjson). Like Cardinal, blank
lines are skipped silently, and a line that is not valid JSON (NaN and Infinity are not), not
UTF-8, or not an object is skipped; its line number goes to ``skipped`` so the caller can say
so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from riskgraph.graph.errors import BadInput

Release = dict[str, Any]
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_DAY_US = 86_400_000_000


def read_releases(path: Path, skipped: list[int] | None = None) -> Iterator[Release]:
    """Yield the compiled releases of a JSON-lines file (see the module docstring)."""
    if not path.is_file():
        raise BadInput(f"OCDS file not found: {path}")
    loads = orjson.loads
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            try:
                value = loads(line)
            except orjson.JSONDecodeError:
                if line.strip() and skipped is not None:
                    skipped.append(number)
                continue
            if isinstance(value, dict):
                yield value
            elif skipped is not None:
                skipped.append(number)


# The helpers below are the hot path of the screen (about half its time): parsed JSON holds
# exact dict / list / str / int / float objects, so ``type(x) is ...`` replaces isinstance.

def obj(value: Any, key: str) -> dict[str, Any] | None:
    got = value.get(key) if type(value) is dict else None
    return got if type(got) is dict else None


def arr(value: Any, key: str) -> list[Any] | None:
    got = value.get(key) if type(value) is dict else None
    return got if type(got) is list else None


def text(value: Any, key: str) -> str | None:
    got = value.get(key) if type(value) is dict else None
    return got if type(got) is str else None


def number(value: Any, key: str) -> float | None:
    """A JSON number as f64 (booleans are not numbers)."""
    got: Any = value.get(key) if type(value) is dict else None
    kind = type(got)
    if kind is float:
        return float(got)
    if kind is int:
        return float(got)
    return None


def status_is(value: Any, status: str) -> bool:
    return text(value, "status") == status


def is_screened(release: Release) -> bool:
    """Cardinal skips lines without a string ``ocid`` and cancelled contracting processes."""
    return isinstance(release.get("ocid"), str) and not status_is(obj(release, "tender"),
                                                                  "cancelled")


class Bid:
    """The fields of one ``bids.details`` entry the indicators read, each read once (a wrong
    JSON type reads as absent, as Cardinal's helpers do)."""

    __slots__ = ("amount", "currency", "date", "id", "ids", "raw", "single", "status",
                 "tenderers")

    def __init__(self, bid: Any) -> None:
        self.raw = bid
        if type(bid) is not dict:
            self.status = self.currency = self.date = self.id = self.single = None
            self.amount = None
            self.tenderers = None
            self.ids: list[str] = []
            return
        get = bid.get
        status, bid_id, date = get("status"), get("id"), get("date")
        self.status = status if type(status) is str else None
        self.id = bid_id if type(bid_id) is str else None
        self.date = date if type(date) is str else None
        value = get("value")
        self.amount = self.currency = None
        if type(value) is dict:
            amount, currency = value.get("amount"), value.get("currency")
            if type(amount) is float or type(amount) is int:
                self.amount = float(amount)
            if type(currency) is str:
                self.currency = currency
        tenderers = get("tenderers")
        self.tenderers = tenderers if type(tenderers) is list else None
        ids = []
        for x in self.tenderers or ():
            one = x.get("id") if type(x) is dict else None
            if type(one) is str:
                ids.append(one)
        self.ids = ids
        self.single = None
        """The tenderer's id when the bid names exactly one tenderer."""
        if self.tenderers is not None and len(self.tenderers) == 1 and ids:
            self.single = ids[0]


_BIDS: list[Any] = [None, None, None]
"""(release, every detail as a Bid, the submitted ones) of the last bids() call: most
indicators ask it of the same release in a row."""


def bids(release: Release) -> list[Bid]:
    """Every ``bids.details`` entry of the release as a :class:`Bid` (memoised)."""
    if _BIDS[0] is not release:
        views = [Bid(b) for b in arr(obj(release, "bids"), "details") or []]
        _BIDS[0], _BIDS[1] = release, views
        _BIDS[2] = [b for b in views if type(b.raw) is dict and b.status is not None
                    and b.status not in ("invited", "withdrawn")]
    return _BIDS[1]  # type: ignore[no-any-return]


def submitted(release: Release) -> list[Bid]:
    """Bids with a status other than invited / withdrawn (pending, valid, disqualified)."""
    bids(release)
    return _BIDS[2]  # type: ignore[no-any-return]


def submitted_bids(release: Release) -> list[dict[str, Any]]:
    """The raw submitted bids (see :func:`submitted`)."""
    return [b.raw for b in submitted(release)]


_FINAL: list[Any] = [None, None]
"""(release, result) of the last complete_awards_if_final call: three indicators ask it of
the same release in a row."""


def forget() -> None:
    """Drop the memos (screen_releases calls it before and after a run)."""
    _FINAL[0] = _FINAL[1] = None
    _BIDS[0] = _BIDS[1] = _BIDS[2] = None


def complete_awards_if_final(release: Release) -> tuple[list[dict[str, Any]],
                                                        list[Bid]] | None:
    """Memoised :func:`_complete_awards_if_final` for the release asked last."""
    if _FINAL[0] is release:
        return _FINAL[1]  # type: ignore[no-any-return]
    result = _complete_awards_if_final(release)
    _FINAL[0], _FINAL[1] = release, result
    return result


def _complete_awards_if_final(release: Release) -> tuple[list[dict[str, Any]],
                                                         list[Bid]] | None:
    """(active awards, bid details as Bids) if every award with a status is final, else None.

    Needs ``awards`` and ``bids.details`` arrays; an award whose status is neither active,
    cancelled nor unsuccessful (e.g. pending) makes the result unstable, hence None.
    """
    awards = arr(release, "awards")
    details = arr(obj(release, "bids"), "details")
    if awards is None or details is None:
        return None
    active = []
    for award in awards:
        status = text(award, "status")
        if status is None:
            continue
        if status == "active":
            active.append(award)
        elif status not in ("cancelled", "unsuccessful"):
            return None
    return active, bids(release)


def sole_supplier_id(award: Any) -> str | None:
    suppliers = arr(award, "suppliers")
    if suppliers is None or len(suppliers) != 1:
        return None
    return text(suppliers[0], "id")


def valid_priced_bids(details: list[Bid]) -> list[tuple[str, float, str, Any]]:
    """(tenderer id, amount, currency, bid) of valid bids with one tenderer and a value."""
    return [(b.single, b.amount, b.currency, b.raw) for b in details
            if b.status == "valid" and b.amount is not None and b.currency is not None
            and b.single is not None]


def tenderer_ids(bid: Any) -> list[str]:
    return [t for t in (text(x, "id") for x in arr(bid, "tenderers") or []) if t is not None]


def rfc3339(value: str | None) -> datetime | None:
    """Parse an RFC 3339 timestamp (offset required, as chrono's parse_from_rfc3339)."""
    if value is None or not _RFC3339.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return None


def whole_days(delta: timedelta) -> int:
    """chrono ``Duration::num_days``: whole days, truncated toward zero."""
    us = delta // timedelta(microseconds=1)
    days = abs(us) // _DAY_US
    return days if us >= 0 else -days


def tender_id(release: Release) -> str:
    """The tender's id (graph exports: the Tender node's tender_id), else the ocid."""
    return text(obj(release, "tender"), "id") or str(release.get("ocid"))
