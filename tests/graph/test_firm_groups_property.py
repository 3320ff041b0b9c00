"""Property test of the firm groups that Cypher reads by key use (graph/store/firm_groups.py):
whatever the members of an entity (registry keys, copies, a source without a registry), a key's
group names the firm the snapshot folds it into (graph/firm_links.py ``canonical_of``, the one
rule), and the groups of an entity's keys partition them, each group led by its canonical key."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from riskgraph.graph.firm_links import canonical_of, is_registry_key
from riskgraph.graph.store.firm_groups import group_in, groups_from_rows
from riskgraph.graph.uscc import make_uscc

REGISTRY = [make_uscc("9", "1", "330100", f"0000007{n}A") for n in range(4)]
OTHER = [f"ocds-party:src-b/{n:07d}" for n in range(4)] + ["chicago-license:1",
                                                           "chicago-license:2"]
KEYS = st.lists(st.sampled_from(REGISTRY + OTHER), min_size=1, max_size=8, unique=True)


@given(keys=KEYS)
def test_a_keys_group_is_the_firm_the_snapshot_folds_it_into(keys: list[str]) -> None:
    folded = canonical_of(keys, ["e"] * len(keys))
    leaders: dict[str, tuple[str, ...]] = {}
    for k in keys:
        others = [m for m in keys if m != k]  # the statement's members: every other key
        group = group_in(k, "e", others)
        assert group.canonical == folded.get(k, k)
        assert group.keys[0] == group.canonical and k in group.keys
        assert not any(is_registry_key(c) for c in group.copies)  # registry firms never fold
        leaders.setdefault(group.canonical, group.keys)
        assert leaders[group.canonical] == group.keys  # every member sees the same group
    assert sorted(k for g in leaders.values() for k in g) == sorted(keys)  # a partition


@given(keys=KEYS)
def test_an_unlinked_key_is_its_own_firm(keys: list[str]) -> None:
    rows = [{"uscc": k, "entity": None, "members": []} for k in keys[:1]]
    groups = groups_from_rows(keys, rows)
    assert all(g.keys == (k,) and g.canonical == k for k, g in groups.items())
