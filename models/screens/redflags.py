"""Procurement red flags of the Open Contracting Partnership's Cardinal, in Python.

Each indicator follows Cardinal 0.0.8 (``src/indicators/r*.rs``) exactly: the same inputs
(OCDS compiled releases), the same defaults and the same quartile / IQR fences (statrs' type-8
quantiles, see :mod:`models.screens.redflag_stats`). Results are keyed like Cardinal's
(``OCID`` / ``Tenderer`` / ``Buyer`` / ``ProcuringEntity`` → id → indicator → value), so
:meth:`RedFlagReport.cardinal_results` can be compared with ``ocdscardinal indicators`` output.

- R003 short submission period: tender period shorter than 15 whole days (all methods).
- R018 single bid: ``numberOfTenderers`` is 1 in an open or selective procedure.
- R024 price close to the winning bid: (second-lowest valid bid - winning bid) / winning bid
  at or below Q1 - 1.5 IQR of all such ratios (only if Q1 > 0 and the fence > 0; ours: strictly
  below a collapsed fence, IQR 0).
- R025 excessive unsuccessful bids: a tenderer's wins / valid bids at or below Q1 - 1.5 IQR
  while its bid count is at least the 75th percentile of bid counts.
- R028 identical bid prices: two submitted bids by different tenderers with the same amount
  and currency.
- R030 late bid won: a valid bid dated after the tender period's end by an awarded supplier.
- R035 all except the winning bid disqualified: one valid tenderer, the sole awarded supplier,
  and at least 1 other tenderer disqualified.
- R036 lowest bid disqualified: the lowest submitted bid is disqualified, a valid bid exists.
- R038 excessive disqualified bids: a buyer's, procuring entity's or tenderer's share of
  disqualified bids at or above Q3 + 1.5 IQR (minimum 2 submitted bids each).
- R048 heterogeneous supplier: distinct 2-character item classification prefixes of a
  supplier's sole-supplier active awards at or above Q3 + 1.5 IQR (suppliers with at least 20
  contracting processes; ours: strictly above a collapsed fence, IQR 0, and never for one prefix).
- R058 heavily discounted bid: the R024 ratio at or above Q3 + 1.5 IQR.
- R044 business similarities between tenderers: competing tenderers (on different bids of a
  contracting process) that share an address, telephone or e-mail. Cardinal 0.0.8 does not
  implement R044; this is the project's own definition (see docs/screens-cardinal.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from riskgraph.models.screens import redflag_ocds, redflag_similarity
from riskgraph.models.screens.redflag_flag import CARDINAL_INDICATORS, INDICATORS, Flag
from riskgraph.models.screens.redflag_ocds import (
    Release,
    ReleaseView,
    arr,
    obj,
    rfc3339,
    tender_id,
    tenderer_ids,
    text,
    whole_days,
)
from riskgraph.models.screens.redflag_stats import lower_fence, percentile, upper_fence

GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")


@dataclass(frozen=True)
class RedFlagSettings:
    """Cardinal's settings, with its defaults (``None`` thresholds: computed IQR fences)."""

    currency: str | None = None
    r003_threshold: int = 15
    r003_methods: frozenset[str] = frozenset()
    r018_methods: frozenset[str] = frozenset({"open", "selective"})
    r024_threshold: float | None = None
    r025_percentile: int = 75
    r025_threshold: float | None = None
    r035_threshold: int = 1
    r038_threshold: float | None = None
    r038_minimum_submitted_bids: int = 2
    r038_minimum_contracting_processes: int = 2
    r048_digits: int = 2
    r048_threshold: int | None = None
    r048_minimum_contracting_processes: int = 20
    r058_threshold: float | None = None
    r044: bool = True
    """Also compute R044 (ours; off for like-for-like timing against Cardinal)."""
    enabled: frozenset[str] | None = None
    """Cardinal indicators to run (a settings file runs only those it has a section for);
    None: all eleven."""
    exclude_method_details: frozenset[str] = frozenset()
    """``[exclusions] procurement_method_details``: processes not screened at all."""
    price_comparison_methods: frozenset[str] = frozenset()
    no_price_comparison_methods: frozenset[str] = frozenset()
    """``tender.procurementMethodDetails`` values where prices are (not) compared: filter the
    R024 / R058 ratio, R028 and R036 (an allow list wins over a deny list, as in Cardinal)."""
    r003_method_details: tuple[tuple[str, int], ...] = ()
    """``[R003.procurement_method_details]``: a threshold per details value."""

    def runs(self, code: str) -> bool:
        return self.enabled is None or code in self.enabled


