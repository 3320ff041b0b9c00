"""Convert the City of Chicago's food-inspection files into a riskgraph world (CSV layout).

    .venv/bin/python bench/chicago_world.py --data ../shared/data/chicago-food-inspections \
        --out /tmp/chicago-world [--limit 300]

Reads the City's ``.Rds`` files with ``rdata`` (dates are days since 1970-01-01) and writes the
CSV world layout of docs/importers.md, then ``riskgraph load`` takes it as it is:

- every licence (``License`` of an inspection, ``LICENSE_NUMBER`` of a business record) →
  ``nodes/Company.csv`` keyed ``chicago-license:<number>`` (namespace declared in
  ``manifest.json``); name = the latest doing-business-as name; founded_on = the earliest date
  the City knows the licence by (``minDate``, the first term start or the first inspection);
- ``ACCOUNT_NUMBER`` → ``nodes/LicenceHolder.csv`` + ``rels/HELD_BY.csv``; ``LEGAL_NAME`` →
  ``nodes/LegalName.csv`` (normalised key, graph/normalize.py) + ``rels/HAS_LEGAL_NAME.csv``;
  the inspected address → ``nodes/Address.csv`` + ``rels/REGISTERED_AT.csv`` (the data has no
  phone numbers); each link dated from the licence's founded_on;
- the six sanitarian clusters → ``nodes/Inspector.csv``; every inspection →
  ``nodes/CreditRecord.csv`` with the City's ``Inspection_ID`` as ``record_id`` (category
  ``inspections``, kind ``targeted_inspection``; the stream from the City's
  ``Inspection_Type``: a re-inspection (``... Re-Inspection``) is ``follow_up``, a complaint or
  suspected food poisoning ``complaint``, a canvass ``routine`` (scheduled by risk category),
  anything else (licence, consultation, task force, tag removal) ``targeted``. The City's
  published files hold canvasses only: ``Inspection_Type`` is ``Canvass`` in all 27,600 rows,
  so every record is ``routine`` there), outcome ``serious_violation`` when a critical
  violation was found, ``violation`` when a serious one was (or the inspection failed), else
  ``no_violation``;
  ``rels/HAS_RECORD.csv`` and ``rels/INSPECTED_BY.csv``;
- the City's extra columns as user tables (models/risk/userdata.py) under ``features/``:
  ``inspection_context.csv`` (per inspection, keyed also by ``record_id``: heat-map values,
  the day's weather, the ``facility_type`` and the ``risk_category`` (the City's Risk 1 / 2 /
  3 class of the facility, by which canvasses are scheduled) the inspection recorded, and the
  licence-type flags (alcohol, tobacco, …: the licences in force on the inspection day)),
  ``inspection_results.csv`` (per licence and inspection day: the critical / serious / minor
  violation counts found; as a feature table each row counts from the next day, so an
  inspection sees its licence's previous results), and ``split.csv``
  (record_id, uscc, date, the City's Train / Test flag, ``criticalFound`` and the City's
  ``score``) for the benchmark.

``--limit N`` keeps N licences: up to half of them from multi-licence holders (smallest holders
first, so the slice has many), then the others in licence order — a small slice that still has
the links.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from riskgraph.graph.normalize import address_key, hashed_id, legal_name_key

NAMESPACE = "chicago-license"
HOLDER_NAMESPACE = "chicago-account"
AGENCY = "Chicago Department of Public Health"
EPOCH = dt.date(1970, 1, 1)
LICENCE_FLAGS = (
    "consumption_on_premises_incidental_activity", "tobacco_retail_over_counter",
    "package_goods", "limited_business_license", "outdoor_patio", "public_place_of_amusement",
    "childrens_services_facility_license", "tavern", "regulated_business_license",
    "filling_station", "caterers_liquor_license", "mobile_food_license",
)
RESULT_COUNTS = ("critical_count", "serious_count", "minor_count")
CONTEXT = ("heat_burglary", "heat_garbage", "heat_sanitation", "precipIntensity",
           "temperatureMax", "windSpeed", "humidity")
MANIFEST = {
    "generator": "bench/chicago_world.py",
    "source": "City of Chicago food-inspections-evaluation (commit 603d8db), MIT licence",
    "id_schemes": {
        NAMESPACE: {"doc": "City of Chicago business licence number", "pattern": r"[0-9]{1,9}"},
    },
}


def day(value: Any) -> str | None:
    """An R date (days since 1970-01-01) as ISO text; None when missing."""
    if value is None or value != value:  # NaN / NA
        return None
    return (EPOCH + dt.timedelta(days=int(value))).isoformat()


def number(value: Any) -> str | None:
    """A whole number stored as a float (licence, account, inspection id) as text."""
    if value is None or value != value:
        return None
    return str(int(value))


def text(value: Any) -> str | None:
    if value is None or value != value:
        return None
    cleaned = " ".join(str(value).split())
    return cleaned or None


def read_rds(path: Path) -> Any:
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # data.table / IDate classes read as data.frame / Date
        return rdata.read_rds(path)


def _write(path: Path, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(list(header))
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
            count += 1
    return count


def outcome_of(critical: float, serious: float, result: str | None) -> str:
    if critical == critical and critical > 0:
        return "serious_violation"
    if (serious == serious and serious > 0) or result == "Fail":
        return "violation"
    return "no_violation"


def stream_of(inspection_type: str | None) -> str:
    """The riskgraph stream of one of the City's ``Inspection_Type`` values."""
    kind = (inspection_type or "").lower().replace("-", "").replace(" ", "")
    if "reinsp" in kind:
        return "follow_up"
    if "complaint" in kind or "poison" in kind:
        return "complaint"
    if "canvas" in kind:
        return "routine"
    return "targeted"


