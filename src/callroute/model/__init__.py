"""The model: features, calibration, exact explanations."""
