"""Schema migrations: ``cypher/schema/NNN_name.cypher`` applied in order, each once.

Every applied file is recorded as ``(:SchemaMigration {id, checksum, applied_at})``. Statements
use ``IF NOT EXISTS`` so a file interrupted part-way can run again. A file whose content changed
after it was applied is refused: write a new migration instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from neo4j import Driver

from riskgraph.graph.catalog import names, query, statements
from riskgraph.graph.driver import read, write
from riskgraph.graph.errors import MigrationError

_NAME = re.compile(r"^schema/\d{3}_[a-z0-9_]+$")


@dataclass(frozen=True)
class Migration:
    id: str
    text: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def available() -> list[Migration]:
    """The migration files, in order."""
    found = names("schema")
    bad = [name for name in found if not _NAME.match(name)]
    if bad:
        raise MigrationError(f"migration file names must look like NNN_name.cypher: {bad}")
    return [Migration(name.removeprefix("schema/"), query(name)) for name in found]


def applied(driver: Driver, database: str) -> dict[str, str]:
    """Applied migration ids and their recorded checksums."""
    return {row["id"]: row["checksum"] for row in read(driver, "get_migrations", database)}


def migrate(driver: Driver, database: str) -> list[str]:
    """Apply pending migrations in order; return the ids applied now."""
    done = applied(driver, database)
    changed = [m.id for m in available() if m.id in done and done[m.id] != m.checksum]
    if changed:
        raise MigrationError(
            f"applied migration(s) {', '.join(changed)} changed since they were applied "
            "(checksum differs). Restore the original file and add a new migration instead."
        )
    ran: list[str] = []
    for migration in available():
        if migration.id in done:
            continue
        for statement in statements(migration.text):
            driver.execute_query(statement, database_=database)
        write(driver, "merge_migration", database, id=migration.id, checksum=migration.checksum)
        ran.append(migration.id)
    return ran