def per_indicator(results: dict[str, Any]) -> dict[str, dict[tuple[str, str], float]]:
    """Cardinal-shaped results (ours or Cardinal's own) → indicator → {(group, id): value};
    null and non-finite values become NaN (compare them with :func:`same_value`)."""
    out: dict[str, dict[tuple[str, str], float]] = {code: {} for code in CARDINAL_INDICATORS}
    for group, rows in results.items():
        if group in ("Meta", "Maps"):
            continue
        for key, values in rows.items():
            for code, value in values.items():
                # Cardinal writes a non-finite value (a winning amount of 0) as null: NaN here
                number = math.nan if value is None else float(value)
                out[code][(group, key)] = number if math.isfinite(number) else math.nan
    return out


def same_value(a: float, b: float) -> bool:
    """Equal up to 1e-12, NaN equal to NaN (both tools' non-finite values)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@dataclass
class RedFlagReport:
    """Every flag of one screening run, with the fences used (``meta``, as Cardinal's Meta)."""

    releases: int = 0
    flags: list[Flag] = field(default_factory=list)
    meta: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, flag: Flag) -> None:
        self.flags.append(flag)

    def counts(self) -> dict[str, int]:
        """Flags per indicator (every indicator listed, 0 when none)."""
        out = dict.fromkeys(INDICATORS, 0)
        for f in self.flags:
            out[f.indicator] += 1
        return out

    def flagged(self, indicator: str, group: str | None = None) -> dict[tuple[str, str], float]:
        return {(f.group, f.id): f.value for f in self.flags
                if f.indicator == indicator and (group is None or f.group == group)}

    def cardinal_results(self) -> dict[str, dict[str, dict[str, float]]]:
        """The Cardinal-shaped result (R044 left out: Cardinal has no R044)."""
        out: dict[str, dict[str, dict[str, float]]] = {}
        for f in self.flags:
            if f.indicator in CARDINAL_INDICATORS:
                out.setdefault(f.group, {}).setdefault(f.id, {})[f.indicator] = f.value
        return out

    def for_tender(self, release: Release) -> RedFlagReport:
        """The flags about one tender: its own, plus the aggregate (R025 / R038 / R048) flags
        of its buyer, procuring entity and tenderers (fences stay those of all tenders)."""
        tid = tender_id(release)
        parties = {("Buyer", text(obj(release, "buyer"), "id")),
                   ("ProcuringEntity",
                    text(obj(obj(release, "tender"), "procuringEntity"), "id"))}
        parties |= {("Tenderer", firm) for bid in arr(obj(release, "bids"), "details") or []
                    for firm in tenderer_ids(bid)}
        keep = [f for f in self.flags if f.tender_id == tid
                or (f.tender_id is None and (f.group, f.id) in parties)]
        return RedFlagReport(self.releases, keep, self.meta)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: NaN and ±Infinity (a winning amount of 0) become null, as in Cardinal's
        JSON output, so the text is always valid JSON."""
        meta = {k: {n: finite(v) for n, v in m.items()} for k, m in self.meta.items()}
        return {"releases": self.releases, "counts": self.counts(), "meta": meta,
                "flags": [_finite_all(f.to_dict()) for f in self.flags]}


def finite(value: Any) -> Any:
    """``value``, or None when it is a NaN or infinite float."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _finite_all(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _finite_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite_all(v) for v in value]
    return finite(value)


@dataclass
class _Pair:
    """R024 / R058 input: winner and lowest non-winner of one contracting process."""

    ratio: float
    winner: str
    winner_amount: float
    second: str
    second_amount: float
    tender_id: str


