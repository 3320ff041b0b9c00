"""Features read people through the entity resolution, point in time (SAME_AS links)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskgraph.graph.snapshot import DAY_MAX, LR, Snapshot, day_of
from riskgraph.models.risk.counted import counted
from riskgraph.models.risk.features import compute_features
from riskgraph.models.risk.features.context import FeatureContext

AS_OF = dt.date(2022, 1, 1)
T = day_of(AS_OF)
PEOPLE = ["key_personnel_listed", "linked_firms", "linked_blacklisted",
          "linked_blacklisted_share", "linked_serious_3y", "linked_blacklist_recency",
          "linked_penalised_share", "legal_rep_other_firms_rate", "controller_other_firms_rate",
          "linked_negative_rate", "phoenix_signal"]


def _legal_reps(snap: Snapshot, count: int) -> list[tuple[int, int]]:
    """(person, firm) of ``count`` current legal representatives of distinct firms, each
    person holding no other current key role."""
    ctx = FeatureContext(snap, T)
    cur = ctx.key_roles
    roles_per_person = np.bincount(snap.role_person[cur], minlength=snap.n_persons)
    out: list[tuple[int, int]] = []
    seen: set[int] = set()
    for r in np.nonzero(cur & (snap.role_type == LR))[0].tolist():
        p, f = int(snap.role_person[r]), int(snap.role_firm[r])
        if roles_per_person[p] == 1 and f not in seen:
            out.append((p, f))
            seen.add(f)
        if len(out) == count:
            break
    return out


def _link(snap: Snapshot, people: list[int], since: int, until: int = DAY_MAX) -> Snapshot:
    ids = [str(snap.person_id[p]) for p in people]
    return snap.with_resolution(ids, ["ent-test"] * len(ids), [since] * len(ids),
                                [until] * len(ids))


def test_two_records_of_one_person_link_their_firms_from_the_decision_day_on(
        world_snapshot: Snapshot) -> None:
    (p, f), (q, g) = _legal_reps(world_snapshot, 2)
    before = compute_features(world_snapshot, T, ["linked_firms"])
    merged = compute_features(_link(world_snapshot, [p, q], T), T, ["linked_firms"])
    later = compute_features(_link(world_snapshot, [p, q], T + 1), T, ["linked_firms"])
    retired = compute_features(_link(world_snapshot, [p, q], T - 30, T), T, ["linked_firms"])
    col = before.names.index("linked_firms")
    for firm in (f, g):
        assert merged.values[firm, col] > before.values[firm, col]
    assert np.array_equal(later.values, before.values)
    assert np.array_equal(retired.values, before.values)


def test_a_listing_of_another_record_counts_and_is_cited(world_snapshot: Snapshot) -> None:
    snap = world_snapshot
    listed = compute_features(snap, T, ["key_personnel_listed"]).values[:, 0]
    ctx = FeatureContext(snap, T)
    with_listing = np.nonzero(ctx.person_listed[: snap.n_persons])[0]
    plain = [(p, f) for p, f in _legal_reps(snap, 400) if listed[f] == 0
             and not ctx.person_listed[p]]
    assert len(with_listing) and plain
    (p, f), q = plain[0], int(with_listing[0])
    linked = _link(snap, [p, q], T - 1)
    after = compute_features(linked, T, ["key_personnel_listed"]).values[:, 0]
    assert after[f] == 1.0
    cited = counted(FeatureContext(linked, T), "key_personnel_listed", f)
    assert cited is not None and cited.records
    assert {int(snap.rec_subject[r]) for r in cited.records} == {q}


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(links=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 40),
                                st.integers(-400, 400), st.integers(-400, 800)),
                      max_size=60),
       junk=st.lists(st.text(max_size=6), max_size=5))
def test_any_links_keep_the_features_well_formed(world_snapshot: Snapshot,
                                                 links: list[tuple[int, int, int, int]],
                                                 junk: list[str]) -> None:
    """Property: whatever SAME_AS links arrive (unknown person ids dropped), the features stay
    finite, counts of linked firms never fall when people merge, and links no one is active in
    at t change nothing."""
    snap = world_snapshot
    m = snap.n_persons
    ids = [str(snap.person_id[p % m]) for p, *_ in links] + junk
    ents = [f"e{e}" for _, e, *_ in links] + ["x"] * len(junk)
    since = [T + s for *_, s, _ in links] + [T] * len(junk)
    until = [T + s + max(u, 1) for *_, s, u in links] + [DAY_MAX] * len(junk)
    resolved = snap.with_resolution(ids, ents, since, until)
    assert len(resolved.same_person) == len(links)
    base = compute_features(snap, T, PEOPLE)
    got = compute_features(resolved, T, PEOPLE)
    assert np.isfinite(got.values).all()
    col = PEOPLE.index("linked_firms")
    assert (got.values[:, col] >= base.values[:, col] - 1e-12).all()
    ctx = FeatureContext(resolved, T)
    active = (resolved.same_since <= T) & (resolved.same_until > T)
    if not active.any():
        assert np.array_equal(got.values, base.values)
    # every person counts as exactly one resolved person, itself when not actively linked
    assert (ctx.person_of[np.setdiff1d(np.arange(m), resolved.same_person[active])]
            == np.setdiff1d(np.arange(m), resolved.same_person[active])).all()
