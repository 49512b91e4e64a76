"""Keeping the garbage collector away from the loaded model."""

from __future__ import annotations

import gc


def freeze_long_lived_objects(*, release_old: bool = False) -> None:
    """Move every object alive now (the loaded model: millions of them) out of the garbage collector's sight.

    Without this, each full collection walks the whole model and stalls requests for about 60 ms
    (measured: p99 latency 66 ms with, 10 ms without). After a hot reload, ``release_old`` first
    unfreezes and collects, so the previous model is freed (one such pause per reload).
    """
    if release_old:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
