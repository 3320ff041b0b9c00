"""The driver's pulling threads (models/spark/pool.py): no core waits for a slower task of
its wave, and the driver holds at most one item per thread (no Spark needed)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from riskgraph.models.spark.pool import pull

GUARD = 60.0
"""Seconds a blocked item waits before giving up (a failed test, not a hung one)."""


def test_a_slow_item_does_not_hold_back_the_other_slot() -> None:
    # item 0 finishes only once item 3 has started: in waves of two ([0, 1], [2, 3]) item 3
    # starts after item 0 is done, so item 0 would give up; pulling, slot two runs 1, 2, 3
    started = {k: threading.Event() for k in range(4)}
    done: list[tuple[int, bool]] = []

    def run(k: int) -> tuple[int, bool]:
        started[k].set()
        return k, started[3].wait(GUARD) if k == 0 else True

    pull(iter(range(4)), 2, run, done.append)
    assert sorted(done) == [(0, True), (1, True), (2, True), (3, True)]
    assert done[-1] == (0, True)


class _Input:
    live = 0
    most = 0

    def __init__(self, k: int) -> None:
        self.k = k
        _Input.live += 1
        _Input.most = max(_Input.most, _Input.live)

    def __del__(self) -> None:
        _Input.live -= 1


@pytest.mark.parametrize("slots", [1, 2, 3])
def test_the_driver_holds_at_most_one_input_per_slot(slots: int) -> None:
    _Input.live = _Input.most = 0
    gate = threading.Barrier(slots, timeout=GUARD)

    def inputs() -> Iterator[_Input]:
        for k in range(12):
            yield _Input(k)

    def run(item: _Input) -> int:
        gate.wait()  # every slot holds its input at once
        k = item.k
        del item  # shipped: the caller holds no other reference
        return k

    got: list[int] = []
    pull(inputs(), slots, run, got.append)
    assert sorted(got) == list(range(12))
    assert _Input.most == slots and _Input.live == 0


def test_an_error_stops_the_pulling_and_is_raised() -> None:
    taken: list[int] = []

    def run(k: int) -> int:
        taken.append(k)
        if k == 1:
            raise ValueError("task 1 failed")
        return k

    def inputs() -> Iterator[int]:
        yield from range(100)

    done: list[int] = []
    with pytest.raises(ValueError, match="task 1 failed"):
        pull(inputs(), 1, run, done.append)
    assert taken == [0, 1] and done == [0]


def test_an_error_cutting_an_item_is_raised() -> None:
    def inputs() -> Iterator[int]:
        yield 0
        raise RuntimeError("cutting failed")

    with pytest.raises(RuntimeError, match="cutting failed"):
        pull(inputs(), 2, lambda k: k, lambda _: None)
