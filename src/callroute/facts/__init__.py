"""Situation facts: the layer between a call's words and its escalation risk (catalogue, reader)."""

from callroute.facts.catalogue import Catalogue, FactSpec
from callroute.facts.reader import DENIED, PRESENT, UNKNOWN, FactReader, Reading

__all__ = ["DENIED", "PRESENT", "UNKNOWN", "Catalogue", "FactReader", "FactSpec", "Reading"]
