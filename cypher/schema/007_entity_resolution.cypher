// Entity resolution (issue 21, graph/resolution.py): resolved entities, the decisions that link
// source nodes to them, the review queue of uncertain pairs and the investigators' judgements.
CREATE CONSTRAINT resolved_entity_id IF NOT EXISTS FOR (n:ResolvedEntity) REQUIRE n.entity_id IS UNIQUE;
CREATE CONSTRAINT resolution_decision_id IF NOT EXISTS FOR (n:ResolutionDecision) REQUIRE n.decision_id IS UNIQUE;
CREATE CONSTRAINT match_candidate_id IF NOT EXISTS FOR (n:MatchCandidate) REQUIRE n.pair_id IS UNIQUE;
CREATE CONSTRAINT match_judgement_id IF NOT EXISTS FOR (n:MatchJudgement) REQUIRE n.judgement_id IS UNIQUE;
CREATE INDEX match_candidate_status IF NOT EXISTS FOR (n:MatchCandidate) ON (n.status);
CREATE INDEX match_judgement_pair IF NOT EXISTS FOR (n:MatchJudgement) ON (n.pair_id);
