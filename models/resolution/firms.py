"""Firm resolution across sources (issue 21): comparison columns and a Splink model for firms.

A firm record (``record_id``, ``name``, optional ``uscc``, ``address``, ``people``) gets:
``name_exact``, its legal name key (graph/normalize.py ``legal_name_key``: NFKC, upper case,
legal-form suffixes removed, so 有限公司 / 有限责任公司 / "Co., Ltd." agree); ``name_key``, that
key romanised without spaces (hanzi through pypinyin, simplified or traditional), so
广州贤鑫贸易有限公司 and "Guangzhou Xianxin Maoyi Co., Ltd." share ``guangzhouxianxinmaoyi``; the
visible USCC fragments (``uscc_region``: characters 3-8, ``uscc_body``: 9-17, ``uscc_check``:
the 18th, ``uscc_tail``: the 17th and 18th, which a masked USCC such as ``91440100********E0``
still shows; a ``*`` masks a character); the address key and city (as for people); the ids of
its key persons (``people``: a person's resolved entity when person resolution linked it) and
of those of them whom at most FEW_RECORDS records list (``few_people``: a nominee who leads
hundreds of shells says little; a person of one firm listed by two sources says much).
Scoring and clustering are those of people (models/resolution/matcher.py, clusters.py): a
Fellegi-Sunter model in Splink on DuckDB whose every score is the sum of its comparison levels'
match weights; two records keyed by a USCC (registry firms) are never a pair nor one cluster.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from riskgraph.graph.errors import RiskgraphError
from riskgraph.graph.firm_links import is_registry_key
from riskgraph.graph.normalize import legal_name_key
from riskgraph.models.resolution.features import HANZI, address_parts
from riskgraph.models.resolution.matcher import (
    GUESS,
    NO_CANDIDATES,
    MatchSettings,
    NoCandidatePairs,
    Scored,
    _Clock,
    _db,
    _levels,
    _prior,
    address_comparison,
    correct_u,
    estimate_prior,
    first_line,
    learn_from_labels,
    nothing_to_score,
    train_em,
)
from riskgraph.models.resolution.run import Resolution, assemble

COMPARISONS = ("name", "uscc", "address", "people")
FEW_RECORDS = 4
"""A key person listed by at most this many firm records is one of a record's ``few_people``."""
FIRM_THRESHOLD = 0.95
"""The default merge threshold of firms. The rule: the highest of 0.95, 0.9, 0.85, 0.8 reaching
pairwise recall >= 0.95 with precision >= 0.98 on a validation world (seed 8, 10,000 firms, rate
0.1: 0.95 gave 1.0000 / 0.9820, 0.9 1.0000 / 0.9880); the figures are then measured on other
worlds (bench/bench_firm_resolution.py, seed 9). About 5 % of the planted copies keep nothing
but their name (no USCC, no or a moved address, no key person), and distinct firms share legal
names (branches, homophones), so such a copy scores by its name and the size of the register."""
USCC_DIFFERS = "a visible USCC fragment differs"
NUMBERS_DIFFER = ("name_digits_l <> name_digits_r AND "
                  "damerau_levenshtein(name_letters_l, name_letters_r) <= 1")
"""Both names carry numbers, the numbers differ, the rest is at most one character apart:
STARBUCKS T-1 and T-2, EASTERN LOBBY SHOP #4031 and #4032 (12,367 real Chicago licences:
40 of 589 pairs merged before this level were such outlets of one address)."""
NUMBERS_DIFFER_M = 1e-5
"""m of that level, fixed (not learned): expectation maximisation cannot tell two outlets of
one holder at one address from one firm listed twice, and a second source rarely renumbers a
firm; u is measured as for every level, so the weight is log2(1e-5 / u)."""
NO_FIRM_CANDIDATES = NO_CANDIDATES.format(
    what="firm", entity="firm", keys="romanised name, USCC fragment, address or key person")
