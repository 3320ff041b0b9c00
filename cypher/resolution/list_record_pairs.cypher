// The review-queue entries of one kind a record is in (open or judged), most probable first.
// Parameters: $kind ('person' or 'company'), $key (the record's key).
MATCH (c:MatchCandidate {kind: $kind})
WHERE c.a = $key OR c.b = $key
RETURN c.pair_id AS pair_id, CASE WHEN c.a = $key THEN c.b ELSE c.a END AS other,
       c.status AS status, c.verdict AS verdict, c.probability AS probability,
       c.weight AS weight
ORDER BY coalesce(c.probability, -1.0) DESC, pair_id
