"""The latent violation propensity of every firm (never written to the graph).

logit = own (industry, size, age, ownership, noise) + people (legal representative, controller,
board) + group (0.6 × parent's logit; 0.8 × head office's for branches) + suppliers (0.15 × mean
supplier logit), centred on the median firm and soft-capped at ±3.5 (3.5·tanh(x/3.5)). People
matter most; political connection lowers nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from riskgraph.seed.arrays import FloatArray
from riskgraph.seed.firms import BRANCH, SHELL, SUCCESSOR, Firms
from riskgraph.seed.groups import MAX_DEPTH
from riskgraph.seed.people import CONTROLLER, DIRECTOR, LR, SUPERVISOR, People
from riskgraph.seed.supply import Supplies
from riskgraph.seed.vocab import (
    AS_OF,
    COLLECTIVE,
    FOREIGN,
    INDUSTRY_RISK,
    JOINT_VENTURE,
    REGIONS,
    STATE_OWNED,
)

PERSON_SD, BAD_SHARE, CAP = 0.5, 0.04, 3.5
W_LR, W_CTRL, W_BOARD, W_PARENT, W_HEAD, W_SUPPLIER = 0.8, 0.6, 0.3, 0.5, 0.7, 0.15


@dataclass
class Latent:
    person_z: FloatArray
    own: FloatArray
    people: FloatArray
    group: FloatArray
    supplier: FloatArray
    logit: FloatArray
    enforcement: FloatArray  # per region: how zealously violations are recorded

    def person_logit(self) -> FloatArray:
        return 1.6 * self.person_z - 1.0


def build_latent(firms: Firms, people: People, supplies: Supplies,
                 rng: np.random.Generator) -> Latent:
    """Compose the firm logit from its parts (see module docstring)."""
    n = firms.n
    z = rng.normal(0.0, PERSON_SD, people.n)
    bad = rng.random(people.n) < BAD_SHARE
    z += np.where(bad, rng.uniform(1.0, 2.0, people.n), 0.0)
    z += np.where(people.planted_bad, 1.5, 0.0)
    z += np.where(people.political, 0.1, 0.0)  # connected, and no cleaner

    age_2020 = (AS_OF - 6 * 365 - firms.founded) / 365.25
    own = (INDUSTRY_RISK[firms.industry] - 0.25 * np.log10(firms.employees + 1.0)
           + np.where(age_2020 < 3, 0.3, 0.0)
           + np.select([firms.ownership == STATE_OWNED, firms.ownership == FOREIGN,
                        firms.ownership == JOINT_VENTURE, firms.ownership == COLLECTIVE],
                       [-0.3, -0.2, -0.1, 0.0], 0.0)
           + np.where(firms.origin == SHELL, 1.5, 0.0)
           + np.where(firms.origin == SUCCESSOR, 0.3, 0.0)
           + rng.normal(0.0, 0.5, n))
    current = people.role_until < 0
    lr_z = z[people.lr]
    ctrl_z = np.where(people.ctrl >= 0, z[np.maximum(people.ctrl, 0)], 0.0)
    board = current & np.isin(people.role_type, (DIRECTOR, SUPERVISOR))
    b_sum = np.bincount(people.role_firm[board], weights=z[people.role_person[board]], minlength=n)
    b_cnt = np.bincount(people.role_firm[board], minlength=n)
    board_z = np.where(b_cnt > 0, b_sum / np.maximum(b_cnt, 1), 0.0)
    people_eff = W_LR * lr_z + W_CTRL * ctrl_z + W_BOARD * board_z
    base = own + people_eff

    logit = base.copy()
    for depth in range(1, MAX_DEPTH + 1):
        at = np.nonzero(firms.depth == depth)[0]
        logit[at] = base[at] + W_PARENT * logit[firms.parent[at]]
    branches = np.nonzero(firms.origin == BRANCH)[0]
    logit[branches] = base[branches] + W_HEAD * logit[firms.head[branches]]
    group = logit - base

    cur = supplies.until < 0
    s_sum = np.bincount(supplies.customer[cur], weights=logit[supplies.supplier[cur]], minlength=n)
    s_cnt = np.bincount(supplies.customer[cur], minlength=n)
    centre_s = float(np.median(logit))
    supplier = np.where(s_cnt > 0, W_SUPPLIER * (s_sum / np.maximum(s_cnt, 1) - centre_s), 0.0)
    total = logit + supplier
    centre = float(np.median(total))
    return Latent(person_z=z, own=own - centre, people=people_eff, group=group,
                  supplier=supplier, logit=CAP * np.tanh((total - centre) / CAP),
                  enforcement=np.exp(rng.normal(0.0, 0.35, len(REGIONS))))


__all__ = ["CONTROLLER", "LR", "Latent", "build_latent"]
