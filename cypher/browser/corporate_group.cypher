// Its corporate group
// Parents, subsidiaries, branches and corporate shareholders up to three links from the firm
// (SUBSIDIARY_OF and BRANCH_OF point to the parent; HOLDS_EQUITY carries the share). The example
// picks the firm with the most subsidiaries and branches.
// :param uscc => COLLECT { MATCH (c:Company)<-[:SUBSIDIARY_OF|BRANCH_OF]-(:Company) WITH c, count(*) AS n ORDER BY n DESC, c.uscc RETURN c.uscc LIMIT 1 }[0]
MATCH grp = (c:Company {uscc: $uscc})-[:SUBSIDIARY_OF|BRANCH_OF|HOLDS_EQUITY*1..3]-(:Company)
WHERE all(n IN nodes(grp) WHERE n:Company)
RETURN grp
LIMIT 200