@dataclass
class _State:
    currency: str | None
    pairs: dict[str, _Pair] = field(default_factory=dict)
    r025: dict[str, list[int]] = field(default_factory=dict)
    r038: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: {g: {} for g in ("Buyer", "ProcuringEntity", "Tenderer")})
    r048: dict[str, tuple[list[int], set[str]]] = field(default_factory=dict)
    compares: bool = False
    """Whether the release being screened compares prices (procurementMethodDetails)."""


def screen_releases(releases: Iterable[Release],
                    settings: RedFlagSettings | None = None) -> RedFlagReport:
    """Compute every indicator over the compiled releases (one per contracting process).

    Each release's fields are read once into a :class:`ReleaseView`; the per-release folds
    then work on it."""
    cfg = settings or RedFlagSettings()
    report = RedFlagReport()
    state = _State(currency=cfg.currency)
    folds = [fold for code, fold in (("R003", _r003), ("R018", _r018), ("R025", _r025_fold),
                                     ("R028", _r028), ("R030", _r030), ("R035", _r035),
                                     ("R036", _r036), ("R038", _r038_fold),
                                     ("R048", _r048_fold)) if cfg.runs(code)]
    ratios = cfg.runs("R024") or cfg.runs("R058")
    exclude = cfg.exclude_method_details
    allow, deny = cfg.price_comparison_methods, cfg.no_price_comparison_methods
    redflag_ocds.forget()
    for release in releases:
        ocid = release.get("ocid")
        if not isinstance(ocid, str):
            continue
        view = ReleaseView(release, ocid)
        if text(view.tender, "status") == "cancelled" \
                or not _details_match(view.details, frozenset(), exclude):
            continue
        report.releases += 1
        state.compares = _details_match(view.details, allow, deny)
        if ratios and state.compares:
            _second_lowest(state, view)
        for fold in folds:
            fold(cfg, state, report, view)
        if cfg.r044:
            report.flags.extend(redflag_similarity.r044(release, view.ocid, view.tid))
    redflag_ocds.forget()
    for code, final in (("R024", _r024), ("R025", _r025), ("R038", _r038), ("R048", _r048),
                        ("R058", _r058)):
        if cfg.runs(code):
            final(cfg, state, report)
    return report


def _details_match(details: str | None, include: frozenset[str], exclude: frozenset[str]
                   ) -> bool:
    """Cardinal's ``matches_procurement_method_details`` on ``tender.procurementMethodDetails``:
    an allow list (non-empty) admits only its values; else a deny list refuses its values; no
    details value matches only a deny list."""
    if details is None:
        return not include
    return details in include if include else details not in exclude


def _same_currency(state: _State, currency: str) -> bool:
    """Cardinal keeps the first observed currency (or the configured one) and skips others."""
    if state.currency is None:
        state.currency = currency
    return currency == state.currency


def _second_lowest(state: _State, view: ReleaseView) -> None:
    supplier = view.winner
    if supplier is None:
        return
    winner: tuple[str, float] | None = None
    other: tuple[str, float] | None = None
    for tenderer, amount, currency in view.priced:
        if not _same_currency(state, currency):
            continue
        if tenderer == supplier:
            if winner is None or amount < winner[1]:
                winner = (tenderer, amount)
        elif other is None or amount < other[1]:
            other = (tenderer, amount)
    if winner is not None and other is not None and other[1] >= winner[1]:
        state.pairs[view.ocid] = _Pair(_ratio(other[1], winner[1]), winner[0], winner[1],
                                       other[0], other[1], view.tid)


def _ratio(other: float, winner: float) -> float:
    """(other − winner) / winner as IEEE 754 (Cardinal's f64): a winning amount of 0 gives
    +inf (or NaN when the other is 0 too), never an exception."""
    if winner == 0.0:
        return math.nan if other == winner else math.copysign(math.inf, other - winner)
    return (other - winner) / winner


def _method_ok(method: str | None, methods: frozenset[str]) -> bool:
    return not methods or (method is not None and method in methods)


