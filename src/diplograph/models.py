"""Typed objects that flow between the pipeline stages.

ingest -> RawDocument -> clean -> Article -> parse -> ParsedArticle -> actors -> (ActorMention...) -> events -> Event
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Modality = Literal["asserted", "negated", "hypothetical", "future"]
MODALITIES: tuple[str, ...] = ("asserted", "negated", "hypothetical", "future")


@dataclass
class RawDocument:
    """One input document as read from disk (or a JSONL line), before any cleaning."""

    path: str  # file path, "file.jsonl#L3" for a JSONL line, or a URL
    kind: Literal["text", "html"]
    content: str  # decoded text or HTML
    encoding: str = "utf-8"
    url: str | None = None
    # Metadata given by the input itself (JSONL fields); they win over what the cleaner finds.
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date
    language: str | None = None


@dataclass
class Skipped:
    """An input that could not be used, and why."""

    path: str
    reason: str


@dataclass
class Article:
    """A cleaned article: what the cleaner keeps, what it removed, and the metadata it found."""

    id: str  # content hash of the normalised body
    path: str
    body: str  # kept content lines in reading order, joined by "\n"
    raw: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD, None when the page prints none
    date_note: str | None = None  # how the date was found, or why it is empty
    language: str | None = None
    captions: list[str] = field(default_factory=list)  # photo captions (kept in body too, flagged here)
    furniture: list[str] = field(default_factory=list)  # removed lines, for inspection
    coded: bool = True  # False when the language is not one we code

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ActorMention:
    """A span of text resolved to an actor code."""

    start: int  # character offsets in the article body
    end: int
    text: str
    code: str  # "FRA", "IGO:NATO", "NKR"
    sector: str | None = None  # GOV, MIL, DIP, ...
    person: str | None = None  # canonical person name when the mention is a person
    role: str | None = None  # e.g. "foreign_minister"
    method: str = "gazetteer"  # gazetteer, role_table, apposition, coreference, metonym, institution
    sentence_index: int = -1

    @property
    def full_code(self) -> str:
        return f"{self.code}-{self.sector}" if self.sector else self.code


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    kind: str = "body"  # title, caption or body


@dataclass
class Event:
    """One coded PLOVER event with its provenance."""

    source: str | None
    target: str | None
    type: str
    mode: str | None = None
    modality: str = "asserted"
    trigger: str = ""
    start: int = 0  # character span of the sentence in the article body (or the input text for `code`)
    end: int = 0
    trigger_start: int = 0
    trigger_end: int = 0
    sentence_index: int = -1
    sentence: str = ""
    event_date: str | None = None
    speaker: str | None = None  # actor code of the quoted speaker
    speaker_name: str | None = None
    cameo: str | None = None
    plover_score: float | None = None
    quad_class: str | None = None
    source_text: str | None = None
    target_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CodedArticle:
    """An article after the whole pipeline: ready to store."""

    article: Article
    sentences: list[Sentence]
    mentions: list[ActorMention]
    events: list[Event]
