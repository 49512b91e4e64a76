"""Queueing theory the simulator is checked against: Erlang C for the M/M/c queue.

With Poisson arrivals at rate ``lam``, exponential service at rate ``mu`` per server and ``c`` servers
(load ``a = lam / mu`` < c), an arriving call waits with probability C(c, a) and waits on average
C(c, a) / (c * mu - lam). Written out here because no maintained Python library we may install ships it
(the formula is ten lines; the tests compare the simulation with it, not the other way round).
"""

from __future__ import annotations

import math


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arriving call waits, for ``servers`` servers and offered load ``load`` (Erlangs)."""
    if servers < 1:
        raise ValueError("servers must be at least 1")
    if not 0 <= load < servers:
        raise ValueError(f"load {load} must be in [0, {servers}) for a stable queue")
    # Terms computed iteratively to stay finite for large c: a^k / k!
    term, below = 1.0, 0.0
    for k in range(servers):
        below += term
        term *= load / (k + 1)
    top = term * servers / (servers - load)
    return top / (below + top)


def mean_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean time in queue (all calls, including those that do not wait) for M/M/c."""
    load = arrival_rate / service_rate
    return erlang_c(servers, load) / (servers * service_rate - arrival_rate)


def wait_above(servers: int, arrival_rate: float, service_rate: float, t: float) -> float:
    """P(wait > t) for M/M/c: C(c, a) * exp(-(c * mu - lam) * t)."""
    load = arrival_rate / service_rate
    return erlang_c(servers, load) * math.exp(-(servers * service_rate - arrival_rate) * t)
