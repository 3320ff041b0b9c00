"""Planted duplicate people: the same person recorded again by another source, with noise.

Only with ``seed --duplicates RATE`` (own random stream, so the default world is unchanged).
Every person then carries what a registry publishes about a natural person: a birth date, a
masked resident identity number and a residence address. A share RATE of the people is recorded
a second time (a fifth of those a third time) as a new ``Person`` with its own ``person_id``;
the copy takes over part of the person's roles (or, with a single role, lists the same role
again, as a second source would) and is written with the noise real sources show:

- name: the same characters, a traditional-character form, a homophone or a mistyped character,
  or the pinyin in Latin script (``Wang Xiaolong``, ``WANG Xiaolong``, ``Xiaolong Wang``);
  foreign names in another case or order (``SMITH, John``) or with two letters swapped;
- identity number: masked another way (``330102********1234``, ``33010219800307****``,
  ``3****************4``, ``**************1234``) or not given;
- birth date: the same, day and month swapped, a mistyped day, or not given;
- address: the same written without the province or with full-width digits, a new address
  (moved), or not given.

Phoenix evasion: a listed firm's people who reopen under a successor often do it under a new
record (a name variant, another id fragment, a new address), so that a registry search for the
listed person finds nothing. With probability ``PHOENIX_EVASION`` per planted phoenix pair,
every person holding a role in both the predecessor and the successor is recorded once more,
and that copy holds all of the person's roles in the successor: without resolution the pair
shares no person record, with it the pair shares its people. The copy's name always differs
from the original's (a traditional form, the pinyin, a homophone or a typo; a foreign name in
another case or order, or mistyped), its id is masked another way than the registry's
(``MASKS[1:]``), its address is a new one in the successor's region, and its birth date has the
ordinary noise. Its truth row ends with the tag ``phoenix_evasion``.

The truth goes to ``resolution_truth.csv`` beside the world (never loaded): one row per Person
written, with the entity it belongs to (the original's person_id) and the noise applied.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from riskgraph.seed.arrays import IntArray
from riskgraph.seed.people import People
from riskgraph.seed.vocab import DISTRICTS, EPOCH, REGIONS, ROADS, day

TRUTH_FILE = "resolution_truth.csv"
NO_DAY = -(10**7)
"""An unknown birth date (birth days before 1970 are negative)."""
TRADITIONAL = dict(zip("陈张刘杨黄赵吴郑冯邓许韩叶苏罗钟谭陆卢龙贺顾" "伟丽军艳杰涛鹏辉国华红兰凯",
                       "陳張劉楊黃趙吳鄭馮鄧許韓葉蘇羅鍾譚陸盧龍賀顧" "偉麗軍艷傑濤鵬輝國華紅蘭凱",
                       strict=True))
"""Simplified → traditional forms of surnames and given characters that have one."""
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
MASKS = ((6, 4), (14, 0), (1, 1), (0, 4))
"""(visible head, visible tail) of an 18-character identity number, by masking style."""
PHOENIX_EVASION = 0.5
"""Share of planted phoenix pairs whose shared people reappear in the successor under a new,
noisy record. No published rate exists for this evasion; one half leaves both kinds of pair in
every world (hidden ones, which only resolution can link, and plain ones, which it must not
lose), so the downstream bench measures both. It was fixed before any bench ran with it."""


@dataclass
class Identity:
    """What a source publishes about one natural person."""

    birth_day: IntArray  # days since 1970
    home: IntArray  # region index
    id_number: list[str]
    address: list[str]


@dataclass
class Duplicates:
    """The Person rows to write (originals first, then the planted copies) and their roles."""

    n_original: int
    source: IntArray  # per written row: the original person it records
    names: list[str]
    birth_day: IntArray  # NO_DAY: not given
    id_masked: list[str | None]
    address: list[str | None]
    noise: list[str]
    role_person: IntArray  # written row holding each role (copies appended after the originals)
    role_index: IntArray  # index into the People role arrays
    region: IntArray  # per written row: the region of its address
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Phoenix:
    """The planted phoenix pairs (firm indices) and each firm's region, for the evasion."""

    pred: IntArray
    succ: IntArray
    firm_region: IntArray
    probability: float = PHOENIX_EVASION


