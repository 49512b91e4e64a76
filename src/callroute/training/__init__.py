"""Training: time split and fit, evaluation, baselines, plots. Knows nothing about the tracker."""
