"""Registry identifiers and names: USCCs, firm names, person names, deterministic ids."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from riskgraph.seed.arrays import IntArray, UIntArray
from riskgraph.seed.firms import BRANCH, Firms
from riskgraph.seed.ids import combine, fixed_strings, hash_fixed, hex_ids, uscc_matrix
from riskgraph.seed.people import People
from riskgraph.seed.tables import words
from riskgraph.seed.vocab import (
    FOREIGN_NAMES,
    GIVEN_CHARS,
    INDUSTRIES,
    REGIONS,
    SURNAME_WEIGHTS,
    SURNAMES,
    TRADE_CHARS,
)

ORG_SPACE = 31**9


def usccs(firms: Firms, rng: np.random.Generator) -> tuple[pa.Array, UIntArray]:
    """Unique valid USCCs and their 64-bit hashes (the firms' natural-key digests)."""
    n = firms.n
    org = rng.integers(0, ORG_SPACE, n)
    for _ in range(100):
        _, first = np.unique(org, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        org[dup] = rng.integers(0, ORG_SPACE, int(dup.sum()))
    entity = np.where((firms.employees < 3) & (rng.random(n) < 0.1) & (firms.origin != BRANCH),
                      2, 1)
    matrix = uscc_matrix([r.code for r in REGIONS], firms.region, org, entity)
    return fixed_strings(matrix), hash_fixed(matrix)


def firm_names(firms: Firms, rng: np.random.Generator) -> pa.Array:
    """``<city><trade name><industry word><suffix>``; branches: head name + city + 分公司."""
    n = firms.n
    chars = list(TRADE_CHARS)
    city = words([r.city.removesuffix("市") for r in REGIONS], firms.region)
    trade = pc.binary_join_element_wise(words(chars, rng.integers(0, len(chars), n)),
                                        words(chars, rng.integers(0, len(chars), n)), "")
    word = words([i.word for i in INDUSTRIES], firms.industry)
    suffix_idx = np.where(firms.depth == 0, 2, np.where(firms.listed, 1, np.where(
        rng.random(n) < 0.1, 3, 0)))
    suffix = words(["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"], suffix_idx)
    names = pc.binary_join_element_wise(city, trade, word, suffix, "")
    branches = np.nonzero(firms.origin == BRANCH)[0]
    if len(branches):
        head_names = names.take(pa.array(firms.head[branches]))
        b_names = pc.binary_join_element_wise(head_names, city.take(pa.array(branches)), "分公司",
                                              "")
        pos = np.full(n, -1, dtype=np.int64)
        pos[branches] = np.arange(len(branches))
        names = pc.if_else(pa.array(pos >= 0), b_names.take(pa.array(np.maximum(pos, 0))),
                           names)
    return names


def chinese_names(n: int, rng: np.random.Generator) -> pa.Array:
    """Surname (Zipf-weighted) + one or two given characters."""
    cum = np.cumsum(SURNAME_WEIGHTS)
    surname = np.minimum(np.searchsorted(cum, rng.random(n) * cum[-1]), len(SURNAMES) - 1)
    given = list(GIVEN_CHARS)
    g1 = words(given, rng.integers(0, len(given), n))
    g2 = pc.if_else(pa.array(rng.random(n) < 0.7), words(given, rng.integers(0, len(given), n)),
                    "")
    return pc.binary_join_element_wise(words(list(SURNAMES), surname), g1, g2, "")


def person_names(people: People, rng: np.random.Generator) -> pa.Array:
    """Chinese names, or foreign ones for foreign nationals."""
    chinese = chinese_names(people.n, rng)
    foreign = words(FOREIGN_NAMES, rng.integers(0, len(FOREIGN_NAMES), people.n))
    return pc.if_else(pa.array(people.foreign >= 0), foreign, chinese)


def inspector_names(people: People, person_name: pa.Array, rng: np.random.Generator
                    ) -> pa.Array:
    """An inspector who is also a Person carries that person's name."""
    own = chinese_names(len(people.inspector_person), rng)
    theirs = person_name.take(pa.array(np.maximum(people.inspector_person, 0)))
    return pc.if_else(pa.array(people.inspector_person >= 0), theirs, own)


def person_ids(seed: int, n: int) -> tuple[pa.Array, UIntArray]:
    """Pseudonymous person ids (``p-`` + 16 hex) and their hashes."""
    h = combine("person", np.full(n, seed, dtype=np.int64), np.arange(n, dtype=np.int64))
    return hex_ids("p-", h), h


def ids_for(prefix: str, tag: str, *parts: IntArray | UIntArray) -> tuple[pa.Array, UIntArray]:
    h = combine(tag, *parts)
    return hex_ids(prefix, h), h
