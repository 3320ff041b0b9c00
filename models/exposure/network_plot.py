"""A picture of the supply network: tiers as columns, risky firms in red (matplotlib, PNG)."""

from __future__ import annotations

import base64
import io
import logging
import warnings
from functools import cache

import networkx as nx
from matplotlib import font_manager
from matplotlib.figure import Figure

from riskgraph.models.exposure.network import UPSTREAM
from riskgraph.models.exposure.report import ExposureReport

MAX_NODES = 200
"""Larger networks are drawn with their riskiest and biggest firms (and the paths to them)."""
LABELS = 25
FONTS = ("DejaVu Sans", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans CJK JP")
"""Tried in order per glyph, so Chinese firm names render where a CJK font is installed."""


CJK_FILES = ("wqy-zenhei", "wqy-microhei", "NotoSansCJK", "NotoSansSC")


@cache
def font_family() -> list[str]:
    """The installed ``FONTS``; CJK fonts installed after matplotlib's cache are added."""
    manager = font_manager.fontManager
    if not any(f.name in FONTS[1:] for f in manager.ttflist):
        for path in font_manager.findSystemFonts():
            if any(key in path for key in CJK_FILES):
                manager.addfont(path)
    installed = {f.name for f in manager.ttflist}
    return [f for f in FONTS if f in installed] or ["sans-serif"]


def chosen_firms(report: ExposureReport, limit: int = MAX_NODES) -> set[str]:
    """The firms to draw: the most exposed, then the largest value shares, with their paths."""
    keep = {report.firm["uscc"]}
    for s in report.suppliers:  # sorted by exposure, then value share
        if len(keep) >= limit:
            break
        keep.add(s.uscc)
        if s.paths:
            keep.update(s.paths[0].firms)
    return keep


def network_graph(report: ExposureReport, limit: int = MAX_NODES) -> nx.DiGraph:
    """The drawn part of the network; edges point the way goods flow."""
    net = report.network
    keep = chosen_firms(report, limit)
    by_uscc = {s.uscc: s for s in report.suppliers}
    sign = -1 if report.direction == UPSTREAM else 1
    g: nx.DiGraph = nx.DiGraph()
    for u in sorted(keep):
        s = by_uscc.get(u)
        g.add_node(u, layer=sign * (s.tier if s else 0), risky=bool(s and s.reasons),
                   weight=s.risk_weight if s else 0.0, name=s.name if s else report.firm["name"],
                   share=s.value_share if s else 1.0)
    for near, fars in net.links.items():
        for far in fars:
            if near in keep and far in keep:
                src, dst = (far, near) if report.direction == UPSTREAM else (near, far)
                g.add_edge(src, dst, share=net.share(near, far))
    return g


def render_png(report: ExposureReport, limit: int = MAX_NODES) -> bytes:
    """The network picture as PNG bytes."""
    g = network_graph(report, limit)
    focal = report.firm["uscc"]
    order = sorted(g.nodes, key=lambda n: (g.nodes[n]["layer"], -g.nodes[n]["share"], n))
    ordered = nx.DiGraph()
    ordered.add_nodes_from((n, g.nodes[n]) for n in order)
    ordered.add_edges_from(g.edges(data=True))
    pos = nx.multipartite_layout(ordered, subset_key="layer")
    fig = Figure(figsize=(11, 7.5), dpi=90)
    ax = fig.add_axes((0.02, 0.08, 0.96, 0.86))
    ax.set_axis_off()
    widths = [0.3 + 4.0 * min(1.0, d["share"]) for _, _, d in ordered.edges(data=True)]
    nx.draw_networkx_edges(ordered, pos, ax=ax, width=widths, alpha=0.35, edge_color="#555555",
                           arrows=False)  # goods flow towards the firm's column
    risky = [n for n in order if ordered.nodes[n]["risky"]]
    scale = 1.0 if len(order) <= 60 else 0.4
    clean = [n for n in order if not ordered.nodes[n]["risky"] and n != focal]
    nx.draw_networkx_nodes(ordered, pos, nodelist=clean, ax=ax, node_size=40,
                           node_color="#9aa5b1", label="no reason found")
    nx.draw_networkx_nodes(ordered, pos, nodelist=risky, ax=ax,
                           node_size=[(60 + 200 * ordered.nodes[n]["weight"]) * scale
                                      for n in risky],
                           node_color="#d62728", edgecolors="black", linewidths=0.6,
                           label="risky (listing, listed or shared people, risk tier)")
    nx.draw_networkx_nodes(ordered, pos, nodelist=[focal], ax=ax, node_size=260,
                           node_color="#1f77b4", edgecolors="black", label="the firm")
    labels = LABELS if len(order) <= 60 else LABELS // 3
    labelled = [focal, *sorted(risky, key=lambda n: -ordered.nodes[n]["weight"])[:labels]]
    label_pos = {n: (pos[n][0], pos[n][1] + 0.025) for n in labelled}
    nx.draw_networkx_labels(ordered, label_pos, ax=ax, font_size=7, font_family=font_family(),
                            verticalalignment="bottom",
                            labels={n: str(ordered.nodes[n]["name"])[:22] for n in labelled})
    shown = ordered.number_of_nodes() - 1
    ax.set_title(f"{report.direction} supply network of {report.firm['name']}: "
                 f"{shown:,} of {report.supplier_count:,} firms shown, tiers as columns",
                 fontsize=9, fontfamily=font_family())
    for layer in sorted({ordered.nodes[n]["layer"] for n in order}):
        xs = [pos[n][0] for n in order if ordered.nodes[n]["layer"] == layer]
        ax.annotate("the firm" if layer == 0 else f"tier {abs(layer)}", (xs[0], 0),
                    xycoords=("data", "axes fraction"), xytext=(0, -4),
                    textcoords="offset points", ha="center", va="top", fontsize=8)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.04), ncol=3, fontsize=7,
              frameon=False)
    buf = io.BytesIO()
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    with warnings.catch_warnings():  # glyphs missing when no CJK font is installed
        warnings.simplefilter("ignore", UserWarning)
        fig.savefig(buf, format="png")
    return buf.getvalue()


def png_data_uri(report: ExposureReport, limit: int = MAX_NODES) -> str:
    return "data:image/png;base64," + base64.b64encode(render_png(report, limit)).decode("ascii")
