"""The audit page: one offline HTML file with districts, monitoring and lineage, checked in a real browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from callroute.audit.report import write_report

pytestmark = pytest.mark.integration

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def page(trained, settings, client, auth, tmp_path: Path) -> Path:
    """The session run's report, with the session's decision log (a few decisions and an outcome)."""
    decision = client.post("/v1/route", json={"narrative": "ELDERLY SUBJ CONFUSED AT BUS STOP, CALM"},
                           headers=auth).json()
    client.post("/v1/outcomes", json={"request_id": decision["request_id"], "responder": "crisis_team"},
                headers=auth)
    return write_report(settings, trained.run_id, log=settings.resolved_decision_log)


def test_the_page_has_every_section_and_needs_no_network(page: Path) -> None:
    text = page.read_text("utf-8")
    for section in ("<h2>Verdict</h2>", "safety promise, city", "Promotion gate:",
                    "Against what agencies use today", "Seen against unseen wording", "Districts (test split",
                    "Monitoring (served decisions and reported outcomes)", "Lineage", "Alias changes",
                    "git commit", "seed.split.seed", "Plots"):
        assert section in text, f"missing section {section!r}"
    assert 'src="http' not in text and 'href="http' not in text, "the page must not load anything from the network"
    # reliability, risk histogram, ROC/PR, diversion curve, district bars: embedded, one offline file
    assert text.count("data:image/png;base64,") == 5


@pytest.mark.skipif(BROWSER is None, reason="headless Chromium is not installed (.ci/run installs the Debian package)")
def test_the_page_renders_in_headless_chromium(page: Path, tmp_path: Path) -> None:
    # When a browser renders the page offline to a screenshot
    shot = tmp_path / "report.png"
    done = subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--window-size=1200,3000", f"--screenshot={shot}", page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)
    # Then it draws a full page (a blank or failed render is a few kilobytes)
    assert shot.exists(), done.stderr[-2000:]
    assert shot.stat().st_size > 100_000, f"{shot.stat().st_size} bytes: the page did not render"
