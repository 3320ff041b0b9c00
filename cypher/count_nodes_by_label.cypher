// Node counts per label, from the count store (APOC). Parameters: none. Returns label, count.
CALL apoc.meta.stats() YIELD labels
UNWIND keys(labels) AS label
RETURN label, labels[label] AS count
ORDER BY label
