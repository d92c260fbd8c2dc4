"""Actors stage: resolve spans of a parsed article to actor codes.

Countries, IGOs and metonyms come from the gazetteer (never from NER labels, which confuse countries with people
and organisations); NER is used only to find people. People get their country from the office-holder table at the
article's date, from titles and appositions in the article itself, or from coreference with earlier mentions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .knowledge import Knowledge, OfficeHolder, Term
from .models import ActorMention

MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
GROUP_REFERENCES = {"sides", "parties"}
PAIR_WORDS = {"two", "both"}
ENVOYS = {"ambassador", "envoy", "representative", "consul", "attaché", "attache", "charge", "chargé", "embassy",
          "mission", "delegation"}
RELATIONAL_PEOPLE = {"counterpart", "guest", "host", "visitor", "interlocutor"}
NAME_ENTITY_TYPES = {"ORG", "WORK_OF_ART", "FAC", "EVENT", "PRODUCT", "LAW"}
PAIR_PEOPLE = {"minister", "leader", "president", "diplomat", "official", "counterpart", "head"}
ORGANISATION_REFERENCES = {"alliance", "bloc", "organization", "organisation", "union", "body", "mission"}
ROLE_REFERENCES = {"diplomat", "minister", "envoy", "ambassador", "spokesman", "spokeswoman", "spokesperson",
                   "general", "president", "premier", "chancellor", "leader", "official", "commander", "secretary",
                   "prime minister", "mediator", "negotiator"}
PAIR_STATES = {"country", "nation", "state", "government", "neighbor", "neighbour"}
PLACE_ENTITIES = {"GPE", "LOC", "FAC"}
WATERS = {"gulf", "sea", "strait", "straits", "bay"}  # 'the Sea of Japan' is water, not Japan
STANCE_PREFIXES = {"anti", "pro"}
REGION_PREFIXES = {"latin", "south", "central", "north", "meso", "pan"}
COUNTRY_REFERENCES = {"country", "nation", "state", "government"}


@dataclass
class ArticleActors:
    """The resolved actors of one article, with a token index for the event coder."""

    mentions: list[ActorMention] = field(default_factory=list)
    by_token: dict[int, list[ActorMention]] = field(default_factory=dict)

    def add(self, mention: ActorMention, tokens: Iterable[int]) -> None:
        self.mentions.append(mention)
        for i in tokens:
            self.by_token.setdefault(i, []).append(mention)

    def at(self, token: Token) -> list[ActorMention]:
        return self.by_token.get(token.i, [])

    def replace(self, old: ActorMention, new: ActorMention) -> None:
        self.mentions = [new if m is old else m for m in self.mentions]
        for i, found in self.by_token.items():
            self.by_token[i] = [new if m is old else m for m in found]


@dataclass
class Person:
    name: str
    code: str
    sector: str | None
    role: str | None
    method: str


class ActorResolver:
    """Finds and resolves actor mentions in spaCy Docs using the knowledge files."""

    def __init__(self, knowledge: Knowledge, nlp: Language):
        self.knowledge = knowledge
        self.title_words = frozenset(knowledge.sector_terms) | frozenset(knowledge.roles)  # 'coordinator', 'minister'
        self.term_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.terms: list[Term] = []
        self.add_terms(nlp, knowledge.terms)
        self.person_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.person_keys: list[OfficeHolder] = []
        self.add_people(nlp, knowledge.office_holders)

    # -- building the matchers ------------------------------------------------------------------------------
    def add_terms(self, nlp: Language, terms: Iterable[Term]) -> None:
        for term in terms:
            variants = {term.text, term.text.upper()}
            if term.text.lower().startswith("the "):
                variants.add("The " + term.text[4:])
                variants.add(term.text[4:])
            for variant in variants:
                self.terms.append(term)
                self.term_matcher.add(str(len(self.terms) - 1), [nlp.make_doc(variant)])

    def add_people(self, nlp: Language, holders: Iterable[OfficeHolder]) -> None:
        for holder in holders:
            for variant in {holder.name, *holder.aliases}:
                self.person_keys.append(holder)
                self.person_matcher.add(str(len(self.person_keys) - 1), [nlp.make_doc(variant)])

    # -- resolution -------------------------------------------------------------------------------------------
    def resolve(self, doc: Doc, published: date | None, home: str | None = None) -> ArticleActors:
        """All actor mentions of a parsed article; `home` is the outlet's country, which 'the Ministry' and
        untitled strangers belong to when the article names no other."""
        actors = ArticleActors()
        people: dict[str, Person] = {}
        taken: set[int] = set()
        for span, person in self.find_people(doc, published, people):
            actors.add(self.mention(span, person.code, person.sector, "person", person), range(span.start, span.end))
            taken.update(range(span.start, span.end))
        for span, term in self.find_terms(doc):
            if taken.intersection(range(span.start, span.end)) or not_the_state(span, term):
                continue
            self.add_term_mention(doc, span, term.on(published), published, actors)
        self.add_titled_strangers(doc, actors, taken, home)
        self.add_surnames(doc, actors, taken)
        self.resolve_references(doc, actors, people, published)
        self.reread_ambiguous_places(actors)
        actors.mentions.sort(key=lambda m: (m.start, m.end))
        return actors

    def reread_ambiguous_places(self, actors: ArticleActors) -> None:
        """'Tripoli' is Libya's capital, unless the article names Lebanon and not Libya: then it is Lebanon's city
        (data/ambiguous_places.csv)."""
        for mention in list(actors.mentions):
            readings = self.knowledge.other_readings.get(mention.text)
            if not readings:
                continue
            elsewhere = {m.code for m in actors.mentions if m.text != mention.text}
            other = next((code for code in readings if code in elsewhere), None)
            if other is not None and mention.code not in elsewhere:
                actors.replace(mention, replace(mention, code=other, sector=None, method="location"))

    def mention(self, span: Span, code: str, sector: str | None, method: str, person: Person | None = None
                ) -> ActorMention:
        return ActorMention(
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            code=code,
            sector=sector,
            person=person.name if person else None,
            role=person.role if person else None,
            method=person.method if person else method,
            sentence_index=-1,
        )

    def find_terms(self, doc: Doc) -> list[tuple[Span, Term]]:
        spans = []
        for match_id, start, end in self.term_matcher(doc):
            term = self.terms[int(doc.vocab.strings[match_id])]
            spans.append((Span(doc, start, end), term))
        spans.sort(key=lambda pair: (-(pair[0].end - pair[0].start), pair[0].start, pair[1].kind != "seat"))
        chosen: list[tuple[Span, Term]] = []
        used: set[int] = set()
        for span, term in spans:
            if used.intersection(range(span.start, span.end)) or self.is_part_of_other_name(span, term):
                continue
            used.update(range(span.start, span.end))
            chosen.append((span, term))
        return sorted(chosen, key=lambda pair: pair[0].start)

    def is_part_of_other_name(self, span: Span, term: Term) -> bool:
        """'Washington Post', 'Paris Club', 'UN Climate Change Conference': a capital or organisation opening a
        longer proper name that is not one of its institutions. Country names stay: 'Kenya Anti-Corruption
        Commission' is Kenyan."""
        if term.kind not in {"capital", "igo"} or span.end >= len(span.doc):
            return False
        after = span.doc[span.end]
        end = span.end
        while end < len(span.doc) and span.doc[end].ent_iob_ == "I":
            end += 1
        last = span.doc[end - 1].lower_  # 'United Nations Emergency Relief Coordinator': a title, not a name
        return (after.pos_ == "PROPN" and after.ent_iob_ == "I" and after.ent_type_ in NAME_ENTITY_TYPES
                and after.lower_ not in self.title_words and last not in self.title_words)

    def add_term_mention(self, doc: Doc, span: Span, term: Term, published: date | None,
                         actors: ArticleActors) -> None:
        if term.kind == "capital" and span.start > 0 and doc[span.start - 1].lower_ == "official":
            span = Span(doc, span.start - 1, span.end)
        if term.kind == "world_city" and doc[span.start].ent_type_ not in PLACE_ENTITIES:
            return  # 'Mobile', 'Reading': a city of the world gazetteer only where the parser sees a place
        method = {"capital": "metonym", "seat": "metonym", "city": "location", "world_city": "location"
                  }.get(term.kind, "gazetteer")
        phrase = self.sector_phrase(span)
        if phrase is not None:
            head_span, sector, role = phrase
            person = self.person_for_role(term.code, role, published) if role else None
            method = "role_table" if person else "institution"
            whole = Span(doc, min(span.start, head_span.start), max(span.end, head_span.end))
            actors.add(self.mention(whole, term.code, sector, method, person), range(whole.start, whole.end))
            return
        actors.add(self.mention(span, term.code, term.sector, method), range(span.start, span.end))

    def sector_phrase(self, span: Span) -> tuple[Span, str, str | None] | None:
        """For 'Armenian Defense Ministry' or 'Azerbaijan's leadership': the head phrase, its sector and role."""
        root = [t for t in span if t.pos_ != "DET"][-1] if any(t.pos_ != "DET" for t in span) else span.root
        while root.dep_ == "conj" and root.head.dep_ in MODIFIER_DEPS:  # 'Azerbaijani and Turkish troops'
            root = root.head
        head = root.head if root.dep_ in MODIFIER_DEPS or root.dep_ == "case" else None
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ in {"NOUN", "PROPN"}:
            head = root.head.head  # the government of Armenia
        if head is None or head.i == root.i or head.pos_ not in {"NOUN", "PROPN"}:
            return None
        chain = compound_chain(head)
        words = [t for t in chain if t.i not in range(span.start, span.end) and t.pos_ != "DET"]
        role_of = self.role_with_complement(head, words)
        if role_of is not None:
            return role_of
        for size in range(len(words), 0, -1):
            phrase = " ".join(t.lower_ for t in words[-size:])
            lemma_phrase = " ".join([t.lower_ for t in words[-size:-1]] + [words[-1].lemma_.lower()])
            for key in (phrase, lemma_phrase):
                if key in self.knowledge.roles:
                    role, sector = self.knowledge.roles[key]
                    return Span(span.doc, words[-size].i, head.i + 1), sector, role
                if key in self.knowledge.sector_terms:
                    sector, _kind = self.knowledge.sector_terms[key]
                    return Span(span.doc, words[-size].i, head.i + 1), sector, None
        return None

    def role_with_complement(self, head: Token, words: list[Token]) -> tuple[Span, str, str | None] | None:
        """'secretary of state', 'minister of foreign affairs': a role named with an `of` phrase."""
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
            for obj in (g for g in prep.children if g.dep_ == "pobj"):
                tail = " ".join(t.lower_ for t in compound_chain(obj))
                for size in range(len(words), 0, -1):
                    key = " ".join(t.lower_ for t in words[-size:]) + " of " + tail
                    if key in self.knowledge.roles:
                        role, sector = self.knowledge.roles[key]
                        return Span(head.doc, words[-size].i, obj.i + 1), sector, role
        return None

    def person_for_role(self, code: str, role: str, published: date | None) -> Person | None:
        holders = self.knowledge.holders(code, role, published)
        if published is None or len(holders) != 1:
            return None
        holder = holders[0]
        return Person(holder.name, holder.country, holder.sector, holder.role, "role_table")

    # -- people -----------------------------------------------------------------------------------------------
    def find_people(self, doc: Doc, published: date | None, people: dict[str, Person]
                    ) -> list[tuple[Span, Person]]:
        candidates: dict[tuple[int, int], OfficeHolder | None] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                end = ent.end
                while end > ent.start + 1 and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
                    end -= 1  # "Pashinyan’s"
                candidates[(ent.start, end)] = None
        for start, end in self.titled_name_runs(doc):
            if not any(s <= start < e or start <= s < end for s, e in candidates):
                candidates[(start, end)] = None
        whole_names: set[tuple[int, int]] = set()
        for match_id, start, end in self.person_matcher(doc):
            holder = self.person_keys[int(doc.vocab.strings[match_id])]
            if end - start == 1 and doc[start].ent_type_ != "PERSON" and not (
                    doc[start].pos_ == "PROPN" and not doc[start].ent_type_ and published
                    and holder.holds_office_on(published)):
                continue  # a bare surname ('Montenegro', 'Gross') counts where the parser sees a person, or names
                # an untagged proper noun holding that office on the article's date ('Pashinyan thanked ...')
            key = next(((s, e) for s, e in candidates if s <= start and end <= e), (start, end))
            if key[1] != end:
                continue  # 'Guillaume' inside 'Guillaume Ollagnier' is somebody else
            current, whole = candidates.get(key), (start, end) == key
            if current is None or (whole and key not in whole_names) or (
                    (whole or key not in whole_names) and published and holder.holds_office_on(published)):
                candidates[key] = holder  # a match of the whole name beats a surname inside it ('Jan Fischer')
                if whole:
                    whole_names.add(key)
        found = []
        term_tokens = {i for _, s, e in self.term_matcher(doc) for i in range(s, e)}
        for (start, end), holder in sorted(candidates.items()):
            span = Span(doc, start, end)
            if holder is None and set(range(start, end)) <= term_tokens:
                continue  # 'Azerbaijani' tagged PERSON by the NER is a demonym
            person = self.person_from_text(span, people) or self.person_from_table(span, holder, published, people)
            if person is None:
                continue
            people[person.name] = person
            titled = with_title(span)
            found.append((span if self.names_a_place(titled[:len(titled) - len(span)]) else titled, person))
        return merge_overlaps(found)

    def titled_name_runs(self, doc: Doc) -> list[tuple[int, int]]:
        """Names the NER missed: two or more capitalised proper nouns with a title or an apposition naming a
        role ('Olivier Marchand, the French ambassador')."""
        runs, start = [], None
        for token in list(doc) + [None]:
            is_name = token is not None and ((token.pos_ == "PROPN" and token.text[:1].isupper() and token.is_alpha)
                                             or is_name_hyphen(token))
            if is_name and start is None:
                start = token.i
            elif not is_name and start is not None:
                span = Span(doc, start, token.i if token is not None else len(doc))
                while len(span) > 1 and (span[0].lower_ in self.knowledge.roles | self.knowledge.sector_terms.keys()
                                         or self.names_a_place(span[:1])):
                    span = span[1:]
                span = last_names(span)  # 'Ecological Transition Agnès Pannier-Runacher' -> the person
                titled = self.has_title_word(span) or any(
                    self.is_title_word(t) for t in preceding_title(span, through=True))
                looks_like_a_name = span[-1].lower_ not in self.knowledge.sector_terms | self.knowledge.roles.keys()
                if len(span) >= 2 and looks_like_a_name and not self.names_a_place(span) and titled:
                    runs.append((span.start, span.end))
                start = None
        return runs

    def names_a_place(self, span: Span) -> bool:
        return any(self.terms[int(span.doc.vocab.strings[m])].kind != "adjective"
                   for m, s, e in self.term_matcher(span.doc) if span.start <= s < span.end)

    def person_from_table(self, span: Span, holder: OfficeHolder | None, published: date | None,
                          people: dict[str, Person]) -> Person | None:
        known = self.known_person(span.text, people)
        if known is not None:
            return known
        if holder is None:
            return None
        candidates = [h for h in self.knowledge.office_holders if h.name == holder.name]
        if published is not None:
            candidates = [h for h in candidates if h.holds_office_on(published)] or candidates
        best = candidates[0] if candidates else holder
        return Person(best.name, best.country, best.sector, best.role, "role_table")

    @staticmethod
    def known_person(text: str, people: dict[str, Person]) -> Person | None:
        for person in people.values():
            parts = person.name.split()
            if text == person.name or (len(text.split()) == 1 and parts and text == parts[-1]):
                return Person(person.name, person.code, person.sector, person.role, "surname")
        return None

    def person_from_text(self, span: Span, people: dict[str, Person]) -> Person | None:
        """A title or apposition in the article: 'Armenian Defense Minister Suren Papikyan', 'Gross, the French
        ambassador', 'President of Kazakhstan Kassym-Jomart Tokayev'."""
        title_tokens = self.title_tokens(span)
        country = self.country_in(title_tokens)
        if country is None:  # the parser may hang the name on the title's place: 'French Ambassador in Baku Gross'
            title_tokens = preceding_title(span, through=True)
            country = self.country_in(title_tokens)
        if country is None:
            return None
        role, sector = self.role_in(title_tokens)
        return Person(span.text, country, sector, role, "apposition")

    def title_tokens(self, span: Span) -> list[Token]:
        root = span.root
        tokens = [t for t in root.subtree if t.i < span.start or t.i >= span.end]
        left = [t for t in tokens if t.i < span.start and t.dep_ not in {"punct", "det"}]
        appositions = [t for t in root.children if t.dep_ == "appos"]
        if root.dep_ == "appos":
            appositions.append(root.head)
            left += [t for t in root.head.subtree if t.i < span.start and not t.is_punct]
        for appos in appositions:
            left += [t for t in appos.subtree if t.i < span.start or t.i >= span.end]
        return [t for t in left if t.pos_ != "VERB" and t.dep_ not in {"relcl", "acl"} and not posting_place(t)]

    def country_in(self, tokens: list[Token]) -> str | None:
        if not tokens:
            return None
        doc = tokens[0].doc
        ids = {t.i for t in tokens}
        for match_id, start, end in self.term_matcher(doc):
            if set(range(start, end)) <= ids:
                return self.terms[int(doc.vocab.strings[match_id])].code
        return None

    def role_in(self, tokens: list[Token]) -> tuple[str | None, str | None]:
        words = [t.lower_ for t in sorted(tokens, key=lambda t: t.i)]
        text = " ".join(words)
        best: tuple[str | None, str | None] = (None, "GOV")
        for term, (role, sector) in self.knowledge.roles.items():
            if f" {term} " in f" {text} " and (best[0] is None or len(term) > len(best[0] or "")):
                best = (role, sector)
        if best[0] is None:
            for word in reversed(words):
                if word in self.knowledge.sector_terms:
                    return None, self.knowledge.sector_terms[word][0]
        return best

    def add_titled_strangers(self, doc: Doc, actors: ArticleActors, taken: set[int], home: str | None) -> None:
        """'President Dawda Jawara' with no country in the text or the role table: an official of the country the
        article is mostly about."""
        counts: dict[str, int] = {}
        for mention in actors.mentions:
            if not mention.code.startswith(("IGO:", "NGO:")):
                counts[mention.code] = counts.get(mention.code, 0) + 1
        if not counts:
            return
        country = max(counts, key=lambda code: (counts[code], -min(m.start for m in actors.mentions
                                                                      if m.code == code)))
        for ent in doc.ents:
            if ent.label_ != "PERSON" or taken.intersection(range(ent.start, ent.end)):
                continue
            role, sector = self.role_in(self.title_tokens(ent))
            if role is None and sector == "GOV" and not self.has_title_word(ent):
                continue
            person = Person(ent.text, country, sector, role, "context")
            actors.add(self.mention(ent, country, sector, "context", person), range(ent.start, ent.end))
            taken.update(range(ent.start, ent.end))
        self.add_bare_institutions(doc, actors, home or country)

    def add_bare_institutions(self, doc: Doc, actors: ArticleActors, country: str) -> None:
        """'was summoned to the Ministry': a definite institution with no country of its own belongs to the
        country the article is mostly about."""
        for token in doc:
            term = self.knowledge.sector_terms.get(token.lower_)
            if term is None or term[1] != "institution" or token.i in actors.by_token or token.pos_ == "PROPN" and (
                    token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN"):
                continue
            children = list(token.children)
            if not any(c.lower_ == "the" for c in children) or any(
                    c.dep_ in {"amod", "compound", "poss"} or (c.dep_ == "prep" and c.lower_ in {"of", "in"})
                    for c in children):
                continue
            span = Span(doc, token.i, token.i + 1)
            actors.add(self.mention(span, country, term[0], "context"), [token.i])

    @staticmethod
    def add_surnames(doc: Doc, actors: ArticleActors, taken: set[int]) -> None:
        """A bare surname after the full name ('Zakharova accused Yerevan') that the NER did not tag."""
        people = sorted((m for m in actors.mentions if m.person), key=lambda m: m.start)
        for token in doc:
            if token.i in taken or token.pos_ != "PROPN" or token.i in actors.by_token:
                continue
            earlier = [m for m in people if m.end <= token.idx and m.person.split()[-1] == token.text]
            if earlier:
                person = earlier[-1]
                actors.add(ActorMention(token.idx, token.idx + len(token.text), token.text, person.code,
                                        person.sector, person.person, person.role, "surname"), [token.i])

    def has_title_word(self, span: Span) -> bool:
        return any(self.is_title_word(t) for t in self.title_tokens(span))

    def is_title_word(self, token: Token) -> bool:
        return token.lower_ in self.knowledge.roles or self.knowledge.sector_terms.get(token.lower_, ("", ""))[1] in {
            "role", "institution"}

    # -- references: pronouns, definite descriptions ----------------------------------------------------------
    def resolve_references(self, doc: Doc, actors: ArticleActors, people: dict[str, Person],
                           published: date | None) -> None:
        for token in doc:
            if token.i in actors.by_token:
                continue
            lower = token.lower_
            definite = any(c.lower_ in {"the", "this", "that"} for c in token.children)
            if lower in PERSON_PRONOUNS:
                antecedent = self.last_person_before(actors, token)
                if antecedent is not None:
                    actors.add(self.copy(antecedent, token, "coreference"), [token.i])
            elif lower in {"it", "they"} and token.dep_ in {"nsubj", "nsubjpass"}:
                antecedent = self.previous_subject(actors, token)
                if antecedent is not None:
                    actors.add(self.copy(antecedent, token, "coreference"), [token.i])
            elif token.pos_ == "NOUN" and any(c.lower_ in PAIR_WORDS for c in token.children) and (
                    token.lemma_ in PAIR_PEOPLE | PAIR_STATES | GROUP_REFERENCES):
                for member in self.last_two_actors(actors, token, people_only=token.lemma_ in PAIR_PEOPLE):
                    actors.add(self.copy(member, token, "coreference"), [token.i])
            elif lower in GROUP_REFERENCES and definite:
                for member in self.last_two_actors(actors, token):
                    actors.add(self.copy(member, token, "coreference"), [token.i])
            elif token.lemma_ in ORGANISATION_REFERENCES and definite and not has_modifier(token):
                antecedent = next((m for m in reversed(actors.mentions) if m.end <= token.idx
                                   and m.code.startswith(("IGO:", "NGO:"))), None)
                if antecedent is not None:
                    actors.add(self.copy(antecedent, token, "coreference"), [token.i])
            elif token.pos_ == "NOUN" and (token.lemma_ in ROLE_REFERENCES or token.lower_ in ROLE_REFERENCES) and (
                    definite and not has_modifier(token)):
                antecedent = self.last_person_before(actors, token)
                if antecedent is not None:
                    actors.add(self.copy(antecedent, token, "coreference"), [token.i])
            elif token.lemma_ in RELATIONAL_PEOPLE:
                self.resolve_counterpart(token, actors, published)

    def resolve_counterpart(self, token: Token, actors: ArticleActors, published: date | None) -> None:
        """'his Armenian counterpart': same role as the possessor, in the country the adjective names;
        'his Iranian guest': the person of that country named last."""
        modifiers = [c for c in token.children if c.dep_ in {"amod", "compound"} and actors.at(c)]
        owner = next((m for c in token.children for m in actors.at(c) if c.dep_ == "poss"), None)
        if not modifiers:
            return
        country = actors.at(modifiers[0])[0]
        if token.lemma_ == "counterpart":
            role = owner.role if owner else None
            person = self.person_for_role(country.code, role, published) if role else None
        else:
            named = [m for m in actors.mentions if m.person and m.code == country.code and m.end <= token.idx]
            person = Person(named[-1].person, country.code, named[-1].sector, named[-1].role, "coreference") \
                if named else None
        span = Span(token.doc, modifiers[0].i, token.i + 1)
        sector = person.sector if person else (owner.sector if owner else "GOV")
        actors.add(self.mention(span, country.code, sector, "coreference", person), range(span.start, span.end))

    @staticmethod
    def copy(antecedent: ActorMention, token: Token, method: str) -> ActorMention:
        return ActorMention(
            start=token.idx,
            end=token.idx + len(token.text),
            text=token.text,
            code=antecedent.code,
            sector=antecedent.sector,
            person=antecedent.person,
            role=antecedent.role,
            method=method,
        )

    @staticmethod
    def last_person_before(actors: ArticleActors, token: Token) -> ActorMention | None:
        """The antecedent of 'he', 'his', 'the minister': the person last named as a subject, preferring the
        subject of the current sentence when the pronoun opens it ('In his remarks, Séjourné ...')."""
        people = [m for m in actors.mentions if m.person and m.method != "coreference"]
        sentence = token.sent
        if token.dep_ in {"dobj", "pobj", "dative", "iobj"}:  # 'Blinken urged him': not the clause's own subject
            people = [m for m in people if not (sentence.start_char <= m.start < sentence.end_char
                                                and is_subject(m, token.doc))]
        here = [m for m in people if sentence.start_char <= m.start < sentence.end_char and is_subject(m, token.doc)]
        if here and token.dep_ == "poss" and here[0].start > token.idx:
            return here[0]
        before = [m for m in people if m.end <= token.idx]
        if not before:
            return None
        latest = max(before, key=lambda m: m.start)
        text = token.doc.text  # rebuilt by spaCy on every access: read it once
        nearby = text[latest.start:token.idx].count(". ") <= 2
        subjects = [m for m in before if is_subject(m, token.doc) and text[m.start:token.idx].count(". ") <= 2]
        return max(subjects, key=lambda m: m.start) if subjects and nearby else latest

    @staticmethod
    def previous_subject(actors: ArticleActors, token: Token) -> ActorMention | None:
        """'The CSTO sent a mission. It did not ...': the non-person subject of the sentence before."""
        sentence = token.sent
        if sentence.start == 0:
            return None
        previous = token.doc[sentence.start - 1].sent
        for mention in actors.mentions:
            if previous.start_char <= mention.start < previous.end_char and not mention.person and is_subject(
                    mention, token.doc):
                return mention
        return None

    @staticmethod
    def last_two_actors(actors: ArticleActors, token: Token, people_only: bool = False) -> list[ActorMention]:
        seen: dict[str, ActorMention] = {}
        for mention in sorted(actors.mentions, key=lambda m: -m.start):
            if mention.end > token.idx or mention.code in seen or (people_only and not mention.person):
                continue
            if not people_only and mention.code.startswith(("IGO:", "NGO:")):
                continue
            seen[mention.code] = mention
            if len(seen) == 2:
                break
        return sorted(seen.values(), key=lambda m: m.start) if len(seen) == 2 else []


def last_names(span: Span, most: int = 2) -> Span:
    """The last `most` words of a run of capitalised words, hyphenated parts included."""
    words = 0
    start = span.end
    while start > span.start and words < most:
        start -= 1
        if not is_name_hyphen(span.doc[start]) and not (start + 1 < span.end and is_name_hyphen(span.doc[start + 1])):
            words += 1
    while start > span.start and is_name_hyphen(span.doc[start - 1]):
        start -= 2
    return Span(span.doc, max(start, span.start), span.end)


def is_name_hyphen(token: Token) -> bool:
    """The hyphen inside 'Pannier-Runacher' or 'Kassym-Jomart'."""
    doc = token.doc
    return (token.text == "-" and not token.whitespace_ and 0 < token.i < len(doc) - 1
            and not doc[token.i - 1].whitespace_ and doc[token.i - 1].text[:1].isupper()
            and doc[token.i + 1].text[:1].isupper())


def with_title(span: Span) -> Span:
    """'Iranian President Masoud Pezeshkian': the name with the title words right before it, as one mention."""
    start = span.start
    while start > 0:
        previous = span.doc[start - 1]
        if previous.dep_ not in {"compound", "amod"} or not (span.start <= previous.head.i < span.end
                                                             or start <= previous.head.i < span.start):
            break
        start -= 1
    return Span(span.doc, start, span.end)


def has_modifier(token: Token) -> bool:
    return any(c.dep_ in {"amod", "compound", "poss"} for c in token.children)


def preceding_title(span: Span, width: int = 6, through: bool = False) -> list[Token]:
    """The words right before a name, back to a punctuation mark or verb, without places of posting;
    `through` also crosses the 'for' and 'of' of long titles ('Minister for Ecological Transition')."""
    tokens: list[Token] = []
    for token in reversed(span.doc[max(0, span.start - width):span.start]):
        posted = token.pos_ == "ADP" and token.head.lemma_.lower() in ENVOYS  # 'ambassador in Baku'
        titled = through and token.lower_ in {"for", "of"}
        if token.is_punct or token.pos_ in {"VERB", "AUX", "CCONJ"} or token.ent_type_ == "PERSON" or (
                token.pos_ == "ADP" and not (posted or titled)):
            break
        tokens.insert(0, token)
    return [t for t in tokens if not posting_place(t)]


def posting_place(token: Token) -> bool:
    """'the French ambassador in Azerbaijan': the place of posting, not the envoy's country."""
    return any(a.dep_ == "prep" and a.lower_ in {"in", "to", "at"} and a.head.lemma_.lower() in ENVOYS
               for a in token.ancestors if a.i > token.i - 6)


def is_subject(mention: ActorMention, doc: Doc) -> bool:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in {"nsubj", "nsubjpass"}


def compound_chain(head: Token) -> list[Token]:
    """The head noun with the compound and adjectival modifiers right before it ('foreign policy chief')."""
    chain = [head]
    while chain[0].i > 0:
        previous = head.doc[chain[0].i - 1]
        if previous.dep_ not in {"compound", "amod"} or previous.head not in chain:
            break
        chain.insert(0, previous)
    return chain


def merge_overlaps(found: list[tuple[Span, Person]]) -> list[tuple[Span, Person]]:
    result: list[tuple[Span, Person]] = []
    for span, person in sorted(found, key=lambda pair: (pair[0].start, -pair[0].end)):
        if result and span.start < result[-1][0].end:
            continue
        result.append((span, person))
    return result


def not_the_state(span: Span, term: Term) -> bool:
    """'ethnic Hungarians in Romania': an ethnic group is not the state of the same name; where it lives decides
    its country (the coder places it from 'in Romania' or the sentence's places). 'an anti-Kremlin blogger',
    'pro-Russian separatists': a stance toward a state does not make one part of it. 'The Gulf of Oman' is water."""
    doc, start = span.doc, span.start
    if term.kind == "adjective" and start > 0 and doc[start - 1].lower_ == "ethnic":
        return True
    if start > 0 and doc[start - 1].lower_ in REGION_PREFIXES and span.text in {"America", "American", "Americans"}:
        return True  # 'Latin American countries', 'South America': a region, not the United States
    if start > 1 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in WATERS:  # 'the Gulf of Oman'
        return True
    if span.end < len(doc) and doc[span.end].lower_ == "of" and span.text.lower().removeprefix("the ") in WATERS:
        return True  # 'Gulf' (the Gulf states) opening 'the Gulf of Oman'
    return start > 1 and doc[start - 1].text == "-" and doc[start - 2].lower_ in STANCE_PREFIXES
