"""Registered addresses and contact points, with the sharing that makes them informative.

Shared addresses arise innocently (business centres, incubators, accidental coincidences) and
by design (shell clusters, some cartels); shared phones arise from the boss's own mobile used
for all of his firms, bookkeeping agencies, and some cartels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from riskgraph.seed.arrays import IntArray, uniform_int
from riskgraph.seed.firms import SHELL, Firms
from riskgraph.seed.ids import combine, fixed_strings, hash_strings, hex_ids, mix
from riskgraph.seed.people import People
from riskgraph.seed.schemes import Plan
from riskgraph.seed.vocab import BUSINESS_CENTRES, DISTRICTS, REGIONS, ROADS

EMAIL_DOMAINS = ("163.com", "qq.com", "126.com", "sina.com", "139.com", "aliyun.com")


@dataclass
class Places:
    address_id: pa.Array
    address_text: pa.Array
    address_region: pa.Array
    firm_address: IntArray  # row in the address table per firm
    contact_id: pa.Array
    contact_kind: pa.Array
    contact_value: pa.Array
    hc_firm: IntArray  # HAS_CONTACT edges
    hc_contact: IntArray
    shell_address: IntArray  # address row per shell cluster


def _take(words: tuple[str, ...], idx: IntArray) -> pa.Array:
    return pa.array(words).take(pa.array(idx))


def _digits(values: IntArray, width: int) -> pa.Array:
    """Zero-padded decimal strings of non-negative integers."""
    cols = [(values // 10 ** (width - 1 - k)) % 10 for k in range(width)]
    return fixed_strings(np.stack(cols, axis=1).astype(np.uint8) + ord("0"))


def build_places(firms: Firms, people: People, plan: Plan, rng: np.random.Generator) -> Places:
    """Addresses and contact points for every firm."""
    n = firms.n
    region = firms.region.copy()
    district = rng.integers(0, len(DISTRICTS), n)
    road = rng.integers(0, len(ROADS), n)
    number = 1 + np.floor(rng.pareto(1.2, n) * 40).astype(np.int64) % 1999
    room = np.where(rng.random(n) < 0.55, rng.integers(101, 3000, n), -1)
    centre = np.full(n, -1, dtype=np.int64)
    # business centres: per city a few addresses hosting many small firms
    small = (firms.employees < 10) & (rng.random(n) < 0.06)
    per_city = np.maximum(1, np.bincount(region, minlength=len(REGIONS)) // 3000)
    c_idx = np.floor(rng.random(n) * per_city[region]).astype(np.int64)
    centre[small] = c_idx[small] % len(BUSINESS_CENTRES)
    district[small] = c_idx[small] % len(DISTRICTS)
    road[small] = (c_idx[small] * 7 + region[small]) % len(ROADS)
    number[small] = 100 + c_idx[small]
    room[small] = -1
    # shell clusters: one secretarial address per cluster
    shells, cluster = plan.shell_firms, plan.shell_cluster
    if len(shells):
        first = np.unique(cluster, return_index=True)[1]
        for arr in (district, road, number, room):
            arr[shells] = arr[shells[first]][cluster]
        centre[shells] = 0
        region[shells] = region[shells[first]][cluster]
    for members, link in zip(plan.cartel_members, plan.cartel_link, strict=True):
        if link == "shared_address":
            for arr in (region, district, road, number, room, centre):
                arr[members] = arr[members[0]]
    number_s = pc.cast(pa.array(number), pa.string())
    room_s = pc.if_else(pa.array(room >= 0),
                        pc.binary_join_element_wise(pc.cast(pa.array(room), pa.string()), "室", ""),
                        "")
    centre_s = pc.if_else(pa.array(centre >= 0),
                          _take(BUSINESS_CENTRES, np.maximum(centre, 0)), "")
    province = _take(tuple(r.province for r in REGIONS), region)
    city = _take(tuple(r.city for r in REGIONS), region)
    text = pc.binary_join_element_wise(
        province, city, _take(DISTRICTS, district), _take(ROADS, road), number_s, "号", centre_s,
        room_s, "")
    h = hash_strings(text)
    uniq, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    order = np.argsort(first)  # address rows in order of first use
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    firm_address = rank[inverse.reshape(-1)]
    rows = pa.array(first[order])
    codes = _take(tuple(r.code for r in REGIONS), region)
    shell_rows = (firm_address[shells[np.unique(cluster, return_index=True)[1]]]
                  if len(shells) else np.zeros(0, np.int64))

    phone_key = _phone_keys(firms, people, plan, rng)
    mobile = firms.employees < 50
    phones = _phone_values(phone_key, mobile)
    emails_for = np.nonzero(rng.random(n) < 0.35)[0]
    emails = _email_values(emails_for, rng)
    values = pa.concat_arrays([phones, emails])
    kinds = np.r_[np.zeros(n, np.int64), np.ones(len(emails_for), np.int64)]
    owners = np.r_[np.arange(n), emails_for]
    ch = hash_strings(values)
    cu, cfirst, cinv = np.unique(ch, return_index=True, return_inverse=True)
    corder = np.argsort(cfirst)
    crank = np.empty(len(cu), dtype=np.int64)
    crank[corder] = np.arange(len(cu))
    crows = pa.array(cfirst[corder])
    return Places(
        address_id=hex_ids("addr-", h[first[order]]),
        address_text=text.take(rows),
        address_region=codes.take(rows),
        firm_address=firm_address,
        contact_id=hex_ids("cp-", ch[cfirst[corder]]),
        contact_kind=_take(("phone", "email"), kinds).take(crows),
        contact_value=values.take(crows),
        hc_firm=owners,
        hc_contact=crank[cinv.reshape(-1)],
        shell_address=shell_rows,
    )


def _phone_keys(firms: Firms, people: People, plan: Plan, rng: np.random.Generator) -> IntArray:
    """A number identifying each firm's phone: own, the boss's mobile, or an agency's."""
    n = firms.n
    key = np.arange(n, dtype=np.int64) + (1 << 40)
    boss_phone = (firms.employees < 20) & (rng.random(n) < 0.5)
    key[boss_phone] = people.lr[boss_phone] + (2 << 40)
    agency = (firms.employees < 10) & (rng.random(n) < 0.05)
    per_city = np.maximum(1, np.bincount(firms.region) // 2000)
    key[agency] = (3 << 40) + firms.region[agency] * 1000 + uniform_int(
        rng, 0, per_city[firms.region[agency]] - 1, int(agency.sum()))
    shells = plan.shell_firms
    key[shells] = np.where(rng.random(len(shells)) < 0.6, (4 << 40) + plan.shell_cluster,
                           key[shells])
    for members, link in zip(plan.cartel_members, plan.cartel_link, strict=True):
        if link == "shared_phone":
            key[members] = key[members[0]]
    return key


def _phone_values(key: IntArray, mobile: np.ndarray) -> pa.Array:
    """Normalised numbers: 11-digit mobiles or area-code landlines, derived from the key."""
    h = mix(key.astype(np.uint64)).astype(np.uint64)
    body = (h % np.uint64(10**9)).astype(np.int64)
    prefix = np.array([13, 15, 17, 18, 19], dtype=np.int64)[(h >> np.uint64(40)).astype(np.int64)
                                                            % 5]
    mob = prefix * 10**9 + body
    land = 571 * 10**8 + (body % 10**8)  # 0571-xxxxxxxx, normalised without the dash
    return pc.if_else(pa.array(mobile), _digits(mob, 11),
                      pc.binary_join_element_wise("0", _digits(land, 11), ""))


def _email_values(owners: IntArray, rng: np.random.Generator) -> pa.Array:
    local = hex_ids("c", combine("email", owners), 8)
    domain = _take(EMAIL_DOMAINS, rng.integers(0, len(EMAIL_DOMAINS), len(owners)))
    return pc.binary_join_element_wise(local, domain, "@")


__all__ = ["SHELL", "Places", "build_places"]
