"""A small learned model for trigger words whose PLOVER type depends on context: 'struck rebel positions'
(ASSAULT) against 'struck a deal' (AGREE) or 'an earthquake struck' (no event).

The training sentences are ours (data/trigger_senses.yaml); tools/train_senses.py fits one multinomial logistic
regression per word over features of the dependency parse and writes data/trigger_senses.json. Running it needs
no scikit-learn: a prediction is a sum of weights.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.tokens import Token

from .knowledge import KnowledgeError

FILLERS = {
    "A": ["France", "Russia", "Turkey", "Iran", "India", "Brazil", "Kenya", "Japan", "Ukraine", "Egypt"],
    "B": ["Armenia", "Pakistan", "Sudan", "Mexico", "Poland", "Syria", "Vietnam", "Nigeria", "Georgia", "Peru"],
    "C": ["Kharkiv", "Aleppo", "Mosul", "Gaza City", "Donetsk", "Khartoum", "Mogadishu", "Karachi", "Lagos", "Lima"],
}
COPIES = 3  # each training sentence is used with this many different fillers
DENSE_SCALE = 0.2  # context vectors count for less than the parse's words (best on held-out sentences)


def features(token: Token, people: frozenset[str] = frozenset()) -> dict[str, float]:
    """What the parse says around a trigger word: its dependents, its head, nearby words. Names are replaced by
    their entity type so that the model learns constructions, not countries; `people` (the sector terms:
    'prisoners', 'troops', 'rebels') marks dependents that are people."""
    def word(t: Token) -> str:
        return f"ENT:{t.ent_type_}" if t.ent_type_ and t.pos_ == "PROPN" else t.lemma_.lower()

    def is_people(t: Token) -> bool:
        return t.ent_type_ in {"PERSON", "NORP", "GPE", "ORG"} or t.lower_ in people or t.lemma_.lower() in people

    found = {f"dep:{token.dep_}": 1.0, f"head:{word(token.head)}": 1.0, f"tag:{token.tag_}": 1.0}
    for child in token.children:
        found[f"child:{child.dep_}:{word(child)}"] = 1.0
        found[f"childword:{word(child)}"] = 1.0
        if is_people(child):
            found[f"people:{child.dep_}"] = 1.0
        for grandchild in child.children:
            if grandchild.dep_ in {"pobj", "compound", "amod"}:
                found[f"grand:{child.lower_}:{word(grandchild)}"] = 1.0
    doc = token.doc
    for other in doc[max(0, token.i - 4):token.i + 5]:
        if other.i != token.i and not other.is_punct:
            found[f"near:{word(other)}"] = 1.0
    if doc.tensor is not None and len(doc.tensor):  # the parser's own context vectors: meaning, not spelling
        for index, value in enumerate(token.vector):
            found[f"v{index}"] = DENSE_SCALE * float(value)
        argument = next((c for c in token.children if c.dep_ in {"dobj", "nsubj", "nsubjpass", "attr"}), None)
        for index, value in enumerate(argument.vector if argument is not None else ()):
            found[f"a{index}"] = DENSE_SCALE * float(value)
    return found


class SenseModel:
    """Per word and part of speech: classes, intercepts and feature weights."""

    def __init__(self, path: Path):
        try:
            self.models: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.models = {}
        except (OSError, ValueError) as err:
            raise KnowledgeError(f"{path}: cannot read the trigger sense model ({err})") from err

    def predict(self, token: Token, people: frozenset[str] = frozenset()) -> str | None:
        """The most likely sense of the word ('ASSAULT', 'AGREE', 'NONE'), or None for a word it has no model of."""
        model = self.models.get(key_of(token))
        if model is None:
            return None
        return decide(model, features(token, people))


def decide(model: dict[str, Any], found: dict[str, float]) -> str:
    scores = list(model["intercept"])
    for name, value in found.items():
        for index, weight in enumerate(model["weights"].get(name, ())):
            scores[index] += weight * value
    return model["classes"][max(range(len(scores)), key=scores.__getitem__)]


def key_of(token: Token) -> str:
    return f"{token.lemma_.lower()}/{'NOUN' if token.pos_ in {'NOUN', 'PROPN'} else 'VERB'}"


Example = tuple[dict[str, float], str, int]  # features, sense, the written sentence it comes from


def training_examples(spec_path: Path, nlp: Language, people: frozenset[str] = frozenset()
                      ) -> dict[str, list[Example]]:
    """Feature dicts and senses per model key, from the sentences of data/trigger_senses.yaml."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    chooser = random.Random(13)
    examples: dict[str, list[Example]] = {}
    group = 0
    for name, entry in spec.items():
        lemma, pos = entry.get("lemma", name), entry["pos"]
        for sense, sentences in entry["senses"].items():
            for sentence in sentences:
                group += 1
                for _ in range(COPIES):
                    text = sentence.format(**{slot: chooser.choice(words) for slot, words in FILLERS.items()})
                    doc = nlp(text)
                    token = next((t for t in doc if t.lemma_.lower() == lemma and key_of(t).endswith(pos)), None)
                    if token is None:  # the parser read the word otherwise: that model never sees this sentence
                        continue
                    examples.setdefault(f"{lemma}/{pos}", []).append((features(token, people), sense, group))
    return examples


def fit(examples: list[Example]) -> dict[str, Any]:
    """One multinomial logistic regression, exported as plain weights."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([found for found, _, _ in examples])
    model = LogisticRegression(C=2.0, max_iter=2000).fit(matrix, [sense for _, sense, _ in examples])
    classes = [str(c) for c in model.classes_]
    coef = model.coef_ if len(classes) > 2 else [-model.coef_[0], model.coef_[0]]
    intercept = model.intercept_ if len(classes) > 2 else [-model.intercept_[0], model.intercept_[0]]
    weights = {name: [round(float(row[column]), 5) for row in coef]
               for name, column in vectorizer.vocabulary_.items()}
    return {"classes": classes, "intercept": [round(float(v), 5) for v in intercept], "weights": weights}
