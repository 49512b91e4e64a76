"""Keeping the garbage collector away from the loaded model."""

from __future__ import annotations

import gc


def freeze_long_lived_objects(*, collect: bool = True) -> None:
    """Move every object alive now (the loaded model: millions of them) out of the garbage collector's sight.

    Without this, each full collection walks the whole model and stalls requests for about 60 ms
    (measured: p99 latency 66 ms with, 10 ms without). Frozen objects are still freed by reference
    counting, so a model replaced by a hot reload goes away when its last request ends; after a
    reload ``collect=False`` skips the full collection (a pause of about 100 ms in the middle of
    serving). Only reference cycles inside a replaced model would stay in memory.
    """
    if collect:
        gc.collect()
    gc.freeze()
