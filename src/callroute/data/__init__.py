"""Data: table I/O, ingestion and quarantine, column mappings, labels, the synthetic generator."""