def _choose(licences: list[str], holder_of: dict[str, str], limit: int | None) -> set[str]:
    """All licences, or ``limit`` of them: multi-licence holders' first (smallest first)."""
    if limit is None or limit >= len(licences):
        return set(licences)
    by_holder: dict[str, list[str]] = defaultdict(list)
    for lic in licences:
        if lic in holder_of:
            by_holder[holder_of[lic]].append(lic)
    multi = sorted((h for h, ls in by_holder.items() if len(ls) > 1),
                   key=lambda h: (len(by_holder[h]), int(h)))
    chosen: list[str] = []
    for holder in multi:
        group = sorted(by_holder[holder], key=int)
        if len(chosen) + len(group) > limit // 2:
            continue
        chosen.extend(group)
    rest = [lic for lic in sorted(licences, key=int) if lic not in set(chosen)]
    chosen.extend(rest[: limit - len(chosen)])
    return set(chosen)


def convert(data: Path, out: Path, limit: int | None = None) -> dict[str, int]:
    """Write the world under ``out``; return rows written per file."""
    insp = read_rds(data / "23_food_insp_features.Rds")
    bus = read_rds(data / "24_bus_features.Rds")
    xgb = read_rds(data / "30_xgboost_data.Rds")
    sanitarian = read_rds(data / "19_inspector_assignments.Rds")

    # ---- licences and what the business records say about them
    first_seen: dict[str, int] = {}
    name_of: dict[str, tuple[int, str]] = {}
    address_of: dict[str, tuple[int, str]] = {}
    for row in insp.itertuples(index=False):
        lic, when = number(row.License), int(row.Inspection_Date)
        if lic is None:
            continue
        first_seen[lic] = min(first_seen.get(lic, when), when)
        name = text(row.DBA_Name) or text(row.AKA_Name)
        if name and when >= name_of.get(lic, (-1, ""))[0]:
            name_of[lic] = (when, name)
        place = text(row.Address)
        if place:
            zip_code = number(row.Zip)
            full = f"{place}, CHICAGO IL {zip_code}" if zip_code else f"{place}, CHICAGO IL"
            if when >= address_of.get(lic, (-1, ""))[0]:
                address_of[lic] = (when, full)
    holder_of: dict[str, str] = {}
    legal_of: dict[str, str] = {}
    for row in bus.itertuples(index=False):
        lic = number(row.LICENSE_NUMBER)
        if lic is None:
            continue
        for value in (row.minDate, row.LICENSE_TERM_START_DATE):
            if value == value and value is not None:
                first_seen[lic] = min(first_seen.get(lic, int(value)), int(value))
        if number(row.ACCOUNT_NUMBER):
            holder_of[lic] = number(row.ACCOUNT_NUMBER) or ""
        if text(row.LEGAL_NAME):
            legal_of[lic] = text(row.LEGAL_NAME) or ""
        if lic not in name_of and text(row.DOING_BUSINESS_AS_NAME):
            name_of[lic] = (-1, text(row.DOING_BUSINESS_AS_NAME) or "")
        if lic not in address_of and text(row.ADDRESS):
            address_of[lic] = (-1, f"{text(row.ADDRESS)}, CHICAGO IL {text(row.ZIP_CODE) or ''}")
    chosen = _choose(sorted(first_seen, key=int), holder_of, limit)

    def key(lic: str) -> str:
        return f"{NAMESPACE}:{lic}"

    counts: dict[str, int] = {}
    licences = sorted(chosen, key=int)
    founded = {lic: day(first_seen[lic]) for lic in licences}
    counts["nodes/Company.csv"] = _write(
        out / "nodes" / "Company.csv", ("uscc", "name", "founded_on", "status"),
        ((key(lic), name_of.get(lic, (0, f"licence {lic}"))[1], founded[lic], "active")
         for lic in licences))
    holders = sorted({holder_of[lic] for lic in licences if lic in holder_of}, key=int)
    counts["nodes/LicenceHolder.csv"] = _write(
        out / "nodes" / "LicenceHolder.csv", ("holder_id",),
        ((f"{HOLDER_NAMESPACE}:{h}",) for h in holders))
    counts["rels/HELD_BY.csv"] = _write(
        out / "rels" / "HELD_BY.csv", ("src", "dst", "since"),
        ((key(lic), f"{HOLDER_NAMESPACE}:{holder_of[lic]}", founded[lic])
         for lic in licences if lic in holder_of))
    names: dict[str, str] = {}
    for lic in licences:
        if lic in legal_of:
            names.setdefault(legal_name_key(legal_of[lic]), legal_of[lic])
    counts["nodes/LegalName.csv"] = _write(out / "nodes" / "LegalName.csv", ("name_key", "text"),
                                           sorted(names.items()))
    counts["rels/HAS_LEGAL_NAME.csv"] = _write(
        out / "rels" / "HAS_LEGAL_NAME.csv", ("src", "dst", "since"),
        ((key(lic), legal_name_key(legal_of[lic]), founded[lic])
         for lic in licences if lic in legal_of))
    addresses: dict[str, str] = {}
    address_id: dict[str, str] = {}
    for lic in licences:
        if lic in address_of:
            norm = address_key(address_of[lic][1])
            address_id[lic] = hashed_id("addr", norm)
            addresses[address_id[lic]] = norm
    counts["nodes/Address.csv"] = _write(out / "nodes" / "Address.csv", ("address_id", "text"),
                                         sorted(addresses.items()))
    counts["rels/REGISTERED_AT.csv"] = _write(
        out / "rels" / "REGISTERED_AT.csv", ("src", "dst", "since"),
        ((key(lic), address_id[lic], founded[lic]) for lic in licences if lic in address_id))

    # ---- inspections
    cluster = {number(r.inspectionID): text(r.sanitarian) for r in sanitarian.itertuples()}
    records, has_record, inspected_by = [], [], []
    for row in sorted(insp.itertuples(index=False), key=lambda r: int(r.Inspection_ID)):
        lic = number(row.License)
        if lic not in chosen:
            continue
        record_id = number(row.Inspection_ID)
        outcome = outcome_of(row.criticalCount, row.seriousCount, text(row.Results))
        polarity = "neutral" if outcome == "no_violation" else "negative"
        who = cluster.get(record_id)
        inspector = f"chicago-sanitarian-cluster:{who}" if who else None
        records.append((record_id, "inspections", "targeted_inspection", AGENCY,
                        day(row.Inspection_Date), polarity, "public",
                        stream_of(text(row.Inspection_Type)), inspector,
                        outcome))
        has_record.append((key(lic), record_id, "Company"))
        if inspector:
            inspected_by.append((record_id, inspector))
    counts["nodes/CreditRecord.csv"] = _write(
        out / "nodes" / "CreditRecord.csv",
        ("record_id", "category", "kind", "agency", "issued_on", "polarity", "disclosure",
         "stream", "inspector_id", "outcome"), records)
    counts["rels/HAS_RECORD.csv"] = _write(out / "rels" / "HAS_RECORD.csv",
                                           ("src", "dst", "src_label"), has_record)
    counts["rels/INSPECTED_BY.csv"] = _write(out / "rels" / "INSPECTED_BY.csv", ("src", "dst"),
                                             inspected_by)
    clusters = sorted({r[8] for r in records if r[8]})
    counts["nodes/Inspector.csv"] = _write(
        out / "nodes" / "Inspector.csv", ("inspector_id", "name", "agency"),
        ((c, f"sanitarian cluster {c.split(':', 1)[1]}", AGENCY) for c in clusters))

    # ---- the City's own columns, as user tables
    risk_of = {number(r.Inspection_ID) or "": text(r.Risk) for r in insp.itertuples(index=False)}
    rows = [r for r in xgb.itertuples(index=False) if number(r.License) in chosen]
    rows.sort(key=lambda r: int(r.Inspection_ID))
    # the licence-type flags are the licences in force on the inspection day (issued before
    # it): a fact of the inspection, so they go with its context. (As a per-licence feature
    # table dated on the inspection day they would only count from the next day, and every
    # inspection would see its previous inspection's flags.)
    counts["features/inspection_context.csv"] = _write(
        out / "features" / "inspection_context.csv",
        ("record_id", "uscc", "date", *CONTEXT, "facility_type", "risk_category",
         *LICENCE_FLAGS),
        ((number(r.Inspection_ID), key(number(r.License) or ""), day(r.Inspection_Date),
          *(_num(getattr(r, f)) for f in CONTEXT), text(r.Facility_Type),
          risk_of.get(number(r.Inspection_ID) or ""),
          *(_num(getattr(r, f)) for f in LICENCE_FLAGS)) for r in rows))
    counts["features/inspection_results.csv"] = _write(
        out / "features" / "inspection_results.csv", ("uscc", "date", *RESULT_COUNTS),
        results_rows(insp, chosen))
    counts["features/split.csv"] = _write(
        out / "features" / "split.csv",
        ("record_id", "uscc", "date", "split", "critical_found", "city_score"),
        ((number(r.Inspection_ID), key(number(r.License) or ""), day(r.Inspection_Date),
          "train" if r.Train else "test" if r.Test else "", _num(r.criticalFound),
          _num(r.score)) for r in rows))
    (out / "manifest.json").write_text(json.dumps(MANIFEST, indent=1) + "\n", encoding="utf-8")
    return counts


