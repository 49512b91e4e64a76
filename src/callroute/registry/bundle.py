"""The exported bundle: what the API serves, verified by sha256 before loading.

A bundle is a directory holding ``router.joblib`` (the one fitted Router),
``model_card.md``, ``metrics.json`` and ``manifest.json``; the manifest records
the sha256 and size of every other file, the model version, the MLflow run, the
rule set and the digest of the code that scores with it. :func:`load_bundle` refuses
a bundle whose files do not match, or that was written by different scoring code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import joblib

from callroute.model.compiled import compile_pipeline
from callroute.routing.router import Router

ROUTER_FILE = "router.joblib"
MANIFEST_FILE = "manifest.json"
BUNDLE_FORMAT = 3  # 3: compiled scorer inside the Router (0.3); 2: sub-packages (0.2). Older: retrain


#: Packages whose code runs inside a pickled Router at scoring time (narrative normalisation, features, the
#: compiled scorer, rules, policy) and the lexicons they read: a change to any of them changes what a bundle
#: computes without changing its files, so a bundle records their digest and is served only with the same code.
CODE_PACKAGES = ("language", "model", "rules", "routing")


@functools.cache
def code_digest() -> str:
    """SHA-256 over the source and lexicon files of :data:`CODE_PACKAGES` (path and content, sorted)."""
    root = resources.files("callroute")
    digest = hashlib.sha256()
    files = []
    for package in CODE_PACKAGES:
        files += [p for p in Path(str(root.joinpath(package))).rglob("*") if p.suffix in (".py", ".toml")]
    base = Path(str(root))
    for path in sorted(files, key=lambda p: p.relative_to(base).as_posix()):
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class BundleError(RuntimeError):
    """A bundle is missing, incomplete or altered."""


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_bundle(router: Router, directory: Path, *, extra_files: dict[str, str], manifest: dict) -> Path:
    """Write a complete bundle to ``directory``, replacing any bundle already there.

    The bundle is assembled in a temporary sibling directory and swapped in, so a
    reader never sees half a bundle.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        joblib.dump(router, staging / ROUTER_FILE, compress=3)
        for name, text in extra_files.items():
            (staging / name).write_text(text, encoding="utf-8")
        files = {
            p.name: {"sha256": sha256_file(p), "bytes": p.stat().st_size}
            for p in sorted(staging.iterdir())
            if p.is_file()
        }
        full = {
            "format": BUNDLE_FORMAT,
            "code_digest": code_digest(),
            "name": router.name,
            "version": router.version,
            "ruleset": router.ruleset.ruleset_id,
            "threshold": router.policy.threshold,
            "unsafe_diversion_target": router.policy.unsafe_diversion_target,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **manifest,
            "files": files,
        }
        (staging / MANIFEST_FILE).write_text(json.dumps(full, indent=2, sort_keys=True), encoding="utf-8")
        retired = None
        if directory.exists():
            retired = directory.with_name(f".{directory.name}-retired-{os.getpid()}")
            directory.rename(retired)
        staging.rename(directory)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


def read_manifest(directory: Path) -> dict:
    """The manifest of a bundle, or a :class:`BundleError` saying what is wrong."""
    path = Path(directory) / MANIFEST_FILE
    if not path.exists():
        raise BundleError(f"no bundle at {directory} (missing {MANIFEST_FILE}); run `callroute train` first")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise BundleError(f"{path} is not valid JSON: {error}") from error


def verify_bundle(directory: Path) -> dict:
    """Check every file listed in the manifest against its sha256; return the manifest."""
    manifest = read_manifest(directory)
    if manifest.get("format") != BUNDLE_FORMAT:
        raise BundleError(f"{directory}: bundle format {manifest.get('format')!r}, expected {BUNDLE_FORMAT}; "
                          "retrain with `callroute train` (README, 'Upgrading')")
    if manifest.get("code_digest") != code_digest():
        raise BundleError(
            f"{directory}: written by callroute code that reads calls differently (code digest "
            f"{str(manifest.get('code_digest'))[:12]}, this installation {code_digest()[:12]}: normalisation, "
            "lexicons, features, rules or policy changed); its decisions would not be the ones it was tested on. "
            "Retrain with `callroute train`")
    for name, expected in manifest["files"].items():
        path = Path(directory) / name
        if not path.exists():
            raise BundleError(f"{directory}: {name} is listed in the manifest but missing")
        actual = sha256_file(path)
        if actual != expected["sha256"]:
            raise BundleError(f"{directory}: {name} has sha256 {actual}, manifest says {expected['sha256']}")
    if ROUTER_FILE not in manifest["files"]:
        raise BundleError(f"{directory}: manifest does not list {ROUTER_FILE}")
    return manifest


def load_bundle(directory: Path) -> tuple[Router, dict]:
    """Verify then load a bundle's Router."""
    manifest = verify_bundle(directory)
    try:
        router = joblib.load(Path(directory) / ROUTER_FILE)
    except (ModuleNotFoundError, AttributeError) as error:
        # Bundles pickled before the 0.2 layout name modules that no longer exist (callroute.router, ...).
        raise BundleError(
            f"{directory}: {ROUTER_FILE} was written by an older callroute ({error}); retrain with `callroute train` "
            "(README, 'Upgrading')"
        ) from error
    if not isinstance(router, Router):
        raise BundleError(f"{directory}: {ROUTER_FILE} holds {type(router).__name__}, not a Router")
    check_compiled(router, directory)
    return router, manifest


def check_compiled(router: Router, directory: Path | str = "bundle") -> float:
    """Refuse a Router whose compiled tables are not exactly its pipeline's (recompiled and probed).

    Returns the largest score difference seen on the probe calls.
    """
    recompiled = compile_pipeline(router.pipeline, router.scorer.column_means, top_k=router.scorer.top_k)
    difference = router.scorer.differs_from(recompiled)
    if difference is not None:
        raise BundleError(f"{directory}: compiled scorer does not match its pipeline ({difference})")
    try:
        return router.verify()
    except ValueError as error:
        raise BundleError(f"{directory}: {error}") from error


def is_current_format(directory: Path) -> bool:
    """True when ``directory`` holds a bundle this callroute can serve (present, current format, same code)."""
    try:
        manifest = read_manifest(directory)
    except BundleError:
        return False
    return manifest.get("format") == BUNDLE_FORMAT and manifest.get("code_digest") == code_digest()
