// Which of the given firms have a blacklisting the caller may see (cartel screen members).
// Parameters: $usccs (list), $kinds (list of blacklist kinds), $disclosures (list),
// $agencies (list). Never null.
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})-[:HAS_RECORD]->(r:CreditRecord)
WHERE r.category = 'blacklist' AND r.kind IN $kinds
  AND (r.disclosure IN $disclosures OR (r.disclosure = 'restricted' AND r.agency IN $agencies))
RETURN DISTINCT c.uscc AS uscc
ORDER BY uscc
