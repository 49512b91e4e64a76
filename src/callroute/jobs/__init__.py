"""Jobs: the only modules that combine data, training, registry and audit. ``cli.py`` calls one job each."""
