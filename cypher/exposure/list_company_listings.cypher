// Company list inclusions of the given kinds in force at $as_of: issued on or before it and not
// removed by it (models/records.py rules for listings). Used by exposure reports and bid
// screening. Parameters: $usccs (list of strings), $kinds (list of strings), $as_of (ISO date
// string). Never null. $usccs holds every key of the firms asked for (their copies too); the
// caller counts each row for its firm (graph/store/exposure.py, graph/firm_links.py).
UNWIND $usccs AS u
MATCH (:Company {uscc: u})-[:HAS_RECORD]->(r:CreditRecord)
WHERE r.kind IN $kinds
  AND r.issued_on <= date($as_of)
  AND (r.removed_on IS NULL OR r.removed_on > date($as_of))
RETURN u AS uscc, r.record_id AS record_id, r.kind AS kind, r.agency AS agency,
       r.disclosure AS disclosure,
       toString(r.issued_on) AS issued_on, toString(r.removed_on) AS removed_on,
       r.severity AS severity
ORDER BY uscc, r.issued_on DESC, r.record_id