def check_digit(body: str) -> str:
    """GB 11643-1999 check character of the first 17 digits."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]


def mask(id_number: str, style: int) -> str:
    head, tail = MASKS[style]
    return id_number[:head] + "*" * (len(id_number) - head - tail) + (
        id_number[len(id_number) - tail:] if tail else "")


def _address(rng: np.random.Generator, region: int) -> str:
    r = REGIONS[region]
    return (f"{r.province}{r.city}{DISTRICTS[int(rng.integers(len(DISTRICTS)))]}"
            f"{ROADS[int(rng.integers(len(ROADS)))]}{int(rng.integers(1, 400))}号"
            f"{int(rng.integers(1, 30))}幢{int(rng.integers(101, 2800))}室")


def identities(people: People, firm_region: IntArray, rng: np.random.Generator) -> Identity:
    """Birth date, identity number and residence for every person (home region = the region of
    the first firm they hold a role or shares in)."""
    n = people.n
    home = rng.integers(0, len(REGIONS), n)
    for person, firm in ((people.eq_person, people.eq_firm),
                         (people.role_person, people.role_firm)):
        home[person] = firm_region[firm]  # later assignments win: roles over equity
    birth = rng.integers(day(1950), day(2001), n)
    seq = rng.integers(0, 1000, n)
    ids, addresses = [], []
    district = rng.integers(1, 9, n)
    for i in range(n):
        d = EPOCH + dt.timedelta(days=int(birth[i]))
        code = REGIONS[int(home[i])].code[:4]
        if people.foreign[i] >= 0:  # foreigners' permanent residence card: 9 + region
            code = "9" + code[1:]
        body = f"{code}{int(district[i]):02d}{d:%Y%m%d}{int(seq[i]):03d}"
        ids.append(body + check_digit(body))
        addresses.append(_address(rng, int(home[i])))
    return Identity(birth_day=birth.astype(np.int64), home=home.astype(np.int64),
                    id_number=ids, address=addresses)


def _latin_variant(name: str, rng: np.random.Generator) -> tuple[str, str]:
    parts = name.split(" ")
    pick = int(rng.integers(4))
    if pick == 0 and len(parts) > 1:
        return f"{parts[-1].upper()}, {' '.join(parts[:-1])}", "name_order"
    if pick == 1:
        return name.upper(), "name_case"
    if pick == 2 and len(name) > 4:
        k = int(rng.integers(1, len(name) - 2))
        if name[k] != " " and name[k + 1] != " ":
            return name[:k] + name[k + 1] + name[k] + name[k + 2:], "name_typo"
    return name, "name_same"


def _hanzi_variant(name: str, rng: np.random.Generator, homophones: dict[str, list[str]],
                   pinyin: list[str], given_chars: str) -> tuple[str, str]:
    u = rng.random()
    if u < 0.35:
        return name, "name_same"
    if u < 0.5 and any(c in TRADITIONAL for c in name):
        return "".join(TRADITIONAL.get(c, c) for c in name), "name_traditional"
    if u < 0.8:
        surname, given = pinyin[0].capitalize(), "".join(pinyin[1:]).capitalize()
        style = int(rng.integers(3))
        text = (f"{surname} {given}", f"{surname.upper()} {given}", f"{given} {surname}")[style]
        return text, "name_pinyin"
    k = int(rng.integers(1, len(name)))
    same_sound = [c for c in homophones.get(pinyin[k], []) if c != name[k]]
    if same_sound and rng.random() < 0.6:
        return name[:k] + same_sound[int(rng.integers(len(same_sound)))] + name[k + 1:], \
            "name_homophone"
    return name[:k] + given_chars[int(rng.integers(len(given_chars)))] + name[k + 1:], \
        "name_typo"


def _birth_variant(birth: int, rng: np.random.Generator) -> tuple[int, str]:
    u = rng.random()
    d = EPOCH + dt.timedelta(days=birth)
    if u < 0.82:
        return birth, "birth_same"
    if u < 0.88 and d.day <= 12 and d.day != d.month:
        return (dt.date(d.year, d.day, d.month) - EPOCH).days, "birth_swapped"
    if u < 0.94:
        dom = d.day % 9 + 1 if d.day >= 10 else d.day + 10
        return (dt.date(d.year, d.month, min(dom, 28)) - EPOCH).days, "birth_typo"
    return NO_DAY, "birth_missing"


def _address_variant(address: str, region: int, rng: np.random.Generator) -> tuple[str | None,
                                                                                    str]:
    u = rng.random()
    if u < 0.2:
        return address, "address_same"
    if u < 0.4:
        return address.removeprefix(REGIONS[region].province), "address_no_province"
    if u < 0.55:
        return address.translate({ord(c): 0xFEE0 + ord(c) for c in "0123456789"}), \
            "address_fullwidth"
    if u < 0.85:
        return _address(rng, region), "address_moved"
    return None, "address_missing"


def plant(people: People, names: list[str], ident: Identity, rate: float,
          rng: np.random.Generator, phoenix: Phoenix | None = None) -> Duplicates:
    """Choose the duplicated people and write their copies, then (with ``phoenix``) the
    evaders' copies; see the module docstring."""
    from pypinyin import lazy_pinyin

    from riskgraph.seed.vocab import GIVEN_CHARS

    n = people.n
    k = min(n, round(rate * n))
    chosen = np.sort(rng.choice(n, size=k, replace=False)) if k else np.zeros(0, np.int64)
    third = chosen[rng.random(k) < 0.2]
    copies = np.sort(np.r_[chosen, third], kind="stable")
    homophones: dict[str, list[str]] = {}
    for c in GIVEN_CHARS:
        homophones.setdefault(lazy_pinyin(c)[0], []).append(c)

    source = np.r_[np.arange(n), copies].astype(np.int64)
    out_names = list(names)
    birth = ident.birth_day
    out_birth = [int(b) for b in birth]
    id_masked: list[str | None] = [mask(i, 0) for i in ident.id_number]
    address: list[str | None] = list(ident.address)
    noise = ["original"] * n
    counts: dict[str, int] = {}
    for p in copies.tolist():
        name = names[p]
        if people.foreign[p] >= 0:
            v_name, n_kind = _latin_variant(name, rng)
        else:
            v_name, n_kind = _hanzi_variant(name, rng, homophones, lazy_pinyin(name),
                                            GIVEN_CHARS)
        v_birth, b_kind = _birth_variant(int(birth[p]), rng)
        style = int(rng.integers(len(MASKS) + 1))
        v_id = mask(ident.id_number[p], style) if style < len(MASKS) else None
        v_addr, a_kind = _address_variant(ident.address[p], int(ident.home[p]), rng)
        kinds = [n_kind, b_kind, f"id_mask_{style}" if v_id else "id_missing", a_kind]
        for kind in kinds:
            counts[kind] = counts.get(kind, 0) + 1
        out_names.append(v_name)
        out_birth.append(v_birth)
        id_masked.append(v_id)
        address.append(v_addr)
        noise.append(";".join(kinds))
    role_person, role_index = _share_roles(people, copies, n, rng)
    dups = Duplicates(n_original=n, source=source, names=out_names,
                      birth_day=np.array(out_birth, dtype=np.int64), id_masked=id_masked,
                      address=address, noise=noise, role_person=role_person,
                      role_index=role_index, region=ident.home[source], counts=counts)
    if phoenix is not None:
        _evade(dups, people, names, ident, phoenix, rng, homophones)
    return dups


