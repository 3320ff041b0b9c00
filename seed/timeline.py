"""The yearly loop that turns latent propensities into credit records and inspections."""

from __future__ import annotations

import numpy as np

from riskgraph.seed.arrays import BoolArray, IntArray, uniform_int
from riskgraph.seed.firms import Firms
from riskgraph.seed.inspections import Inspectors, inspection_year, planted_conflicts
from riskgraph.seed.people import LR, People
from riskgraph.seed.records import Records, firm_year, forced_events, person_year
from riskgraph.seed.risk import Latent
from riskgraph.seed.schemes import Plan
from riskgraph.seed.vocab import FIRST_YEAR, LAST_YEAR, day

REDLIST_SHIELD = 2 * 365
"""A redlisting spares the firm from targeted inspections for this many days."""


def political_firms(people: People) -> BoolArray:
    """Firms whose legal representative or actual controller is politically connected."""
    ctrl_pol = np.where(people.ctrl >= 0, people.political[np.maximum(people.ctrl, 0)], False)
    return np.asarray(people.political[people.lr] | ctrl_pol)


def person_regions(firms: Firms, people: People) -> IntArray:
    """Region of the first firm each person holds a role in."""
    region = np.zeros(people.n, dtype=np.int64)
    region[people.role_person[::-1]] = firms.region[people.role_firm[::-1]]
    return region


def plan_key_personnel(firms: Firms, people: People, latent: Latent, plan: Plan,
                       rng: np.random.Generator) -> IntArray:
    """Blacklist some legal representatives of dubious integrity (their firms stay open)."""
    lr_rows = np.nonzero((people.role_type == LR) & (people.role_until < 0)
                         & ~plan.taken[people.role_firm] & (firms.dissolved[people.role_firm] < 0))
    holders = np.unique(people.role_person[lr_rows])
    k = min(len(holders), max(5, firms.n // 2000))
    weight = np.exp(2.0 * latent.person_z[holders])
    chosen = np.sort(rng.choice(holders, k, replace=False, p=weight / weight.sum()))
    days = uniform_int(rng, day(2019), day(2025, 6), k)
    removed = np.where(rng.random(k) < 0.5, days + uniform_int(rng, 730, 1500, k), -1)
    removed = np.where(removed > day(LAST_YEAR, 12, 31), -1, removed)
    plan.person_events.add(chosen, "dishonest_person_list", days, removed, 1)
    return chosen


def build_timeline(firms: Firms, people: People, latent: Latent, inspectors: Inspectors,
                   plan: Plan, rng: np.random.Generator
                   ) -> tuple[dict[str, np.ndarray], tuple[IntArray, IntArray]]:
    """All credit records (column arrays) and the planted conflict inspections."""
    records = Records()
    forced_events(records, plan.firm_events, firms.region, latent.logit, rng)
    forced_events(records, plan.person_events, person_regions(firms, people),
                  latent.person_logit(), rng, is_person=True)
    connected = political_firms(people)
    last_penalty = np.full(firms.n, -1, dtype=np.int64)
    last_redlist = np.full(firms.n, -1, dtype=np.int64)
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        penalty, redlist = firm_year(records, firms, people, latent, connected, year, rng)
        person_year(records, firms, people, latent, year, rng)
        if year > FIRST_YEAR:
            shielded = last_redlist >= day(year) - REDLIST_SHIELD
            found = inspection_year(records, firms, latent.logit, inspectors, last_penalty,
                                    shielded, year, rng)
            penalty = np.maximum(penalty, found)
        last_penalty = np.maximum(last_penalty, penalty)
        last_redlist = np.maximum(last_redlist, redlist)
    conflicts = planted_conflicts(records, firms, inspectors, rng)
    return records.done(), conflicts
