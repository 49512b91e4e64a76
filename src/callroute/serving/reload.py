"""Hot reload: a running server picks up a new champion bundle without a failed request.

The watcher reads the served bundle's manifest every ``reload_interval`` seconds. When its
files changed (``callroute promote``, or a training run that promoted), it loads and verifies
the new bundle in a worker thread (hashes, then the compiled tables against the pipeline),
and only then swaps it in: requests already running finish with the Router they started
with, new ones get the new one, and every decision names the version that made it. A bundle
that fails verification is refused (logged, counted); the old one keeps serving.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI

from callroute.registry.bundle import BundleError, load_bundle, read_manifest
from callroute.serving.memory import freeze_long_lived_objects

log = logging.getLogger("callroute.reload")


def _load_and_warm(directory: Path):
    router, manifest = load_bundle(directory)
    router.warm_up()  # first-use costs are paid here, in the loader thread, not by the first request after the swap
    return router, manifest


@dataclass
class BundleWatcher:
    """Polls one bundle directory and swaps a verified new Router into ``app.state``."""

    app: FastAPI
    directory: Path
    interval: float
    reloads: int = 0
    refused: list[str] = field(default_factory=list)
    _refused_files: object = None

    async def run(self) -> None:
        """Check forever (cancelled with the app's lifespan)."""
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.check()
            except Exception:  # the watcher must outlive any surprise; serving goes on with the old model
                log.exception("bundle check failed")

    async def check(self) -> bool:
        """Load the bundle if it changed; True when a new Router was swapped in."""
        try:
            files = read_manifest(self.directory).get("files")
        except BundleError:
            return False  # absent for a moment (write_bundle swaps directories) or not a bundle: keep serving
        if files == self.app.state.manifest.get("files") or files == self._refused_files:
            return False
        try:
            router, manifest = await asyncio.to_thread(_load_and_warm, self.directory)
        except BundleError as error:
            self._refused_files = files
            self.refused.append(str(error))
            self.app.state.metrics.reloads.labels(result="refused").inc()
            log.error("new bundle refused, still serving version %s: %s", self.app.state.call_router.version, error)
            return False
        previous = self.app.state.call_router.version if self.app.state.call_router else None
        self.app.state.manifest = manifest
        self.app.state.call_router = router  # one assignment: each request sees the old or the new Router
        self.reloads += 1
        freeze_long_lived_objects(collect=False)  # hide the new model from the GC without a full collection
        self.app.state.metrics.reloads.labels(result="loaded").inc()
        log.info("champion reloaded: version %s -> %s", previous, router.version)
        return True
