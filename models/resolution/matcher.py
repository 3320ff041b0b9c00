"""Candidate pairs and their scores: a Fellegi-Sunter model in Splink on DuckDB.

Blocking rules pick the candidate pairs (same romanised name and birth year, id tail, address or
firm; same birth date and id tail or address); six comparisons score them, each with levels
whose match weight (log2 of m/u) explains the score: the pair's ``match_weight`` is the prior's
plus the sum over comparisons, ``match_probability`` its logistic. u is estimated from random
pairs, m by expectation maximisation, and from the investigators' "same" judgements when there
are enough of them (Splink's ``estimate_m_from_pairwise_labels``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from riskgraph.graph.errors import RiskgraphError

SPLINK_VERSION = "5.0.0"
MIN_LABELS = 20
"""Fewer "same" judgements than this do not re-estimate m (too few to estimate a level)."""
COMPARISONS = ("name", "birth_date", "id_number", "address", "firms")


@dataclass(frozen=True)
class MatchSettings:
    """What a run decides with (recorded with every decision)."""

    threshold: float = 0.95
    """Pairs at or above this match probability are merged automatically."""
    review_low: float = 0.2
    """Pairs between this and ``threshold`` go to the review queue."""
    seed: int = 21
    max_pairs: float = 2e6
    """Random pairs u is estimated from."""
    em_max_pairs: float = 1e6
    """Blocked pairs per expectation-maximisation session at most: Splink samples the records of
    each side by a hash so that about this many pairs remain (the share of matches is kept).
    Without it the session blocked on the name grows with the square of the records (1M pairs
    at 100k persons, about 100M at 1M)."""
    memory_limit: str = "2GB"
    threads: int = 2


@dataclass
class Scored:
    """Scored candidate pairs and the model's comparison levels."""

    pairs: list[dict[str, Any]]
    """unique_id_l, unique_id_r, match_weight, match_probability, gamma_* and mw_* per
    comparison."""
    levels: dict[str, dict[int, str]] = field(default_factory=dict)
    """Comparison → comparison vector value → level label."""
    prior_weight: float = 0.0
    model: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    """Seconds per stage (prior, u, em, predict)."""
    training: list[dict[str, Any]] = field(default_factory=list)
    """Per expectation-maximisation session: its rule, rounds, the pairs Splink estimated the
    rule yields and the pairs it sampled (``train_em``)."""
    notes: list[str] = field(default_factory=list)
    """What the run had to decide because the data could not tell (a floored prior, fallback
    training sessions, no candidate pairs), in words for the run's record."""


GUESS = " (too few records or candidate pairs to estimate its parameters?)"


class NoCandidatePairs(ValueError):
    """No blocking rule yields a pair: every record is its own entity."""


def untrainable(pairs: int) -> str:
    """Why a model with ``pairs`` candidate pairs but no training pair cannot score them."""
    return (f"no training session has a pair: the {pairs:,} candidate pair(s) share only a "
            "linked record (the blocking rules Splink cannot train on), so m cannot be "
            "estimated; judge them by hand (riskgraph resolve judge)")


def estimate_prior(df: Any, linker: Any, rules: list[Any], records: int, notes: list[str],
                   fallback: Sequence[Any] = ()) -> Any:
    """``linker`` with the prior (the probability that two random records match) estimated by
    Splink from the pairs the deterministic ``rules`` find, at a recall of 0.7. When no pair
    meets them (a register without USCCs or birth dates: 300 Chicago licences, 2,789 KEK
    firms) Splink's estimate is 0, whose match weight is minus infinity: the ``fallback``
    rules (weaker, so the prior errs high and more pairs reach the review queue) are tried,
    then the prior is one match among all pairs; ``notes`` says which. More pairs found than
    a recall of 0.7 allows (a register of a few records) caps the prior at one in two."""
    total = max(records * (records - 1) / 2, 1.0)
    for stage in (rules, list(fallback)):
        if not stage:
            continue
        try:
            linker.training.estimate_probability_two_random_records_match(stage, recall=0.7)
        except ValueError:  # more deterministic matches than a recall of 0.7 allows
            return _with_prior(df, linker, 0.5, notes, "the prior's deterministic rules find "
                               "more pairs than a recall of 0.7 allows; the prior is one in two")
        prior = float(linker.misc.save_model_to_json()["probability_two_random_records_match"])
        if prior > 0:
            if stage is not rules:
                notes.append("no pair met the prior's deterministic rules; the prior is "
                             "estimated from the pairs blocked on "
                             + " or ".join(_rule_sql(r) for r in stage))
            return linker
    return _with_prior(df, linker, min(1 / total, 0.5), notes,
                       "no pair met the prior's deterministic rules; the prior is one match "
                       f"among the {total:,.0f} pairs")


