"""Importers: formats investigators already have (OCDS, FollowTheMoney) → a World of our model.

Each importer returns an ``ImportResult``: the world (validated afterwards like any other, by
graph.validation) plus the records it could not map, with the source position and the reason.
"""
