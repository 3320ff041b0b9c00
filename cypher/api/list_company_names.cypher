// Further names of companies (the FollowTheMoney name lists), for the GraphQL company names
// loader (app/graphql/loaders.py). Parameters: $usccs (list of strings, never null). One row
// per company found; a list the firm has not got is null.
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})
RETURN c.uscc AS uscc, c.other_names AS other_names, c.aliases AS aliases,
       c.previous_names AS previous_names, c.weak_aliases AS weak_aliases
