"""The Neo4j Browser pack: saved queries, the investigator guide and the style sheet.

The saved queries live in ``cypher/browser/<name>.cypher``, each opening with a comment header:

    // <Title>
    // <what it shows, one or more lines>
    // :param <name> => <value or expression>

The ``:param`` lines are exactly what an investigator types in Browser; their expressions pick
an example in the demo world (Browser evaluates ``name => expression`` on the server). The guide
(``guide_html``) is generated from these files, so every query lives in one place.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from riskgraph.graph.browser_links import catalog_name, params_command, statement_text
from riskgraph.graph.catalog import names, query
from riskgraph.graph.errors import BadInput, NotFound

FOLDER = "browser"
GUIDE_ORDER = (
    "find_firm", "firm_people", "corporate_group", "firm_suppliers", "shared_addresses",
    "credit_records", "bid_cartel", "phoenix_firm",
)
"""The guide's slides after the welcome slide; every saved query appears exactly once."""

EVIDENCE_FOLDERS = ("browser", "explain")
"""Read-only catalog folders whose statements the evidence slide may show."""
_PARAM_LINE = re.compile(r"^//\s*(:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(\S.*))$")
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class SavedQuery:
    """One ``cypher/browser`` statement with its header."""

    name: str
    title: str
    about: str
    param_commands: tuple[str, ...]
    """``:param name => expression`` lines, in file order."""
    param_names: tuple[str, ...]
    body: str
    """The statement without its comment header."""

    @property
    def catalog_name(self) -> str:
        return f"{FOLDER}/{self.name}"


def parse(name: str, text: str) -> SavedQuery:
    """Split a saved query into its header and body; BadInput naming the file if malformed."""
    where = f"cypher/{FOLDER}/{name}.cypher"
    lines = text.splitlines()
    header: list[str] = []
    while lines and lines[0].lstrip().startswith("//"):
        header.append(lines.pop(0).strip())
    body = "\n".join(lines).strip()
    if not header or not body:
        raise BadInput(f"{where}: needs a '// Title' comment header followed by a statement")
    title = header[0].removeprefix("//").strip()
    about: list[str] = []
    commands: list[str] = []
    declared: list[str] = []
    for line in header[1:]:
        match = _PARAM_LINE.match(line)
        if match:
            commands.append(match.group(1))
            declared.append(match.group(2))
        elif commands:
            raise BadInput(f"{where}: description line after the ':param' lines: {line!r}")
        else:
            about.append(line.removeprefix("//").strip())
    used = sorted(set(_PARAM_USE.findall(body)))
    missing = [p for p in used if p not in declared]
    if missing:
        raise BadInput(f"{where}: parameter(s) {', '.join(missing)} used but not declared in a "
                       "'// :param name => value' header line")
    unused = [p for p in declared if p not in used]
    if unused:
        raise BadInput(f"{where}: parameter(s) {', '.join(unused)} declared but not used")
    if not title or not about:
        raise BadInput(f"{where}: needs a title line and at least one description line")
    return SavedQuery(name, title, " ".join(about), tuple(commands), tuple(declared), body)


def saved_query(name: str) -> SavedQuery:
    """The saved query ``name`` (``find_firm`` or ``browser/find_firm``)."""
    short = name.removeprefix(f"{FOLDER}/")
    if f"{FOLDER}/{short}" not in names(FOLDER):
        raise NotFound(f"no saved Browser query {short!r}; known: {', '.join(saved_names())}")
    return parse(short, query(f"{FOLDER}/{short}"))


def saved_names() -> list[str]:
    """Short names of every saved Browser query."""
    return [n.removeprefix(f"{FOLDER}/") for n in names(FOLDER)]


def saved_queries() -> list[SavedQuery]:
    """Every saved query, in guide order; BadInput if GUIDE_ORDER and the folder disagree."""
    on_disk = set(saved_names())
    listed = set(GUIDE_ORDER)
    if on_disk != listed:
        raise BadInput(
            f"cypher/{FOLDER} and graph/browser_pack.py GUIDE_ORDER disagree: only in the folder: "
            f"{sorted(on_disk - listed)}, only in GUIDE_ORDER: {sorted(listed - on_disk)}")
    return [saved_query(n) for n in GUIDE_ORDER]


def style_grass() -> str:
    """The GraSS style sheet (``cypher/browser/style.grass``)."""
    style = resources.files("riskgraph.cypher") / FOLDER / "style.grass"
    return style.read_text(encoding="utf-8")


# -- the guide ---------------------------------------------------------------------------------

def _runnable(code: str) -> str:
    """A block that Browser copies into the editor when clicked."""
    return f'<pre class="pre-scrollable code runnable">{html.escape(code, quote=False)}</pre>'


