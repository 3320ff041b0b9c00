"""Arrow tables in the schema's layout (declared columns + provenance), written as Parquet."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from riskgraph.graph.schema import NODES, RELS, Label, Rel, node_file, rel_file
from riskgraph.seed.arrays import IntArray

SOURCE = "riskgraph-seed"
_ARROW = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
          "date": pa.date32(), "datetime": pa.timestamp("s"),
          "strings": pa.list_(pa.string())}


def dates(days: IntArray) -> pa.Array:
    """``date32`` from day numbers; negative means null."""
    d = np.asarray(days)
    return pa.array(d.astype(np.int32), type=pa.date32(), mask=d < 0)


def words(vocab: tuple[str, ...] | list[str], idx: IntArray) -> pa.Array:
    """Strings by index into ``vocab``; negative means null."""
    i = np.asarray(idx)
    taken = pa.array(list(vocab), pa.string()).take(pa.array(np.maximum(i, 0)))
    if (i >= 0).all():
        return taken
    return pc.if_else(pa.array(i >= 0), taken, pa.scalar(None, pa.string()))


def _provenance(n: int, source_id: pa.Array, batch: str) -> dict[str, pa.Array]:
    return {"source": pa.repeat(pa.scalar(SOURCE), n).cast(pa.string()),
            "source_id": source_id,
            "load_batch": pa.repeat(pa.scalar(batch), n).cast(pa.string())}


def node_table(label: Label, columns: dict[str, pa.Array], batch: str) -> pa.Table:
    """All declared properties in schema order (absent ones null), then provenance."""
    spec = NODES[label]
    n = len(columns[spec.key])
    out: dict[str, pa.Array] = {}
    for prop in spec.props:
        arr = columns.get(prop.name)
        out[prop.name] = (pa.nulls(n, _ARROW[prop.type]) if arr is None
                          else arr.cast(_ARROW[prop.type]))
    out.update(_provenance(n, columns[spec.key], batch))
    return pa.table(out)


def rel_table(rel: Rel, src: pa.Array, dst: pa.Array, batch: str,
              props: dict[str, pa.Array] | None = None, src_label: pa.Array | None = None
              ) -> pa.Table:
    """``src``, ``dst`` [, ``src_label``], declared props, provenance (source_id = src>dst)."""
    spec = RELS[rel]
    props = props or {}
    n = len(src)
    out: dict[str, pa.Array] = {"src": src, "dst": dst}
    if spec.polymorphic_src:
        assert src_label is not None
        out["src_label"] = src_label
    for prop in spec.props:
        arr = props.get(prop.name)
        out[prop.name] = (pa.nulls(n, _ARROW[prop.type]) if arr is None
                          else arr.cast(_ARROW[prop.type]))
    source_id = pc.binary_join_element_wise(src, dst, ">")
    if "since" in props:
        source_id = pc.binary_join_element_wise(
            source_id, pc.fill_null(pc.cast(props["since"], pa.string()), ""), "@")
    out.update(_provenance(n, source_id, batch))
    return pa.table(out)


class Writer:
    """Writes tables under ``out`` and remembers rows and digests for the manifest."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: dict[str, dict[str, int | str]] = {}
        self.counts: dict[str, int] = {}

    def node(self, label: Label, table: pa.Table) -> None:
        self._write(node_file(label), table, label.value)

    def rel(self, rel: Rel, table: pa.Table) -> None:
        self._write(rel_file(rel), table, rel.value)

    def side_file(self, relpath: str, table: pa.Table) -> None:
        self._write(relpath, table, None)

    def _write(self, relpath: str, table: pa.Table, name: str | None) -> None:
        path = self.out / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path, compression="zstd")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.files[relpath] = {"rows": table.num_rows, "sha256": digest}
        if name is not None:
            self.counts[name] = table.num_rows
