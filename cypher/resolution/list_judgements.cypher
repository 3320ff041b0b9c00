// Every judgement, oldest first (the latest judgement of a pair is the one that counts).
MATCH (j:MatchJudgement)
RETURN j.judgement_id AS judgement_id, j.pair_id AS pair_id, j.a AS a, j.b AS b,
       coalesce(j.kind, 'person') AS kind,
       j.verdict AS verdict, j.note AS note, j.actor AS actor, toString(j.at) AS at
ORDER BY j.at, j.judgement_id
