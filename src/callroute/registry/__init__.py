"""Registry: MLflow runs, the pyfunc, the promotion gate, bundle export and verification."""
