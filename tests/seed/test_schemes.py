"""Every planted scheme is in the ground truth and consistent with the tables."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

import pyarrow.parquet as pq

from riskgraph.graph.schema import Label, Rel
from tests.seed.conftest import World


def _records_by_subject(world: World) -> dict[str, list[dict[str, object]]]:
    records = {r["record_id"]: r for r in world.node(Label.CREDIT_RECORD).to_pylist()}
    out: dict[str, list[dict[str, object]]] = defaultdict(list)
    for src, dst in zip(world.col(world.rel(Rel.HAS_RECORD), "src"),
                        world.col(world.rel(Rel.HAS_RECORD), "dst"), strict=True):
        out[src].append(records[dst])
    return out


def _pairs(world: World, rel: Rel) -> set[tuple[str, str]]:
    return set(zip(world.col(world.rel(rel), "src"), world.col(world.rel(rel), "dst"),
                   strict=True))


def test_every_scheme_is_planted(world: World) -> None:
    schemes = world.truth["schemes"]
    for name in ("bid_rigging_cartels", "phoenix_firms", "shell_clusters",
                 "contaminated_supply_chains", "blacklisted_key_personnel",
                 "well_connected_firms", "inspector_conflicts"):
        assert schemes[name], name


def test_cartels_bid_together_rotate_wins_and_cover_bid_just_above(world: World) -> None:
    bids = {b["bid_id"]: b for b in world.node(Label.BID).to_pylist()}
    bidder = {dst: src for src, dst in _pairs(world, Rel.SUBMITTED)}
    by_tender: dict[str, list[tuple[str, dict[str, object]]]] = defaultdict(list)
    for bid_id, b in bids.items():
        by_tender[str(b["tender_id"])].append((bidder[bid_id], b))
    links = Counter()
    for cartel in world.truth["schemes"]["bid_rigging_cartels"]:
        members = set(cartel["members"])
        assert 3 <= len(members) <= 8
        links[cartel["link"]] += 1
        for tender, winner in zip(cartel["tenders"], cartel["winners"], strict=True):
            entries = by_tender[tender]
            present = {firm for firm, _ in entries} & members
            assert len(present) >= 3 and winner in present
            amounts = {firm: float(b["amount"]) for firm, b in entries}
            won = [firm for firm, b in entries if b["status"] == "won"]
            assert won == [winner]
            assert amounts[winner] == min(amounts.values())
            for firm in present - {winner}:
                assert 1.0 < amounts[firm] / amounts[winner] <= 1.09
        assert len(set(cartel["winners"])) >= min(3, len(members))
    assert links


def test_phoenix_firms_reopen_with_the_same_people(world: World) -> None:
    companies = {c["uscc"]: c for c in world.node(Label.COMPANY).to_pylist()}
    records = _records_by_subject(world)
    for case in world.truth["schemes"]["phoenix_firms"]:
        old, new = companies[case["predecessor"]], companies[case["successor"]]
        assert old["status"] in ("dissolved", "revoked") and old["dissolved_on"]
        assert new["founded_on"] >= old["dissolved_on"]
        listings = [r for r in records[old["uscc"]]
                    if r["kind"] == "serious_dishonest_enterprise_list"]
        assert any(r["issued_on"] < old["dissolved_on"] for r in listings)
        assert case["shared_persons"]
        assert case["cross_province"] == (old["region_code"][:2] != new["region_code"][:2])


def test_shell_clusters_share_an_address_and_a_nominee(world: World) -> None:
    address = dict(_pairs(world, Rel.REGISTERED_AT))
    lr = _pairs(world, Rel.LEGAL_REPRESENTATIVE_OF)
    for cluster in world.truth["schemes"]["shell_clusters"]:
        assert len(cluster["members"]) >= 8
        for firm in cluster["members"]:
            assert address[firm] == cluster["address_id"]
            assert (cluster["nominee"], firm) in lr


def test_contaminated_chains_reach_a_blacklisted_supplier_two_tiers_up(world: World) -> None:
    supplies = _pairs(world, Rel.SUPPLIES)
    records = _records_by_subject(world)
    for chain in world.truth["schemes"]["contaminated_supply_chains"]:
        assert (chain["tier2_supplier"], chain["tier1_supplier"]) in supplies
        assert (chain["tier1_supplier"], chain["firm"]) in supplies
        assert any(r["kind"] == "serious_dishonest_enterprise_list"
                   for r in records[chain["tier2_supplier"]])


def test_blacklisted_key_personnel_hold_roles_in_the_listed_firms(world: World) -> None:
    records = _records_by_subject(world)
    roles = set()
    for rel in (Rel.LEGAL_REPRESENTATIVE_OF, Rel.DIRECTOR_OF, Rel.SUPERVISOR_OF,
                Rel.ACTUAL_CONTROLLER_OF):
        roles |= _pairs(world, rel)
    cases = world.truth["schemes"]["blacklisted_key_personnel"]
    assert any(c["planted"] for c in cases)
    for case in cases:
        assert any(r["kind"] == "dishonest_person_list" for r in records[case["person_id"]])
        assert case["firms"] and all((case["person_id"], f) in roles for f in case["firms"])


def test_well_connected_firms_collect_merits_but_are_not_less_risky(world: World) -> None:
    persons = {p["person_id"]: p for p in world.node(Label.PERSON).to_pylist()}
    connected = world.truth["schemes"]["well_connected_firms"]
    for case in connected:
        assert case["persons"] and all(persons[p]["political_connection"]
                                       for p in case["persons"])
    truth = pq.read_table(world.root / "ground_truth_firms.parquet").to_pylist()
    flagged = {c["uscc"] for c in connected}
    assert {t["uscc"] for t in truth if t["politically_connected"]} == flagged
    logit_in = [t["logit"] for t in truth if t["uscc"] in flagged]
    logit_out = [t["logit"] for t in truth if t["uscc"] not in flagged]
    assert statistics.mean(logit_in) > statistics.mean(logit_out) - 0.25
    records = _records_by_subject(world)
    merits = {"redlist", "honors_and_awards", "donations", "volunteer_service"}

    def merit_rate(firms: list[str]) -> float:
        return sum(sum(r["kind"] in merits for r in records[f]) for f in firms) / len(firms)

    assert merit_rate(sorted(flagged)) > 2 * merit_rate(
        [t["uscc"] for t in truth if t["uscc"] not in flagged])


def test_inspector_conflicts_are_visible_in_the_graph(world: World) -> None:
    inspectors = {i["inspector_id"]: i for i in world.node(Label.INSPECTOR).to_pylist()}
    roles = _pairs(world, Rel.DIRECTOR_OF) | _pairs(world, Rel.SUPERVISOR_OF)
    inspected_by = dict(_pairs(world, Rel.INSPECTED_BY))
    records = _records_by_subject(world)
    for case in world.truth["schemes"]["inspector_conflicts"]:
        assert inspectors[case["inspector_id"]]["person_id"] == case["person_id"]
        assert (case["person_id"], case["uscc"]) in roles
        assert any(inspected_by.get(str(r["record_id"])) == case["inspector_id"]
                   for r in records[case["uscc"]])
