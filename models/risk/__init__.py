"""The risk engine: features, the additive model, training, scoring, explanations, evaluation,
scorecards, tiers and the model card, with the inputs they read (credit records as the engine
sees them, inspection streams and histories, users' own tables) and the plain words they print.

It receives data (snapshots, tables, rows a store read) and returns results; it never opens a
connection (graph/store/ reads and writes for it).
"""
