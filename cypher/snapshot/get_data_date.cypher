// The graph's latest data: the issue date of its newest credit record (overturned records left
// out, as in list_credit_records), for the one as-of rule of every command
// (graph/store/data_date.py). Parameters: none. `last` is null in a graph without records.
MATCH (r:CreditRecord)
WHERE coalesce(r.overturned, false) = false
RETURN max(r.issued_on) AS last
