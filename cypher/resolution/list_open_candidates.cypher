// The review queue of people: open pairs of Person records (kind 'person', or no kind: queued
// before firms were resolved), most uncertain first (probability nearest one half).
MATCH (c:MatchCandidate {status: 'open'})
WHERE coalesce(c.kind, 'person') = 'person'
MATCH (a:Person {person_id: c.a}), (b:Person {person_id: c.b})
RETURN c.pair_id AS pair_id, c.a AS a, c.b AS b, a.name AS a_name, b.name AS b_name,
       'person' AS kind, c.weight AS weight, c.probability AS probability,
       c.evidence AS evidence
ORDER BY abs(c.probability - 0.5), c.pair_id
LIMIT $limit
