"""Property test of the firm links the snapshot reads (graph/firm_links.py): whatever the active
SAME_AS links of firms say (unknown keys, one key in several entities' rows, registry firms and
copies mixed), folding keeps every fact, keeps every registry firm, removes only copies and
leaves every index in range; no links leave the snapshot (and its digest) as it was."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskgraph.graph.firm_links import FirmKeys, canonical_of, fold_firms, is_registry_key
from riskgraph.graph.snapshot import Snapshot
from riskgraph.seed.world import generate_world


@pytest.fixture(scope="module")
def snap(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    world = tmp_path_factory.mktemp("firm-links")
    generate_world(2000, 5, world, progress=False, firm_duplicates=0.1)
    # (at 2,000 firms some person records are numbered past the last firm row)
    return Snapshot.from_world(world)


def _keys(snap: Snapshot) -> st.SearchStrategy[str]:
    known = sorted(snap.uscc.astype(str).tolist())
    return st.one_of(st.sampled_from(known), st.text(max_size=30))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_folding_keeps_every_fact_and_every_registry_firm(snap: Snapshot, data: st.DataObject
                                                          ) -> None:
    links = data.draw(st.lists(st.tuples(_keys(snap), st.sampled_from(["e1", "e2", "e3", ""])),
                               max_size=40))
    out = fold_firms(snap, [k for k, _ in links], [e for _, e in links])
    if not links:
        assert out is snap and out.digest() == snap.digest()
    before, after = set(snap.uscc.astype(str)), set(out.uscc.astype(str))
    assert after <= before
    assert all(not is_registry_key(k) for k in before - after)  # only copies fold
    assert len(out.rec_subject) == len(snap.rec_subject)
    assert len(out.bid_firm) == len(snap.bid_firm) and len(out.role_firm) == len(snap.role_firm)
    for name in ("role_firm", "bid_firm", "addr_firm", "link_child", "sup_supplier"):
        idx = getattr(out, name)
        assert ((idx >= 0) & (idx < out.n_firms)).all()
    firm_rec = out.rec_subject[~out.rec_on_person]
    assert ((firm_rec >= 0) & (firm_rec < out.n_firms)).all()
    assert np.array_equal(out.rec_id, snap.rec_id)  # the records themselves are untouched
    on_person = snap.rec_on_person
    assert np.array_equal(out.rec_subject[on_person], snap.rec_subject[on_person])


_FIRM_KEYS = st.sampled_from(["9133010000000051AM", "9133010000000052AK", "ocds-party:src-b/1",
                              "ocds-party:src-b/2", "chicago-license:7", "chicago-license:3"])


@settings(max_examples=200, deadline=None)
@given(links=st.lists(st.tuples(_FIRM_KEYS, st.sampled_from(["e1", "e2"])), max_size=8,
                      unique_by=lambda t: t[0]),
       asked=st.lists(_FIRM_KEYS, max_size=6))
def test_firm_keys_count_each_record_for_the_firm_it_belongs_to(
        links: list[tuple[str, str]], asked: list[str]) -> None:
    """The screens' reading (graph/firm_links.FirmKeys): a key's records are its firm's keys,
    the firm first; every record read for a key asked for is a key of the same firm; a
    registry firm is never folded into another; every key asked for owns its own records."""
    keys = FirmKeys(canonical_of([k for k, _ in links], [e for _, e in links]))
    for k in asked:
        records = keys.records(k)
        assert records[0] == keys.of(k) and k in records
        assert all(keys.same_firm(r, k) for r in records)
        assert not is_registry_key(k) or keys.of(k) == k
    owners = keys.owners(asked)
    assert set(owners) == {r for k in asked for r in keys.records(k)}
    assert all(keys.same_firm(r, k) for r, ks in owners.items() for k in ks)
