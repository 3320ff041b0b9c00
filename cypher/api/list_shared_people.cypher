// People holding a role or shares in both of two companies, with their roles in each
// (app/graphql/queries/network.py). Parameters: $a, $b (USCC strings, never null).
MATCH (:Company {uscc: $a})<-[ra:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]-(p:Person)
      -[rb:LEGAL_REPRESENTATIVE_OF|DIRECTOR_OF|SUPERVISOR_OF|ACTUAL_CONTROLLER_OF|HOLDS_EQUITY]->(:Company {uscc: $b})
RETURN p.person_id AS person_id, collect(DISTINCT type(ra)) AS roles_in_a,
       collect(DISTINCT type(rb)) AS roles_in_b
ORDER BY person_id
