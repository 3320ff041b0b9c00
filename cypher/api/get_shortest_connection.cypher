// The shortest link between two companies through people, ownership, group, address,
// contact, supply and bidding links (never through credit records), at most 8 links
// (app/graphql/queries/network.py). Parameters: $a, $b (USCC strings, never null).
MATCH (a:Company {uscc: $a}), (b:Company {uscc: $b})
MATCH path = shortestPath((a)-[:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY|SUBSIDIARY_OF|BRANCH_OF|SUPPLIES|REGISTERED_AT|HAS_CONTACT|SUBMITTED|FOR_TENDER|LIST_SUPPLIER|FAMILY_OF|ASSOCIATE_OF*..8]-(b))
RETURN [n IN nodes(path) | {label: labels(n)[0],
        id: coalesce(n.uscc, n.person_id, n.address_id, n.contact_id, n.bid_id, n.tender_id),
        name: coalesce(n.name, n.text, n.value, n.title, n.bid_id)}] AS nodes,
       [r IN relationships(path) | type(r)] AS types
