"""The trigger pattern book: PLOVER types from verbs and nouns, read from data/event_patterns.yaml."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from spacy.tokens import Token

from .knowledge import KnowledgeError
from .senses import SenseModel
from .settings import DATA_DIR

ARGUMENT_DEPS = {"prt", "prep", "dobj", "attr", "acomp", "xcomp", "advmod", "pobj", "compound", "amod", "oprd",
                 "npadvmod", "dative", "nsubjpass", "ccomp", "advcl", "det"}


BARE_PREPOSITIONS = {"to", "in", "into", "on", "at", "for", "with"}


@dataclass(frozen=True)
class Pattern:
    type: str
    mode: str | None = None
    cameo: str | None = None
    embeds: bool = False
    priority: int = 0
    extra: tuple[str, ...] = ()  # words that must be dependents of the trigger ("call" + "for")
    joint: bool = False  # 'X and Y signed a treaty': each member acts on the other
    recipient_preps: tuple[str, ...] = ()  # 'extradited a suspect to the US': the recipient is in this phrase
    agent_preps: tuple[str, ...] = ()  # 'was summoned to the Foreign Ministry': the agent of a bare passive
    clause_recipient: bool = True  # False for 'denied that ...': the clause's actors are not the recipient
    reverse: bool = False  # 'X hosted Y': the visitor Y is the actor, the host X the recipient
    negation_opens: bool = False  # 'did not rule out sanctions': negated, it leaves its complement possible
    mutual: bool = False  # 'X met Y': neither hosts, so each participant is an actor (the manual's CONSULT rule)


@dataclass(frozen=True)
class TypeInfo:
    quad_class: str
    cameo_root: str
    score: float
    default_recipient: str | None = None  # 'own_government': with no recipient named, the actor's own authorities


class PatternBook:
    def __init__(self, path: Path):
        try:
            entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except (OSError, yaml.YAMLError) as err:
            raise KnowledgeError(f"{path}: cannot read trigger patterns ({err})") from err
        self.verbs: dict[str, list[Pattern]] = {}
        self.nouns: dict[str, Pattern] = {}
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict) or "type" not in entry:
                raise KnowledgeError(f"{path}: entry {number} has no `type`")
            base = Pattern(entry["type"], entry.get("mode"), entry.get("cameo"), bool(entry.get("embeds")),
                           int(entry.get("priority", 0)), joint=bool(entry.get("joint")),
                           recipient_preps=tuple(entry.get("recipient") or ()),
                           agent_preps=tuple(entry.get("agent") or ()),
                           clause_recipient=bool(entry.get("clause_recipient", True)),
                           reverse=bool(entry.get("reverse")),
                           negation_opens=bool(entry.get("negation_opens")),
                           mutual=bool(entry.get("mutual")))
            for phrase in entry.get("verbs") or []:
                lemma, *extra = str(phrase).lower().split()
                self.verbs.setdefault(lemma, []).append(replace(base, extra=tuple(extra)))
            for phrase in entry.get("nouns") or []:
                key = str(phrase).lower()
                if key not in self.nouns or self.nouns[key].priority < base.priority:
                    self.nouns[key] = base

    def match_verb(self, token: Token) -> Pattern | None:
        candidates = self.verbs.get(token.lemma_.lower(), []) + self.verbs.get(token.lower_, [])
        if not candidates:
            return None
        nearby = dependent_words(token)
        fitting = [p for p in candidates if all(word in nearby for word in p.extra)]
        if not fitting:
            return None
        return max(fitting, key=lambda p: (len(p.extra), p.priority))

    def is_bare(self, token: Token, pattern: Pattern) -> bool:
        """Whether the word alone matched, or with a preposition ('struck', 'flew to'; not 'air strike' or
        'release funds')."""
        if token.pos_ in {"NOUN", "PROPN"}:
            if self.noun_key(token) not in {token.lemma_.lower(), token.lower_}:
                return False  # 'air strike' matched whole
            return any(self.nouns.get(form) is pattern for form in (token.lemma_.lower(), token.lower_))
        return all(word in BARE_PREPOSITIONS for word in pattern.extra)

    def match_noun(self, token: Token) -> Pattern | None:
        key = self.noun_key(token)
        return self.nouns[key] if key is not None else None

    def noun_key(self, token: Token) -> str | None:
        """The longest noun pattern the token ends: 'air strike' before 'strike'."""
        words = [t for t in token.lefts if t.dep_ in {"compound", "amod"} and t.i >= token.i - 2] + [token]
        for start in range(len(words)):
            prefix = " ".join(t.lower_ for t in words[start:-1])
            for form in (token.lower_, token.lemma_.lower()):
                key = f"{prefix} {form}".strip()
                if key in self.nouns:
                    return key
        return None


def dependent_words(token: Token) -> set[str]:
    """Lemmas and forms of the trigger's dependents and their dependents (two levels, three through 'of':
    'imposed a package of sanctions')."""
    words: set[str] = set()
    for child in token.children:
        if child.dep_ not in ARGUMENT_DEPS:
            continue
        words.update({child.lemma_.lower(), child.lower_})
        for grandchild in child.children:
            words.update({grandchild.lemma_.lower(), grandchild.lower_})
            if grandchild.lower_ == "of":
                words.update(g.lemma_.lower() for g in grandchild.children if g.dep_ == "pobj")
    return words


def load_lexicon(path: Path) -> dict[str, frozenset[str]]:
    """The coder's word lists (data/coder_lexicon.yaml): name -> lemmas."""
    try:
        lists = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise KnowledgeError(f"{path}: cannot read the coder's word lists ({err})") from err
    if not isinstance(lists, dict) or not all(isinstance(words, list) for words in lists.values()):
        raise KnowledgeError(f"{path}: expected `name: [words]` entries")
    return {name: frozenset(str(word).lower() for word in words) for name, words in lists.items()}


def load_type_info(path: Path) -> dict[str, TypeInfo]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["type"]: TypeInfo(row["quad_class"], row["cameo_root"], float(row["score"]),
                                      row.get("default_recipient") or None)
                for row in csv.DictReader(handle)}


def load_mode_scores(path: Path) -> dict[tuple[str, str], float]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["type"], row["mode"]): float(row["score"]) for row in csv.DictReader(handle) if row["mode"]}


def load_modality_rules(path: Path) -> dict[tuple[str, str], str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["type"], row["modality"]): row["becomes"] for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class Codebook:
    """Everything the coder knows about PLOVER: triggers, type facts, mode scores, and the manual's rules for
    announced (future) actions."""

    patterns: PatternBook
    types: dict[str, TypeInfo]
    mode_scores: dict[tuple[str, str], float]
    modality_rules: dict[tuple[str, str], str]
    sector_rules: dict[tuple[str, str, str], str]
    senses: SenseModel  # the learned senses of ambiguous trigger words


def load_sector_rules(path: Path) -> dict[tuple[str, str, str], str]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["type"], row["mode"], row["source_sector"]): row["becomes"] for row in csv.DictReader(handle)}


@functools.cache
def load_codebook(data_dir: str | None = None) -> Codebook:
    folder = Path(data_dir) if data_dir else DATA_DIR
    return Codebook(PatternBook(folder / "event_patterns.yaml"), load_type_info(folder / "plover_types.csv"),
                    load_mode_scores(folder / "mode_scores.csv"), load_modality_rules(folder / "modality_rules.csv"),
                    load_sector_rules(folder / "sector_rules.csv"), SenseModel(folder / "trigger_senses.json"))
