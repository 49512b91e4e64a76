"""Bounded work per request: a deadline that the long loops of a decision check, set by the server.

Pure Python cannot stop a function from the outside, so the loops whose length grows with the narrative
check the deadline as they go: the red-line rules and the fact reader before each rule, the router between
its stages. A call that runs past its budget raises :class:`BudgetExceeded`; the server answers 503 and logs
nothing, and the next request on the event loop waits at most one rule's scan past the budget (each is
bounded: ``tests/benchmarks/bench_fuzz.py``). Outside :func:`within` (training, batch jobs, tests) there is no
deadline and :func:`check` costs one context-variable read.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_DEADLINE: ContextVar[float | None] = ContextVar("callroute_deadline", default=None)


class BudgetExceeded(RuntimeError):
    """A decision ran past its time budget (the server's ``route_budget_ms``)."""


@contextmanager
def within(seconds: float | None) -> Iterator[None]:
    """Run the block under a deadline ``seconds`` from now (None or 0: no deadline)."""
    token = _DEADLINE.set(time.perf_counter() + seconds if seconds else None)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check(stage: str) -> None:
    """Raise :class:`BudgetExceeded` naming ``stage`` when the current deadline has passed."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.perf_counter() > deadline:
        raise BudgetExceeded(f"the decision ran past its time budget (in {stage})")
