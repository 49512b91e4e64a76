"""Typed settings: every path, secret and switch comes from here (env prefix ``CALLROUTE_``).

Defaults work with no server to install: MLflow on SQLite under ``experiments/``,
the decision log in SQLite under ``data/``, the bundle under ``models/champion``,
all relative to the working directory (the project root when run from ``make``).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The roles an API key may hold (serving/keys.py says what each may do).
ROLES = ("dispatch", "auditor", "admin")


class Settings(BaseSettings):
    """Runtime configuration. Invalid values fail at start-up naming the variable."""

    model_config = SettingsConfigDict(env_prefix="CALLROUTE_", extra="ignore")

    data_dir: Path = Path("data")
    models_dir: Path = Path("models")
    experiments_dir: Path = Path("experiments")
    tracking_uri: str | None = Field(default=None, description="MLflow tracking URI; SQLite under experiments/.")
    experiment_name: str = "callroute"
    model_name: str = "callroute"
    bundle_dir: Path | None = Field(default=None, description="Bundle to serve; models/champion by default.")
    decision_log: Path | None = Field(default=None, description="SQLite decision log; data/decisions.sqlite.")
    api_keys: str = Field(default="", description="Development bearer keys, comma-separated; each holds every role "
                          "unless written role:key (dispatch, auditor, admin). Production keys: keys_file.")
    keys_file: Path | None = Field(default=None, description="Hashed API keys with roles, managed by `callroute keys`; "
                                   "data/api_keys.json by default.")
    rate_limit: float = Field(default=1000.0, ge=0, description="Requests a second each key of the keys file may "
                              "make on average, per server process (a token bucket); 0: no limit. Development keys "
                              "are not limited.")
    rate_burst: int = Field(default=2000, ge=1, description="Requests a key may make at once before the rate applies.")
    eido_beats: Path | None = Field(default=None, description="TOML [beats] table mapping an EIDO's "
                                    "beatOrDispatchGroupText to a district; unmapped beats are used as written.")
    max_batch: int = Field(default=500, ge=1, le=100_000)
    retention_days: int = Field(
        default=730, ge=1, description="Age in days after which `callroute audit purge` deletes logged decisions."
    )
    reload_interval: float = Field(
        default=2.0, ge=0, description="Seconds between checks for a new champion bundle (hot reload); 0: never."
    )
    route_budget_ms: float = Field(
        default=250.0, ge=0, description="Time budget of one call's decision in the server (ms): a call past it "
        "gets 503 and is not logged, without holding up other requests; 0: no budget."
    )
    fast_path: bool = Field(
        default=True, description="Answer well-formed POST /v1/route requests without FastAPI's per-request "
        "machinery (serving/fastpath.py); errors still go through FastAPI."
    )

    @field_validator("api_keys")
    @classmethod
    def _keys_are_long_enough(cls, value: str) -> str:
        for entry in (k.strip() for k in value.split(",") if k.strip()):
            role, sep, key = entry.partition(":")
            if not sep or role not in ROLES:
                key = entry
            if len(key) < 16:
                raise ValueError("every key in CALLROUTE_API_KEYS must be at least 16 characters long")
        return value

    @property
    def api_key_set(self) -> frozenset[str]:
        """The accepted bearer keys."""
        return frozenset(k.strip() for k in self.api_keys.split(",") if k.strip())

    @property
    def resolved_keys_file(self) -> Path:
        """The keys file the server reads and ``callroute keys`` writes."""
        return self.keys_file or self.data_dir / "api_keys.json"

    @property
    def resolved_tracking_uri(self) -> str:
        """The MLflow tracking URI, defaulting to SQLite under ``experiments_dir``."""
        return self.tracking_uri or f"sqlite:///{(self.experiments_dir / 'mlflow.db').resolve()}"

    @property
    def artifact_root(self) -> Path:
        """Where MLflow stores run artifacts for experiments created here."""
        return (self.experiments_dir / "mlruns").resolve()

    @property
    def resolved_bundle_dir(self) -> Path:
        """The bundle directory served and written by promotion."""
        return self.bundle_dir or self.models_dir / "champion"

    @property
    def resolved_decision_log(self) -> Path:
        """The SQLite file holding every decision the API acknowledged."""
        return self.decision_log or self.data_dir / "decisions.sqlite"
