"""Plan draws without the database: reproducibility, quotas, random share, conflicts, limits."""

from __future__ import annotations

from collections import Counter

import pytest

from riskgraph.graph.errors import BadInput
from riskgraph.models.planning import (
    DEFAULT_RATES,
    PlanFirm,
    PlanInspector,
    PlanParams,
    draw_plan,
    tier_quotas,
)

TIER_MIX = ["critical"] * 20 + ["high"] * 80 + ["average"] * 400 + ["low"] * 500


def _firms(n: int = 1000, region: str = "330100") -> list[PlanFirm]:
    return [PlanFirm(uscc=f"F{i:05d}", tier=TIER_MIX[i % len(TIER_MIX)], risk=0.1,
                     rank=i + 1, region_code=region) for i in range(n)]


def _staff(n: int = 30, region: str = "330100") -> list[PlanInspector]:
    return [PlanInspector(inspector_id=f"I{i:03d}", region_code=region) for i in range(n)]


def no_conflicts(usccs: list[str]) -> dict[tuple[str, str], str]:
    return {}


def test_same_seed_same_plan_other_seed_other_plan() -> None:
    firms, staff = _firms(), _staff()
    a = draw_plan(firms, staff, no_conflicts, PlanParams(capacity=100, seed=1))
    b = draw_plan(list(reversed(firms)), list(reversed(staff)), no_conflicts,
                  PlanParams(capacity=100, seed=1))
    c = draw_plan(firms, staff, no_conflicts, PlanParams(capacity=100, seed=2))
    assert a.digest == b.digest  # input order does not matter
    assert [p.firm.uscc for p in a.inspections] == [p.firm.uscc for p in b.inspections]
    assert a.digest != c.digest


def test_random_share_and_tier_rates() -> None:
    plan = draw_plan(_firms(), _staff(), no_conflicts,
                     PlanParams(capacity=100, seed=3, random_share=0.2))
    streams = Counter(p.stream for p in plan.inspections)
    assert len(plan.inspections) == 100 and streams["random"] >= 20
    tiers = Counter(p.firm.tier for p in plan.inspections if p.stream == "tier")
    # demand: 20*.98 + 80*.3 + 400*.03 + 500*.005 = 58.1 < 80 → every tier gets its full rate,
    # the rest goes to the random stream
    assert tiers["critical"] >= 19 and tiers["high"] >= 23
    assert streams["random"] == 100 - sum(tiers.values())


def test_scaled_quotas_keep_relative_frequencies() -> None:
    counts = {"critical": 100, "high": 400, "average": 2000, "low": 5000}
    quotas, rates = tier_quotas(counts, DEFAULT_RATES, 50)
    assert sum(quotas.values()) == 50
    assert rates["critical"] > rates["high"] > rates["average"] > rates["low"] > 0
    assert rates["critical"] / rates["average"] == pytest.approx(0.98 / 0.03, rel=0.2)


def test_capacity_zero_and_empty_region_give_an_empty_plan_with_a_message() -> None:
    zero = draw_plan(_firms(), _staff(), no_conflicts, PlanParams(capacity=0, seed=1))
    assert zero.inspections == [] and "capacity is 0" in zero.message
    empty = draw_plan(_firms(), _staff(), no_conflicts,
                      PlanParams(capacity=10, seed=1, region="11"))
    assert empty.inspections == [] and "no firms in region 11" in empty.message


def test_inspectors_never_meet_a_firm_they_conflict_with() -> None:
    firms, staff = _firms(200), _staff(4)

    def conflicts(usccs: list[str]) -> dict[tuple[str, str], str]:
        # I000 conflicts with every firm; I001 with half of them
        out = {("I000", u): "holds equity" for u in usccs}
        out.update({("I001", u): "inspected it" for u in usccs[::2]})
        return out

    plan = draw_plan(firms, staff, conflicts, PlanParams(capacity=40, seed=5, team=2,
                                                         per_inspector=40))
    half = set(p.firm.uscc for p in plan.inspections[::2])
    for p in plan.inspections:
        assert "I000" not in p.inspector_ids
        if p.firm.uscc in half:
            assert "I001" not in p.inspector_ids


def test_unassignable_firms_are_kept_with_the_reason() -> None:
    firms = _firms(50)
    staff = _staff(2)
    conflicts = {("I000", firms[0].uscc): "is its director"}
    plan = draw_plan(firms, staff, lambda u: conflicts,
                     PlanParams(capacity=50, seed=1, team=2, per_inspector=50))
    target = next(p for p in plan.inspections if p.firm.uscc == firms[0].uscc)
    assert target.status == "unassigned" and target.inspector_ids == ()
    assert "1 conflicted" in target.note
    assert all(p.status == "planned" for p in plan.inspections if p is not target)


def test_per_inspector_capacity_is_respected() -> None:
    plan = draw_plan(_firms(), _staff(5), no_conflicts,
                     PlanParams(capacity=60, seed=2, team=2, per_inspector=10))
    load = Counter(i for p in plan.inspections for i in p.inspector_ids)
    assert max(load.values()) <= 10
    assert sum(p.status == "unassigned" for p in plan.inspections) == 60 - 25


def test_inspectors_come_from_the_firms_province() -> None:
    firms = [*_firms(100, "330100"), PlanFirm("G00001", "critical", 0.9, 1, "440300")]
    staff = [*_staff(5, "330200"), PlanInspector("J1", "440100"), PlanInspector("J2", "441900")]
    plan = draw_plan(firms, staff, no_conflicts, PlanParams(capacity=101, seed=1))
    g = next(p for p in plan.inspections if p.firm.uscc == "G00001")
    assert set(g.inspector_ids) == {"J1", "J2"}
    assert all(i.startswith("I") for p in plan.inspections if p is not g
               for i in p.inspector_ids)


@pytest.mark.parametrize("params, message", [
    (PlanParams(capacity=-1, seed=1), "capacity"),
    (PlanParams(capacity=5, seed=1, random_share=1.5), "random share"),
    (PlanParams(capacity=5, seed=1, region="zj"), "region"),
    (PlanParams(capacity=5, seed=1, rates={"critical": 2.0}), "tier rates"),
    (PlanParams(capacity=5, seed=1, team=0), "team"),
])
def test_bad_parameters_are_refused(params: PlanParams, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        draw_plan(_firms(10), _staff(), no_conflicts, params)
