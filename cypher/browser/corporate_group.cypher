// Its corporate group
// Parents, subsidiaries, branches and corporate shareholders up to three links from the firm
// (SUBSIDIARY_OF and BRANCH_OF point to the parent; HOLDS_EQUITY carries the share). The example
// picks a parent or head office whose group is of median size.
// :param uscc => COLLECT { MATCH (c:Company) WHERE EXISTS { (c)<-[:SUBSIDIARY_OF|BRANCH_OF]-(:Company) } WITH c, COUNT { MATCH (c)-[:SUBSIDIARY_OF|BRANCH_OF|HOLDS_EQUITY*1..3]-(o:Company) RETURN DISTINCT o } AS n WITH collect({uscc: c.uscc, n: n}) AS firms, percentileDisc(n, 0.5) AS median UNWIND firms AS f WITH f, median WHERE f.n = median RETURN f.uscc ORDER BY f.uscc LIMIT 1 }[0]
MATCH grp = (c:Company {uscc: $uscc})-[:SUBSIDIARY_OF|BRANCH_OF|HOLDS_EQUITY*1..3]-(:Company)
WHERE all(n IN nodes(grp) WHERE n:Company)
RETURN grp
LIMIT 40
