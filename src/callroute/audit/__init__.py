"""Audit: the decision log and run reports."""