def _evade(dups: Duplicates, people: People, names: list[str], ident: Identity,
           phoenix: Phoenix, rng: np.random.Generator, homophones: dict[str, list[str]]
           ) -> None:
    """Record the shared people of a share of the phoenix pairs again, each copy holding all of
    the person's roles in the successor (see the module docstring); changes ``dups``."""
    from pypinyin import lazy_pinyin

    from riskgraph.seed.vocab import GIVEN_CHARS

    hide = rng.random(len(phoenix.pred)) < phoenix.probability
    firm_of = people.role_firm[dups.role_index]
    source, holder = list(dups.source.tolist()), dups.role_person.copy()
    births, region = dups.birth_day.tolist(), dups.region.tolist()
    for pred, succ in zip(phoenix.pred[hide].tolist(), phoenix.succ[hide].tolist(),
                          strict=True):
        at_succ = np.nonzero(firm_of == succ)[0]
        entity = dups.source[holder[at_succ]]
        shared = set(dups.source[holder[firm_of == pred]].tolist()) & set(entity.tolist())
        for p in sorted(shared):
            holder[at_succ[entity == p]] = len(source)
            source.append(p)
            v_name, n_kind = _other_name(names[p], int(people.foreign[p]), rng, homophones,
                                         lazy_pinyin, GIVEN_CHARS)
            v_birth, b_kind = _birth_variant(int(ident.birth_day[p]), rng)
            style = int(rng.integers(1, len(MASKS)))
            kinds = [n_kind, b_kind, f"id_mask_{style}", "address_moved", "phoenix_evasion"]
            for kind in kinds:
                dups.counts[kind] = dups.counts.get(kind, 0) + 1
            dups.names.append(v_name)
            births.append(v_birth)
            dups.id_masked.append(mask(ident.id_number[p], style))
            region.append(int(phoenix.firm_region[succ]))
            dups.address.append(_address(rng, region[-1]))
            dups.noise.append(";".join(kinds))
    # a role listed twice (by the person and a one-role copy) is now held twice by the evader
    pair = holder * np.int64(len(people.role_person) + 1) + dups.role_index
    _, first = np.unique(pair, return_index=True)
    keep = np.sort(first)
    dups.source = np.array(source, dtype=np.int64)
    dups.birth_day = np.array(births, dtype=np.int64)
    dups.region = np.array(region, dtype=np.int64)
    dups.role_person, dups.role_index = holder[keep], dups.role_index[keep]


