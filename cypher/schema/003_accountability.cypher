// Keys and lookups for ranking runs, inspection plans, objections and the audit trail.
CREATE CONSTRAINT ranking_run_id IF NOT EXISTS FOR (n:RankingRun) REQUIRE n.run_id IS UNIQUE;
CREATE CONSTRAINT inspection_plan_id IF NOT EXISTS FOR (n:InspectionPlan) REQUIRE n.plan_id IS UNIQUE;
CREATE CONSTRAINT objection_id IF NOT EXISTS FOR (n:Objection) REQUIRE n.objection_id IS UNIQUE;
CREATE CONSTRAINT audit_log_id IF NOT EXISTS FOR (n:AuditLog) REQUIRE n.log_id IS UNIQUE;
CREATE CONSTRAINT audit_event_seq IF NOT EXISTS FOR (n:AuditEvent) REQUIRE n.seq IS UNIQUE;
CREATE INDEX risk_assessment_run_uscc IF NOT EXISTS FOR (n:RiskAssessment) ON (n.run_id, n.uscc);
CREATE INDEX risk_assessment_uscc IF NOT EXISTS FOR (n:RiskAssessment) ON (n.uscc);
CREATE INDEX planned_inspection_plan IF NOT EXISTS FOR (n:PlannedInspection) ON (n.plan_id);
CREATE INDEX audit_event_subject IF NOT EXISTS FOR (n:AuditEvent) ON (n.subject_id);
CREATE INDEX ranking_run_created IF NOT EXISTS FOR (n:RankingRun) ON (n.created_at);
