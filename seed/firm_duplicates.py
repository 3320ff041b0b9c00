"""Planted firm duplicates: the same firm in a second source's register, with noise (issue 21).

Only with ``seed --firm-duplicates RATE`` (own random stream, applied after the world is written,
so a world made without the flag is byte-identical to one made before the flag existed). A second
source (another agency, a procurement portal) lists a share RATE of the registry's firms again,
with the noise such sources show:

- name: the same, another legal form (有限公司 / 有限责任公司 / 股份有限公司 / 公司), traditional
  characters, a mistyped character, or the pinyin in Latin script with an English legal form
  (``Guangzhou Xianxin Maoyi Co., Ltd.``);
- USCC: the same, masked (``91440100********E0``), one character mistyped, or not given;
- address: the same, without the province or with full-width digits, a new address (moved), or
  not given;
- people: some of the firm's key persons (their person ids: people resolved first), or none.

Every registry firm is a record of source A (record id: its USCC); the copies are records
``ocds-party:src-b/<n>`` (``COPY_PREFIX``). The copies are **loaded with the world**
(``load_copies``): a ``Company`` node under that key (name as the source writes it, the
original's region and status, no founding date), the key roles of the persons it lists (the
original's roles repeated, same dates), ``REGISTERED_AT`` its address when the source gives one
the world knows, and, as a second source publishes them under its own key, about half
(``MOVE_SHARE``) of the original's own non-inspection credit records (penalties, listings, ...)
and of its bids **moved** to the copy (inspections stay with the registry key: they are the
training labels). The USCC as the source gives it is the node's ``uscc_reported`` (masked,
mistyped or absent). ``firm_records_b.parquet`` keeps the copies' resolution records (the name,
USCC, address and people above) and the truth goes to ``firm_resolution_truth.csv`` (kind
``company``: record, entity = the registry USCC, noise), read by models/resolution/truth.py;
neither is loaded.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from riskgraph.seed.duplicates import TRADITIONAL

RECORDS_FILE = "firm_records_b.parquet"
COPY_PREFIX = "ocds-party:src-b/"
"""Key of a second-source copy: a procurement portal's party key (graph/importers/firm_keys.py)."""
MOVE_SHARE = 0.5
"""Share of the original's own non-inspection records and of its bids the copy publishes."""
TRUTH_FILE = "firm_resolution_truth.csv"
KEY_ROLES = ("LEGAL_REPRESENTATIVE_OF", "DIRECTOR_OF", "SUPERVISOR_OF", "ACTUAL_CONTROLLER_OF")
FORMS_CJK = ("有限公司", "有限责任公司", "股份有限公司", "公司")
FORMS_LATIN = ("Co., Ltd.", "Co. Ltd", "Company Limited", "Ltd.", "CO.,LTD")
_TYPO = "佳嘉家新鑫欣华化宇雨达大金锦"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def registry_records(world: Path) -> list[dict[str, Any]]:
    """Every firm of the world as a source-A record: name, USCC, registered address, key
    persons (person ids)."""
    firms = [f for f in pq.read_table(world / "nodes/Company.parquet", columns=["uscc", "name"]
                                      ).to_pylist() if not f["uscc"].startswith(COPY_PREFIX)]
    text = {r["address_id"]: r["text"] for r in pq.read_table(
        world / "nodes/Address.parquet", columns=["address_id", "text"]).to_pylist()}
    home: dict[str, str] = {}
    for r in pq.read_table(world / "rels/REGISTERED_AT.parquet", columns=["src", "dst"]
                           ).to_pylist():
        home.setdefault(r["src"], text.get(r["dst"], ""))
    people: dict[str, set[str]] = defaultdict(set)
    for name in KEY_ROLES:
        for r in pq.read_table(world / f"rels/{name}.parquet", columns=["src", "dst"]
                               ).to_pylist():
            people[r["dst"]].add(r["src"])
    return [{"record_id": f["uscc"], "source": "a", "name": f["name"], "uscc": f["uscc"],
             "address": home.get(f["uscc"]), "people": sorted(people.get(f["uscc"], ()))}
            for f in firms]


def _legal_form(name: str) -> tuple[str, str]:
    for form in sorted(FORMS_CJK, key=len, reverse=True):
        if name.endswith(form):
            return name[: -len(form)], form
    return name, ""


