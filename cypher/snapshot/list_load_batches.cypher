// Completed load batches, newest first: where each world was loaded from (evaluation looks
// for a world's ground_truth.json beside it). Parameters: none.
MATCH (b:LoadBatch)
WHERE b.completed_at IS NOT NULL
RETURN b.batch_id AS batch_id, b.directory AS directory, toString(b.completed_at) AS completed_at
ORDER BY b.completed_at DESC
