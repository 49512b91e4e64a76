"""Synthetic CAD calls: profiles (data), the outcome model, the narrative writer, the streaming generator."""

from callroute.data.synth.generator import AFTER_THE_FACT_COLUMNS, COLUMNS, OUTCOME_COLUMNS, generate_rows, write
from callroute.data.synth.profiles import load_profiles

__all__ = ["AFTER_THE_FACT_COLUMNS", "COLUMNS", "OUTCOME_COLUMNS", "generate_rows", "load_profiles", "write"]
