"""Evidence links: URLs that open Neo4j Browser on a query with its parameters.

Neo4j Browser 5.x reads ``?cmd=...&arg=...`` from its address (``dbms=<bolt url>`` and
``db=<name>`` preselect the connection). Two kinds of link:

* ``cmd=play`` (the default for catalog statements): Browser plays a one-slide evidence guide
  served by the riskgraph API (``/browser-guide/evidence/<name>?p=<parameters>``, see
  app/browser_guide.py) with two runnable blocks, ``:params {...}`` and the statement; run each
  and the result shows as an ordinary table or graph. Needs the API to be running.
* ``cmd=edit``: the editor is prefilled with ``:params {...};`` and the statement. Works without
  the API, but Browser runs the two as a script and shows only their status (re-run the query
  on its own to see rows).

Browser URL-decodes the whole address before reading ``arg``, so a literal ``&`` or ``#`` would
cut the text short: in parameter values they are written as JSON ``\\u0026`` / ``\\u0023``
escapes (``;`` too, which would split the script); a statement containing them is refused.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import re
from typing import Any
from urllib.parse import quote

from riskgraph.graph.catalog import names, query
from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.errors import BadInput, NotFound

_UNSAFE_IN_TEXT = ("&", "#")
_NAME_LIKE = re.compile(r"[a-z0-9_]+(/[a-z0-9_]+)*")
_JSON_ESCAPES = {"&": "\\u0026", "#": "\\u0023", ";": "\\u003b"}


def _is_catalog_name(text: str) -> bool:
    if any(ch.isspace() for ch in text) or not text:
        return False
    folder = text.rsplit("/", 1)[0] if "/" in text else ""
    try:
        return text in names(folder) or f"browser/{text}" in names("browser")
    except (FileNotFoundError, NotADirectoryError):
        return False


def _full_name(name: str) -> str:
    """``find_firm`` → ``browser/find_firm`` (saved Browser queries first), else as given."""
    if "/" not in name and f"browser/{name}" in names("browser"):
        return f"browser/{name}"
    return name


@functools.lru_cache(maxsize=256)
def statement_text(query_name_or_text: str) -> str:
    """The Cypher of a catalog name (``browser/find_firm``, ``find_firm``, ``explain/...``), its
    leading ``//`` comment header removed, or the given Cypher text itself (kept for the
    latest 256 names or texts: an explanation asks for the same few dozens of times)."""
    text = query_name_or_text.strip()
    if _is_catalog_name(text):
        text = query(_full_name(text))
    elif _NAME_LIKE.fullmatch(text):
        raise NotFound(f"browser_link: no catalog statement named {text!r} (cypher/<name>.cypher "
                       "or cypher/browser/<name>.cypher)")
    lines = text.splitlines()
    while lines and lines[0].lstrip().startswith("//"):
        lines.pop(0)
    body = "\n".join(lines).strip().rstrip(";").strip()
    if not body:
        raise BadInput(f"browser_link: no Cypher statement in {query_name_or_text!r}")
    return body


def _json_value(value: Any, path: str) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {str(k): _json_value(v, f"{path}.{k}") for k, v in value.items()}
    raise BadInput(f"browser_link: parameter {path} has type {type(value).__name__}; use "
                   "strings, numbers, booleans, dates, lists or maps")


@functools.lru_cache(maxsize=256)
def checked_statement(query_name_or_text: str) -> str:
    """:func:`statement_text`, refused (BadInput) when it holds a character a Browser URL
    cannot carry; kept for the latest 256 names or texts."""
    body = statement_text(query_name_or_text)
    bad = [c for c in _UNSAFE_IN_TEXT if c in body]
    if bad:
        raise BadInput(f"browser_link: the statement contains {' and '.join(map(repr, bad))}, "
                       "which a Browser URL cannot carry; pass such values as parameters")
    return body


def _payload(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters as JSON values, their names checked (BadInput names the bad one)."""
    for key in params:
        if not key.isidentifier():
            raise BadInput(f"browser_link: parameter name {key!r} is not a Cypher identifier")
    return {k: _json_value(v, k) for k, v in params.items()}


