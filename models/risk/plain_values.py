"""Feature values in words a regulator reads: "last penalty 9 months ago", not
"penalty_recency = 0.0033".

Each feature's value is turned back into what it measures (its docstring in models/risk/features/
says how it is computed): ``exp(−days / scale)`` recencies become an age, ``log10(1 + n)``
counts become the count, shares become percentages, 0/1 flags become yes / no. A feature the
table does not know (a user-supplied one) is printed as its value.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from riskgraph.models.risk.features import get

Say = Callable[[float], str]


def _n(v: float) -> int:
    return round(v)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def ago(days: float) -> str:
    """``3 days`` / ``5 weeks`` / ``9 months`` / ``2.5 years`` ago."""
    d = max(0, round(days))
    if d < 14:
        return f"{_plural(d, 'day')} ago"
    if d < 61:
        return f"{_plural(d // 7, 'week')} ago"
    if d < 730:
        return f"{_plural(round(d / 30.44), 'month')} ago"
    return f"{d / 365.25:.1f} years ago"


def _recency(what: str, scale: float) -> Say:
    def say(v: float) -> str:
        if v <= 0:
            return f"no {what} on file"
        return f"last {what} {ago(-scale * math.log(min(v, 1.0)))}"
    return say


def _count(one: str, many: str | None = None, when: str = "") -> Say:
    return lambda v: _plural(_n(v), one, many) + (f" {when}" if when else "")


def _log_count(one: str, many: str | None = None, when: str = "") -> Say:
    return _count_of(lambda v: 10 ** min(v, 15.0) - 1, one, many, when)


def _count_of(f: Callable[[float], float], one: str, many: str | None, when: str) -> Say:
    return lambda v: _plural(_n(f(v)), one, many) + (f" {when}" if when else "")


def _flag(yes: str, no: str) -> Say:
    return lambda v: yes if v >= 0.5 else no


def _share(what: str) -> Say:
    return lambda v: f"{v:.0%} {what}"


def _rate(what: str) -> Say:
    return lambda v: f"{v:.2g} {what} a year"


def _money(v: float) -> str:
    return f"RMB {10 ** min(v, 15.0) - 1:,.0f} in fines in the last 3 years"


Y1, Y3 = "in the last 12 months", "in the last 3 years"
PLAIN: dict[str, Say] = {
    # own records
    "penalties_1y": _count("administrative penalty", "administrative penalties", Y1),
    "penalties_3y": _count("administrative penalty", "administrative penalties", Y3),
    "serious_penalties_3y": _count("serious penalty", "serious penalties", Y3),
    "penalty_recency": _recency("penalty", 365),
    "penalty_amount_3y": _money,
    "severity_score_3y": lambda v: f"severity {v:.0f} over its negative records {Y3} "
                                   "(1 general, 2 serious, 3 particularly serious each)",
    "negative_records_1y": _count("negative record", when=Y1),
    "tax_arrears_3y": _count("tax arrears or abnormal-taxpayer record", when=Y3),
    "large_tax_arrears_active": _flag("tax arrears of RMB 50,000 or more unpaid",
                                      "no large tax arrears in force"),
    "social_insurance_arrears_3y": _count("social-insurance arrears record", when=Y3),
    "utility_arrears_3y": _count("utility arrears record", when=Y3),
    "abnormal_operations_active": _flag("on the abnormal-operations list now",
                                        "not on the abnormal-operations list"),
    "abnormal_operations_3y": _count("abnormal-operations listing", when=Y3),
    "judgment_unsatisfied_active": _flag("an unsatisfied court judgment in force",
                                         "no unsatisfied judgment in force"),
    "blacklisted_active": _flag("blacklisted now", "not blacklisted now"),
    "blacklistings_ever": _count("blacklisting", when="on file"),
    "inspections_3y": _count("inspection", when=Y3),
    "inspection_violations_3y": _count("inspection that found violations",
                                       "inspections that found violations", Y3),
    "inspection_serious_3y": _count("inspection that found serious violations",
                                    "inspections that found serious violations", Y3),
    "clean_inspections_3y": _count("clean inspection", when=Y3),
    "violation_recency": _recency("violation found at inspection", 365),
    "negative_rate": _rate("negative records (inspections aside)"),
    # inspection history
    "first_inspection": _flag("never inspected before", "inspected before"),
    "years_since_last_inspection": lambda v: ("no inspection on file, or none in 3 years or more"
                                              if v >= 3.0 else
                                              f"last inspected {ago(v * 365)}"),
    "last_inspection_violation": _flag("its last inspection found a violation",
                                       "its last inspection found no violation"),
    "last_inspection_serious": _flag("its last inspection found a serious violation",
                                     "its last inspection found no serious violation"),
    "failed_inspections_ever": _log_count("inspection that found violations",
                                          "inspections that found violations", "on file"),
    "serious_violation_recency": _recency("serious violation found at inspection", 365),
    # attributes
    "log_employees": _log_count("employee"),
    "firm_age_years": lambda v: f"{v:.1f} years old",
    "young_firm": _flag("under three years old", "three years old or more"),
    "is_branch": _flag("a branch of another company", "not a branch"),
    # people
    "key_personnel_listed": _count("key role", when="held by persons on a dishonest-person or "
                                                    "unsatisfied-judgment list"),
    "linked_firms": _log_count("other firm", when="sharing its legal representative, directors "
                                                  "or controller"),
    "linked_blacklisted": _count("firm sharing its people", "firms sharing its people",
                                 "blacklisted now"),
    "linked_blacklisted_share": _share("of the firms sharing its people are blacklisted or "
                                       "seriously non-compliant"),
    "linked_serious_3y": _count("firm sharing its people", "firms sharing its people",
                                f"with a serious violation {Y3}"),
    "linked_blacklist_recency": lambda v: f"recent-blacklisting weight {v:.2f} over the firms "
                                          "sharing its people (1: one firm blacklisted today)",
    "linked_penalised_share": _share(f"of the firms sharing its people were penalised {Y3}"),
    "legal_rep_other_firms_rate": _rate("negative records per other firm of its legal "
                                        "representative,"),
    "controller_other_firms_rate": _rate("negative records per other firm of its actual "
                                         "controller,"),
    "linked_negative_rate": _rate("negative records per firm sharing its people,"),
    # group
    "parent_penalties_3y": _log_count("penalty of its parent or head office",
                                      "penalties of its parent or head office", Y3),
    "parent_blacklisted": _flag("parent or head office blacklisted or seriously non-compliant",
                                "parent or head office in good standing"),
    "subsidiaries_penalised": _count("subsidiary", "subsidiaries", f"penalised {Y3}"),
    "branches_penalised_1y": _count("branch", "branches", f"penalised {Y1}"),
    "branch_rollup": _flag(f"five or more branches penalised {Y1}",
                           "fewer than five branches penalised"),
    "parent_negative_rate": _rate("negative records of its parent or head office"),
    # supply
    "supplier_risk_exposure": _share("of its supply value (decayed over 3 tiers) from "
                                     "blacklisted or seriously non-compliant suppliers"),
    "supplier_penalty_exposure": _share(f"of its supply value (decayed over 3 tiers) from "
                                        f"suppliers penalised {Y3}"),
    # bidding
    "cobidders_risky": _count("co-bidder", when="blacklisted or seriously non-compliant"),
    "cobidders_penalised_share": _share(f"of its co-bidders penalised {Y3}"),
    "cobid_max_repeat": _count("tender", when="shared with the same competitor"),
    "tenders_3y": _log_count("tender", when="bid in"),
    "cobid_rotation": lambda v: f"rotation score {v:.2f} of its co-bidding group (0 none, "
                                "1 members take strict turns to win)",
    # position
    "degree_centrality": _log_count("firm", when="tied to it by people, group, supply or bids"),
    "pagerank": lambda v: f"centrality {v:.2f} in the registry graph",
    "community_violation_rate": _share("of the other firms of its community penalised"),
    "industry_violation_rate": _share(f"of the other live firms of its industry penalised {Y3}"),
    "address_cluster_size": _log_count("other live firm", when="at its registered address"),
    "shared_contact_size": _log_count("other live firm", when="sharing its phone or e-mail"),
    "phoenix_signal": _count("key person", "key persons",
                             "ran a firm that was blacklisted, then dissolved"),
    # registry links (licence holder, legal name, address, phone)
    "holder_siblings": _log_count("other licence", when="held by its licence holder"),
    "legal_name_siblings": _log_count("other firm", when="under the same legal name"),
    "sibling_violations_3y": _log_count(
        "violation", when=f"found at firms sharing its holder, legal name, address or phone {Y3}"),
    "sibling_violation_rate_3y": _share(
        f"of inspections at firms sharing its holder, legal name, address or phone found a "
        f"violation {Y3} (shrunk towards 0)"),
    "sibling_serious_rate_3y": _share(
        f"of inspections at firms sharing its holder, legal name, address or phone found a "
        f"serious violation {Y3} (shrunk towards 0)"),
    "holder_violation_rate_3y": _share(
        f"of inspections at its holder's other licences found a violation {Y3} (shrunk "
        "towards 0)"),
    # soft merits
    "redlisted_active": _flag("on a redlist now", "not on a redlist"),
    "honours_3y": _count("honour or award", "honours and awards", Y3),
    "donations_3y": _count("donation or volunteering record", when=Y3),
    "politically_connected": _flag("legal representative or controller holds or held a "
                                   "political post", "no political post"),
}


def plain_value(feature: str, value: float) -> str:
    """``value`` of ``feature`` in words; ``name = value`` for a feature not in the table."""
    say = PLAIN.get(feature)
    return say(value) if say else f"{feature} = {value:.3g}"


def reason_text(feature: str, value: float) -> str:
    """The sentence of a reason (a feature that raises a firm's risk): the feature's headline,
    its first docstring line, which describes a high value ("A long record of negative
    entries"). At 0, where there is nothing of the kind (no negative records, never
    penalised, no linked firm), the headline would state what is not there, so the value is
    said instead, and why it still counts: the additive model scores that value above the
    average."""
    if value != 0.0:
        return get(feature).reason
    said = plain_value(feature, value)
    return f"{said[:1].upper()}{said[1:]}: the model scores this value above average."