def _with_prior(df: Any, linker: Any, prior: float, notes: list[str], note: str) -> Any:
    from splink import Linker

    model = linker.misc.save_model_to_json()
    model["probability_two_random_records_match"] = prior
    notes.append(note)
    return Linker(df, model, log_level=None)


def address_comparison() -> Any:
    """The address comparison people and firms share (keys from features.address_parts)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(output_column_name="address", comparison_levels=[
        cll.NullLevel("address_key"),
        cll.ExactMatchLevel("address_key").configure(label_for_charts="same address"),
        cll.CustomLevel("address_city_l = address_city_r AND "
                        "damerau_levenshtein(address_key_l, address_key_r) <= 2",
                        label_for_charts="addresses two characters apart"),
        cll.ExactMatchLevel("address_city").configure(label_for_charts="same city"),
        cll.ElseLevel(),
    ])


def links_in_common(column: str, what: str) -> Any:
    """Whether two records share a linked record (an array ``column``), e.g. "a firm"."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(output_column_name=column, comparison_levels=[
        cll.NullLevel(column),
        cll.ArrayIntersectLevel(column, 1).configure(label_for_charts=f"{what} in common"),
        cll.ElseLevel().configure(label_for_charts=f"no {what.split(' ', 1)[1]} in common"),
    ])


