// Name and status of the given companies; unknown USCCs give no row.
// Parameters: $usccs (list of strings).
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})
RETURN c.uscc AS uscc, c.name AS name, c.status AS status