def results_rows(insp: Any, chosen: set[str]) -> list[tuple[Any, ...]]:
    """Per licence and inspection day: the violation counts found (summed over the day's
    inspections). As a ``--features`` table a row counts from the day after it, so at an
    inspection the firm carries its *previous* inspection's counts (the City's pastCritical /
    pastSerious / pastMinor)."""
    per: dict[tuple[str, int], list[float]] = {}
    for row in insp.itertuples(index=False):
        lic = number(row.License)
        if lic not in chosen:
            continue
        found = per.setdefault((lic, int(row.Inspection_Date)), [0.0, 0.0, 0.0])
        for i, value in enumerate((row.criticalCount, row.seriousCount, row.minorCount)):
            found[i] += 0.0 if value is None or value != value else float(value)
    return [(f"{NAMESPACE}:{lic}", day(when), *(_num(v) for v in found))
            for (lic, when), found in sorted(per.items(), key=lambda kv: (int(kv[0][0]),
                                                                          kv[0][1]))]


def _num(value: Any) -> str:
    if value is None or value != value:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    as_float = float(value)
    return str(int(as_float)) if as_float.is_integer() else repr(round(as_float, 6))


def summary(out: Path) -> dict[str, int]:
    """Links the world has: holders / legal names / addresses shared by more than one licence."""
    found: dict[str, int] = {}
    for rel in ("HELD_BY", "HAS_LEGAL_NAME", "REGISTERED_AT"):
        per: dict[str, int] = defaultdict(int)
        with (out / "rels" / f"{rel}.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                per[row["dst"]] += 1
        shared = [n for n in per.values() if n > 1]
        found[f"{rel}: targets shared by >1 licence"] = len(shared)
        found[f"{rel}: licences under them"] = sum(shared)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with the City's .Rds")
    parser.add_argument("--out", type=Path, required=True, help="world directory to write")
    parser.add_argument("--limit", type=int, default=None, help="keep this many licences")
    args = parser.parse_args(argv)
    if not (args.data / "23_food_insp_features.Rds").is_file():
        parser.error(f"{args.data} does not hold the City's files (23_food_insp_features.Rds)")
    began = time.perf_counter()
    counts = convert(args.data, args.out, args.limit)
    for name, count in counts.items():
        print(f"{name:34} {count:>7,}")
    for name, count in summary(args.out).items():
        print(f"{name:50} {count:>7,}")
    print(f"wrote {args.out} in {time.perf_counter() - began:.1f} s "
          f"(load it with: riskgraph load {args.out})")


if __name__ == "__main__":
    main()
