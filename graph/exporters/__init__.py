"""Exporters: a world's procurement as OCDS compiled releases, its entities as FollowTheMoney."""