def _r003(cfg: RedFlagSettings, state: _State, report: RedFlagReport, view: ReleaseView
          ) -> None:
    if view.tender is None or view.start is None or view.end is None \
            or not _method_ok(view.method, cfg.r003_methods):
        return
    start, end = rfc3339(view.start), rfc3339(view.end)
    if start is None or end is None:
        return
    days = whole_days(end - start)
    details = view.details
    threshold = dict(cfg.r003_method_details).get(details or "", cfg.r003_threshold) \
        if details is not None and cfg.r003_method_details else cfg.r003_threshold
    if days < threshold:
        report.add(Flag("R003", "OCID", view.ocid, 1.0, view.tid, evidence={
            "start_date": view.start, "end_date": view.end,
            "days": days, "threshold_days": threshold}))


def _r018(cfg: RedFlagSettings, state: _State, report: RedFlagReport, view: ReleaseView
          ) -> None:
    count = view.tenderers_count
    if isinstance(count, int) and not isinstance(count, bool) and count == 1 \
            and view.tender is not None and _method_ok(view.method, cfg.r018_methods):
        report.add(Flag("R018", "OCID", view.ocid, 1.0, view.tid, evidence={
            "number_of_tenderers": 1, "procurement_method": view.method,
            "methods": sorted(cfg.r018_methods)}))


def _r025_fold(cfg: RedFlagSettings, state: _State, report: RedFlagReport, view: ReleaseView
               ) -> None:
    supplier = view.winner
    if supplier is None:
        return
    r025 = state.r025
    for tenderer in view.valid_singles:
        counts = r025.get(tenderer)
        if counts is None:
            counts = r025[tenderer] = [0, 0]
        counts[0] += tenderer == supplier
        counts[1] += 1


def _r028(cfg: RedFlagSettings, state: _State, report: RedFlagReport, view: ReleaseView
          ) -> None:
    if not state.compares or len(view.submitted) < 2:
        return
    prices: dict[tuple[float, str], tuple[frozenset[str], str]] = {}
    flagged: set[str] = set()
    pairs: list[dict[str, Any]] = []
    for bid in view.submitted:
        amount, currency = bid.amount, bid.currency
        if bid.tenderers is None or amount is None or currency is None or not bid.ids:
            continue
        ids = frozenset(bid.ids)
        key = (amount, currency)
        if key in prices and prices[key][0] != ids:
            flagged |= ids | prices[key][0]
            pairs.append({"amount": amount, "currency": currency,
                          "bids": [prices[key][1], bid.id],
                          "tenderers": [sorted(prices[key][0]), sorted(ids)]})
        prices[key] = (ids, str(bid.id))
    if flagged:
        evidence = {"identical_prices": pairs}
        report.add(Flag("R028", "OCID", view.ocid, 1.0, view.tid, evidence=evidence))
        for firm in sorted(flagged):
            report.add(Flag("R028", "Tenderer", firm, 1.0, view.tid, evidence=evidence))


def _r030(cfg: RedFlagSettings, state: _State, report: RedFlagReport, view: ReleaseView
          ) -> None:
    end = view.end
    if end is None or not view.has_awards or not view.has_details or not view.suppliers:
        return
    suppliers = view.suppliers
    late: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for bid in view.bids:
        date = bid.date
        if (bid.status == "valid" and date is not None and bid.tenderers is not None
                and date > end):
            for firm in bid.ids:
                if firm in suppliers:
                    late[firm].append({"bid": bid.id, "date": date})
    if late:
        evidence = {"end_date": end, "late_winning_bids": dict(sorted(late.items()))}
        report.add(Flag("R030", "OCID", view.ocid, 1.0, view.tid, evidence=evidence))
        for firm in sorted(late):
            report.add(Flag("R030", "Tenderer", firm, 1.0, view.tid, evidence=evidence))


def _r035(cfg: RedFlagSettings, state: _State, report: RedFlagReport, view: ReleaseView
          ) -> None:
    if not view.final or len(view.suppliers) != 1:
        return
    valid: set[str] = set()
    disqualified: set[str] = set()
    for bid in view.bids:
        status = bid.status
        if status is None or bid.tenderers is None:
            continue
        if status in ("valid", "disqualified"):
            (valid if status == "valid" else disqualified).update(bid.ids)
    others = disqualified - valid
    threshold = max(cfg.r035_threshold, 1)
    if len(valid) == 1 and valid == view.suppliers and len(others) >= threshold:
        winner = next(iter(valid))
        evidence = {"winner": winner, "disqualified_tenderers": sorted(others),
                    "threshold": threshold}
        report.add(Flag("R035", "OCID", view.ocid, float(len(others)), view.tid, evidence=evidence))
        report.add(Flag("R035", "Tenderer", winner, 0.0, view.tid, evidence=evidence))


