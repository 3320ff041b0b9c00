"""``riskgraph screen ...``: procurement red flags, collusion screens and bid checks."""

from __future__ import annotations

import typer

from riskgraph.app.cli import screen_bid, screen_cartels, screen_tenders

app = typer.Typer(help="Procurement red flags, collusion screens and bid checks.",
                  no_args_is_help=True)
app.command("bid")(screen_bid.bid)
app.command("cartels")(screen_cartels.cartels)
app.command("tenders")(screen_tenders.tenders)