def _params_text(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, ensure_ascii=False)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)  # only inside strings: JSON syntax has none of them
    return f":params {text}"


def params_command(params: dict[str, Any]) -> str:
    """``:params {...}`` for Browser, with ``&``, ``#`` and ``;`` escaped inside JSON strings."""
    return _params_text(_payload(params))


def browser_text(query_name_or_text: str, params: dict[str, Any] | None = None) -> str:
    """The editor text of a link: ``:params {...};`` (when there are parameters), then the query."""
    body = checked_statement(query_name_or_text)
    return f"{params_command(params)};\n{body};" if params else f"{body};"


def _token(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def encode_params(params: dict[str, Any]) -> str:
    """Parameters as URL-safe base64 JSON (no ``&``, ``#``, ``=`` or ``/``)."""
    return _token({k: _json_value(v, k) for k, v in params.items()})


def decode_params(token: str) -> dict[str, Any]:
    """The inverse of ``encode_params``; BadInput when the token is not such a value."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        value = json.loads(raw.decode())
    except (binascii.Error, ValueError) as exc:
        raise BadInput(f"evidence parameters are not base64url JSON: {exc}") from None
    if not isinstance(value, dict):
        raise BadInput("evidence parameters must be a JSON object")
    return value


@functools.lru_cache(maxsize=256)
def catalog_name(query_name_or_text: str) -> str | None:
    """The full catalog name (``browser/find_firm`` for ``find_firm``), or None for Cypher text."""
    text = query_name_or_text.strip()
    if not _is_catalog_name(text):
        return None
    return _full_name(text)


def _loopback(host: str) -> str:
    return "localhost" if host in ("0.0.0.0", "::", "127.0.0.1", "::1") else host  # noqa: S104


def browser_link(query_name_or_text: str, params: dict[str, Any] | None = None, *,
                 settings: Settings | None = None, browser_url: str | None = None,
                 guide_url: str | None = None, play: bool | None = None) -> str:
    """A URL opening Neo4j Browser on the statement (catalog name or Cypher) and ``params``.

    ``cypher/browser`` and ``cypher/explain`` statements get a ``cmd=play`` link to the API's
    evidence slide (``guide_url``, default ``http://localhost:<RISKGRAPH_API_PORT>``); anything
    else, or ``play=False``, gets a ``cmd=edit`` link. ``browser_url`` defaults to the local
    server's ``<http url>/browser/``.
    """
    cfg = settings or get_settings()
    base = (browser_url or f"{cfg.http_url}/browser/").rstrip("/") + "/"
    connect = _connect(cfg.bolt_uri, cfg.neo4j_database)
    name = catalog_name(query_name_or_text)
    body = checked_statement(query_name_or_text)
    payload = _payload(params or {})  # validates the parameters
    evidence = name is not None and name.split("/", 1)[0] in ("browser", "explain")
    if evidence and play is not False:
        api = guide_url or f"http://{_loopback(cfg.riskgraph_api_host)}:{cfg.riskgraph_api_port}"
        # the token is base64url, which quote() leaves as it is: the page's fixed part is
        # quoted once per slide, not once per link (an explanation makes hundreds)
        return f"{base}{connect}&cmd=play&arg={_slide(api, name)}{_token(payload)}"
    if play:
        raise BadInput("browser_link: only cypher/browser and cypher/explain statements have "
                       "an evidence slide")
    text = f"{_params_text(payload)};\n{body};" if params else f"{body};"
    return f"{base}{connect}&cmd=edit&arg={quote(text, safe='')}"


@functools.lru_cache(maxsize=64)
def _connect(bolt_uri: str, database: str) -> str:
    return f"?dbms={quote(bolt_uri, safe='')}&db={quote(database, safe='')}"


@functools.lru_cache(maxsize=256)
def _slide(api: str, name: str) -> str:
    """The quoted address of statement ``name``'s evidence slide, up to its parameters."""
    return quote(f"{api.rstrip('/')}/browser-guide/evidence/{name}?p=", safe=":/?=")
