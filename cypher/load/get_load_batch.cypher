// One load batch by id. Parameters: $batch (id string). Returns zero or one row.
MATCH (b:LoadBatch {batch_id: $batch})
RETURN b.batch_id AS batch_id, b.directory AS directory, b.started_at AS started_at,
       b.completed_at AS completed_at, b.counts AS counts, b.rejects AS rejects
