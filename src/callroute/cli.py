"""The ``callroute`` command line (docs/design.md, "Contracts")."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from callroute.schema import CALLER_TYPES
from callroute.settings import ROLES


def _settings():
    from callroute.settings import Settings

    return Settings()


def _config(path: Path | None):
    from callroute.config import ExperimentConfig

    return ExperimentConfig.load(path)


def cmd_synth(args: argparse.Namespace) -> int:
    """Generate synthetic calls."""
    from callroute.jobs.data import generate

    written = generate(args.out, args.rows, args.seed, progress=not args.quiet, wording=args.wording,
                       register=args.register)
    print(f"wrote {written} calls to {args.out}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a file and print the ingest report."""
    from callroute.jobs.data import check

    report = check(args.path, _config(args.config), _settings(), mapping=args.mapping)
    print(json.dumps(report.as_dict(), indent=2) if args.json else report.summary())
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    """Train, log, register, maybe promote."""
    from callroute.jobs.training import run_training
    from callroute.training.baselines import as_markdown
    from callroute.training.verdict import render

    config = _config(args.config)
    if args.mapping is not None:
        config.data.mapping = args.mapping
    target = config.policy.unsafe_diversion_target
    result = run_training(config, _settings(), data=args.data)
    if args.verbose:
        _print_metrics(result.metrics)
        print("\nbaselines on the same test split (threshold chosen on the calibration split for each):")
        print(as_markdown(result.baselines, target))
    where = (f"every metric: MLflow run {result.run_id} (`callroute ui`, `callroute report`)"
             + ("" if args.verbose else ", or train --verbose"))
    title = (f"version {result.version}, run {result.run_id}, {result.metrics.get('n_calls', 0):.0f} test calls"
             if result.run_id else "not tracked")
    print(render(title, result.metrics, target, gate=result.promotion_reason or None, more=where))
    print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items()))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Evaluate the champion on a labelled file."""
    from callroute.jobs.scoring import evaluate_champion
    from callroute.training.verdict import render

    config = _config(args.config)
    router, manifest, report, metrics = evaluate_champion(args.data, config, _settings(), mapping=args.mapping)
    print(report.summary())
    print(render(f"champion {router.name} version {router.version} (run {manifest.get('run_id')}) on {args.data}",
                 metrics, config.policy.unsafe_diversion_target,
                 more="" if args.verbose else "every metric: evaluate --verbose"))
    if args.verbose:
        _print_metrics(metrics)
    return 0


def cmd_promote(args: argparse.Namespace) -> int:
    """Promote a registered version."""
    from callroute.registry.store import promote

    promote(args.version, _settings(), why=args.why or "promoted by hand (callroute promote)")
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    """Route one call and print the decision."""
    from callroute.jobs.scoring import predict
    from callroute.schema import CallIn

    call = CallIn.model_validate(
        {
            k: v
            for k, v in {
                "narrative": args.narrative,
                "call_type": args.call_type,
                "district": args.district,
                "received_at": args.received_at,
                "caller_type": args.caller_type,
                "priority": args.priority,
                "location_prior_calls": args.prior_calls,
                "screening": _screening(args.screening),
            }.items()
            if v is not None
        }
    )
    decision = predict(call, _settings())
    if args.json:
        print(decision.model_dump_json(indent=2))
        return 0
    print(f"recommendation:   {decision.recommendation}")
    print(f"escalation risk:  {decision.escalation_risk:.1%}   confidence: {decision.confidence:.2f}"
          f"   needs review: {'yes' if decision.needs_review else 'no'}")
    if decision.rules_fired:
        for hit in decision.rules_fired:
            print(f"red line:         {hit.rule_id}  (\"{hit.evidence}\")")
    else:
        print("red line:         none fired")
    if decision.medical_flag:
        print("medical:          EMS needed")
    for fact in decision.facts:
        print(f"fact:             {fact.id} {fact.state}  ({fact.source}: \"{fact.evidence}\")")
    print("reasons:")
    for reason in decision.reasons:
        print(f"  - {reason}")
    e = decision.explanation
    print(f"explanation (log-odds): base {e.base:+.3f} + contributions + rest {e.rest:+.3f} = score {e.score:+.3f}")
    for c in e.contributions:
        print(f"  {c.contribution:+.3f}  {c.feature}")
    print(f"model: {decision.model.name} v{decision.model.version}, rules {decision.model.ruleset}")
    return 0


def _screening(answers: list[str] | None) -> dict[str, str] | None:
    """``["weapons=no", "intoxicated=yes"]`` -> {"weapons": "no", ...}; the schema then checks names and answers."""
    if not answers:
        return None
    out = {}
    for item in answers:
        question, sep, answer = item.partition("=")
        if not sep:
            raise SystemExit(f"callroute predict: --screening {item!r} is not QUESTION=ANSWER (e.g. weapons=no)")
        out[question.strip()] = answer.strip()
    return out


def cmd_batch(args: argparse.Namespace) -> int:
    """Route every call of a file."""
    from callroute.jobs.scoring import batch

    progress = _RowProgress()
    report = batch(args.in_path, args.out_path, _settings(), progress=progress)
    progress.finish()
    print(report.summary())
    print(f"decisions written to {args.out_path}")
    return 0


class _RowProgress:
    """Rows done so far, on standard error, at most twice a second (stdout stays the command's result)."""

    def __init__(self, every: float = 0.5) -> None:
        import time

        self._clock, self._every = time.monotonic, every
        self._started = self._last = self._clock()
        self._shown = False

    def finish(self) -> None:
        """End the progress line (when one was shown)."""
        if self._shown:
            print(file=sys.stderr)

    def __call__(self, settled: int, routed: int) -> None:
        now = self._clock()
        if now - self._last < self._every:
            return
        self._last = now
        rate = settled / max(now - self._started, 1e-9)
        print(f"\r{settled:,} rows read, {routed:,} routed ({rate:,.0f} rows/s)", end="", file=sys.stderr, flush=True)
        self._shown = True


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the HTTP API."""
    settings = _settings()  # invalid settings end here, in one line
    if args.workers > 1:
        from callroute.serving.workers import run_workers

        # Each worker builds its app from the same CALLROUTE_* environment.
        run_workers("callroute.serving.app:create_app", host=args.host, port=args.port, workers=args.workers,
                    access_log=args.access_log)
    else:
        from callroute.serving.app import serve

        serve(settings, host=args.host, port=args.port, access_log=args.access_log)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the HTML report of a run."""
    from callroute.audit.report import write_report

    path = write_report(_settings(), args.run_id, log=args.log, monitor_config=_config(args.config).monitor)
    print(f"report written to {path}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    """Simulate crisis-team capacity for a policy's diverted calls (or sweep team counts)."""
    from callroute.jobs.simulate import run

    result = run(args.data, _settings(), config_path=args.config, mapping=args.mapping, since=args.since,
                 until=args.until, policies=args.policy, teams=_team_range(args.sweep) if args.sweep else None,
                 out_dir=args.out)
    columns = ["eligible_per_day", "served_share", "fell_back", "wait_median", "wait_p90", "response_p90",
               "utilisation", "fell_back_mean_risk", "waited_over_10_min_mean_risk", "served_escalated_rate",
               "police_hours_freed",
               "cost_per_team_call", "cost_per_police_call"]
    print(result.summaries.set_index("policy")[columns].T.to_string(float_format=lambda v: f"{v:,.3f}"))
    if result.sweep is not None:
        print()
        shown = result.sweep[["policy", "teams", "served_share", "wait_p90", "utilisation", "police_hours_freed",
                              "served_escalated_rate", "meets_service_level"]]
        print(shown.to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
        for policy, teams in result.smallest.items():
            found = f"{teams} team(s) per shift" if teams is not None else "no swept roster"
            print(f"smallest roster meeting the service level, {policy}: {found}")
    print(f"report written to {result.out_dir / 'report.html'}")
    return 0


def _team_range(text: str) -> range:
    """``teams=1..12`` (or ``1..12``) -> range(1, 13)."""
    spec = text.removeprefix("teams=")
    low, sep, high = spec.partition("..")
    try:
        first, last = int(low), int(high if sep else low)
    except ValueError:
        raise ValueError(f"--sweep {text!r}: expected teams=FIRST..LAST, e.g. teams=1..12") from None
    if first < 0 or last < first:
        raise ValueError(f"--sweep {text!r}: expected teams=FIRST..LAST with 0 <= FIRST <= LAST")
    return range(first, last + 1)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Verify the decision log's hash chain and anchors; exit 1 when anything was tampered with."""
    from callroute.jobs.audit import verify

    result = verify(_settings(), args.log)
    print(f"checked {result.checked} decisions in the chain, {result.anchors} anchors")
    for problem in result.problems:
        print(f"  PROBLEM: {problem}")
    print("chain verified: no decision edited, inserted or deleted" if result.ok else
          f"chain BROKEN: {len(result.problems)} problem(s)")
    return 0 if result.ok else 1


def cmd_audit_export(args: argparse.Namespace) -> int:
    """Export logged decisions for auditors."""
    from callroute.jobs.audit import export

    out = args.out or Path(f"decisions-export.{args.format}")
    if out.suffix != f".{args.format}":
        raise ValueError(f"--out {out}: the file name must end in .{args.format}")
    n = export(_settings(), out, since=args.since, until=args.until, path=args.log)
    print(f"exported {n} decisions to {out}")
    return 0


def cmd_audit_purge(args: argparse.Namespace) -> int:
    """Delete decisions older than the retention age, keeping the chain verifiable."""
    from callroute.jobs.audit import purge

    deleted, cutoff = purge(_settings(), args.older_than_days, args.log)
    print(f"purged {deleted} decisions logged before {cutoff}; the rest of the chain still verifies")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    """Re-score logged calls with a registered version and print what would change."""
    from callroute.jobs.replay import run

    result = run(args.version, _settings(), since=args.since, until=args.until, out=args.out, log_path=args.log)
    s = result.summary()
    print(f"replayed {s['replayed']:.0f} logged calls with version {result.version}: {s['same']:.0f} unchanged, "
          f"{s['crisis_team_to_police']:.0f} crisis team -> police, {s['police_to_crisis_team']:.0f} police -> "
          f"crisis team; risk moves {s['mean_abs_risk_change']:.4f} on average (max {s['max_abs_risk_change']:.4f})")
    for row in result.flips.head(args.show).itertuples():
        print(f"\n{row.request_id} (logged by v{row.logged_version}): {row.logged_recommendation} "
              f"{row.logged_risk:.1%} -> {row.replayed_recommendation} {row.replayed_risk:.1%}")
        print(f"  call: {row.narrative[:100]}")
        print(f"  now:  {row.replayed_reasons[:300]}")
    if args.out:
        print(f"\nevery replayed call: {args.out}")
    return 0


def cmd_monitor(args: argparse.Namespace) -> int:
    """Logged decisions and outcomes against the training reference; exit 1 on any alert."""
    from callroute.jobs.monitor import render, run

    report = run(_settings(), _config(args.config), since=args.since, until=args.until, log_path=args.log)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(render(report))
    return 1 if report.alerts else 0


def _keys_file(args: argparse.Namespace):
    from callroute.serving.keys import KeysFile

    return KeysFile(args.file or _settings().resolved_keys_file)


def cmd_keys_add(args: argparse.Namespace) -> int:
    """Create an API key for a role; print its token once (only its hash is kept)."""
    keys = _keys_file(args)
    stored, token = keys.add(args.role, args.name or "")
    print(f"added key {stored.id} (role {stored.role}{', ' + stored.name if stored.name else ''}) to {keys.path}")
    print("its token (shown once; give it to the client as 'Authorization: Bearer <token>'):")
    print(token)
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    """List the keys file's keys (ids, roles, names, times; never a secret)."""
    keys = _keys_file(args)
    stored = keys.read()
    if not stored:
        print(f"no keys in {keys.path}: add one with `callroute keys add --role dispatch`")
        return 0
    print(f"{'id':<10} {'role':<9} {'created':<26} {'revoked':<26} name")
    for key in stored:
        print(f"{key.id:<10} {key.role:<9} {key.created_at:<26} {key.revoked_at or '-':<26} {key.name}")
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    """Revoke a key: a running server refuses it within a second (it re-reads the keys file)."""
    keys = _keys_file(args)
    try:
        revoked = keys.revoke(args.key_id)
    except KeyError:
        raise ValueError(f"no key {args.key_id!r} in {keys.path} (`callroute keys list` shows the ids)") from None
    print(f"revoked key {revoked.id} (role {revoked.role}) at {revoked.revoked_at}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    """Start the MLflow UI on the local store."""
    import subprocess

    settings = _settings()
    command = [sys.executable, "-m", "mlflow", "ui", "--backend-store-uri", settings.resolved_tracking_uri,
               "--host", args.host, "--port", str(args.port)]
    print(" ".join(command))
    return subprocess.call(command)


def _print_metrics(metrics: dict[str, float]) -> None:
    width = max(len(k) for k in metrics)
    for key, value in metrics.items():
        print(f"  {key:<{width}}  {value:.4f}")


def iso_time(text: str) -> str:
    """An argument that must be an ISO 8601 day or time ("2024-11-02", "2024-11-02T14:05"), kept as written."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 day or time, e.g. 2024-11-02 or 2024-11-02T14:05, not {text!r}") from None
    return text


def existing_file(text: str) -> Path:
    """An argument that must name a file that exists."""
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}" + (" (a directory)" if path.is_dir() else ""))
    return path


def int_in(low: int, high: int | None = None):
    """An integer argument between ``low`` and ``high`` (inclusive; no upper bound when None)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"expected a number {bound}, not {value}")
        return value
    parse.__name__ = "number"
    return parse


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(prog="callroute", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="generate or check call data")
    data = data.add_subparsers(dest="data_command", required=True)
    synth = data.add_parser("synth", help="generate synthetic CAD calls")
    synth.add_argument("--rows", type=int_in(1), default=60_000, help="number of calls (default 60,000)")
    synth.add_argument("--seed", type=int_in(0), default=7, help="random seed (default 7)")
    synth.add_argument("--out", type=Path, default=Path("data/calls.csv"),
                       help="CSV or Parquet file to write (default data/calls.csv)")
    synth.add_argument("--quiet", action="store_true", help="no progress bar")
    synth.add_argument("--wording", choices=("A", "B", "all"), default="A",
                       help="lexicon half the narratives use (A: training data; B: unseen-wording evaluation)")
    synth.add_argument("--register", choices=("cad", "plain", "caller"),
                       help="write every narrative in one register (default: the yearly mix)")
    synth.set_defaults(func=cmd_synth)
    check = data.add_parser("check", help="validate a CAD export; quarantine bad rows with reasons")
    check.add_argument("path", type=existing_file, help="CAD export (CSV or Parquet)")
    check.add_argument("--mapping", help="column mapping: a shipped name (synth, seattle-crisis) or a TOML path")
    check.add_argument("--config", type=existing_file, help="experiment TOML whose [data] section sets the checks")
    check.add_argument("--json", action="store_true", help="print the report as JSON (for pipelines)")
    check.set_defaults(func=cmd_check)

    train = sub.add_parser("train", help="train, evaluate, log to MLflow, register and maybe promote")
    train.add_argument("--data", type=existing_file,
                       help="labelled CAD export (CSV or Parquet; default data/calls.csv, generated if absent)")
    train.add_argument("--config", type=existing_file,
                       help="experiment TOML (experiments/*.toml; default: the built-in defaults)")
    train.add_argument("--mapping", help="column mapping: a shipped name (synth, seattle-crisis) or a TOML path")
    train.add_argument("--verbose", action="store_true",
                       help="print every test metric and the baselines before the verdict")
    train.set_defaults(func=cmd_train)

    evaluate = sub.add_parser("evaluate", help="evaluate the champion bundle on a labelled file")
    evaluate.add_argument("--data", type=existing_file, required=True, help="labelled CAD export (CSV or Parquet)")
    evaluate.add_argument("--mapping", help="column mapping: a shipped name or a TOML path")
    evaluate.add_argument("--config", type=existing_file, help="experiment TOML (its label and data sections)")
    evaluate.add_argument("--verbose", action="store_true", help="print every metric after the verdict")
    evaluate.set_defaults(func=cmd_evaluate)

    promote = sub.add_parser("promote", help="make a registered version the champion and export its bundle")
    promote.add_argument("version", help="registered model version (callroute ui lists them)")
    promote.add_argument("--why", help="the reason, recorded with the alias change (experiments/aliases.jsonl)")
    promote.set_defaults(func=cmd_promote)

    predict = sub.add_parser("predict", help="route one call with the champion bundle")
    predict.add_argument("--narrative", required=True, help="the call narrative (1-5000 characters)")
    predict.add_argument("--call-type", help="CAD call type, e.g. 'SERVICE - WELFARE CHECK'")
    predict.add_argument("--district", help="district the call comes from")
    predict.add_argument("--received-at", type=iso_time, help="when the call came in (ISO 8601)")
    predict.add_argument("--caller-type", choices=CALLER_TYPES, help="who called")
    predict.add_argument("--priority", type=int_in(1, 9), help="CAD priority, 1-9")
    predict.add_argument("--prior-calls", type=int_in(0), help="calls at the location in the last 90 days")
    predict.add_argument(
        "--screening", action="append", metavar="QUESTION=ANSWER",
        help="a call-taker's screening answer, yes/no/unknown (repeat for several): weapons, violence_now, "
             "threat_to_others, self_harm_means, intoxicated, medical_emergency, officer_requested",
    )
    predict.add_argument("--json", action="store_true", help="print the decision as JSON")
    predict.set_defaults(func=cmd_predict)

    batch = sub.add_parser("batch", help="route every call of a CSV/Parquet file")
    batch.add_argument("in_path", type=existing_file, help="calls to route (CSV or Parquet)")
    batch.add_argument("out_path", type=Path, help="decisions to write (CSV or Parquet, by extension)")
    batch.set_defaults(func=cmd_batch)

    serve = sub.add_parser("serve", help="start the HTTP API")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int_in(1, 65535), default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int_in(1), default=1,
                       help="worker processes (one per core; they share the log)")
    serve.add_argument("--access-log", action="store_true", help="one log line per HTTP request (off: decisions "
                       "are in the decision log and the metrics)")
    serve.set_defaults(func=cmd_serve)

    report = sub.add_parser("report", help="write an HTML report of a training run (latest by default)")
    report.add_argument("run_id", nargs="?", help="MLflow run id (default: the latest training run)")
    report.add_argument("--log", type=Path, help="decision log: adds the monitoring section")
    report.add_argument("--config", type=existing_file, help="experiment file whose [monitor] section sets the alerts")
    report.set_defaults(func=cmd_report)

    simulate = sub.add_parser("simulate",
                              help="crisis-team capacity: staffing, waits, fallbacks, police hours freed")
    simulate.add_argument("--data", type=existing_file, default=Path("data/calls.csv"),
                          help="calls with arrival times")
    simulate.add_argument("--mapping", help="column mapping: a shipped name or a TOML path")
    simulate.add_argument("--config", type=existing_file,
                          help="simulation TOML: roster, service times, fallback, costs")
    simulate.add_argument("--since", type=iso_time, help="first day (default: the last 365 days of the file)")
    simulate.add_argument("--until", type=iso_time, help="last day, inclusive")
    simulate.add_argument("--policy", action="append", choices=("router", "call_type_list", "keyword_rules"),
                          help="routing policy to simulate (repeatable; default router, and call_type_list "
                          "in a sweep)")
    simulate.add_argument("--sweep", help="teams=FIRST..LAST: the same roster with that many teams on every shift")
    simulate.add_argument("--out", type=Path, help="output directory (default experiments/simulations/<period>)")
    simulate.set_defaults(func=cmd_simulate)

    audit = sub.add_parser("audit", help="the decision log: verify its hash chain, export, purge")
    audit = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit.add_parser("verify", help="find edited, inserted or deleted decisions (exit 1 if any)")
    verify.add_argument("--log", type=Path, help="decision log (default CALLROUTE_DECISION_LOG)")
    verify.set_defaults(func=cmd_audit_verify)
    export = audit.add_parser("export", help="write logged decisions to CSV or Parquet for auditors")
    export.add_argument("--since", type=iso_time, help="first day or time (ISO), inclusive")
    export.add_argument("--until", type=iso_time, help="last day or time (ISO), inclusive")
    export.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format (default csv)")
    export.add_argument("--out", type=Path, help="file to write (default decisions-<today>.<format>)")
    export.add_argument("--log", type=Path, help="decision log (default CALLROUTE_DECISION_LOG)")
    export.set_defaults(func=cmd_audit_export)
    purge = audit.add_parser("purge", help="delete decisions older than the retention age (chain stays verifiable)")
    purge.add_argument("--older-than-days", type=int_in(0), help="default CALLROUTE_RETENTION_DAYS (730)")
    purge.add_argument("--log", type=Path, help="decision log (default CALLROUTE_DECISION_LOG)")
    purge.set_defaults(func=cmd_audit_purge)

    replay = sub.add_parser("replay", help="what a registered version would decide on logged calls (shadow run)")
    replay.add_argument("--version", required=True, help="registered model version")
    replay.add_argument("--since", type=iso_time, help="first day or time (ISO) of logged decisions")
    replay.add_argument("--until", type=iso_time, help="last day or time (ISO), inclusive")
    replay.add_argument("--out", type=Path, help="write every replayed call (CSV or Parquet)")
    replay.add_argument("--show", type=int_in(0), default=10, help="flips to print (default 10)")
    replay.add_argument("--log", type=Path, help="decision log (default CALLROUTE_DECISION_LOG)")
    replay.set_defaults(func=cmd_replay)

    monitor = sub.add_parser("monitor", help="logged decisions and outcomes against the training reference (exit 1 "
                             "on an alert)")
    monitor.add_argument("--since", type=iso_time, help="first day or time (ISO) of logged decisions")
    monitor.add_argument("--until", type=iso_time, help="last day or time (ISO), inclusive")
    monitor.add_argument("--config", type=existing_file, help="experiment file whose [monitor] section sets the alerts")
    monitor.add_argument("--json", action="store_true", help="print the report as JSON")
    monitor.add_argument("--log", type=Path, help="decision log (default CALLROUTE_DECISION_LOG)")
    monitor.set_defaults(func=cmd_monitor)

    keys = sub.add_parser("keys", help="API keys with roles (dispatch, auditor, admin): add, list, revoke")
    keys = keys.add_subparsers(dest="keys_command", required=True)
    add = keys.add_parser("add", help="create a key for a role and print its token once")
    add.add_argument("--role", required=True, choices=ROLES,
                     help="dispatch: route, outcomes, call updates; auditor: read decisions, model, metrics; "
                     "admin: reload, keys")
    add.add_argument("--name", help="who holds the key (a CAD system, an auditor's name)")
    add.add_argument("--file", type=Path, help="keys file (default CALLROUTE_KEYS_FILE, data/api_keys.json)")
    add.set_defaults(func=cmd_keys_add)
    listing = keys.add_parser("list", help="the keys, their roles and whether they are revoked")
    listing.add_argument("--file", type=Path, help="keys file (default CALLROUTE_KEYS_FILE, data/api_keys.json)")
    listing.set_defaults(func=cmd_keys_list)
    revoke = keys.add_parser("revoke", help="revoke a key (a running server refuses it within a second)")
    revoke.add_argument("key_id", help="the key's id (8 hex digits, from `callroute keys list`)")
    revoke.add_argument("--file", type=Path, help="keys file (default CALLROUTE_KEYS_FILE, data/api_keys.json)")
    revoke.set_defaults(func=cmd_keys_revoke)

    ui = sub.add_parser("ui", help="open the MLflow UI on the local store")
    ui.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ui.add_argument("--port", type=int_in(1, 65535), default=5000, help="port (default 5000)")
    ui.set_defaults(func=cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``callroute`` console script."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # argparse has printed the usage and the argument at fault (or --help)
        return stop.code if isinstance(stop.code, int) else 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # the reader went away (`callroute predict ... | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as error:
        if not _is_user_error(error):  # a user's mistake ends in one line; anything else re-raises
            raise
        message = error if not isinstance(error, ValidationError) else _validation_message(error)
        print(f"callroute: error: {message}", file=sys.stderr)
        return 2


def _is_user_error(error: Exception) -> bool:
    """Errors caused by what the user typed or pointed at: a missing file, a bad value, an unknown run."""
    from callroute.data.ingest import IngestError
    from callroute.registry.bundle import BundleError

    if isinstance(error, BundleError | IngestError | FileNotFoundError | ValueError):
        return True
    # MLflow's "not found" answers (unknown run id, model version) are user errors too.
    return type(error).__name__ == "MlflowException" and "not found" in str(error)


def _validation_message(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}" for e in error.errors()
    )


if __name__ == "__main__":
    sys.exit(main())
