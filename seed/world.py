"""Generate a synthetic registry world: ``generate_world(firms, seed, out)``.

Stages run in a fixed order, each with its own random stream derived from (seed, firms, stage),
so the same inputs give byte-identical files. See docs/world.md.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa

from riskgraph.graph.schema import GROUND_TRUTH_FILE, MANIFEST_FILE, Rel
from riskgraph.seed import output
from riskgraph.seed.duplicates import (
    PHOENIX_EVASION,
    TRUTH_FILE,
    Duplicates,
    Phoenix,
    birth_dates,
    identities,
    plant,
)
from riskgraph.seed.duplicates import write_truth as write_resolution_truth
from riskgraph.seed.firm_duplicates import plant_firms
from riskgraph.seed.firms import BRANCH, NORMAL, SHELL, SUCCESSOR, Firms, draw_firms
from riskgraph.seed.groups import build_branches, build_groups
from riskgraph.seed.ids import hash_strings, hex_ids
from riskgraph.seed.inspections import build_inspectors
from riskgraph.seed.naming import (
    firm_names,
    ids_for,
    inspector_names,
    person_ids,
    person_names,
    usccs,
)
from riskgraph.seed.output import Keys
from riskgraph.seed.people import People, build_people
from riskgraph.seed.places import build_places
from riskgraph.seed.procurement import build_procurement
from riskgraph.seed.risk import build_latent
from riskgraph.seed.schemes import plan_cartels, plan_chains, plan_phoenix, plan_shells, shell_sizes
from riskgraph.seed.supply import build_supplies
from riskgraph.seed.tables import Writer, rel_table, words
from riskgraph.seed.timeline import build_timeline, plan_key_personnel
from riskgraph.seed.truth import FIRMS_FILE, LABELS_FILE, write_truth
from riskgraph.seed.vocab import REGIONS

GENERATOR_VERSION = "1.0.0"
MIN_FIRMS = 200
T = TypeVar("T")


@dataclass
class WorldSummary:
    """What was written: rows per label / relationship type, planted schemes, time taken."""

    out: Path
    counts: dict[str, int] = field(default_factory=dict)
    schemes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _layout(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Origins of the n firms (ordinary, branch, shell, phoenix successor) and shell sizes."""
    sizes = shell_sizes(n, rng)
    while sizes.sum() > n * 0.02 and len(sizes) > 1:
        sizes = sizes[:-1]
    n_succ = max(3, n // 1500)
    n_branch = int(n * 0.04)
    n_normal = n - n_succ - n_branch - int(sizes.sum())
    origin = np.r_[np.full(n_normal, NORMAL), np.full(n_branch, BRANCH),
                   np.full(int(sizes.sum()), SHELL), np.full(n_succ, SUCCESSOR)]
    return origin.astype(np.int64), sizes


class _Steps:
    """Stage timing with an optional rich progress bar."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.bar = None
        if enabled:
            try:
                from rich.progress import Progress
            except ImportError:  # pragma: no cover - rich is a project dependency
                return
            self.bar = Progress(transient=True)
            self.task = self.bar.add_task("seeding", total=total)
            self.bar.start()

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        if self.bar is not None:
            self.bar.update(self.task, description=name)
        yield
        if self.bar is not None:
            self.bar.advance(self.task)

    def run(self, name: str, fn: Callable[[], T]) -> T:
        with self.step(name):
            return fn()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def generate_world(firms: int, seed: int, out: Path, *, progress: bool = True,
                   price_cartels: bool = False, duplicates: float = 0.0,
                   firm_duplicates: float = 0.0,
                   phoenix_evasion: float = PHOENIX_EVASION) -> WorldSummary:
    """Write a world of ``firms`` companies to ``out`` (nodes/, rels/, manifest, ground truth);
    ``price_cartels`` adds the price-behaviour cartels of seed/price_cartels.py (own stream);
    ``duplicates`` > 0 records that share of the people again, with noise, and writes the truth
    to resolution_truth.csv (seed/duplicates.py, own stream); ``firm_duplicates`` > 0 lists that
    share of the firms again as a second source's Company nodes loaded with the world (some of
    each firm's records and bids moved to its copy), with the truth in firm_resolution_truth.csv
    (seed/firm_duplicates.py, after the world; without the flag the files are unchanged);
    with ``duplicates``, ``phoenix_evasion`` is the share of phoenix pairs whose shared people
    reappear in the successor under a new record (seed/duplicates.py, ``PHOENIX_EVASION``)."""
    if firms < MIN_FIRMS:
        raise ValueError(f"a world needs at least {MIN_FIRMS} firms, got {firms}")
    if not 0.0 <= duplicates <= 1.0:
        raise ValueError(f"duplicates is a share of the people in [0, 1], got {duplicates}")
    if not 0.0 <= phoenix_evasion <= 1.0:
        raise ValueError(f"phoenix evasion is a share of the phoenix pairs in [0, 1], got "
                         f"{phoenix_evasion}")
    if not 0.0 <= firm_duplicates <= 1.0:
        raise ValueError(f"firm duplicates is a share of the firms in [0, 1], got "
                         f"{firm_duplicates}")
    began = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    batch = (f"seed-{seed}-{firms}" + ("-price" if price_cartels else "")
             + (f"-dup{duplicates:g}" if duplicates else ""))

    def rng(stage: int) -> np.random.Generator:
        return np.random.default_rng([seed, firms, stage])

    steps = _Steps(progress, 14)
    try:
        origin, sizes = _layout(firms, rng(0))
        f = steps.run("firms", lambda: draw_firms(rng(1), origin))
        plan = plan_phoenix(f, rng(2))
        plan_shells(f, plan, sizes, rng(3))
        links = steps.run("groups", lambda: build_groups(f, rng(4), np.nonzero(plan.taken)[0]))
        build_branches(f, links, rng(5))
        plan_cartels(f, plan, rng(6))
        inspectors = build_inspectors(f, plan.taken, rng(7))
        people = steps.run("people", lambda: build_people(f, links, plan, inspectors.firm,
                                                          inspectors.is_person, rng(8)))
        places = steps.run("addresses", lambda: build_places(f, people, plan, rng(9)))
        plan_chains(f, plan, rng(10))
        supplies = steps.run("supply chains", lambda: build_supplies(f, plan, rng(11)))
        latent = steps.run("propensity", lambda: build_latent(f, people, supplies, rng(12)))
        proc = steps.run("tenders", lambda: build_procurement(
            f, supplies, plan, rng(13), rng(20) if price_cartels else None))
        plan_key_personnel(f, people, latent, plan, rng(14))
        rec, conflicts = steps.run("credit records", lambda: build_timeline(
            f, people, latent, inspectors, plan, rng(15)))

        with steps.step("identifiers"):
            uscc, uscc_hash = usccs(f, rng(16))
            person, person_hash = person_ids(seed, people.n)
            inspector, _ = ids_for("insp-", "inspector", np.full(inspectors.n, seed),
                                   np.arange(inspectors.n))
            keys = Keys(uscc, uscc_hash, person, person_hash, inspector)
        w = Writer(out)
        with steps.step("writing companies and people"):
            output.companies(w, f, keys, firm_names(f, rng(17)), batch)
            names = person_names(people, rng(18))
            dups = None
            if duplicates:
                evasion = Phoenix(plan.phoenix_pred, plan.phoenix_succ, f.region,
                                  phoenix_evasion)
                dups, residences = write_duplicates(w, f, people, keys, names, duplicates, seed,
                                                    batch, rng(21), evasion)
            else:
                residences = None
                output.persons(w, people, keys, names, batch)
                output.roles(w, people, keys, batch)
            output.equity(w, f, people, links, keys, batch)
            output.corporate(w, f, links, keys, batch)
            output.supplies(w, f, supplies, keys, batch)
            output.places(w, f, places, keys, batch, residences)
            output.inspectors(w, inspectors, people, keys,
                              inspector_names(people, names, rng(19)), batch)
        with steps.step("writing tenders and records"):
            tender_ids = output.procurement(w, proc, keys, seed, batch)
            output.credit_records(w, rec, keys, batch)
        params: dict[str, object] = {"firms": firms, "seed": seed, "load_batch": batch}
        if price_cartels:
            params["price_cartels"] = True
        if dups is not None:
            params["duplicates"] = duplicates
        with steps.step("ground truth"):
            schemes = write_truth(out, w, params, f, people, places, latent, plan, proc,
                                  inspectors, conflicts, rec, keys, tender_ids)
            if dups is not None:
                schemes["duplicate_people"] = len(dups.source) - dups.n_original
        _manifest(out, w, params, schemes, dups is not None)
        if firm_duplicates:
            with steps.step("firm duplicates"):
                plant_firms(out, firm_duplicates, seed)
    finally:
        steps.close()
    return WorldSummary(out=out, counts=dict(w.counts), schemes=schemes,
                        seconds=time.perf_counter() - began)


def write_duplicates(w: Writer, f: Firms, people: People, keys: Keys, names: pa.Array,
                     rate: float, seed: int, batch: str, rng: np.random.Generator,
                     phoenix: Phoenix | None = None
                     ) -> tuple[Duplicates, tuple[pa.Array, pa.Array, pa.Array]]:
    """Persons with identities and planted copies, their roles and residences (RESIDES_AT);
    returns the plan and the residence addresses for the Address table."""
    ident = identities(people, f.region, rng)
    dups = plant(people, [str(v) for v in names.to_pylist()], ident, rate, rng, phoenix)
    rows = len(dups.source)
    person, _ = person_ids(seed, rows)
    written = Keys(keys.uscc, keys.uscc_hash, person, keys.person_hash, keys.inspector)
    output.persons(w, people, written, pa.array(dups.names, pa.string()), batch, {
        "birth_date": birth_dates(dups.birth_day),
        "id_number_masked": pa.array(dups.id_masked, pa.string())}, dups.source)
    output.roles(w, people, written, batch, (dups.role_person, dups.role_index))
    has = np.array([a is not None for a in dups.address])
    text = pa.array([a for a in dups.address if a is not None], pa.string())
    address_id = hex_ids("addr-", hash_strings(text))
    region = words([r.code for r in REGIONS], dups.region[has])
    w.rel(Rel.RESIDES_AT, rel_table(Rel.RESIDES_AT, person.filter(pa.array(has)), address_id,
                                    batch))
    _, first = np.unique(np.asarray(address_id.to_pylist()), return_index=True)
    keep = pa.array(np.sort(first))
    write_resolution_truth(w.out, dups, [str(v) for v in person.to_pylist()])
    return dups, (address_id.take(keep), text.take(keep), region.take(keep))


def _manifest(out: Path, w: Writer, params: dict[str, object], schemes: dict[str, int],
              duplicates: bool = False) -> None:
    """Deterministic manifest: no clock readings (the loader derives its batch id from it)."""
    truth = [GROUND_TRUTH_FILE, FIRMS_FILE, LABELS_FILE] + ([TRUTH_FILE] if duplicates else [])
    doc = {
        "generator": "riskgraph-seed",
        "generator_version": GENERATOR_VERSION,
        "params": params,
        "files": {k: v for k, v in sorted(w.files.items()) if k.startswith(("nodes/", "rels/"))},
        "ground_truth": {"files": truth,
                         "note": "never load into the graph; for evaluation only",
                         "schemes": schemes},
    }
    (out / MANIFEST_FILE).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
