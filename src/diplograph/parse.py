"""Parse stage: the spaCy English pipeline, loaded once per process."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .settings import SPACY_MODEL

# The lemmatizer needs the tagger and attribute_ruler; NER finds people and organisations.
UNUSED_COMPONENTS: tuple[str, ...] = ()


def load_model_package(model: str = SPACY_MODEL, exclude: Iterable[str] = ()) -> Language:
    """A fresh copy of the English pipeline from its installed package; no model hub is ever contacted."""
    try:
        package = importlib.import_module(model)
    except ImportError as err:
        raise RuntimeError(
            f"spaCy model package {model!r} is not installed; run `make install` (it is pinned in pyproject.toml)"
        ) from err
    return package.load(exclude=list(exclude))


@functools.cache
def load_nlp(model: str = SPACY_MODEL) -> Language:
    """The English pipeline diplograph parses with, loaded once per process."""
    nlp = load_model_package(model, exclude=UNUSED_COMPONENTS)
    nlp.max_length = 2_000_000
    return nlp


def parse_texts(texts: Iterable[str], batch_size: int = 32, model: str = SPACY_MODEL) -> Iterator[Doc]:
    """Parse texts in batches with nlp.pipe, preserving order."""
    return load_nlp(model).pipe(texts, batch_size=batch_size)


def blank_doc(text: str) -> Doc:
    """A tokenised but unparsed Doc, for articles we store without coding."""
    return spacy.blank("en")(text)