def _name_variant(name: str, rng: np.random.Generator) -> tuple[str, str]:
    from pypinyin import lazy_pinyin

    core, form = _legal_form(name)
    kind = int(rng.integers(5))
    if kind == 0:
        return name, "name_same"
    if kind == 1:
        other = [f for f in FORMS_CJK if f != form]
        return core + other[int(rng.integers(len(other)))], "name_legal_form"
    if kind == 2 and any(c in TRADITIONAL for c in core):
        return "".join(TRADITIONAL.get(c, c) for c in core) + form, "name_traditional"
    if kind == 3 and len(core) > 3:
        i = int(rng.integers(2, len(core)))
        return core[:i] + _TYPO[int(rng.integers(len(_TYPO)))] + core[i + 1:] + form, "name_typo"
    region = core[:2]
    rest = "".join(s.capitalize() for s in lazy_pinyin(core[2:]))
    latin = f"{''.join(lazy_pinyin(region)).capitalize()} {rest} " \
            f"{FORMS_LATIN[int(rng.integers(len(FORMS_LATIN)))]}"
    return latin, "name_latin"


def _uscc_variant(uscc: str, rng: np.random.Generator) -> tuple[str | None, str]:
    kind = int(rng.integers(4))
    if kind == 0:
        return uscc, "uscc_same"
    if kind == 1:
        return uscc[:8] + "*" * 8 + uscc[16:], "uscc_masked"
    if kind == 2:
        i = int(rng.integers(8, 17))
        swap = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        c = swap[(swap.find(uscc[i]) + 1 + int(rng.integers(len(swap) - 1))) % len(swap)]
        return uscc[:i] + c + uscc[i + 1:], "uscc_typo"
    return None, "uscc_missing"


def _address_variant(address: str | None, others: list[str], rng: np.random.Generator
                     ) -> tuple[str | None, str]:
    if not address:
        return None, "address_missing"
    kind = int(rng.integers(4))
    if kind == 0:
        return address, "address_same"
    if kind == 1:
        cut = address.find("省")
        text = address[cut + 1:] if 0 <= cut < 6 else address
        return text.translate(_FULL_WIDTH), "address_rewritten"
    if kind == 2 and others:
        return others[int(rng.integers(len(others)))], "address_moved"
    return None, "address_missing"


