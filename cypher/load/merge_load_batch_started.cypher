// Record that a load batch started (graph/loader.py). Parameters: $batch (id string),
// $directory (the world directory loaded, string).
MERGE (b:LoadBatch {batch_id: $batch})
ON CREATE SET b.first_started_at = datetime()
SET b.started_at = datetime(), b.directory = $directory, b.completed_at = null,
    b.attempts = coalesce(b.attempts, 0) + 1
RETURN b.batch_id AS batch_id
