"""GraphQL for investigators' entity resolution (issue 21): the review queue of uncertain pairs
with the comparison levels behind each score, and the ``createMatchJudgement`` mutation
(``judgeMatch``: its deprecated loose-argument form). Both need the
investigator role or above. A judgement goes through graph.store.resolution.judge, as the CLI's
``riskgraph resolve judge`` does, so it is checked, stored and audited the same way; the actor is
the caller's API key. Person identity evidence keeps its disclosure: a comparison says which
level matched (``exact match``, ``day and month swapped``), never the masked id number, birth
date or address it compared."""
