// Firm identifiers under a scheme (graph/identifiers.py, issue 12): every Company records the
// scheme of its key (`uscc` for a bare USCC, else the prefix before ':'), and the keys of the
// registry links real agencies have (licence holders, normalised legal names) are unique.
MATCH (c:Company) WHERE c.id_scheme IS NULL SET c.id_scheme = CASE WHEN c.uscc CONTAINS ':' THEN split(c.uscc, ':')[0] ELSE 'uscc' END;
CREATE INDEX company_id_scheme IF NOT EXISTS FOR (n:Company) ON (n.id_scheme);
CREATE CONSTRAINT licence_holder_id IF NOT EXISTS FOR (n:LicenceHolder) REQUIRE n.holder_id IS UNIQUE;
CREATE CONSTRAINT legal_name_key IF NOT EXISTS FOR (n:LegalName) REQUIRE n.name_key IS UNIQUE;
