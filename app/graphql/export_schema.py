"""Write the GraphQL schema in SDL to docs/schema.graphql (tests/api/test_schema_export.py
fails when the file is stale): ``python -m riskgraph.app.graphql.export_schema [PATH]``."""

from __future__ import annotations

import sys
from pathlib import Path

from riskgraph.graph.config import PROJECT_ROOT

EXPORT = PROJECT_ROOT / "docs" / "schema.graphql"


def schema_sdl() -> str:
    """The schema as SDL, with descriptions and deprecations, ending in a newline."""
    from riskgraph.app.graphql.schema import schema

    return schema.as_str().rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else EXPORT
    path.write_text(schema_sdl(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
