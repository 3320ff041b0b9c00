"""Supplier-network exposure reports and bid screening (docs/exposure.md).

* ``network``: walk SUPPLIES relationships tier by tier (upstream, or downstream on request).
* ``paths``: the simple supply paths from the firm to each supplier, with their value shares.
* ``facts``: listings, listed key persons, shared people and risk assessments of the suppliers.
* ``index``: risk weights, the exposure index and supplier concentration.
* ``report``: the report itself; ``render_html`` / ``render_csv`` / ``network_plot`` render it.
* ``bid_screen``: is any party to a bid barred from public procurement at the tender date?
"""
