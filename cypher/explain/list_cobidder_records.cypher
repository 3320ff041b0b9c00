// Firms that bid in the same tenders as a firm (deadline passed by an as-of date), with the
// tenders shared (models/explain.py: the evidence of the bidding features that count no record;
// the co-bidders' records that cobidders_risky counts are cited from the snapshot). Firms are
// read through the firm links (graph/store/firm_groups.py), as the folded snapshot the bidding
// features count: $firms are the firm's keys (its registry key and its copies, another
// source's records of it linked SAME_AS), none of which is its co-bidder, and each co-bidding
// key comes with its entity's members (`entity`, `members`: key and name) so that the caller
// names it by the firm it counts as (a copy by its registry firm) and counts the tenders per
// firm.
// Parameters: $firms (list of the firm's keys), $as_of (ISO date string). Never null. One row
// per co-bidding key, with every tender it shares.
MATCH (c:Company)-[:SUBMITTED]->(:Bid)-[:FOR_TENDER]->(t:Tender)
      <-[:FOR_TENDER]-(:Bid)<-[:SUBMITTED]-(o:Company)
WHERE c.uscc IN $firms AND NOT o.uscc IN $firms AND t.deadline <= date($as_of)
WITH o, collect(DISTINCT t.tender_id) AS tenders
CALL (o) {
  OPTIONAL MATCH (o)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'})
                 <-[:SAME_AS {active: true}]-(m:Company)
  RETURN e.entity_id AS entity, collect(DISTINCT {key: m.uscc, name: m.name}) AS members
}
RETURN o.uscc AS other_uscc, o.name AS other_name, tenders, size(tenders) AS shared_tenders,
       entity, members
ORDER BY other_uscc