def _slide(heading: str, lead: str, content: str) -> str:
    return (
        '<slide class="row-fluid">\n'
        f'<div class="col-sm-3"><h3>{html.escape(heading)}</h3>'
        f'<p class="lead">{html.escape(lead)}</p></div>\n'
        f'<div class="col-sm-9">\n{content}\n</div>\n</slide>'
    )


def _own_value(q: SavedQuery) -> str:
    """How to set the slide's own parameters: ``:param search => '…'`` for the firm search,
    ``:param uscc => '<USCC>'`` for a firm, and so on (each parameter the query uses)."""
    hints = {"search": "'part of a name, or a USCC'", "uscc": "'<USCC>'", "min_tenders": "3"}
    return " and ".join(
        f"<code>:param {html.escape(n)} =&gt; {html.escape(hints.get(n, '…'))}</code>"
        for n in q.param_names)


def _query_slide(step: int, total: int, q: SavedQuery) -> str:
    # Several commands in one editor run only as a script, which needs the semicolons.
    params = ";\n".join(q.param_commands) + (";" if len(q.param_commands) > 1 else "")
    content = [
        f"<p>{html.escape(q.about)}</p>",
        "<p>1. Set the parameters (click, then run with Ctrl+Enter or the run button):</p>",
        _runnable(params),
        "<p>2. Run the query:</p>",
        _runnable(q.body),
        f"<p><small>Saved query <code>cypher/{FOLDER}/{html.escape(q.name)}.cypher</code>. "
        f"Use your own values with {_own_value(q)}.</small></p>",
    ]
    return _slide(f"{step}/{total}. {q.title}", q.name.replace("_", " "), "\n".join(content))


def _welcome(queries: list[SavedQuery], style_url: str | None) -> str:
    items = "\n".join(f"<li>{html.escape(q.title)}</li>" for q in queries)
    style = (
        "<p>Colour the graph by label (firms blue, people orange, addresses green, credit records "
        "by their category: blacklists, arrears, penalties and inspections in reds and oranges, "
        "redlists and awards in greens):</p>\n" + _runnable(f":style {style_url}")
        if style_url else
        "<p>Load the style sheet <code>cypher/browser/style.grass</code> with <code>:style</code> "
        "(see docs/browser.md) to colour the graph by label.</p>"
    )
    content = (
        "<p>This guide walks through the demo world: find a firm, see its people and its "
        "corporate group, its suppliers, addresses and credit records, then a bid-rigging cartel "
        "and a phoenix firm.</p>\n"
        f"<ol>\n{items}\n</ol>\n{style}\n"
        "<p>Each slide has two blocks: the first sets <code>$parameters</code> (its expressions "
        "pick an example from the demo world, evaluated on the server: run the query once the "
        "parameter frame shows the values), the second is the query. Browser connects as a "
        "database user and sees every disclosure class: use the GraphQL API for role-based "
        "access.</p>"
    )
    return _slide("Welcome", "An investigator's tour of the riskgraph registry graph", content)


def guide_html(style_url: str | None = None) -> str:
    """The Browser guide (``:play <url>`` of this HTML): a welcome slide, then one per query."""
    queries = saved_queries()
    slides = [_welcome(queries, style_url)]
    slides += [_query_slide(i, len(queries), q) for i, q in enumerate(queries, start=1)]
    return (
        '<article class="guide">\n<carousel class="deck container-fluid">\n'
        + "\n".join(slides)
        + "\n</carousel>\n</article>\n"
    )


_MORE = (
    "<p>Browser binds the runnable blocks of a guide only when it has two slides or more; this "
    "one keeps the evidence slide clickable and points onwards.</p>\n"
    "<p>The investigator's tour of the demo world (firms, people, groups, cartels, phoenix "
    "firms) is served beside this slide: <code>:play &lt;API address&gt;/browser-guide</code>. "
    "Browser sees every disclosure class; the GraphQL API filters by role.</p>"
)


def evidence_html(name: str, params: dict[str, Any]) -> str:
    """A one-slide guide showing a catalog statement's evidence: set the parameters, run it."""
    full = catalog_name(name)
    if full is None or full.split("/", 1)[0] not in EVIDENCE_FOLDERS:
        raise NotFound(f"no evidence statement named {name!r} (cypher/<folder>/<name>.cypher, "
                       f"folder one of {', '.join(EVIDENCE_FOLDERS)})")
    body = statement_text(full)
    content = "\n".join([
        "<p>1. Set the parameters (click the block, then run it):</p>",
        _runnable(params_command(params)) if params else "<p>(no parameters)</p>",
        "<p>2. Run the statement:</p>",
        _runnable(body),
        f"<p><small>Catalog statement <code>cypher/{html.escape(full)}.cypher</code>.</small></p>",
    ])
    return (
        '<article class="guide">\n<carousel class="deck container-fluid">\n'
        + _slide("Evidence", full.replace("/", " / ").replace("_", " "), content) + "\n"
        + _slide("More", "Explore from here", _MORE) + "\n</carousel>\n</article>\n"
    )
