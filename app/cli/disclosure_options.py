"""``--role`` / ``--agency`` of the CLI's printed reports: whom the report is written for.

The default is ``public``, the most restrictive role: a printed or saved report can travel
beyond the agency, so it names only public records unless asked otherwise (``--role
investigator`` for an internal report; ``--role restricted --agency X`` adds X's restricted
records; ``admin`` names every record). Verdicts still count every record.
"""

from __future__ import annotations

from typing import Annotated

import typer

from riskgraph.models.disclosure import Audience, audience

RoleOption = Annotated[str, typer.Option(
    "--role", help="Write the report for this role: public (default; names public records "
                   "only), investigator, restricted (with --agency) or admin.")]
AgencyOption = Annotated[list[str] | None, typer.Option(
    "--agency", help="An agency whose restricted records a restricted-role report may name "
                     "(repeatable).")]


def audience_of(role: str, agency: list[str] | None) -> Audience:
    """The audience of the options (BadInput, exit code 2, for a bad combination)."""
    return audience(role.strip().lower(), tuple(agency or ()))
