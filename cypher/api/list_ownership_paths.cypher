// Equity paths into a company: every simple HOLDS_EQUITY path (no node twice, so cross-holding
// cycles end) of at most $max_depth links, in force at $as_of, with its effective share (the
// product of the shares along it, as a fraction) (app/graphql/queries/network.py). A link
// whose share the source did not give (share null) makes the path's effective share null
// (unknown, not 0): such paths come after every path of known share.
// `terminal` is true when the path's top holder has no holder outside the path: an ultimate
// controller. Parameters: $uscc (string), $max_depth (int 1..10), $as_of (ISO date string),
// $limit (int). Never null; effective and items of shares may be null.
MATCH (c:Company {uscc: $uscc})
MATCH path = (h)-[:HOLDS_EQUITY*1..10]->(c)
WHERE length(path) <= $max_depth
  AND all(r IN relationships(path)
          WHERE coalesce(r.since, date('1900-01-01')) <= date($as_of)
            AND coalesce(r.until, date('9999-12-31')) > date($as_of))
  AND all(i IN range(0, length(path) - 1) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
WITH path, h,
     CASE WHEN any(r IN relationships(path) WHERE r.share IS NULL) THEN null
          ELSE reduce(s = 1.0, r IN relationships(path) | s * r.share / 100.0) END AS effective
RETURN [n IN nodes(path) | {label: CASE WHEN n:Person THEN 'Person' ELSE 'Company' END,
                            id: coalesce(n.uscc, n.person_id), name: n.name}] AS nodes,
       [r IN relationships(path) | r.share] AS shares, effective,
       NOT EXISTS {
         MATCH (x)-[r:HOLDS_EQUITY]->(h)
         WHERE NOT x IN nodes(path)
           AND coalesce(r.since, date('1900-01-01')) <= date($as_of)
           AND coalesce(r.until, date('9999-12-31')) > date($as_of)
       } AS terminal
ORDER BY effective IS NULL, effective DESC, length(path)
LIMIT $limit
