// Open a ranking run (models/ranking.py); its assessments are written next, then it is
// completed. Parameters: run_id, created_at (ISO date-time), as_of (ISO date), model_version,
// data_snapshot_sha256, code_version, parameters (JSON text), digest, firms (count).
CREATE (run:RankingRun {
  run_id: $run_id, created_at: datetime($created_at), as_of: date($as_of),
  model_version: $model_version, data_snapshot_sha256: $data_snapshot_sha256,
  code_version: $code_version, parameters: $parameters, digest: $digest, firms: $firms,
  status: 'writing'
})
RETURN run.run_id AS run_id
