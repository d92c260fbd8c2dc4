"""parse -> actors -> events: everything the pipeline does to one cleaned article or one text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span

from .actors import ActorResolver
from .events import EventCoder
from .knowledge import load_knowledge
from .models import ActorMention, Article, CodedArticle, Event, Sentence
from .parse import load_nlp
from .patterns import load_codebook
from .settings import Settings

SURROGATES = re.compile("[\ud800-\udfff]")


@Language.component("newline_sentences")
def newline_sentences(doc: Doc) -> Doc:
    """Every line of a cleaned article starts a sentence: headlines and captions have no final full stop."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


class Analyzer:
    """parse -> actors -> events for cleaned articles or single texts; loads the model and knowledge once."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.nlp = load_nlp(self.settings.spacy_model)
        if "newline_sentences" not in self.nlp.pipe_names:
            self.nlp.add_pipe("newline_sentences", before="parser")
        data_dir = str(self.settings.data_dir)
        knowledge = load_knowledge(data_dir)
        self.resolver = ActorResolver(knowledge, self.nlp)
        self.coder = EventCoder(load_codebook(data_dir), knowledge.sector_terms)

    def code_text(self, text: str, published: date | None = None) -> list[Event]:
        doc = self.nlp(without_surrogates(text))
        actors = self.resolver.resolve(doc, published)
        return self.coder.code(doc, actors, published)

    def code_texts(self, items: Sequence[tuple[str, date | None]]) -> list[list[Event]]:
        docs = self.nlp.pipe((without_surrogates(text) for text, _ in items), batch_size=self.settings.batch_size)
        results = []
        for doc, (_, published) in zip(docs, items, strict=True):
            results.append(self.coder.code(doc, self.resolver.resolve(doc, published), published))
        return results

    def code_articles(self, articles: Sequence[Article]) -> list[CodedArticle]:
        coded_texts = [a.body if a.coded else "" for a in articles]
        docs = self.nlp.pipe(coded_texts, batch_size=self.settings.batch_size)
        return [self.code_parsed(article, doc) for article, doc in zip(articles, docs, strict=True)]

    def code_parsed(self, article: Article, doc: Doc) -> CodedArticle:
        if not article.coded:
            return CodedArticle(article, [], [], [])
        published = parse_iso(article.published)
        spans = [s for s in doc.sents if s.text.strip()]
        sentences = [Sentence(i, s.start_char, s.end_char, s.text, sentence_kind(s, article))
                     for i, s in enumerate(spans)]
        actors = self.resolver.resolve(doc, published, self.resolver.knowledge.outlet_country(article.outlet))
        assign_sentences(actors.mentions, spans)
        events = self.coder.code(doc, actors, published, sentences=spans)
        return CodedArticle(article, sentences, actors.mentions, events)


def without_surrogates(text: str) -> str:
    """A lone surrogate (from a JSON escape such as \\ud800) cannot be encoded: spaCy would raise. Same length."""
    return SURROGATES.sub("\ufffd", text)


def parse_iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def sentence_kind(span: Span, article: Article) -> str:
    text = span.text.strip()
    if article.title and text == article.title.strip():
        return "title"
    if any(text and text in caption for caption in article.captions):
        return "caption"
    return "body"


def assign_sentences(mentions: list[ActorMention], spans: list[Span]) -> None:
    for mention in mentions:
        for index, span in enumerate(spans):
            if span.start_char <= mention.start < span.end_char:
                mention.sentence_index = index
                break