def _r036(cfg: RedFlagSettings, state: _State, report: RedFlagReport, view: ReleaseView
          ) -> None:
    if not state.compares or not view.active:
        return
    lowest: tuple[float, bool, Any] | None = None
    has_valid = False
    for bid in view.submitted:
        amount, currency, status = bid.amount, bid.currency, bid.status
        if amount is None or currency is None or status is None:
            continue
        if not _same_currency(state, currency):
            continue
        if lowest is None or amount < lowest[0]:
            lowest = (amount, status == "disqualified", bid.id)
        has_valid = has_valid or status == "valid"
    if has_valid and lowest is not None and lowest[1]:
        report.add(Flag("R036", "OCID", view.ocid, 1.0, view.tid, evidence={
            "lowest_bid": lowest[2], "lowest_amount": lowest[0], "currency": state.currency}))


def _r038_fold(cfg: RedFlagSettings, state: _State, report: RedFlagReport, view: ReleaseView
               ) -> None:
    bids = view.submitted
    if not bids:
        return
    disqualified = 0
    tenderers = state.r038["Tenderer"]
    for bid in bids:
        inc = int(bid.status == "disqualified")
        disqualified += inc
        for firm in bid.ids:
            counts = tenderers.get(firm)
            if counts is None:
                counts = tenderers[firm] = [0, 0]
            counts[0] += inc
            counts[1] += 1
    for group, key in (("Buyer", view.buyer_id), ("ProcuringEntity", view.entity_id)):
        if key is not None:
            totals = state.r038[group]
            counts = totals.get(key)
            if counts is None:
                counts = totals[key] = [0, 0]
            counts[0] += disqualified
            counts[1] += len(bids)


def _r048_fold(cfg: RedFlagSettings, state: _State, report: RedFlagReport, view: ReleaseView
               ) -> None:
    observed: set[str] = set()
    r048, digits = state.r048, cfg.r048_digits
    for award, supplier in zip(view.active, view.sole, strict=True):
        items = arr(award, "items")
        if items is None or supplier is None:
            continue
        for item in items:
            code = text(obj(item, "classification"), "id")
            if code is None:
                continue
            entry = r048.get(supplier)
            if entry is None:
                entry = r048[supplier] = ([0], set())
            if supplier not in observed:
                observed.add(supplier)
                entry[0][0] += 1
            entry[1].add(code[:digits])


def _meta(report: RedFlagReport, indicator: str, **values: float) -> None:
    report.meta.setdefault(indicator, {}).update(values)


def _r024(cfg: RedFlagSettings, state: _State, report: RedFlagReport) -> None:
    if cfg.r024_threshold is None:
        q1, q3, fence = lower_fence(p.ratio for p in state.pairs.values())
        _meta(report, "R024", q1=q1, q3=q3)
    else:
        q1, q3, fence = 1.0, math.inf, cfg.r024_threshold
    _meta(report, "R024", lower_fence=fence)
    if not (q1 > 0.0 and fence > 0.0):
        return  # Cardinal's guard: no fence below a positive Q1
    strict = q3 == q1  # ours: on a collapsed fence (IQR 0) ``<=`` would flag every tie at Q1
    for ocid, p in state.pairs.items():
        if p.ratio < fence or (p.ratio == fence and not strict):
            evidence = _pair_evidence(p, "lower_fence", fence)
            report.add(Flag("R024", "OCID", ocid, p.ratio, p.tender_id, evidence=evidence))
            for firm in dict.fromkeys((p.winner, p.second)):
                report.add(Flag("R024", "Tenderer", firm, 0.0, p.tender_id, evidence=evidence))