def plant_firms(world: Path, rate: float, seed: int) -> int:
    """Write the second source's records and the truth beside ``world``; returns the copies."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"firm duplicates is a share of the firms in [0, 1], got {rate}")
    rng = np.random.default_rng([seed, 2121])
    source_a = registry_records(world)
    k = round(rate * len(source_a))
    chosen: list[int] = (np.sort(rng.choice(len(source_a), size=k, replace=False)).tolist()
                         if k else [])
    addresses = sorted({r["address"] for r in source_a if r["address"]})
    rows: list[dict[str, Any]] = []
    truth = [("company", r["record_id"], r["record_id"], "original") for r in source_a]
    for n, i in enumerate(chosen):
        firm = source_a[i]
        name, n_kind = _name_variant(firm["name"], rng)
        uscc, u_kind = _uscc_variant(firm["uscc"], rng)
        address, a_kind = _address_variant(firm["address"], addresses, rng)
        people = [p for p in firm["people"] if rng.random() < 0.6] if rng.random() < 0.7 else []
        record = f"{COPY_PREFIX}{n:07d}"
        rows.append({"record_id": record, "source": "b", "name": name, "uscc": uscc,
                     "address": address, "people": people})
        truth.append(("company", record, firm["record_id"],
                      ";".join([n_kind, u_kind, a_kind, f"people_{len(people)}"])))
    schema = pa.schema([("record_id", pa.string()), ("source", pa.string()),
                        ("name", pa.string()), ("uscc", pa.string()), ("address", pa.string()),
                        ("people", pa.list_(pa.string()))])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), world / RECORDS_FILE)
    with (world / TRUTH_FILE).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["kind", "record_id", "entity_id", "noise"])
        writer.writerows(truth)
    load_copies(world, [(r["record_id"], source_a[i]["record_id"], r["name"], r["address"],
                         r["people"], r["uscc"]) for r, i in zip(rows, chosen, strict=True)],
                np.random.default_rng([seed, 2122]))
    return len(rows)


Copy = tuple[str, str, str, str | None, list[str], str | None]
"""(key, original USCC, name, address text, person ids, USCC as reported)."""


def _provenance(src: pa.Array, dst: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise(src, dst, ">")


def load_copies(world: Path, copies: list[Copy], rng: np.random.Generator) -> None:
    """Write the copies into the world's own tables (see the module doc) and the manifest."""
    if not copies:
        return
    written: dict[str, pa.Table] = {}
    company = pq.read_table(world / "nodes/Company.parquet")
    original = {u: i for i, u in enumerate(company["uscc"].to_pylist())}
    at = [original[c[1]] for c in copies]
    keys = pa.array([c[0] for c in copies], pa.string())
    new: dict[str, pa.Array] = {}
    for name in company.column_names:
        col = company[name]
        if name == "uscc" or name == "source_id":
            new[name] = keys
        elif name == "name":
            new[name] = pa.array([c[2] for c in copies], pa.string())
        elif name in ("region_code", "status", "load_batch"):
            new[name] = col.take(pa.array(at)).combine_chunks()
        elif name == "source":
            new[name] = pa.repeat(pa.scalar("riskgraph-seed-b"), len(copies)).cast(col.type)
        else:
            new[name] = pa.nulls(len(copies), col.type)
    new["uscc_reported"] = pa.array([c[5] for c in copies], pa.string())
    rows = pa.table(new)
    company = company.append_column("uscc_reported", pa.nulls(company.num_rows, pa.string()))
    written["nodes/Company.parquet"] = pa.concat_tables([company, rows.select(
        company.column_names)])
    copy_of = {c[1]: c[0] for c in copies}
    for role in KEY_ROLES:  # the persons the source lists keep their roles, same dates
        t = pq.read_table(world / f"rels/{role}.parquet")
        listed = {(p, c[1]): c[0] for c in copies for p in c[4]}
        pick = [i for i, (s, d) in enumerate(zip(t["src"].to_pylist(), t["dst"].to_pylist(),
                                                 strict=True)) if (s, d) in listed]
        if pick:
            extra = t.take(pa.array(pick, pa.int64()))
            dst = pa.array([listed[(s, d)] for s, d in zip(extra["src"].to_pylist(),
                                                            extra["dst"].to_pylist(),
                                                            strict=True)], pa.string())
            extra = extra.set_column(extra.schema.get_field_index("dst"), "dst", dst)
            since = pc.fill_null(pc.cast(extra["since"], pa.string()), "")
            extra = extra.set_column(extra.schema.get_field_index("source_id"), "source_id",
                                     pc.binary_join_element_wise(
                                         _provenance(extra["src"], dst), since, "@"))
            written[f"rels/{role}.parquet"] = pa.concat_tables([t, extra])
    address = {r["text"]: r["address_id"] for r in pq.read_table(
        world / "nodes/Address.parquet", columns=["address_id", "text"]).to_pylist()}
    known = [(c[0], address[c[3]]) for c in copies if c[3] and c[3] in address]
    if known:
        reg = pq.read_table(world / "rels/REGISTERED_AT.parquet")
        src = pa.array([k for k, _ in known], pa.string())
        dst = pa.array([a for _, a in known], pa.string())
        extra = {name: pa.nulls(len(known), reg[name].type) for name in reg.column_names}
        extra.update(src=src, dst=dst, source_id=_provenance(src, dst),
                     source=pa.repeat(pa.scalar("riskgraph-seed-b"), len(known)).cast(
                         reg["source"].type),
                     load_batch=pa.repeat(reg["load_batch"][0], len(known)).cast(
                         reg["load_batch"].type))
        written["rels/REGISTERED_AT.parquet"] = pa.concat_tables([reg, pa.table(extra)])
    records = pq.read_table(world / "nodes/CreditRecord.parquet", columns=["record_id",
                                                                            "stream"])
    inspection = {r for r, s in zip(records["record_id"].to_pylist(),
                                    records["stream"].to_pylist(), strict=True) if s}
    for rel, kept in (("HAS_RECORD", inspection), ("SUBMITTED", set())):
        t = pq.read_table(world / f"rels/{rel}.parquet")
        src = t["src"].to_pylist()
        label = (t["src_label"].to_pylist() if "src_label" in t.column_names
                 else ["Company"] * t.num_rows)
        moved = [copy_of[s] if s in copy_of and lab == "Company" and d not in kept
                 and rng.random() < MOVE_SHARE else s
                 for s, d, lab in zip(src, t["dst"].to_pylist(), label, strict=True)]
        new_src = pa.array(moved, pa.string())
        t = t.set_column(t.schema.get_field_index("src"), "src", new_src)
        t = t.set_column(t.schema.get_field_index("source_id"), "source_id",
                         _provenance(new_src, t["dst"]))
        written[f"rels/{rel}.parquet"] = t
    manifest = json.loads((world / "manifest.json").read_text(encoding="utf-8"))
    for relpath, table in written.items():
        path = world / relpath
        pq.write_table(table, path, compression="zstd")
        manifest["files"][relpath] = {"rows": table.num_rows,
                                      "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    manifest["params"]["firm_duplicates"] = len(copies)
    (world / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False)
                                         + "\n", encoding="utf-8")


def firm_records(world: Path) -> list[dict[str, Any]]:
    """Both sources' records of a world seeded with ``--firm-duplicates``."""
    b: list[dict[str, Any]] = pq.read_table(world / RECORDS_FILE).to_pylist()
    return registry_records(world) + b
