"""One settings object, read from the environment (prefix `ROLLCALL_`) or a `.env` file.

Built by `get_settings()`, never at import time, so tests and commands can change the
environment first.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROLLCALL_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///rollcall.db",
        description="SQLAlchemy URL of the registry: sqlite:///FILE or postgresql://...",
    )
    data_dir: Path = Field(
        default=Path("rollcall-data"),
        description="Folder for files the registry keeps beside the database.",
    )
    session_lifetime_minutes: int = Field(
        default=8 * 60, ge=5, description="How long a page login stays valid, however much "
        "it is used (the absolute timeout).",
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, description="A page login unused this long expires (the idle "
        "timeout): the next page asks to log in again.",
    )
    api_token_lifetime_days: int = Field(
        default=90, ge=1, description="How long a bearer token for the API stays valid."
    )
    login_attempts_max: int = Field(
        default=10, ge=1, description="Failed logins in a row that lock an account."
    )
    login_lockout_minutes: int = Field(
        default=15, ge=1, description="How long an account stays locked after too many "
        "failed logins.",
    )
    login_address_failures_max: int = Field(
        default=30, ge=1,
        description="Failed logins one client address may make per "
        "`login_address_window_seconds`, whichever accounts it tries; beyond that its "
        "logins are refused (429) until the window has passed, so guessing across many "
        "accounts is throttled too.",
    )
    login_address_window_seconds: int = Field(
        default=900, ge=1, description="The window of `login_address_failures_max`.",
    )
    import_batch_rows: int = Field(
        default=2000, ge=1, description="Rows written per batch by `rollcall import`."
    )
    import_worker_min_bytes: int = Field(
        default=2_000_000, ge=0,
        description="Lists at least this large are prepared by a second process while the "
        "first one writes; smaller ones in-process.",
    )
    secure_cookies: bool = Field(
        default=False,
        description="Send the session cookie only over HTTPS. Set true behind TLS.",
    )
    page_size_default: int = Field(default=50, ge=1, le=500, description="Rows per page.")
    tracing_form_max_requests: int = Field(
        default=5, ge=1,
        description="Tracing requests one client address may send through the public family "
        "form per window; more are refused (429) until the window has passed.",
    )
    tracing_form_window_seconds: int = Field(
        default=3600, ge=1, description="The window of `tracing_form_max_requests`.",
    )
    ledger_origin: str = Field(
        default="rollcall.localhost/ledger",
        description="Name of this deployment's transparency log: the first line of its "
        "checkpoints and the name of its signing key. A schema-less URL without spaces or "
        "'+', unique to the deployment, e.g. bureau.example.org/rollcall.",
    )
    ledger_key_file: Path | None = Field(
        default=None,
        description="Ed25519 key that signs the transparency log's checkpoints (Go "
        "signed-note private key text). Default: ledger.key in data_dir, created readable "
        "by its owner only on first use or by `rollcall ledger keygen`.",
    )
    corroboration_rule: str = Field(
        default="independent_sources >= 2 or (sources >= 2 and documents >= 1)",
        description="When an incident may move from reported to credible. Comparisons "
        "`NAME OP NUMBER` (OP one of >= > == <= <) joined by `and`, `or` and parentheses, "
        "over the incident's sources not withdrawn: sources, independent_sources (distinct "
        "origins: a witness, a publisher, a document), testimonies, documents, media, other. "
        "The default: two independent sources, or a source corroborated by a document even "
        "when both come from one origin. Stored with every status change it allowed. "
        "`rollcall incident rule` explains it.",
    )
    selective_alpha: float = Field(
        default=0.05, gt=0, lt=1,
        description="Significance level of the selective-presentation analysis: a visit is "
        "flagged when its Benjamini-Hochberg adjusted p-value (one-sided Fisher's exact "
        "test, over the testable visits of the report) is at most this.",
    )
    small_cell_threshold: int = Field(
        default=5, ge=1,
        description="Indicators prepared for publication (`/api/indicators?publication=true`, "
        "the dashboard's publication view, the periodic report) withhold any figure about "
        "people that is at least 1 and below this number, and any other figure from which "
        "a withheld one could be worked out by subtraction (rollcall.stats.suppression). "
        "1 withholds nothing.",
    )
    methods_file: Path | None = Field(
        default=None,
        description="Extra methods of ill-treatment merged over the built-in list (TOML, "
        "the shape of rollcall/monitoring/data/methods.toml): a mission adds codes; a "
        "built-in code can be neither removed nor renamed.",
    )

    master_key_file: Path | None = Field(
        default=None,
        description="Master key that wraps the field-encryption keys (base64 of 32 bytes, "
        "readable by its owner only). ROLLCALL_MASTER_KEY, if set, is used instead. Default: "
        "master.key in data_dir, created on first use. Without it encrypted fields cannot "
        "be read: keep a copy apart from the database backups.",
    )

    @field_validator("corroboration_rule")
    @classmethod
    def _rule(cls, text: str) -> str:
        """A misspelt rule stops the start, not the first incident moved to credible."""
        from rollcall.monitoring.corroboration import CorroborationRuleError, Rule

        try:
            Rule.parse(text)
        except CorroborationRuleError as exc:
            raise ValueError(exc.message) from None
        return text

    @field_validator("database_url")
    @classmethod
    def _driver(cls, url: str) -> str:
        """Plain `postgresql://` URLs get the psycopg 3 driver."""
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
