"""The Node interface and global ids (the Relay / GitHub convention).

A global id is the base64 of ``<Kind>:<key>`` (``Company:91350100MA2XXXXX1A``): opaque to
clients, stable across releases, and enough for ``node(id:)`` to refetch the object with the
caller's disclosure applied (app/graphql/queries/node.py).
"""

from __future__ import annotations

import base64
import binascii

import strawberry

from riskgraph.app.graphql.types.fields import described
from riskgraph.graph.errors import BadInput

KINDS = ("Company", "Person", "Tender", "CreditRecord", "RankingRun", "Objection",
         "InspectionPlan")
"""The kinds of object a global id can name."""


def to_global_id(kind: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def from_global_id(gid: str, argument: str = "id") -> tuple[str, str]:
    """(kind, key) of a global id; BAD_INPUT when it is not one of this API's ids."""
    try:
        kind, _, key = base64.urlsafe_b64decode(gid.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadInput(f"argument {argument}: {gid!r} is not a global id of this API") from None
    if kind not in KINDS or not key:
        raise BadInput(f"argument {argument}: {gid!r} is not a global id of this API")
    return kind, key


@strawberry.interface(description="An object with a global id, refetchable with `node(id:)`.")
class Node:
    @described("The object's global id: opaque and stable; pass it to `node(id:)` or "
               "`nodes(ids:)`.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(*self.node_key()))

    def node_key(self) -> tuple[str, str]:
        """(kind, key) of this object: each implementing type says which."""
        raise NotImplementedError
