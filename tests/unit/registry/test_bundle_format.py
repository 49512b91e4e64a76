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


def test_a_bundle_written_by_other_scoring_code_is_refused(tmp_path) -> None:
    # Given a current-format bundle whose manifest records another code digest (lexicons or normalisation edited
    # since it was trained: the pickled pipeline would read calls differently from how it was tested)
    from callroute.registry.bundle import BUNDLE_FORMAT, code_digest, is_current_format

    (tmp_path / MANIFEST_FILE).write_text(json.dumps({"format": BUNDLE_FORMAT, "code_digest": "0" * 64,
                                                      "files": {}}))
    # When it is loaded, Then it is refused with the remedy, and training treats it as unservable
    with pytest.raises(BundleError, match=r"written by callroute code that reads calls differently.*Retrain"):
        load_bundle(tmp_path)
    assert not is_current_format(tmp_path)
    assert len(code_digest()) == 64 and code_digest() == code_digest()