def _comparisons() -> list[Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def level(sql: str, label: str) -> Any:
        return cll.CustomLevel(sql, label_for_charts=label)

    name = cl.CustomComparison(output_column_name="name", comparison_levels=[
        cll.NullLevel("name_key"),
        cll.ExactMatchLevel("name_exact", term_frequency_adjustments=False).configure(
            label_for_charts="same name as written"),
        cll.ExactMatchLevel("name_key").configure(
            label_for_charts="same romanised name (script, order or case differ)"),
        cll.JaroWinklerLevel("name_key", 0.92).configure(
            label_for_charts="romanised names Jaro-Winkler >= 0.92"),
        cll.JaroWinklerLevel("name_key", 0.8).configure(
            label_for_charts="romanised names Jaro-Winkler >= 0.8"),
        cll.ElseLevel(),
    ])
    birth = cl.CustomComparison(output_column_name="birth_date", comparison_levels=[
        cll.NullLevel("birth_date"),
        cll.ExactMatchLevel("birth_date").configure(label_for_charts="same birth date"),
        level("birth_year_l = birth_year_r AND substr(birth_date_l, 6, 2) = "
              "substr(birth_date_r, 9, 2) AND substr(birth_date_l, 9, 2) = "
              "substr(birth_date_r, 6, 2)", "day and month swapped"),
        cll.DamerauLevenshteinLevel("birth_date", 1).configure(
            label_for_charts="birth dates one character apart"),
        cll.ExactMatchLevel("birth_year").configure(label_for_charts="same birth year"),
        cll.ElseLevel(),
    ])
    differs = ("coalesce(id_tail_l <> id_tail_r, false) OR coalesce(id_region_l <> id_region_r, "
               "false) OR coalesce(id_birth_l <> id_birth_r, false) OR "
               "coalesce(id_ends_l <> id_ends_r, false)")
    id_number = cl.CustomComparison(output_column_name="id_number", comparison_levels=[
        level("(id_ends_l IS NULL AND id_tail_l IS NULL AND id_region_l IS NULL) OR "
              "(id_ends_r IS NULL AND id_tail_r IS NULL AND id_region_r IS NULL)",
              "id number not given").configure(is_null_level=True),
        level(f"id_tail_l = id_tail_r AND id_region_l = id_region_r AND NOT ({differs})",
              "id region and last four agree"),
        level(f"id_tail_l = id_tail_r AND NOT ({differs})", "id last four agree"),
        level(f"id_region_l = id_region_r AND id_birth_l = id_birth_r AND NOT ({differs})",
              "id region and birth digits agree"),
        level(f"id_ends_l = id_ends_r AND NOT ({differs})", "id first and last agree"),
        level(f"id_region_l = id_region_r AND NOT ({differs})", "id region agrees"),
        level(differs, "a visible id fragment differs"),
        cll.ElseLevel().configure(label_for_charts="no id fragment comparable"),
    ])
    return [name, birth, id_number, address_comparison(), links_in_common("firms", "a firm")]


def _blocking(explode: bool = True) -> list[Any]:
    """The prediction's blocking rules; without ``explode``, those Splink can train on (not
    the rules exploding the firms array)."""
    from splink import block_on

    rules = [
        block_on("name_key", "birth_year"),
        block_on("name_key", "id_tail"),
        block_on("name_key", "address_key"),
        block_on("birth_date", "id_tail"),
        block_on("birth_date", "address_key"),
        block_on("birth_date", "id_region"),
        block_on("birth_date", "address_city"),
        block_on("name_key", "address_city"),
    ]
    if not explode:
        return rules
    return [*rules, block_on("firms", "substr(name_key, 1, 1)", arrays_to_explode=["firms"]),
            block_on("firms", "birth_year", arrays_to_explode=["firms"])]


def candidate_pairs(df: Any, rules: list[Any]) -> int:
    """The pairs ``rules`` yield (counted exactly, exploded arrays included)."""
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    counts = count_comparisons_from_blocking_rules(
        df, blocking_rules=rules, link_type="dedupe_only", record_sample_proportion=1.0)
    return int(counts[-1]["cumulative_comparison_count"]) if counts else 0


def nothing_to_score(df: Any, linker: Any, rules: list[Any], seconds: dict[str, float],
                     notes: list[str]) -> Scored:
    """The result of a run no training session had a pair for: no pairs, when ``rules`` (the
    prediction's) yield none either; else NoCandidatePairs saying why they cannot be scored."""
    if (candidates := candidate_pairs(df, rules)) > 0:
        raise NoCandidatePairs(untrainable(candidates)) from None
    model = linker.misc.save_model_to_json()
    return Scored(pairs=[], levels=_levels(model), prior_weight=_prior(model), model=model,
                  seconds=seconds, notes=notes)


NO_CANDIDATES = "no two {what} records share a blocking key ({keys}): no candidate pairs, every " \
    "record is its own {entity}"


def _db(settings: MatchSettings) -> Any:
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect(config={"memory_limit": settings.memory_limit,
                                 "threads": settings.threads})
    return DuckDBAPI(connection=con)


def score(records: pa.Table, settings: MatchSettings | None = None,
          same_pairs: list[tuple[str, str]] | None = None) -> Scored:
    """Train on ``records`` (models/resolution/features.py) and score its candidate pairs down
    to ``review_low``; ``same_pairs`` are judged matches used as labels for m. A model that
    cannot be trained (too few records or candidate pairs) is a RiskgraphError, not a
    traceback."""
    from splink.internals.exceptions import SplinkException

    try:
        return _score(records, settings or MatchSettings(), same_pairs)
    except (ValueError, ArithmeticError, RuntimeError, SplinkException) as exc:
        raise RiskgraphError(
            f"the resolution model could not be trained on {records.num_rows:,} record(s): "
            f"{first_line(exc)}{GUESS if not isinstance(exc, NoCandidatePairs) else ''}"
            ) from exc


def _score(records: pa.Table, settings: MatchSettings,
           same_pairs: list[tuple[str, str]] | None) -> Scored:
    from splink import Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)  # untrained-level notes: not for users
    db = _db(settings)
    df = db.register(records, table_name="records")
    creator = SettingsCreator(
        link_type="dedupe_only", unique_id_column_name="unique_id",
        comparisons=_comparisons(), blocking_rules_to_generate_predictions=_blocking(),
        retain_intermediate_calculation_columns=True, retain_matching_columns=True,
    )
    linker = Linker(df, creator, log_level=None)
    clock = _Clock()
    sessions: list[dict[str, Any]] = []
    notes: list[str] = []
    linker = estimate_prior(df, linker, [block_on("name_key", "birth_date"),
                                         block_on("birth_date", "id_tail")],
                            records.num_rows, notes,
                            fallback=[block_on("name_key", "address_key")])
    clock.lap("prior")
    linker.training.estimate_u_using_random_sampling(max_pairs=settings.max_pairs,
                                                     seed=settings.seed)
    clock.lap("u")
    try:
        linker = train_em(df, linker, [block_on("name_key"), block_on("birth_date"),
                                       block_on("id_tail", "birth_year")],
                          max_pairs=settings.em_max_pairs, log=sessions,
                          fallback=_blocking(explode=False), notes=notes)
    except NoCandidatePairs:
        return nothing_to_score(df, linker, _blocking(), clock.laps, [*notes, NO_CANDIDATES.format(
            what="person", entity="person", keys="romanised name with birth year, id fragment, "
            "address or city; birth date; a firm")])
    clock.lap("em")
    learn_from_labels(db, linker.training, same_pairs, "records")
    predicted = linker.inference.predict(threshold_match_probability=settings.review_low)
    pairs = predicted.as_record_list()
    clock.lap("predict")
    model = linker.misc.save_model_to_json()
    return Scored(pairs=pairs, levels=_levels(model), prior_weight=_prior(model), model=model,
                  seconds=clock.laps, training=sessions, notes=notes)