SCHEMA = pa.schema([
    ("unique_id", pa.string()), ("registry", pa.bool_()), ("name", pa.string()),
    ("name_exact", pa.string()), ("name_key", pa.string()), ("name_digits", pa.string()),
    ("name_letters", pa.string()), ("uscc", pa.string()),
    ("uscc_region", pa.string()),
    ("uscc_body", pa.string()), ("uscc_check", pa.string()), ("uscc_tail", pa.string()),
    ("address_key", pa.string()), ("address_city", pa.string()),
    ("people", pa.list_(pa.string())), ("few_people", pa.list_(pa.string())),
])


def firm_name_key(name: str) -> str | None:
    """The romanised legal name key without spaces (None when empty)."""
    key = legal_name_key(name) if name.strip() else ""
    if HANZI.search(key):
        from pypinyin import lazy_pinyin

        key = "".join(lazy_pinyin(re.sub(r"\s+", "", key)))
    folded = "".join(c for c in unicodedata.normalize("NFKD", key)
                     if not unicodedata.combining(c))
    out = re.sub(r"[^a-z0-9]+", "", folded.lower())
    return out or None


def name_numbers(key: str | None) -> dict[str, str | None]:
    """The digits of a romanised name key and the key without them, when it has digits
    (``starbuckst2`` → ``2``, ``starbuckst``); None both when it has none."""
    digits = re.sub(r"[^0-9]", "", key or "")
    return {"name_digits": digits or None,
            "name_letters": re.sub(r"[0-9]", "", key or "") if digits else None}


def uscc_fragments(value: str | None) -> dict[str, str | None]:
    """Visible parts of an 18-character USCC (``*`` masks a character)."""
    out: dict[str, str | None] = {"uscc": None, "uscc_region": None, "uscc_body": None,
                                  "uscc_check": None, "uscc_tail": None}
    text = (value or "").strip().upper()
    if len(text) != 18:
        return out
    if "*" not in text:
        out["uscc"] = text
    for name, part in (("uscc_region", text[2:8]), ("uscc_body", text[8:17]),
                       ("uscc_check", text[17:]), ("uscc_tail", text[16:])):
        if "*" not in part:
            out[name] = part
    return out


