"""An HTML report of one training run, readable without the MLflow UI (``callroute report``)."""

from __future__ import annotations

import base64
import html
import tempfile
from pathlib import Path

from callroute.config import MonitorConfig
from callroute.settings import Settings


def write_report(settings: Settings, run_id: str | None = None, *, log: Path | None = None,
                 monitor_config: MonitorConfig | None = None) -> Path:
    """Write ``experiments/reports/<run_id>.html`` for ``run_id`` (the latest training run by default).

    One offline page: the run's figures, districts, plots, lineage (code, packages, seeds, alias
    history) and, when a decision log is given, the monitoring of the served model's decisions.
    """
    import mlflow

    from callroute.registry.store import connect

    client = connect(settings)
    if run_id is None:
        experiment = client.get_experiment_by_name(settings.experiment_name)
        runs = client.search_runs([experiment.experiment_id], "tags.kind = 'training'",
                                  order_by=["attributes.start_time DESC"], max_results=1)
        if not runs:
            raise ValueError(f"no training run in experiment {settings.experiment_name!r}; run `callroute train`")
        run = runs[0]
    else:
        run = client.get_run(run_id)
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="report", dst_path=tmp))
        images = {p.name: base64.b64encode(p.read_bytes()).decode() for p in sorted(local.glob("*.png"))}
        card = (local / "model_card.md").read_text("utf-8") if (local / "model_card.md").exists() else ""
        baselines = _markdown_table((local / "baselines.md").read_text("utf-8")) if (
            local / "baselines.md").exists() else "<p>No baseline comparison in this run.</p>"
    metrics = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{v:.4f}</td></tr>" for k, v in sorted(run.data.metrics.items())
    )
    params = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in sorted(run.data.params.items())
    )
    figures = "".join(
        f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(name)}"><figcaption>{html.escape(name)}'
        f"</figcaption></figure>"
        for name, data in images.items()
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>callroute run {run.info.run_id}</title>
<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto}}table{{border-collapse:collapse}}
td{{border:1px solid #ccc;padding:2px 8px}}.alert{{color:#b00;font-weight:bold}}
figure{{display:inline-block;margin:1em}}pre{{white-space:pre-wrap}}</style>
</head><body>
<h1>callroute training run {html.escape(run.info.run_id)}</h1>
<p>Run name {html.escape(run.info.run_name or '')}, status {html.escape(run.info.status)}.</p>
{_verdict(run)}
{_certification(run.data.metrics)}
<h2>Against what agencies use today (same test split, same evaluation code)</h2>{baselines}
<h2>Seen against unseen wording</h2>{_wording_table(run.data.metrics)}
<h2>Districts (test split; threshold: the district's own when certified)</h2>{_district_table(run.data.metrics)}
<h2>Monitoring (served decisions and reported outcomes)</h2>{_monitoring(settings, log, monitor_config)}
<h2>Lineage</h2>{_lineage(client, run, settings)}
<h2>Plots</h2>{figures}
<h2>Test-split metrics</h2><table>{metrics}</table>
<h2>Parameters</h2><table>{params}</table>
<h2>Model card</h2><pre>{html.escape(card)}</pre>
</body></html>
"""
    out = settings.experiments_dir / "reports" / f"{run.info.run_id}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def _monitoring(settings: Settings, log: Path | None, config: MonitorConfig | None) -> str:
    """The monitor's report on a decision log, alerts first; a note when no log is given."""
    if log is None:
        return "<p>No decision log given (<code>callroute report --log PATH</code> adds it).</p>"
    from callroute.audit.decisions import DecisionLog
    from callroute.audit.monitor import monitor, render
    from callroute.registry.bundle import load_bundle

    router, _ = load_bundle(settings.resolved_bundle_dir)
    decision_log = DecisionLog(log)
    try:
        rows = decision_log.export_rows()
    finally:
        decision_log.close()
    report = monitor(rows, router, config or MonitorConfig(), target=router.policy.unsafe_diversion_target)
    alerts = "".join(f'<p class="alert">ALERT: {html.escape(a)}</p>' for a in report.alerts) or "<p>No alert.</p>"
    return f"<p>Served model v{html.escape(router.version)}, log {html.escape(str(log))}.</p>{alerts}" \
           f"<pre>{html.escape(render(report))}</pre>"


def _lineage(client, run, settings: Settings) -> str:
    """Code, environment and seeds of the run, and every alias change of its registered version."""
    from callroute.registry.store import alias_history

    tags, params = run.data.tags, run.data.params
    rows = [("git commit", tags.get("git.commit", "not recorded")),
            ("uncommitted changes", tags.get("git.dirty", "not recorded")), ("python", tags.get("python", "")),
            ("data sha256", params.get("data.sha256", "")), ("label", params.get("label.definition", "")),
            ("rule set", params.get("ruleset", ""))]
    rows += [(k, v) for k, v in sorted(params.items()) if k.startswith(("package.", "seed."))]
    versions = [str(v.version) for v in client.search_model_versions(f"run_id='{run.info.run_id}'")]
    moves = [h for h in alias_history(settings) if h["version"] in versions]
    table = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
    history = "".join(
        f"<tr><td>{html.escape(h['at'])}</td><td>v{html.escape(h['version'])} became {html.escape(h['alias'])}"
        f"</td><td>{html.escape(str(h.get('previous')))}</td><td>{html.escape(h['by'])}</td>"
        f"<td>{html.escape(h['why'])}</td></tr>" for h in moves)
    return (f"<table>{table}</table><h3>Alias changes of this run's version ({', '.join(versions) or 'none'})</h3>"
            f"<table><tr><th>when</th><th>what</th><th>previous</th><th>who</th><th>why</th></tr>{history}</table>")


def _certification(metrics: dict[str, float]) -> str:
    """A warning at the top of the report when the data could not certify the target."""
    if metrics.get("test.certified", 1.0) > 0:
        return ""
    needed = metrics.get("test.certify_calibration_calls_needed")
    need = (f" At the lowest escalation rate observed among low-risk calls, about {needed:,.0f} calibration calls "
            "would be needed for the upper bound to reach the target." if needed is not None else
            " Even the lowest-risk calls escalate at the target rate or above: more calls of this kind will not do.")
    return ('<p style="border:2px solid #b00;padding:8px"><strong>The data cannot certify the unsafe-diversion '
            "target: this model sends every call to police.</strong>" + html.escape(need) +
            " Options: more data, a looser <code>policy.unsafe_diversion_target</code>, or "
            "<code>policy.conservative = false</code>.</p>")


def _wording_table(metrics: dict[str, float]) -> str:
    """Seen (test split, lexicon half A) against unseen wording (half B), overall and per register."""
    if "test.wording_unseen_auc" not in metrics:
        return "<p>Not measured: the training data was not written by callroute's generator with lexicon half A.</p>"
    figures = (("AUC", "auc", "{:.3f}"), ("diverted share", "diverted_share", "{:.1%}"),
               ("unsafe-diversion rate", "unsafe_diversion_rate", "{:.2%}"), ("red-line recall", "red_line_recall",
                                                                             "{:.1%}"))
    head = "<tr><th>register</th>" + "".join(f"<th>{n}: seen</th><th>{n}: unseen</th>" for n, _, _ in figures)
    rows = []
    for register in ("", "cad_", "plain_", "caller_"):
        cells = []
        for _, key, fmt in figures:
            for side in ("seen", "unseen"):
                value = metrics.get(f"test.wording_{side}_{register}{key}", float("nan"))
                cells.append(f"<td>{fmt.format(value) if value == value else '-'}</td>")
        rows.append(f"<tr><td>{register.rstrip('_') or 'all'}</td>{''.join(cells)}</tr>")
    return f"<table>{head}</tr>{''.join(rows)}</table>"


def _district_table(metrics: dict[str, float]) -> str:
    """Per district: calls, threshold, certified, diverted share, unsafe rate with its Wilson interval, false police."""
    districts = sorted({k.split(".", 1)[1].removeprefix("district_").removesuffix("_calls")
                        for k in metrics if k.startswith("test.district_") and k.endswith("_calls")})
    if not districts:
        return "<p>No district in the test calls.</p>"

    def get(district: str, key: str) -> float:
        return metrics.get(f"test.district_{district}_{key}", float("nan"))

    head = ("<tr><th>district</th><th>calls</th><th>threshold</th><th>certified</th><th>diverted share</th>"
            "<th>unsafe-diversion rate (Wilson 95%)</th><th>false-police rate</th></tr>")
    rows = []
    for d in districts:
        unsafe = get(d, "unsafe_diversion_rate")
        flag = ' style="color:#b00"' if unsafe > metrics.get("test.unsafe_diversion_target", 0.02) else ""
        rows.append(
            f"<tr><td>{html.escape(d)}</td><td>{get(d, 'calls'):,.0f}</td><td>{get(d, 'threshold'):.2%}</td>"
            f"<td>{_certified_text(get(d, 'certified'), get(d, 'threshold'), metrics.get('test.threshold'))}</td>"
            f"<td>{get(d, 'diverted_share'):.1%}</td><td{flag}>{unsafe:.2%} ({get(d, 'unsafe_ci_low'):.2%}-"
            f"{get(d, 'unsafe_ci_high'):.2%})</td><td>{get(d, 'false_police_rate'):.1%}</td></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _certified_text(certified: float, threshold: float, city: float | None) -> str:
    if certified == 1.0:
        return "yes: its own threshold"
    if city is not None and threshold < city:
        return "no: city-wide, lowered to its observed rate"
    return "no: city-wide threshold"


def _markdown_table(markdown: str) -> str:
    """Render the pipe table that ``baselines.as_markdown`` writes."""
    rows = [line.strip().strip("|").split("|") for line in markdown.splitlines() if line.startswith("|")]
    rows = [r for r in rows if not set("".join(r)) <= set("-: ")]
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(c.strip())}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in r) + "</tr>" for r in rows[1:])
    return f"<table><tr>{head}</tr>{body}</table>"


def _verdict(run) -> str:
    """The one-screen verdict (training/verdict.py) at the top of the page, failures in red."""
    from callroute.training.verdict import FAIL, WARN, checks

    target = float(run.data.params.get("policy.unsafe_diversion_target", 0.02))
    rows = "".join(
        f'<tr><td{" class=alert" if c.status == FAIL else (" style=color:#a60" if c.status == WARN else "")}>'
        f"{c.status}</td><td>{html.escape(c.name)}</td><td>{html.escape(c.detail)}</td></tr>"
        for c in checks({k.removeprefix("test."): v for k, v in run.data.metrics.items() if k.startswith("test.")},
                        target)
    )
    gate = run.data.tags.get("gate.reason")
    said = f"<p><b>Promotion gate:</b> {html.escape(gate)}</p>" if gate else ""
    return f"<h2>Verdict</h2><table>{rows}</table>{said}"
