"""Cardinal's settings file (``settings.ini`` of ``ocdscardinal indicators``) → RedFlagSettings.

As in Cardinal (``src/indicators/mod.rs``): only the indicators that have a section run
(``[R003]`` … ``[R058]``; an empty section means the defaults), and R044 (ours) runs when
``[R044]`` is given too; top-level ``currency``, ``no_price_comparison_procurement_methods``
and ``price_comparison_procurement_methods`` (``|``-separated
``tender.procurementMethodDetails`` values, for R024 / R058's ratio, R028 and R036);
``[exclusions]`` ``procurement_method_details`` (contracting processes not screened at all);
per-indicator keys (``threshold``, ``procurement_methods``, ``percentile``,
``minimum_submitted_bids``, ``minimum_contracting_processes``, ``digits``) and
``[R003.procurement_method_details]`` (a threshold per details value). Sections of the
``prepare`` command (defaults, redactions, corrections, modifications, codelists, output) are
accepted and have no effect here. An unknown section or key, or a value of the wrong type, is
a BadInput naming it (Cardinal refuses them too).
"""

from __future__ import annotations

import configparser
from dataclasses import replace
from pathlib import Path
from typing import Any

from riskgraph.graph.errors import BadInput
from riskgraph.models.screens.redflag_flag import CARDINAL_INDICATORS
from riskgraph.models.screens.redflags import RedFlagSettings

_TOP = "__top__"
PREPARE_SECTIONS = ("defaults", "redactions", "corrections", "modifications", "output")
_KEYS: dict[str, dict[str, tuple[str, Any]]] = {
    "R003": {"threshold": ("r003_threshold", int),
             "procurement_methods": ("r003_methods", frozenset)},
    "R018": {"procurement_methods": ("r018_methods", frozenset)},
    "R024": {"threshold": ("r024_threshold", float)},
    "R025": {"percentile": ("r025_percentile", int), "threshold": ("r025_threshold", float)},
    "R028": {}, "R030": {}, "R036": {}, "R044": {},
    "R035": {"threshold": ("r035_threshold", int)},
    "R038": {"threshold": ("r038_threshold", float),
             "minimum_submitted_bids": ("r038_minimum_submitted_bids", int),
             "minimum_contracting_processes": ("r038_minimum_contracting_processes", int)},
    "R048": {"digits": ("r048_digits", int), "threshold": ("r048_threshold", int),
             "minimum_contracting_processes": ("r048_minimum_contracting_processes", int)},
    "R058": {"threshold": ("r058_threshold", float)},
}
_TOP_KEYS: dict[str, tuple[str, Any]] = {"currency": ("currency", str),
             "no_price_comparison_procurement_methods": ("no_price_comparison_methods",
                                                         frozenset),
             "price_comparison_procurement_methods": ("price_comparison_methods", frozenset)}


def pipe_set(text: str) -> frozenset[str]:
    """Cardinal's ``parse_pipe_separated_value``: ``a|b`` → {a, b} (empty parts dropped)."""
    return frozenset(part for part in text.split("|") if part)


def _value(where: str, text: str, kind: Any) -> Any:
    if kind is frozenset:
        return pipe_set(text)
    if kind is str:
        return text
    try:
        value = kind(text)
    except ValueError:
        raise BadInput(f"{where}: {text!r} is not {'an integer' if kind is int else 'a number'}"
                       ) from None
    if kind is int and value < 0:
        raise BadInput(f"{where}: {text!r} must not be negative")
    return value


def parse_settings(text: str, name: str = "settings") -> RedFlagSettings:
    """The settings an INI text sets (see the module docstring)."""
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";", "#"),
                                       strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(f"[{_TOP}]\n{text}", source=name)
    except configparser.Error as exc:
        raise BadInput(f"{name}: not a settings file ({str(exc).splitlines()[0]})") from None
    changes: dict[str, Any] = {}
    enabled: set[str] = set()
    for section in parser.sections():
        items = dict(parser.items(section))
        where = f"{name} [{section}]"
        if section == _TOP:
            for key, text_value in items.items():
                if key not in _TOP_KEYS:
                    raise BadInput(f"{name}: unknown setting {key!r}")
                field_name, kind = _TOP_KEYS[key]
                changes[field_name] = _value(f"{name}: {key}", text_value, kind)
        elif section == "exclusions":
            for key, text_value in items.items():
                if key != "procurement_method_details":
                    raise BadInput(f"{where}: unknown key {key!r}")
                changes["exclude_method_details"] = pipe_set(text_value)
        elif section == "R003.procurement_method_details":
            changes["r003_method_details"] = tuple(sorted(
                (key, _value(f"{where} {key}", v, int)) for key, v in items.items()))
        elif section in _KEYS:
            enabled.add(section)
            for key, text_value in items.items():
                if key not in _KEYS[section]:
                    raise BadInput(f"{where}: unknown key {key!r}")
                field_name, kind = _KEYS[section][key]
                changes[field_name] = _value(f"{where} {key}", text_value, kind)
        elif section in PREPARE_SECTIONS or section.startswith("codelists."):
            continue
        else:
            raise BadInput(f"{name}: unknown section [{section}]")
    changes["enabled"] = frozenset(enabled & set(CARDINAL_INDICATORS))
    changes["r044"] = "R044" in enabled
    return replace(RedFlagSettings(), **changes)


def read_settings(path: Path) -> RedFlagSettings:
    """The settings of a Cardinal settings file (BadInput when unreadable or invalid)."""
    if not path.is_file():
        raise BadInput(f"settings file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot be read ({exc})") from None
    return parse_settings(text, str(path))
