// Record that a load batch completed. Parameters: $batch (id string), $counts (JSON text of
// merged rows per label / type), $rejects (int), $seconds (float).
MATCH (b:LoadBatch {batch_id: $batch})
SET b.completed_at = datetime(), b.counts = $counts, b.rejects = $rejects, b.seconds = $seconds
RETURN b.batch_id AS batch_id
