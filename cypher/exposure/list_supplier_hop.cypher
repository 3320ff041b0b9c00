// One tier of the upstream walk (models/exposure/network.py): every supply into the given buyers
// in force at $as_of, summed per supplier. Because each buyer's in-force supplies are all
// returned, the rows also give each buyer's total purchases. The walk calls this once per tier
// with only the newly reached firms (a breadth-first search), so cycles and diamonds are
// expanded once; a variable-length pattern cannot take its bound as a parameter.
// Parameters: $usccs (list of strings), $as_of (ISO date string). Never null. $usccs holds every
// key of the firms asked for (their copies too); graph/store/exposure.py sums the rows per firm
// (canonical key) and drops a firm's supplies to its own copies (graph/firm_links.py).
UNWIND $usccs AS u
MATCH (b:Company {uscc: u})<-[r:SUPPLIES]-(s:Company)
WHERE coalesce(r.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r.until, date('9999-12-31')) > date($as_of)
RETURN u AS near, s.uscc AS far, s.name AS far_name, s.status AS far_status,
       sum(coalesce(r.annual_value, 0.0)) AS value
