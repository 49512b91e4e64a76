"""The Router as an MLflow pyfunc model, for batch scoring on Spark or ``mlflow models serve``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from callroute.registry import bundle

BUNDLE_ARTIFACT = "bundle"


def pyfunc_model():
    """A pyfunc model instance; the class is defined on first use so importing callroute never imports MLflow."""
    import mlflow.pyfunc

    class _RouterPyfunc(mlflow.pyfunc.PythonModel):
        """Loads the bundle artifact and answers with :meth:`Router.assess`: the same one inference path."""

        def load_context(self, context):
            self.router, _ = bundle.load_bundle(Path(context.artifacts[BUNDLE_ARTIFACT]))

        def predict(self, context, model_input: pd.DataFrame, params: dict | None = None) -> pd.DataFrame:
            return self.router.assess(pd.DataFrame(model_input))

    return _RouterPyfunc()


def requirements() -> list[str]:
    """Exact versions of what the pyfunc needs to load the bundle."""
    from importlib.metadata import version

    return [f"{name}=={version(name)}" for name in ("scikit-learn", "pandas", "numpy", "scipy", "joblib", "pydantic")]


def package_root() -> str:
    """The callroute package folder, shipped with the pyfunc as code."""
    return str(Path(__file__).resolve().parents[1])
