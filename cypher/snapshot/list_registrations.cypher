// Registered addresses, contact points, licence holders and legal names of companies, as
// parallel lists (one row), for the bulk risk snapshot (graph/snapshot.py). Parameters: none.
// kind is the relationship type; since / until are yyyymmdd integers, -1 when open; target is
// the address, contact point, holder or legal name's natural key, prefixed with the
// relationship type.
MATCH (c:Company)-[r:REGISTERED_AT|HAS_CONTACT|HELD_BY|HAS_LEGAL_NAME]->(x)
RETURN collect(c.uscc) AS company,
       collect(type(r) + ':' + coalesce(x.address_id, x.contact_id, x.holder_id, x.name_key)) AS target,
       collect(type(r)) AS kind,
       collect(coalesce(r.since.year * 10000 + r.since.month * 100 + r.since.day, -1)) AS since,
       collect(coalesce(r.until.year * 10000 + r.until.month * 100 + r.until.day, -1)) AS until
