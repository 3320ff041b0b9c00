// How many active SAME_AS links the graph holds (0: nothing resolved, the screens read the
// plain forms). Parameters: none.
MATCH (:Person)-[r:SAME_AS {active: true}]->(:ResolvedEntity)
RETURN count(r) AS links
