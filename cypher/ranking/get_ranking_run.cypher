// One ranking run's metadata. Parameters: run_id.
MATCH (run:RankingRun {run_id: $run_id})
RETURN run.run_id AS run_id, toString(run.created_at) AS created_at,
       toString(run.as_of) AS as_of, run.model_version AS model_version,
       run.data_snapshot_sha256 AS data_snapshot_sha256, run.code_version AS code_version,
       run.parameters AS parameters, run.digest AS digest, run.firms AS firms,
       run.status AS status
