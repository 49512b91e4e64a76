"""Synthetic CAD call records with a known escalation probability, streamed in time order.

Each chunk of calls is drawn from the latent model (:mod:`.outcomes`, parameters in
``profiles.toml``), written up as narratives by :mod:`.narrative`, and recorded with
the responder the past policy sent and the outcomes observed under it.

Base rates (sources in DOMAIN.md): escalation among calls a crisis team would take is
meant to sit in the 0.5-6% range the programs report (CAHOOTS 0.6%, LA UMCR <4.1%,
B-HEARD 6.5%); among all calls routed here it is far higher, as Seattle's crisis
records show (6.8% overall, disturbance 16%, assault 11-28%).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from callroute.data.synth.narrative import REGISTERS, Vocabulary, register_mix, vocabulary, write_narrative
from callroute.data.synth.outcomes import call_type_string, draw_latent, final_type, observe_outcome, past_responder
from callroute.data.synth.profiles import Profiles, load_profiles
from callroute.data.tables import stream_rows
from callroute.language.lexicons import Half
from callroute.schema import CALLER_TYPES

OUTCOME_COLUMNS = ("weapon_found", "violence", "backup_requested", "injury", "arrest", "disposition")
AFTER_THE_FACT_COLUMNS = (*OUTCOME_COLUMNS, "responder", "final_call_type", "true_risk")
#: How each narrative was written (generator metadata for evaluation by register and wording, never a feature).
WRITING_COLUMNS = ("register", "wording", "cues")
#: Cues whose presence in a narrative means a red line must fire (the generator's ground truth for recall).
RED_LINE_CUES = frozenset({"weapon_explicit", "update_weapon", "violence", "threat_others", "insists"})
COLUMNS = (
    "call_id", "received_at", "call_type", "district", "caller_type", "priority", "location_prior_calls",
    "narrative", "responder", *OUTCOME_COLUMNS, "final_call_type", "true_risk", "register", "wording", "cues",
)
START = datetime(2021, 1, 1)
END = datetime(2025, 1, 1)


def generate_rows(n_rows: int, seed: int, *, chunk_size: int = 20_000, profiles: Profiles | None = None,
                  wording: Half = "A", register: str | None = None,
                  start: datetime = START, end: datetime = END) -> Iterator[dict]:
    """Yield ``n_rows`` synthetic calls in time order, deterministically for ``seed``.

    ``wording`` picks the lexicon half the narratives are written with (A for training data, B for
    the unseen-wording evaluation); ``register`` fixes one register (default: the yearly mix).
    ``start``/``end`` bound the arrival times (the latent model's drift still counts from START).
    """
    if register is not None and register not in REGISTERS:
        raise ValueError(f"register must be one of {', '.join(REGISTERS)}, got {register!r}")
    profiles = profiles or load_profiles()
    vocab = vocabulary(wording)
    # Arrival times drawn up front (8 bytes a row) and sorted, so rows stream in time order:
    # a uniform day, then a time of day following the intake profile hour_weight.
    time_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    first_day = (start - START).days
    day = time_rng.integers(first_day, first_day + (end - start).days, size=n_rows)
    hour = time_rng.choice(24, size=n_rows, p=profiles.hour_weight / profiles.hour_weight.sum())
    minute = time_rng.integers(0, 60, size=n_rows)
    times = np.sort(day * 86400 + hour * 3600 + minute * 60)
    del day, hour, minute
    for chunk_start in range(0, n_rows, chunk_size):
        chunk_seed = np.random.SeedSequence([seed, chunk_start])
        rng = np.random.default_rng(chunk_seed)
        text_rng = random.Random(int(chunk_seed.generate_state(1)[0]))
        seconds = times[chunk_start : chunk_start + chunk_size]
        yield from _chunk(rng, text_rng, seconds, chunk_start, profiles, vocab, wording, register)


def _chunk(rng: np.random.Generator, text_rng: random.Random, seconds: np.ndarray, offset: int,
           profiles: Profiles, vocab: Vocabulary, wording: str, register: str | None) -> Iterator[dict]:
    year_offset = seconds / (365.25 * 86400)
    latent = draw_latent(rng, profiles, year_offset, (seconds % 86400) // 3600)
    register_draw = rng.random(len(seconds))
    for i in range(len(seconds)):
        profile = latent.profiles[i]
        state = {
            "profile": profile,
            "agitation": latent.agitation[i],
            "year_offset": float(year_offset[i]),
            "intox": bool(latent.intox[i]),
            "mental": bool(latent.mental[i]),
            "weapon": bool(latent.weapon[i]),
            "violence": bool(latent.violence[i]),
            "threat_others": bool(latent.threat_others[i]),
            "insists": bool(latent.insists[i]),
            "medical": bool(latent.medical[i]),
            "location_prior_calls": int(latent.prior_calls[i]),
            "caller_type": CALLER_TYPES[latent.caller_idx[i]],
        }
        written_in = register or _register(float(year_offset[i]), float(register_draw[i]))
        narrative, cues = write_narrative(state, text_rng, register=written_in, vocab=vocab)
        responder = past_responder(profile, cues, float(latent.program_share[i]), float(latent.policy_draw[i]))
        outcome = observe_outcome(bool(latent.escalated[i]), bool(latent.weapon[i]), responder, text_rng)
        received = START + timedelta(seconds=int(seconds[i]))
        missing = latent.missing[i]
        yield {
            "call_id": f"C{offset + i + 1:08d}",
            "received_at": received.isoformat(timespec="minutes"),
            "call_type": call_type_string(profile, float(year_offset[i]), text_rng),
            # Real exports have gaps: fields left blank at intake (profiles.toml, missing_rate).
            "district": None if missing[0] else profiles.districts[latent.district_idx[i]],
            "caller_type": None if missing[1] else CALLER_TYPES[latent.caller_idx[i]],
            "priority": None if missing[2] else int(latent.priority[i]),
            "location_prior_calls": None if missing[3] else int(latent.prior_calls[i]),
            "narrative": narrative,
            "responder": responder,
            **outcome,
            "final_call_type": final_type(profile, outcome, float(year_offset[i]), text_rng),
            "true_risk": round(float(latent.true_risk[i]), 6),
            "register": written_in,
            "wording": wording,
            "cues": " ".join(sorted(set(cues))),
        }


def _register(year_offset: float, draw: float) -> str:
    cad, plain, _ = register_mix(year_offset)
    return "cad" if draw < cad else ("plain" if draw < cad + plain else "caller")


def write(path: Path, n_rows: int, seed: int, *, progress: bool = False, wording: Half = "A",
          register: str | None = None) -> int:
    """Stream ``n_rows`` rows to CSV (or Parquet by extension) in constant memory; return rows written."""
    rows = generate_rows(n_rows, seed, wording=wording, register=register)
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, total=n_rows, unit="rows", desc=f"synth {Path(path).name}")
    return stream_rows(Path(path), rows, COLUMNS)
