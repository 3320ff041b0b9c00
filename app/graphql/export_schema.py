"""Write the GraphQL schema in SDL to docs/schema.graphql (tests/app/graphql/test_schema_export.py
fails when the file is stale): ``python -m riskgraph.app.graphql.export_schema [PATH]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from riskgraph.app.graphql.schema import schema
from riskgraph.graph.config import PROJECT_ROOT

EXPORT = PROJECT_ROOT / "docs" / "schema.graphql"


def schema_sdl() -> str:
    """The schema as SDL, with descriptions and deprecations, ending in a newline."""
    return schema.as_str().rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m riskgraph.app.graphql.export_schema",
                                     description="Write the GraphQL schema as SDL.")
    parser.add_argument("path", nargs="?", type=Path, default=EXPORT,
                        help=f"where to write it (default: {EXPORT})")
    path: Path = parser.parse_args(argv).path
    path.write_text(schema_sdl(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
