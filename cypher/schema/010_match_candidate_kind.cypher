// Review-queue entries (MatchCandidate) are keyed by their kind and pair id (issue 21): a pair
// of people and a pair of firms with the same keys are two entries. Entries and judgements
// stored before firms were resolved have no kind: they are people's.
MATCH (c:MatchCandidate) WHERE c.kind IS NULL SET c.kind = 'person';
MATCH (j:MatchJudgement) WHERE j.kind IS NULL SET j.kind = 'person';
DROP CONSTRAINT match_candidate_id IF EXISTS;
CREATE CONSTRAINT match_candidate_kind_pair IF NOT EXISTS FOR (n:MatchCandidate) REQUIRE (n.kind, n.pair_id) IS UNIQUE;