def firm_features(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """The comparison table of firm records (keys ``record_id``, ``name``, optional ``uscc``,
    ``address``, ``people``)."""
    cols: dict[str, list[Any]] = {f.name: [] for f in SCHEMA}
    listed: Counter[str] = Counter()
    for row in rows:
        name = str(row.get("name") or "")
        key, city = address_parts(row.get("address"))
        name_key = firm_name_key(name)
        people = sorted({str(p) for p in row.get("people") or [] if p})
        listed.update(people)
        values = {"unique_id": str(row["record_id"]),
                  "registry": is_registry_key(str(row["record_id"])), "name": name,
                  "name_exact": legal_name_key(name) if name.strip() else None,
                  "name_key": name_key, **name_numbers(name_key),
                  **uscc_fragments(row.get("uscc")),
                  "address_key": key, "address_city": city, "people": people or None}
        for k, v in values.items():
            cols[k].append(v)
    cols["few_people"] = [[p for p in people if listed[p] <= FEW_RECORDS] or None
                          if people else None for people in cols["people"]]
    return pa.table(cols, schema=SCHEMA)


def _comparisons() -> list[Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def level(sql: str, label: str) -> Any:
        return cll.CustomLevel(sql, label_for_charts=label)

    name = cl.CustomComparison(output_column_name="name", comparison_levels=[
        cll.NullLevel("name_key"),
        cll.ExactMatchLevel("name_exact").configure(
            label_for_charts="same legal name (legal form aside)"),
        cll.ExactMatchLevel("name_key").configure(
            label_for_charts="same romanised legal name (script differs)"),
        level(NUMBERS_DIFFER, "names alike but for their numbers (another outlet or unit)"
              ).configure(m_probability=NUMBERS_DIFFER_M, fix_m_probability=True),
        level("damerau_levenshtein(name_exact_l, name_exact_r) <= 1",
              "legal names one character apart"),
        cll.JaroWinklerLevel("name_key", 0.95).configure(
            label_for_charts="romanised names Jaro-Winkler >= 0.95"),
        cll.ElseLevel(),
    ])
    differs = ("coalesce(uscc_region_l <> uscc_region_r, false) OR "
               "coalesce(uscc_body_l <> uscc_body_r, false) OR "
               "coalesce(uscc_tail_l <> uscc_tail_r, false) OR "
               "coalesce(uscc_check_l <> uscc_check_r, false)")
    uscc = cl.CustomComparison(output_column_name="uscc", comparison_levels=[
        level("(uscc_region_l IS NULL AND uscc_body_l IS NULL) OR "
              "(uscc_region_r IS NULL AND uscc_body_r IS NULL)", "USCC not given"
              ).configure(is_null_level=True),
        cll.ExactMatchLevel("uscc").configure(label_for_charts="same USCC"),
        level(f"uscc_region_l = uscc_region_r AND uscc_tail_l = uscc_tail_r AND NOT "
              f"({differs})", "USCC region and last two characters agree (rest masked)"),
        level(f"uscc_region_l = uscc_region_r AND uscc_check_l = uscc_check_r AND NOT "
              f"({differs})", "USCC region and check character agree (rest masked)"),
        level("uscc_region_l = uscc_region_r AND "
              "damerau_levenshtein(uscc_body_l, uscc_body_r) <= 1",
              "USCCs one character apart"),
        level(differs, USCC_DIFFERS),
        cll.ElseLevel().configure(label_for_charts="no USCC fragment comparable"),
    ])
    people = cl.CustomComparison(output_column_name="people", comparison_levels=[
        cll.NullLevel("people"),
        cll.ArrayIntersectLevel("few_people", 1).configure(label_for_charts=(
            f"a key person in common whom at most {FEW_RECORDS} firm records list")),
        cll.ArrayIntersectLevel("people", 1).configure(
            label_for_charts="a key person in common"),
        cll.ElseLevel().configure(label_for_charts="no key person in common"),
    ])
    return [name, uscc, address_comparison(), people]


def _blocking(explode: bool = True) -> list[Any]:
    """The prediction's blocking rules; without ``explode``, those Splink can train on (not
    the key-person rule, which explodes an array)."""
    from splink import block_on

    rules = [
        block_on("name_key"),
        block_on("uscc_region", "uscc_check"),
        block_on("substr(name_exact, 1, 4)"),
        block_on("right(name_exact, 4)", "address_city"),
        block_on("address_key"),
    ]
    return [*rules, block_on("people", arrays_to_explode=["people"])] if explode else rules


def score_firms(records: pa.Table, settings: MatchSettings | None = None,
                same_pairs: Sequence[tuple[str, str]] = ()) -> Scored:
    """Scored candidate pairs of firm records (``firm_features``) at or above ``review_low``;
    ``same_pairs``, the pairs judged the same, are labels for m (at least MIN_LABELS, as for
    people)."""
    from splink.internals.exceptions import SplinkException

    try:
        return _score(records, settings or MatchSettings(), same_pairs)
    except (ValueError, ArithmeticError, RuntimeError, SplinkException) as exc:
        raise RiskgraphError(
            f"the firm resolution model could not be trained on {records.num_rows:,} "
            f"record(s): {first_line(exc)}"
            f"{GUESS if not isinstance(exc, NoCandidatePairs) else ''}") from exc


def _score(records: pa.Table, settings: MatchSettings,
           same_pairs: Sequence[tuple[str, str]]) -> Scored:
    from splink import Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    db = _db(settings)
    df = db.register(records, table_name="firm_records")
    creator = SettingsCreator(
        link_type="dedupe_only", unique_id_column_name="unique_id",
        comparisons=_comparisons(), blocking_rules_to_generate_predictions=_blocking(),
        retain_intermediate_calculation_columns=True, retain_matching_columns=True)
    linker = Linker(df, creator, log_level=None)
    clock = _Clock()
    notes: list[str] = []
    linker = estimate_prior(df, linker, [block_on("name_key", "uscc_region"), block_on("uscc"),
                                         block_on("name_exact", "address_key")],
                            records.num_rows, notes, fallback=[block_on("name_exact")])
    clock.lap("prior")
    linker.training.estimate_u_using_random_sampling(max_pairs=settings.max_pairs,
                                                     seed=settings.seed)
    clock.lap("u")
    try:
        linker = train_em(df, linker, [block_on("name_key"), block_on("uscc")],
                          max_pairs=settings.em_max_pairs, fallback=_blocking(explode=False),
                          notes=notes)
    except NoCandidatePairs:
        return nothing_to_score(df, linker, _blocking(), clock.laps,
                                [*notes, NO_FIRM_CANDIDATES])
    learn_from_labels(db, linker.training, same_pairs, "firm_records")
    linker = correct_u(df, linker, settings.max_pairs)
    registry = set(registry_records(records))
    linker = registry_pairs_apart(df, linker, records.num_rows, len(registry))
    clock.lap("em")
    pairs = [p for p in linker.inference.predict(
        threshold_match_probability=settings.review_low).as_record_list()
        if not (p["unique_id_l"] in registry and p["unique_id_r"] in registry)]
    clock.lap("predict")
    model = linker.misc.save_model_to_json()
    return Scored(pairs=pairs, levels=_levels(model), prior_weight=_prior(model), model=model,
                  seconds=clock.laps, notes=notes)


def registry_pairs_apart(df: Any, linker: Any, records: int, registry: int) -> Any:
    """``linker`` conditioned on the pairs that can match: two records keyed by a USCC are two
    registry firms (a USCC names one legal entity), so such a pair is never a candidate, and the
    prior is the share of matches among the other pairs, ``lambda * all / comparable``. The
    agreeing levels of the ``uscc`` comparison never hold for two registry firms (whose USCCs
    are whole and distinct), so their u among the comparable pairs is u * all / comparable too,
    and "a visible USCC fragment differs" takes the rest. Without registry records (or with
    nothing else) the model is returned as it is."""
    from splink import Linker

    total = records * (records - 1) / 2
    apart = registry * (registry - 1) / 2
    if apart <= 0 or apart >= total:
        return linker
    ratio = total / (total - apart)
    model = linker.misc.save_model_to_json()
    lam = float(model["probability_two_random_records_match"])
    model["probability_two_random_records_match"] = min(lam * ratio, 0.5)
    (uscc,) = [c for c in model["comparisons"] if c["output_column_name"] == "uscc"]
    levels = [lv for lv in uscc["comparison_levels"] if not lv.get("is_null_level")
              and lv.get("u_probability") is not None]
    differs = [lv for lv in levels if lv.get("label_for_charts") == USCC_DIFFERS]
    agree = [lv for lv in levels if lv.get("label_for_charts") != USCC_DIFFERS]
    for lv in agree:
        lv["u_probability"] = min(float(lv["u_probability"]) * ratio, 1.0)
    for lv in differs:
        lv["u_probability"] = max(1.0 - sum(float(a["u_probability"]) for a in agree), 1e-6)
    return Linker(df, model, log_level=None)


def resolve_firms(records: Iterable[Mapping[str, Any]], settings: MatchSettings | None = None,
                  same: Sequence[tuple[str, str]] = (), not_same: Sequence[tuple[str, str]] = (),
                  entity_id: Any = None) -> Resolution:
    """Score and cluster firm records under the judgements ("not same" is never merged): the
    links (``record_id`` → entity) and review queue graph/store/resolution.py writes (kind
    ``company``); the default threshold is FIRM_THRESHOLD. Two registry firms (records keyed by
    a USCC) never join one cluster through scored links."""
    settings = settings or MatchSettings(threshold=FIRM_THRESHOLD)
    table = firm_features(records)
    scored = score_firms(table, settings, list(same))
    return assemble(scored, table.num_rows, settings, same, not_same, entity_id,
                    key_column="record_id", comparisons=COMPARISONS,
                    apart=registry_records(table))


def registry_records(table: pa.Table) -> list[str]:
    """The records of ``table`` (``firm_features``) keyed by a USCC: firms of the registry."""
    return [str(k) for k, r in zip(table["unique_id"].to_pylist(),
                                   table["registry"].to_pylist(), strict=True) if r]
