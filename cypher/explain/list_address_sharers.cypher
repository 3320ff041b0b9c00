// Other firms registered at the same address or sharing a contact point with a firm (in force
// at an as-of date) (models/explain.py). Firms are read through the firm links
// (graph/store/firm_groups.py), as the folded snapshot the address features count: $firms are
// the firm's keys (its registry key and its copies, another source's records of it linked
// SAME_AS), none of which is a firm sharing its address, and each sharing key comes with its
// entity's members (`entity`, `members`: key, name, founding and dissolution days) so that the
// caller names it by the firm it counts as and counts it when that firm is alive.
// Parameters: $firms (list of the firm's keys), $as_of (ISO date string). Never null.
MATCH (c:Company)-[r1:REGISTERED_AT|HAS_CONTACT]->(x)<-[r2:REGISTERED_AT|HAS_CONTACT]-(o:Company)
WHERE c.uscc IN $firms AND NOT o.uscc IN $firms AND type(r1) = type(r2)
  AND coalesce(r1.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r1.until, date('9999-12-31')) > date($as_of)
  AND coalesce(r2.since, date('1900-01-01')) <= date($as_of)
  AND coalesce(r2.until, date('9999-12-31')) > date($as_of)
WITH DISTINCT type(r1) AS link, x, o
CALL (o) {
  OPTIONAL MATCH (o)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'})
                 <-[:SAME_AS {active: true}]-(m:Company)
  RETURN e.entity_id AS entity,
         collect(DISTINCT {key: m.uscc, name: m.name, founded_on: toString(m.founded_on),
                           dissolved_on: toString(m.dissolved_on)}) AS members
}
RETURN link, coalesce(x.address_id, x.contact_id) AS shared_id,
       coalesce(x.text, x.value) AS shared, o.uscc AS other_uscc, o.name AS other_name,
       toString(o.founded_on) AS other_founded_on, toString(o.dissolved_on) AS other_dissolved_on,
       entity, members
ORDER BY link, shared_id, other_uscc
