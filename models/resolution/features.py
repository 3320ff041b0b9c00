"""Comparison columns of a person record: script-aware name keys, id fragments, dates, address.

Names arrive in Chinese characters (simplified or traditional), in pinyin or in another Latin
script, in either order and any case. Every name gets two keys: ``name_exact`` (NFKC, upper
case, punctuation spaced: the name as written) and ``name_key`` (the romanised tokens, sorted:
hanzi through pypinyin with the surname and the joined given-name syllables as two tokens, so
张晓龙, 張曉龍, "Zhang Xiaolong" and "XIAOLONG ZHANG" share ``xiaolong zhang``). A masked
identity number yields the fragments a source left visible (region, birth digits, last four,
first and last character); an address yields a key without a leading province and its city.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from riskgraph.graph.normalize import address_key, normalise_text

HANZI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PROVINCE = re.compile(r"^(?:[^\s省]{2,3}省|[^\s区]{2,8}自治区|北京市|上海市|天津市|重庆市)")
_CITY = re.compile(r"^(.{2,4}?市)")
_LATIN_JOIN = re.compile(r"['’\-]")

SCHEMA = pa.schema([
    ("unique_id", pa.string()), ("name", pa.string()), ("name_exact", pa.string()),
    ("name_key", pa.string()), ("birth_date", pa.string()), ("birth_year", pa.string()),
    ("id_region", pa.string()), ("id_birth", pa.string()), ("id_tail", pa.string()),
    ("id_ends", pa.string()), ("address_key", pa.string()), ("address_city", pa.string()),
    ("firms", pa.list_(pa.string())),
])


def romanised_tokens(name: str) -> list[str]:
    """Lower-case Latin tokens of a name: pinyin (surname, given name) for hanzi names, the
    ASCII-folded words otherwise (hyphens and apostrophes join syllables)."""
    text = unicodedata.normalize("NFKC", name).strip()
    if HANZI.search(text):
        from pypinyin import lazy_pinyin

        syllables = [s for s in lazy_pinyin(re.sub(r"\s+", "", text)) if s.strip()]
        if not syllables:
            return []
        return [syllables[0].lower(), "".join(syllables[1:]).lower()] if len(
            syllables) > 1 else [syllables[0].lower()]
    folded = "".join(c for c in unicodedata.normalize("NFKD", text)
                     if not unicodedata.combining(c))
    return [t for t in re.split(r"[^a-z0-9]+", _LATIN_JOIN.sub("", folded.lower())) if t]


@functools.lru_cache(maxsize=2**18)
def name_key(name: str) -> str | None:
    """The sorted romanised tokens of ``name`` (cached: common names repeat, and pypinyin is the
    slowest part of the features at 1M persons)."""
    tokens = romanised_tokens(name)
    return " ".join(sorted(tokens)) if tokens else None


def id_fragments(masked: str | None) -> dict[str, str | None]:
    """Visible fragments of an 18-character identity number (``*`` masks a character)."""
    out: dict[str, str | None] = {"id_region": None, "id_birth": None, "id_tail": None,
                                  "id_ends": None}
    text = (masked or "").strip().upper()
    if len(text) != 18:
        return out
    for name, part in (("id_region", text[:6]), ("id_birth", text[6:14]),
                       ("id_tail", text[14:])):
        if "*" not in part:
            out[name] = part
    if text[0] != "*" and text[-1] != "*":
        out["id_ends"] = text[0] + text[-1]
    return out


def address_parts(text: str | None) -> tuple[str | None, str | None]:
    """(key without the province, city) of an address; (None, None) when absent."""
    if not text or not text.strip():
        return None, None
    key = address_key(text).replace(" ", "")
    key = _PROVINCE.sub("", key) or key
    city = _CITY.match(key)
    return key, city.group(1) if city else None


def person_features(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """The comparison table of person records with keys ``person_id``, ``name``, optional
    ``birth_date`` (ISO text or date), ``id_number_masked``, ``address`` and ``firms``."""
    cols: dict[str, list[Any]] = {f.name: [] for f in SCHEMA}
    for row in rows:
        name = str(row.get("name") or "")
        birth = row.get("birth_date")
        birth_text = str(birth.isoformat()) if isinstance(birth, dt.date) else (
            str(birth) if birth else None)
        fragments = id_fragments(row.get("id_number_masked"))
        if not birth_text and fragments["id_birth"]:  # the id number carries the birth date
            digits = str(fragments["id_birth"])
            birth_text = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
        key, city = address_parts(row.get("address"))
        firms = sorted({str(f) for f in row.get("firms") or [] if f})
        values = {
            "unique_id": str(row["person_id"]), "name": name,
            "name_exact": normalise_text(name) or None, "name_key": name_key(name),
            "birth_date": birth_text, "birth_year": birth_text[:4] if birth_text else None,
            **fragments,
            "address_key": key, "address_city": city, "firms": firms or None,
        }
        for k, v in values.items():
            cols[k].append(v)
    return pa.table(cols, schema=SCHEMA)
