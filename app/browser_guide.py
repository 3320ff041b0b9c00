"""Serve the Neo4j Browser guide and style sheet so Browser can ``:play`` and ``:style`` them.

Browser fetches remote guides cross-origin with ``pragma`` / ``cache-control`` headers, so each
resource answers the CORS preflight (OPTIONS) and every response allows any origin. The content
is public (saved queries and colours; no data). Include with
``app.include_router(browser_guide.router)``; then, in Browser:
``:play http://localhost:<api port>/browser-guide``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from riskgraph.graph.browser_links import decode_params
from riskgraph.graph.browser_pack import evidence_html, guide_html, style_grass
from riskgraph.graph.errors import RiskgraphError

GUIDE_PATH = "/browser-guide"
STYLE_PATH = "/browser-guide/style.grass"
EVIDENCE_PATH = "/browser-guide/evidence/{name:path}"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "pragma, cache-control, content-type, sentry-trace, baggage",
    "Access-Control-Max-Age": "600",
}

router = APIRouter(tags=["neo4j-browser"])


def style_url(request: Request) -> str:
    """The style sheet's address as seen by the caller (same host and port as the guide)."""
    return str(request.url.replace(path=STYLE_PATH, query=""))


@router.get(GUIDE_PATH, include_in_schema=False)
def browser_guide(request: Request) -> Response:
    """The guide as Browser slides (``:play`` this address)."""
    return Response(guide_html(style_url(request)), media_type="text/html; charset=utf-8",
                    headers=CORS_HEADERS)


@router.get(STYLE_PATH, include_in_schema=False)
def browser_style() -> Response:
    """The GraSS style sheet (``:style`` this address)."""
    return Response(style_grass(), media_type="text/plain; charset=utf-8", headers=CORS_HEADERS)


@router.get(EVIDENCE_PATH, include_in_schema=False)
def browser_evidence(name: str, p: str = "") -> Response:
    """One evidence slide: catalog statement ``name`` with parameters ``p`` (base64url JSON),
    the target of graph.browser_links.browser_link's ``cmd=play`` links."""
    try:
        page = evidence_html(name, decode_params(p) if p else {})
    except RiskgraphError as exc:
        status = 404 if exc.code == "NOT_FOUND" else 400
        return Response(exc.public_message, status_code=status, media_type="text/plain",
                        headers=CORS_HEADERS)
    return Response(page, media_type="text/html; charset=utf-8", headers=CORS_HEADERS)


@router.options(GUIDE_PATH, include_in_schema=False)
@router.options(STYLE_PATH, include_in_schema=False)
@router.options(EVIDENCE_PATH, include_in_schema=False)
def browser_preflight(request: Request) -> Response:
    """CORS preflight for Browser's cross-origin fetch (it adds tracing headers too)."""
    asked = request.headers.get("access-control-request-headers")
    headers = CORS_HEADERS | ({"Access-Control-Allow-Headers": asked} if asked else {})
    return Response(status_code=204, headers=headers)