def learn_from_labels(db: Any, training: Any, same_pairs: Sequence[tuple[str, str]] | None,
                      table: str) -> bool:
    """m from the judged "same" pairs of the records registered as ``table`` (Splink's
    ``estimate_m_from_pairwise_labels``, averaged with the EM sessions), when there are at
    least MIN_LABELS of them; whether it was done."""
    if not same_pairs or len(same_pairs) < MIN_LABELS:
        return False
    labels = pa.table({"source_dataset_l": [table] * len(same_pairs),
                       "unique_id_l": [a for a, _ in same_pairs],
                       "source_dataset_r": [table] * len(same_pairs),
                       "unique_id_r": [b for _, b in same_pairs]})
    training.estimate_m_from_pairwise_labels(db.register(labels, table_name=f"{table}_labels"))
    return True


EM_ROUNDS = (25, 5, 1)
"""Expectation-maximisation rounds tried per session: Splink's default first; when a level's m
collapses towards zero (Splink refuses values below 1e-300: met at 1M persons and on small
firm sets) the session is retried with fewer rounds from the same starting model."""


def train_em(df: Any, linker: Any, rules: list[Any], max_pairs: float | None = None,
             log: list[dict[str, Any]] | None = None, fallback: Sequence[Any] = (),
             notes: list[str] | None = None) -> Any:
    """``linker`` after one expectation-maximisation session per blocking rule, each started
    from a saved copy of the model, so a failed session leaves nothing half-changed (Splink
    deactivates the blocked comparisons during a session). A rule that yields no pairs is
    skipped, and so is a session that fails with every number of rounds (``notes`` says so).
    ``max_pairs`` caps the pairs of a session (Splink's hash sample of the records; None: all
    pairs); each session trained appends its rule, rounds and pair counts to ``log``.
    The ``fallback`` rules (the prediction's blocking rules) are tried in turn while a
    comparison the data holds (u was sampled) has no trained m: a register without USCCs
    leaves the name untrained by ``rules``, a clean one may share no key of ``rules`` at all.
    No session trained: the last failure, else NoCandidatePairs."""
    from splink import Linker
    from splink.internals.exceptions import SplinkException

    model = linker.misc.save_model_to_json()
    trained = 0
    failure: Exception | None = None
    main = {_rule_sql(r) for r in rules}
    for rule in [*rules, *(r for r in fallback if _rule_sql(r) not in main)]:
        fallen_back = _rule_sql(rule) not in main
        missing = untrained(model)
        if fallen_back and trained and not missing:
            break
        if fallen_back and trained and all(blocked(model, c, rule) for c in missing):
            continue  # the session would leave them untrained too
        try:
            session = _em_session(df, model, rule, max_pairs)
        except (ValueError, SplinkException) as exc:
            failure = exc
            if notes is not None:
                notes.append(f"the training session blocked on {_rule_sql(rule)} failed "
                             f"({first_line(exc)}); m comes from the other sessions")
            continue
        if session is None:
            continue
        model, rounds, info = session
        if fallen_back and notes is not None:
            notes.append(f"m trained on the pairs blocked on {_rule_sql(rule)}: " + (
                "the training sessions' rules yield no pair" if not trained else
                "the training sessions left " + ", ".join(missing) + " untrained"))
        trained += 1
        if log is not None:
            log.append({"rule": _rule_sql(rule), "rounds": rounds,
                        "pairs_estimated": info.get("estimated_total_pairs"),
                        "pairs_sampled": info.get("expected_pairs_after_sampling"),
                        "sampled": bool(info.get("sampling_applied"))})
    if not trained:
        raise failure or NoCandidatePairs("no blocking rule yields candidate pairs")
    return Linker(df, model, log_level=None)


def blocked(model: dict[str, Any], comparison: str, rule: Any) -> bool:
    """Whether ``rule`` uses a column of ``comparison`` (Splink then deactivates the comparison
    during the rule's training session)."""
    import re

    (levels,) = [c["comparison_levels"] for c in model["comparisons"]
                 if c["output_column_name"] == comparison]
    columns = {m for lv in levels for m in re.findall(r'(\w+)_[lr]\b', lv["sql_condition"])}
    sql = _rule_sql(rule)
    return any(re.search(rf'\b{re.escape(c)}\b', sql) for c in columns)


