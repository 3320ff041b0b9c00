"""R044 business similarities between tenderers: a shared address or contact point.

Cardinal 0.0.8 has no R044. Our definition: in one contracting process, two different
tenderers on different submitted bids (competitors, not partners in one consortium bid) whose
parties share a normalised street address, telephone number or e-mail address. Parties are
read from the release's ``parties`` (``address``, ``contactPoint`` and the Additional Contact
Points extension's ``additionalContactPoints``). The OCID's value is the number of linked
pairs; each linked tenderer gets 1.0.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any

from riskgraph.models.screens.redflag_flag import Flag
from riskgraph.models.screens.redflag_ocds import Release, arr, obj, submitted, text

_SPACE = re.compile(r"\s+")


def _address(party: dict[str, Any]) -> str | None:
    address = obj(party, "address")
    street = text(address, "streetAddress")
    if not street or not street.strip():
        return None
    parts = [street, *(text(address, k) or "" for k in ("locality", "region", "postalCode",
                                                         "countryName"))]
    return _SPACE.sub(" ", " ".join(parts)).strip().casefold()


def _contacts(party: dict[str, Any]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    points = [obj(party, "contactPoint"), *(arr(party, "additionalContactPoints") or [])]
    for point in points:
        phone = text(point, "telephone")
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) >= 5:
            out.add(("telephone", digits))
        email = (text(point, "email") or "").strip().casefold()
        if "@" in email:
            out.add(("email", email))
    return out


def identifiers(party: dict[str, Any]) -> set[tuple[str, str]]:
    """The (kind, normalised value) pairs by which two parties can be alike."""
    found = _contacts(party)
    address = _address(party)
    if address is not None:
        found.add(("address", address))
    return found


def r044(release: Release, ocid: str, tid: str) -> list[Flag]:
    parties = {text(p, "id"): p for p in arr(release, "parties") or [] if isinstance(p, dict)}
    bids_of: dict[str, set[int]] = {}
    for n, bid in enumerate(submitted(release)):
        for firm in bid.ids:
            bids_of.setdefault(firm, set()).add(n)
    keys = {firm: identifiers(parties[firm]) for firm in bids_of if firm in parties}
    links: list[dict[str, Any]] = []
    firms: set[str] = set()
    for a, b in combinations(sorted(keys), 2):
        if bids_of[a] == bids_of[b] and len(bids_of[a]) == 1:
            continue  # partners on the same (consortium) bid only
        shared = sorted(keys[a] & keys[b])
        if shared:
            firms |= {a, b}
            links.append({"tenderers": [a, b],
                          "shared": [{"kind": k, "value": v} for k, v in shared]})
    if not links:
        return []
    evidence = {"links": links}
    return [Flag("R044", "OCID", ocid, float(len(links)), tid, evidence=evidence),
            *(Flag("R044", "Tenderer", f, 1.0, tid, evidence=evidence) for f in sorted(firms))]
