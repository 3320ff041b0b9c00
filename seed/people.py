"""People and their roles: legal representatives, directors, supervisors, controllers, owners.

Role counts are heavy-tailed by construction: every role slot draws its holder from a pool whose
members have Zipf-distributed capacities, so most people hold one role and a few hold dozens
(plus group managers, nominees of shell clusters and serial entrepreneurs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from riskgraph.seed.arrays import BoolArray, FloatArray, IntArray, uniform_int
from riskgraph.seed.firms import BRANCH, SHELL, SUCCESSOR, Firms
from riskgraph.seed.groups import CompanyLinks
from riskgraph.seed.schemes import Plan
from riskgraph.seed.vocab import (
    AS_OF,
    COLLECTIVE,
    FOREIGN,
    FOREIGN_NATIONALITIES,
    JOINT_VENTURE,
    STATE_OWNED,
)

LR, DIRECTOR, SUPERVISOR, CONTROLLER = 0, 1, 2, 3
ROLE_NAMES = ("LEGAL_REPRESENTATIVE_OF", "DIRECTOR_OF", "SUPERVISOR_OF", "ACTUAL_CONTROLLER_OF")


class _Ids:
    """Hands out fresh person numbers (compacted after all roles are drawn)."""

    def __init__(self) -> None:
        self.next = 0

    def new(self, k: int) -> IntArray:
        out = np.arange(self.next, self.next + k, dtype=np.int64)
        self.next += k
        return out


class _Pool:
    """Role holders with Zipf(a) capacities truncated at ``cap``."""

    def __init__(self, ids: _Ids, rng: np.random.Generator, a: float, cap: int) -> None:
        self.ids, self.rng, self.a, self.cap = ids, rng, a, cap

    def draw(self, k: int) -> IntArray:
        if k == 0:
            return np.zeros(0, dtype=np.int64)
        caps = np.minimum(self.rng.zipf(self.a, k), self.cap)
        slots = np.repeat(np.arange(k), caps)[:k] if caps.sum() >= k else np.arange(k)
        people = self.ids.new(k)
        out: IntArray = people[self.rng.permutation(slots)]
        return out


@dataclass
class People:
    """Compacted persons 0..n-1 and their role and equity edges."""

    n: int
    foreign: IntArray  # index into FOREIGN_NATIONALITIES, -1 for Chinese nationals
    political: BoolArray
    planted_bad: BoolArray
    role_person: IntArray
    role_firm: IntArray
    role_type: IntArray
    role_since: IntArray
    role_until: IntArray  # -1 open
    eq_person: IntArray
    eq_firm: IntArray
    eq_share: FloatArray
    lr: IntArray  # current legal representative per firm
    ctrl: IntArray  # actual controller per firm, -1 none
    inspector_person: IntArray  # person behind each inspector, -1 none
    nominees: IntArray  # per shell cluster


def build_people(firms: Firms, links: CompanyLinks, plan: Plan, inspector_firm: IntArray,
                 inspector_is_person: BoolArray, rng: np.random.Generator) -> People:
    """Draw every role holder, then compact person numbers."""
    n = firms.n
    ids = _Ids()
    bosses = _Pool(ids, rng, 2.4, 40)
    general = _Pool(ids, rng, 2.2, 60)
    branch = firms.origin == BRANCH
    soe = firms.ownership == STATE_OWNED
    member = firms.depth > 0

    ctrl = np.full(n, -1, dtype=np.int64)
    private_like = ~branch & ~soe & (firms.ownership != COLLECTIVE)
    ctrl[private_like] = bosses.draw(int(private_like.sum()))
    lr = np.where(rng.random(n) < 0.75, ctrl, -1)
    # group members: the root's controller controls; group managers represent
    roots = np.nonzero(firms.depth == 0)[0]
    root_of_group = np.full(int(firms.group.max()) + 1 if n else 0, -1, dtype=np.int64)
    root_of_group[firms.group[roots]] = roots
    mem = np.nonzero(member)[0]
    ctrl[mem] = ctrl[root_of_group[firms.group[mem]]]
    gsize = np.bincount(firms.group[firms.group >= 0])
    n_mgr = np.maximum(1, (gsize + 2) // 3)
    mgr_start = np.r_[0, np.cumsum(n_mgr)[:-1]]
    managers = ids.new(int(n_mgr.sum()))
    g = firms.group[mem]
    pick = np.floor(rng.random(len(mem)) ** 2.5 * n_mgr[g]).astype(np.int64)
    lr[mem] = managers[mgr_start[g] + pick]
    need = lr < 0
    lr[need] = general.draw(int(need.sum()))

    # shell clusters: one nominee represents them all; half have a hidden controller
    k = int(plan.shell_cluster.max()) + 1 if len(plan.shell_cluster) else 0
    nominees = ids.new(k)
    hidden = np.where(rng.random(k) < 0.5, ids.new(k), nominees)
    lr[plan.shell_firms] = nominees[plan.shell_cluster]
    ctrl[plan.shell_firms] = hidden[plan.shell_cluster]
    # phoenix successors: the same people behind the new firm
    pred, succ = plan.phoenix_pred, plan.phoenix_succ
    ctrl[succ] = ctrl[pred]
    lr[succ] = np.where(rng.random(len(succ)) < 0.7, lr[pred], ctrl[pred])
    # cartels that share a legal representative
    for members, link in zip(plan.cartel_members, plan.cartel_link, strict=True):
        if link == "shared_legal_representative":
            share = int(rng.integers(2, min(3, len(members)) + 1))
            lr[members[1:share]] = lr[members[0]]

    person, firm, rtype = [lr], [np.arange(n)], [np.full(n, LR)]
    has_ctrl = np.nonzero(ctrl >= 0)[0]
    person.append(ctrl[has_ctrl])
    firm.append(has_ctrl)
    rtype.append(np.full(len(has_ctrl), CONTROLLER))
    size = np.log10(firms.employees + 1.0)
    boardy = (soe | firms.listed | (firms.depth >= 0)).astype(np.float64)
    n_dir = np.where((firms.employees < 20) & (rng.random(n) < 0.7), 0,
                     rng.poisson(0.4 + 0.8 * size + 2.0 * boardy))
    n_dir = np.minimum(np.where(branch | (firms.origin == SHELL), 0, n_dir), 11)
    n_sup = np.minimum(np.where(branch, 0, rng.poisson(0.3 + 0.35 * size + boardy)), 5)
    for count, kind in ((n_dir, DIRECTOR), (n_sup, SUPERVISOR)):
        f = np.repeat(np.arange(n), count)
        firm.append(f)
        person.append(general.draw(len(f)))
        rtype.append(np.full(len(f), kind))
    role_person = np.concatenate(person)
    role_firm = np.concatenate(firm)
    role_type = np.concatenate(rtype)
    # successors keep about half of the predecessor's board
    succ_of = np.full(n, -1, dtype=np.int64)
    succ_of[pred] = succ
    carry = (succ_of[role_firm] >= 0) & np.isin(role_type, (DIRECTOR, SUPERVISOR))
    carry &= rng.random(len(role_firm)) < 0.5
    role_person = np.r_[role_person, role_person[carry]]
    role_type = np.r_[role_type, role_type[carry]]
    role_firm = np.r_[role_firm, succ_of[role_firm[carry]]]
    # inspectors who are persons; some of them sit on a firm's board
    inspector_person = np.full(len(inspector_is_person), -1, dtype=np.int64)
    inspector_person[inspector_is_person] = ids.new(int(inspector_is_person.sum()))
    linked = np.nonzero(inspector_firm >= 0)[0]
    role_person = np.r_[role_person, inspector_person[linked]]
    role_firm = np.r_[role_firm, inspector_firm[linked]]
    role_type = np.r_[role_type, np.where(rng.random(len(linked)) < 0.6, DIRECTOR, SUPERVISOR)]

    since, until, extra = _role_dates(firms, role_firm, role_type, general, rng)
    role_person = np.r_[role_person, extra[0]]
    role_firm = np.r_[role_firm, extra[1]]
    role_type = np.r_[role_type, np.full(len(extra[0]), LR)]
    since, until = np.r_[since, extra[2]], np.r_[until, extra[3]]
    keep = _first_unique(role_person, role_firm * 4 + role_type)
    role_person, role_firm, role_type = role_person[keep], role_firm[keep], role_type[keep]
    since, until = since[keep], until[keep]

    eq_person, eq_firm, eq_share = _person_equity(firms, links, ctrl, general, rng)
    planted = np.r_[nominees, hidden, ctrl[pred], lr[pred]]
    planted = planted[planted >= 0]

    used = np.unique(np.r_[role_person, eq_person, inspector_person[inspector_person >= 0]])
    remap = np.full(ids.next, -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    n_people = len(used)
    planted_bad = np.zeros(n_people, dtype=bool)
    planted_bad[remap[planted]] = True
    foreign, political = _person_traits(firms, n_people, remap[role_person], role_firm,
                                        role_type, remap[eq_person], eq_firm, rng)
    return People(
        n=n_people, foreign=foreign, political=political, planted_bad=planted_bad,
        role_person=remap[role_person], role_firm=role_firm, role_type=role_type,
        role_since=since, role_until=until,
        eq_person=remap[eq_person], eq_firm=eq_firm, eq_share=eq_share,
        lr=remap[lr], ctrl=np.where(ctrl >= 0, remap[np.maximum(ctrl, 0)], -1),
        inspector_person=np.where(inspector_person >= 0,
                                  remap[np.maximum(inspector_person, 0)], -1),
        nominees=remap[nominees],
    )


def _first_unique(person: IntArray, key: IntArray) -> IntArray:
    pair = person * (np.int64(1) << 24) * 8 + key
    _, first = np.unique(pair, return_index=True)
    return np.sort(first)


def _role_dates(firms: Firms, role_firm: IntArray, role_type: IntArray, general: _Pool,
                rng: np.random.Generator
                ) -> tuple[IntArray, IntArray, tuple[IntArray, IntArray, IntArray, IntArray]]:
    """Role start days; one firm in eight changed its legal representative once."""
    founded, end = firms.founded[role_firm], firms.end_day()[role_firm]
    late = (role_type != LR) & (rng.random(len(role_firm)) < 0.25)
    since = np.where(late, uniform_int(rng, founded, end, len(role_firm)), founded)
    until = np.full(len(role_firm), -1, dtype=np.int64)
    life = firms.end_day() - firms.founded
    changed = np.nonzero((life > 900) & (rng.random(firms.n) < 0.125)
                         & (firms.origin != SUCCESSOR) & (firms.origin != SHELL))[0]
    change_day = uniform_int(rng, firms.founded[changed] + 365,
                             firms.end_day()[changed] - 1, len(changed))
    current = np.nonzero(role_type == LR)[0]
    pos = np.full(firms.n, -1, dtype=np.int64)
    pos[role_firm[current]] = current
    since[pos[changed]] = change_day
    old = general.draw(len(changed))
    return since, until, (old, changed, firms.founded[changed], change_day)


def _person_equity(firms: Firms, links: CompanyLinks, ctrl: IntArray, general: _Pool,
                   rng: np.random.Generator) -> tuple[IntArray, IntArray, FloatArray]:
    """Natural-person shareholders share what companies do not hold (controller the most)."""
    n = firms.n
    room = 100.0 - links.company_held(n)
    eligible = ((firms.origin != BRANCH) & (firms.ownership != STATE_OWNED)
                & (firms.ownership != COLLECTIVE) & (room > 0.5))
    others = np.where(eligible, np.minimum(rng.poisson(0.9, n), 4), 0)
    f_ctrl = np.nonzero(eligible & (ctrl >= 0))[0]
    f_other = np.repeat(np.arange(n), others)
    firm = np.r_[f_ctrl, f_other]
    person = np.r_[ctrl[f_ctrl], general.draw(len(f_other))]
    weight = np.r_[rng.gamma(4.0, 1.0, len(f_ctrl)), rng.gamma(1.0, 1.0, len(f_other))]
    total = np.bincount(firm, weights=weight, minlength=n)
    share = np.floor(room[firm] * weight / total[firm] * 100) / 100
    keep = (share > 0) & _mask(_first_unique(person, firm), len(firm))
    return person[keep], firm[keep], share[keep]


def _mask(idx: IntArray, n: int) -> BoolArray:
    out = np.zeros(n, dtype=bool)
    out[idx] = True
    return out


def _person_traits(firms: Firms, n_people: int, role_person: IntArray, role_firm: IntArray,
                   role_type: IntArray, eq_person: IntArray, eq_firm: IntArray,
                   rng: np.random.Generator) -> tuple[IntArray, BoolArray]:
    """Nationality (foreign owners of foreign firms and JVs) and political connection."""
    foreignish = np.isin(firms.ownership, (FOREIGN, JOINT_VENTURE))
    owner_foreign = np.zeros(n_people, dtype=bool)
    fe = foreignish[eq_firm] & (rng.random(len(eq_firm)) < np.where(
        firms.ownership[eq_firm] == FOREIGN, 0.8, 0.45))
    owner_foreign[eq_person[fe]] = True
    fr = foreignish[role_firm] & (role_type == LR) & (rng.random(len(role_firm)) < 0.3)
    owner_foreign[role_person[fr]] = True
    foreign = np.where(owner_foreign, rng.integers(0, len(FOREIGN_NATIONALITIES), n_people), -1)
    boss = np.isin(role_type, (LR, CONTROLLER))
    big = (firms.employees[role_firm] > 300) | (firms.ownership[role_firm] == STATE_OWNED)
    p = np.where(boss & big, 0.04, np.where(boss, 0.0015, 0.0))
    hit = rng.random(len(role_firm)) < p
    political = np.zeros(n_people, dtype=bool)
    political[role_person[hit]] = True
    political &= foreign < 0
    floor = max(3, firms.n // 2000) - int(political.sum())
    if floor > 0:  # small worlds: the bosses of the biggest firms are connected
        lr_rows = np.nonzero(role_type == LR)[0]
        ranked = lr_rows[np.argsort(-firms.employees[role_firm[lr_rows]], kind="stable")]
        bosses = role_person[ranked]
        bosses = bosses[foreign[bosses] < 0]
        _, first = np.unique(bosses, return_index=True)
        political[bosses[np.sort(first)][:floor]] = True
    return foreign.astype(np.int64), political


def active_roles(people: People, at_day: int) -> BoolArray:
    """Roles held on ``at_day``."""
    return (people.role_since <= at_day) & ((people.role_until < 0)
                                            | (people.role_until > at_day))


__all__ = ["AS_OF", "ROLE_NAMES", "People", "active_roles", "build_people"]
