"""Jinja2 templates for every HTML report (fairness audit, exposure, plan sheets, evaluation).

The templates are package data (``models/templates/*.html.j2``), loaded through Jinja2's
PackageLoader (importlib.resources underneath), so an installed wheel renders the same pages.
Autoescape is on for every template: a value reaches the page escaped unless a caller marks it
safe (only HTML that riskgraph itself rendered, e.g. markdown-it-py output with raw HTML
disabled). Rendering is a pure function of its inputs: same input, same bytes.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def environment() -> Environment:
    """The one template environment: autoescaped, undefined names are errors."""
    return Environment(
        loader=PackageLoader("riskgraph.models", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)


def render(name: str, **context: Any) -> str:
    """Render ``models/templates/<name>`` with ``context``."""
    return environment().get_template(name).render(**context)