def _other_name(name: str, foreign: int, rng: np.random.Generator,
                homophones: dict[str, list[str]], pinyin: Callable[[str], list[str]],
                given_chars: str) -> tuple[str, str]:
    """A variant of ``name`` that differs from it (up to eight draws, else a swapped case or a
    mistyped last character)."""
    for _ in range(8):
        if foreign >= 0:
            text, kind = _latin_variant(name, rng)
        else:
            text, kind = _hanzi_variant(name, rng, homophones, pinyin(name), given_chars)
        if text != name:
            return text, kind
    if foreign >= 0:
        return name.swapcase(), "name_case"
    other = [c for c in given_chars if c != name[-1]]
    return name[:-1] + other[int(rng.integers(len(other)))], "name_typo"


def _share_roles(people: People, copies: IntArray, n: int, rng: np.random.Generator
                 ) -> tuple[IntArray, IntArray]:
    """Roles per written row: a copy takes about half of a person's roles (at least one, never
    all); with a single role it lists that role again."""
    role_person = people.role_person.copy()
    index = np.arange(len(role_person), dtype=np.int64)
    order = np.argsort(role_person, kind="stable")
    starts = np.searchsorted(role_person[order], np.arange(n + 1))
    extra_person: list[int] = []
    extra_index: list[int] = []
    for j, p in enumerate(copies.tolist()):
        row = n + j
        mine = order[starts[p]:starts[p + 1]]
        mine = mine[role_person[mine] == p]  # roles still with the original
        if len(mine) >= 2:
            take = rng.permutation(mine)[: max(1, len(mine) // 2)]
            role_person[take] = row
        elif len(people.role_person[order[starts[p]:starts[p + 1]]]):
            extra_person.append(row)
            extra_index.append(int(order[starts[p]]))
    return (np.r_[role_person, np.array(extra_person, dtype=np.int64)],
            np.r_[index, np.array(extra_index, dtype=np.int64)])


def birth_dates(days: IntArray) -> pa.Array:
    """``date32`` birth dates, null where not given."""
    return pa.array(days.astype(np.int32), type=pa.date32(), mask=days == NO_DAY)


def write_truth(out: Path, dups: Duplicates, person_ids: list[str]) -> None:
    """``resolution_truth.csv``: kind, record_id, entity_id, noise (one row per Person)."""
    with (out / TRUTH_FILE).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["kind", "record_id", "entity_id", "noise"])
        for row, src in enumerate(dups.source.tolist()):
            writer.writerow(["person", person_ids[row], person_ids[src], dups.noise[row]])
