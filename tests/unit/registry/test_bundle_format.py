"""Bundles written before the 0.2 layout are refused with a message that says what to do."""

from __future__ import annotations

import json

import pytest

from callroute.registry.bundle import MANIFEST_FILE, BundleError, load_bundle


def test_a_format_1_bundle_is_refused_with_the_retrain_remedy(tmp_path) -> None:
    # Given a bundle manifest written by callroute 0.1 (format 1, modules under the old flat paths)
    (tmp_path / MANIFEST_FILE).write_text(json.dumps({"format": 1, "files": {}}))
    # When it is loaded, Then it is refused, naming both formats and the command that fixes it
    with pytest.raises(BundleError, match=r"bundle format 1, expected 3; retrain with `callroute train`"):
        load_bundle(tmp_path)
