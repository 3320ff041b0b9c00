// One tier of the downstream walk (models/exposure/network.py): every supply out of the given
// sellers in force at $as_of, summed per customer; the rows also give each seller's total
// sales. Called once per tier with only the newly reached firms (breadth-first search).
// Parameters: $usccs (list of strings), $as_of (ISO date string). Never null. $usccs holds every
// key of the firms asked for (their copies too); graph/store/exposure.py sums the rows per firm
// (canonical key) and drops a firm's supplies to its own copies (graph/firm_links.py).
UNWIND $usccs AS u
MATCH (s:Company {uscc: u})-[r:SUPPLIES]->(b:Company)
WHERE coalesce(r.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r.until, date('9999-12-31')) > date($as_of)
RETURN u AS near, b.uscc AS far, b.name AS far_name, b.status AS far_status,
       sum(coalesce(r.annual_value, 0.0)) AS value