def untrained(model: dict[str, Any]) -> list[str]:
    """The comparisons of ``model`` the data holds (a level's u was sampled from random pairs)
    with no trained m at any level (a fixed m is not trained): their match weights would be
    Splink's defaults."""
    out = []
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        sampled = any(isinstance(lv.get("u_probability"), (int, float)) for lv in levels)
        if sampled and not any(isinstance(lv.get("m_probability"), (int, float))
                               and not lv.get("fix_m_probability") for lv in levels):
            out.append(str(comparison["output_column_name"]))
    return out


def _em_session(df: Any, model: dict[str, Any], rule: Any, max_pairs: float | None
                ) -> tuple[dict[str, Any], int, dict[str, Any]] | None:
    """One expectation-maximisation session of ``rule`` from ``model`` (the trained model, its
    rounds and Splink's sampling info), retried with fewer rounds (EM_ROUNDS) when a level's m
    collapses; None when the rule yields no pairs; the last error when every try fails."""
    from splink import Linker
    from splink.internals.exceptions import EMTrainingException, SplinkException

    failure: ValueError | SplinkException | None = None
    for rounds in EM_ROUNDS:
        trial = Linker(df, {**model, "max_iterations": rounds}, log_level=None)
        try:
            session = trial.training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=max_pairs)
        except EMTrainingException:  # the rule yields no pairs here
            return None
        except (ValueError, SplinkException) as exc:  # m collapsed, or a NaN parameter
            failure = exc
            continue
        info = getattr(session, "_sample_info", None) or {}
        return trial.misc.save_model_to_json(), rounds, info
    assert failure is not None
    raise failure


def _rule_sql(rule: Any) -> str:
    return str(rule.get_blocking_rule("duckdb").blocking_rule_sql)


def first_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's class and the first line of its text, at most ``limit`` characters
    (Splink's errors carry whole SQL statements)."""
    text = (str(exc).strip().splitlines() or [""])[0]
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def correct_u(df: Any, linker: Any, max_pairs: float) -> Any:
    """``linker`` with each level's u corrected for the matches among the random pairs it was
    estimated from: a random pair agrees on a level with probability ``lambda * m + (1 - lambda)
    * u``, so u is ``(u_sampled - lambda * m) / (1 - lambda)``, floored at half a pair of the
    sample (``0.5 / max_pairs``; a level no sampled pair fell in, whose u Splink leaves unset,
    gets the floor). Splink's random-pair u counts the matches as non-matches; that
    is negligible when the level is common among non-matches, and not when it is rare (two
    firms' legal names agree mostly because they are one firm: at 22,000 firm records u of
    "same legal name" was 5e-06 sampled, 6.5e-07 among distinct registry firms)."""
    from splink import Linker

    model = linker.misc.save_model_to_json()
    lam = float(model["probability_two_random_records_match"])
    floor = 0.5 / max_pairs
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if level.get("is_null_level") or not isinstance(m, (int, float)):
                continue
            sampled = float(u) if isinstance(u, (int, float)) else 0.0  # None: never sampled
            level["u_probability"] = max((sampled - lam * float(m)) / (1 - lam), floor)
    return Linker(df, model, log_level=None)


class _Clock:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.start, 2)
        self.start = now


def _levels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        out[comparison["output_column_name"]] = {
            len(levels) - 1 - i: str(lv.get("label_for_charts", lv["sql_condition"]))
            for i, lv in enumerate(levels)}
        out[comparison["output_column_name"]][-1] = "not given"
    return out


def _prior(model: dict[str, Any]) -> float:
    import math

    p = float(model["probability_two_random_records_match"])
    return math.log2(p / (1 - p))


def explain(pair: dict[str, Any], scored: Scored,
            comparisons: Sequence[str] = COMPARISONS) -> list[dict[str, Any]]:
    """The pair's score by comparison: level label and match weight (log2 Bayes factor)."""
    out = [{"comparison": "prior", "level": "two random records match",
            "weight": round(scored.prior_weight, 3)}]
    for name in comparisons:
        gamma = int(pair[f"gamma_{name}"])
        out.append({"comparison": name, "level": scored.levels[name].get(gamma, str(gamma)),
                    "weight": round(float(pair.get(f"mw_{name}") or 0.0), 3)})
    return out