def _r058(cfg: RedFlagSettings, state: _State, report: RedFlagReport) -> None:
    if cfg.r058_threshold is None:
        q1, q3, fence = upper_fence(p.ratio for p in state.pairs.values())
        _meta(report, "R058", q1=q1, q3=q3)
    else:
        fence = cfg.r058_threshold
    _meta(report, "R058", upper_fence=fence)
    if not fence > 0.0:
        return
    for ocid, p in state.pairs.items():
        if p.ratio >= fence:
            evidence = _pair_evidence(p, "upper_fence", fence)
            report.add(Flag("R058", "OCID", ocid, p.ratio, p.tender_id, evidence=evidence))
            report.add(Flag("R058", "Tenderer", p.winner, 0.0, p.tender_id, evidence=evidence))


def _pair_evidence(p: _Pair, name: str, fence: float) -> dict[str, Any]:
    return {"winner": p.winner, "winning_amount": p.winner_amount,
            "lowest_other_tenderer": p.second, "lowest_other_amount": p.second_amount,
            "ratio": p.ratio, name: fence}


def _r025(cfg: RedFlagSettings, state: _State, report: RedFlagReport) -> None:
    counts = state.r025
    top = percentile((float(n) for _, n in counts.values()), cfg.r025_percentile)
    if cfg.r025_threshold is None:
        q1, q3, fence = lower_fence(w / n for w, n in counts.values())
        _meta(report, "R025", q1=q1, q3=q3)
    else:
        q1, fence = 1.0, cfg.r025_threshold
    _meta(report, "R025", upper_fence=top, lower_fence=fence)
    if not (q1 > 0.0 and fence > 0.0):
        return
    for firm, (wins, bids) in counts.items():
        ratio = wins / bids
        if bids >= top and ratio <= fence:
            report.add(Flag("R025", "Tenderer", firm, ratio, evidence={
                "wins": wins, "valid_bids": bids, "ratio": ratio,
                "bids_percentile": top, "lower_fence": fence}))


def _r038(cfg: RedFlagSettings, state: _State, report: RedFlagReport) -> None:
    for group, minimum in (("Buyer", cfg.r038_minimum_contracting_processes),
                           ("ProcuringEntity", cfg.r038_minimum_contracting_processes),
                           ("Tenderer", cfg.r038_minimum_submitted_bids)):
        ratios = {k: (d, n) for k, (d, n) in state.r038[group].items() if n >= minimum}
        if not ratios:
            continue
        if cfg.r038_threshold is None:
            q1, q3, fence = upper_fence(d / n for d, n in ratios.values())
            _meta(report, "R038", **{f"{group}_q1": q1, f"{group}_q3": q3})
        else:
            fence = cfg.r038_threshold
        _meta(report, "R038", **{f"{group}_upper_fence": fence})
        if not fence > 0.0:
            continue
        for key, (dis, sub) in ratios.items():
            if dis / sub >= fence:
                report.add(Flag("R038", group, key, dis / sub, evidence={
                    "disqualified_bids": dis, "submitted_bids": sub, "ratio": dis / sub,
                    "upper_fence": fence}))


def _r048(cfg: RedFlagSettings, state: _State, report: RedFlagReport) -> None:
    lengths = {k: (c[0], codes) for k, (c, codes) in state.r048.items()
               if c[0] >= cfg.r048_minimum_contracting_processes}
    if cfg.r048_threshold is None:
        q1, q3, fence = upper_fence(float(len(codes)) for _, codes in lengths.values())
        _meta(report, "R048", q1=q1, q3=q3)
    else:
        q1, q3, fence = 0.0, math.inf, float(cfg.r048_threshold)
    _meta(report, "R048", upper_fence=fence)
    strict = q3 == q1  # ours: on a collapsed fence (Q1 = Q3, e.g. 1) ``>=`` flags every tie
    for firm, (processes, codes) in lengths.items():
        n = len(codes)
        if n >= 2 and (n > fence or (n == fence and not strict)):  # one code: never
            report.add(Flag("R048", "Tenderer", firm, float(len(codes)), evidence={
                "contracting_processes": processes, "classification_prefixes": sorted(codes),
                "upper_fence": fence, "digits": cfg.r048_digits}))
