// The review queue of firms (kind 'company'): open pairs of Company records, most uncertain
// first (probability nearest one half). Parameters: $limit.
MATCH (c:MatchCandidate {status: 'open', kind: 'company'})
MATCH (a:Company {uscc: c.a}), (b:Company {uscc: c.b})
RETURN c.pair_id AS pair_id, c.a AS a, c.b AS b, a.name AS a_name, b.name AS b_name,
       'company' AS kind, c.weight AS weight, c.probability AS probability,
       c.evidence AS evidence
ORDER BY abs(c.probability - 0.5), c.pair_id
LIMIT $limit
