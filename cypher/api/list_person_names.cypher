// Further names of people (the FollowTheMoney name lists), for the GraphQL person names
// loader (app/graphql/loaders.py). Parameters: $person_ids (list of strings, never null). One
// row per person found; a list the person has not got is null.
UNWIND $person_ids AS pid
MATCH (p:Person {person_id: pid})
RETURN p.person_id AS person_id, p.other_names AS other_names, p.aliases AS aliases,
       p.previous_names AS previous_names, p.weak_aliases AS weak_aliases
