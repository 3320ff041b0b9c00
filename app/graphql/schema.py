"""The root Query (and later Mutation) types."""

from __future__ import annotations

import strawberry

from app.graphql.health import Health, resolve_health


@strawberry.type
class Query:
    health: Health = strawberry.field(resolver=resolve_health, description="Service health.")


schema = strawberry.Schema(query=Query)
