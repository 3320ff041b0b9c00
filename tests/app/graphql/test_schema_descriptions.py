"""Every public element of the schema is described (issue 19, item 4): types, fields,
arguments, input fields and enum values, read from the strawberry schema itself."""


from enum import Enum

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)

from riskgraph.app.graphql.schema import schema

BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def undescribed(graphql_schema: GraphQLSchema) -> list[str]:
    """The schema elements without a description (built-in scalars and introspection types
    excepted), as ``Type``, ``Type.field``, ``Type.field(argument)`` or ``Enum.VALUE``."""
    missing: list[str] = []
    for name, found in graphql_schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not (found.description or "").strip():
            missing.append(name)
        if isinstance(found, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in found.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"{name}.{field_name}")
                missing.extend(f"{name}.{field_name}({arg_name})"
                               for arg_name, arg in field.args.items()
                               if not (arg.description or "").strip())
        elif isinstance(found, GraphQLInputObjectType):
            missing.extend(f"{name}.{field_name}" for field_name, field in found.fields.items()
                           if not (field.description or "").strip())
        elif isinstance(found, GraphQLEnumType):
            missing.extend(f"{name}.{value_name}" for value_name, value in found.values.items()
                           if not (value.description or "").strip())
        elif isinstance(found, GraphQLUnionType):
            pass  # its members are types, checked on their own
    for directive in graphql_schema.directives:
        if directive.ast_node is not None:  # our own directives (none today)
            missing.extend(f"@{directive.name}({a})" for a, arg in directive.args.items()
                           if not (arg.description or "").strip())
    return sorted(missing)


def test_every_public_element_of_the_schema_is_described() -> None:
    missing = undescribed(schema._schema)
    assert not missing, f"{len(missing)} schema elements lack a description: {missing}"


def test_the_check_finds_an_undescribed_type_field_argument_and_value() -> None:
    @strawberry.enum(description="Described.")
    class Colour(Enum):
        RED = "red"

    @strawberry.input
    class Filter:
        colour: Colour | None = None

    @strawberry.type(description="Described.")
    class Query:
        @strawberry.field(description="Described.")
        def paint(self, filter: Filter | None = None, strength: int = 1) -> Colour:
            return Colour.RED

        plain: str = "x"

    found = undescribed(strawberry.Schema(query=Query)._schema)
    assert found == ["Colour.RED", "Filter", "Filter.colour", "Query.paint(filter)",
                     "Query.paint(strength)", "Query.plain"]
