"""Planted firm duplicates: the same firm in a second source's register, with noise (issue 21).

Only with ``seed --firm-duplicates RATE`` (own random stream, written after the world, so the
world's own files are byte-identical with or without it). A second source (another agency, a
procurement portal) lists a share RATE of the registry's firms again, as ``firm_records_b.parquet``
beside the world (never loaded), with the noise such sources show:

- name: the same, another legal form (有限公司 / 有限责任公司 / 股份有限公司 / 公司), traditional
  characters, a mistyped character, or the pinyin in Latin script with an English legal form
  (``Guangzhou Xianxin Maoyi Co., Ltd.``);
- USCC: the same, masked (``91440100********E0``), one character mistyped, or not given;
- address: the same, without the province or with full-width digits, a new address (moved), or
  not given;
- people: some of the firm's key persons (their person ids: people resolved first), or none.

Every registry firm is a record of source A (record id: its USCC); the copies are records
``b:<n>``. The truth goes to ``firm_resolution_truth.csv`` (kind ``company``: record, entity = the
registry USCC, noise), read by models/resolution/truth.py.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from riskgraph.seed.duplicates import TRADITIONAL

RECORDS_FILE = "firm_records_b.parquet"
TRUTH_FILE = "firm_resolution_truth.csv"
KEY_ROLES = ("LEGAL_REPRESENTATIVE_OF", "DIRECTOR_OF", "SUPERVISOR_OF", "ACTUAL_CONTROLLER_OF")
FORMS_CJK = ("有限公司", "有限责任公司", "股份有限公司", "公司")
FORMS_LATIN = ("Co., Ltd.", "Co. Ltd", "Company Limited", "Ltd.", "CO.,LTD")
_TYPO = "佳嘉家新鑫欣华化宇雨达大金锦"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def registry_records(world: Path) -> list[dict[str, Any]]:
    """Every firm of the world as a source-A record: name, USCC, registered address, key
    persons (person ids)."""
    firms = pq.read_table(world / "nodes/Company.parquet", columns=["uscc", "name"]).to_pylist()
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
        record = f"b:{n:07d}"
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
    return len(rows)


def firm_records(world: Path) -> list[dict[str, Any]]:
    """Both sources' records of a world seeded with ``--firm-duplicates``."""
    b: list[dict[str, Any]] = pq.read_table(world / RECORDS_FILE).to_pylist()
    return registry_records(world) + b
