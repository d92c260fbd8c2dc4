"""Events stage: PLOVER events from trigger patterns on the dependency parse.

Source = the agent (subject, passive `by` phrase, controller of an infinitive, or the speaker of a quote);
target = the patient or recipient (object, dative, `to/with/against/on...` phrase, passive subject).
Modality comes from negation, modal verbs, conditionals and future markers on the trigger's clause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from .actors import ArticleActors
from .event_dates import event_date
from .models import ActorMention, Event
from .patterns import Codebook, Pattern

SUBJECT_DEPS = {"nsubj", "csubj"}
OBJECT_DEPS = {"dobj", "dative", "obj", "iobj"}
TARGET_PREPS = {"with", "against", "to", "on", "at", "toward", "towards", "from", "into", "upon", "between", "for",
                "over", "in", "among"}
NOUN_TARGET_PREPS = {"with", "against", "to", "on", "at", "toward", "towards", "between", "for", "from", "of",
                     "over", "in", "into"}
SPEECH_VERBS = {"say", "add", "tell", "state", "note", "stress", "declare", "announce", "emphasize", "emphasise",
                "insist", "write", "reiterate", "confirm", "claim", "argue", "explain", "remark", "reveal",
                "report", "indicate", "underline", "underscore", "conclude", "quote", "believe", "think"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_AUX = {"may", "might", "could", "would", "should", "can"}
HYPOTHETICAL_HEADS = {"possibility", "possible", "consider", "mull", "weigh", "likely", "ready", "prepared",
                      "willing", "option", "chance", "prospect"}
FUTURE_HEADS = {"plan", "intend", "aim", "prepare", "set", "expect", "schedule", "go", "decide", "due"}
NEGATING_HEADS = {"fail", "yet", "avoid", "refrain", "stop", "cease"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
PRONOUN_SUBJECTS = {"it", "they", "we", "i", "its", "their", "our", "them", "us"}
QUOTE_CHARS = "\"“”«»"


@dataclass
class Trigger:
    token: Token
    pattern: Pattern
    nominal: bool
    original: str | None = None  # the pattern's type before the manual's rules for announced actions


class EventCoder:
    def __init__(self, codebook: Codebook, sector_terms: dict[str, tuple[str, str]] | None = None):
        self.sector_terms = sector_terms or {}
        self.book = codebook.patterns
        self.types = codebook.types
        self.mode_scores = codebook.mode_scores
        self.modality_rules = codebook.modality_rules

    def code(self, doc: Doc, actors: ArticleActors, published: date | None,
             sentences: list[Span] | None = None) -> list[Event]:
        events: list[Event] = []
        for index, sentence in enumerate(sentences if sentences is not None else list(doc.sents)):
            events.extend(self.code_sentence(sentence, index, actors, published))
        return events

    # -- triggers ---------------------------------------------------------------------------------------------
    def find_triggers(self, sentence: Span) -> list[Trigger]:
        triggers = []
        for token in sentence:
            if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "ADJ" and token.tag_ in {"VBN", "VBD"}):
                pattern = self.book.match_verb(token)
                if pattern:
                    triggers.append(Trigger(token, pattern, nominal=False))
            elif token.pos_ in {"NOUN", "PROPN"}:
                pattern = self.book.match_noun(token)
                if pattern:
                    triggers.append(Trigger(token, pattern, nominal=True))
        return [t for t in triggers if not self.is_embedded(t, triggers)]

    @staticmethod
    def is_embedded(trigger: Trigger, triggers: list[Trigger]) -> bool:
        """An event inside another trigger's complement ('agreed to withdraw', 'signed an agreement',
        'urged Moscow to withdraw') is part of that event, not an event of its own."""
        others = {t.token.i: t for t in triggers if t is not trigger}
        token = trigger.token
        for _ in range(3):
            if token.dep_ == "ROOT" or token.head.i == token.i:
                return False
            head = token.head
            via_preposition = token.dep_ == "pobj" and head.dep_ == "prep"
            if via_preposition:
                head = head.head
            outer = others.get(head.i)
            if outer is not None:
                if trigger.nominal and token.dep_ in OBJECT_DEPS | {"attr", "pobj", "nsubjpass"}:
                    return True
                if outer.pattern.embeds and token.dep_ in {"xcomp", "ccomp", "dobj", "pobj", "advcl"}:
                    return True
            if token.dep_ not in {"xcomp", "pobj", "prep", "dobj", "compound", "amod"}:
                return False
            token = head
        return False

    # -- one sentence ----------------------------------------------------------------------------------------
    def code_sentence(self, sentence: Span, index: int, actors: ArticleActors, published: date | None
                      ) -> list[Event]:
        events = []
        speaker = self.speaker_of(sentence, actors)
        for trigger in self.find_triggers(sentence):
            sources = self.sources(trigger, actors, sentence, speaker)
            if not sources:
                continue
            targets = self.targets(trigger, actors, sources, sentence)
            modality = self.modality(trigger.token)
            trigger = self.announced(trigger, modality)
            if trigger.pattern.type != self.book_type(trigger):
                modality = "asserted"
            when = event_date(sentence, trigger.token, published)
            quoted_speaker = speaker if self.in_quote(trigger.token, sentence) or self.under_speech(
                trigger.token) else None
            for source in sources:
                for target in targets or [None]:
                    if target is not None and same_actor(source, target):
                        continue
                    events.append(self.event(trigger, source, target, modality, when, sentence, index,
                                             quoted_speaker))
        return dedupe(events)

    def announced(self, trigger: Trigger, modality: str) -> Trigger:
        """The manual's rule for announced actions: promised cooperation is AGREE, an announced retreat is
        CONCEDE, an announced sanction or attack is THREATEN."""
        becomes = self.modality_rules.get((trigger.pattern.type, modality))
        if becomes is None:
            return trigger
        info = self.types.get(becomes)
        pattern = Pattern(becomes, None, info.cameo_root if info else None, False, 0)
        return Trigger(trigger.token, pattern, trigger.nominal, original=trigger.pattern.type)

    @staticmethod
    def book_type(trigger: Trigger) -> str:
        return trigger.original or trigger.pattern.type

    def event(self, trigger: Trigger, source: ActorMention, target: ActorMention | None, modality: str,
              when: str | None, sentence: Span, index: int, speaker: ActorMention | None) -> Event:
        pattern = trigger.pattern
        info = self.types.get(pattern.type)
        score = self.mode_scores.get((pattern.type, pattern.mode or ""), info.score if info else None)
        token = trigger.token
        return Event(
            source=source.full_code,
            target=target.full_code if target else None,
            type=pattern.type,
            mode=pattern.mode,
            modality=modality,
            trigger=token.text,
            start=sentence.start_char,
            end=sentence.end_char,
            trigger_start=token.idx,
            trigger_end=token.idx + len(token.text),
            sentence_index=index,
            sentence=sentence.text,
            event_date=when,
            speaker=speaker.full_code if speaker else None,
            speaker_name=speaker.person if speaker else None,
            cameo=pattern.cameo or (info.cameo_root if info else None),
            plover_score=score,
            quad_class=info.quad_class if info else None,
            source_text=source.text,
            target_text=target.text if target else None,
        )

    # -- arguments ----------------------------------------------------------------------------------------------
    def sources(self, trigger: Trigger, actors: ArticleActors, sentence: Span,
                speaker: ActorMention | None) -> list[ActorMention]:
        token = trigger.token
        if trigger.nominal:
            owners = self.noun_owners(token, actors)
            if owners:
                return owners
            governor = light_verb(token)
            if governor is None:
                return []
            token = governor
        found = self.subject_actors(token, actors)
        if not found and speaker is not None and self.in_quote(trigger.token, sentence):
            found = [speaker]
        return found

    def subject_actors(self, verb: Token, actors: ArticleActors) -> list[ActorMention]:
        for _ in range(6):
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
            if passive:
                agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
                return [m for a in agents for m in self.actors_of(a, actors)]
            subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
            for subject in subjects:
                if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    return self.actors_of(verb.head, actors)
                found = self.actors_of(subject, actors)
                if found:
                    return found
                if subject.lower_ not in PRONOUN_SUBJECTS:
                    return []
            if verb.dep_ == "relcl" and not subjects:
                return self.actors_of(verb.head, actors)
            if verb.dep_ in {"xcomp", "conj", "advcl", "acl", "ccomp", "pcomp"} or subjects:
                if verb.dep_ == "xcomp":
                    controller = [c for c in verb.head.children if c.dep_ in OBJECT_DEPS]
                    if controller and self.actors_of(controller[0], actors):
                        return self.actors_of(controller[0], actors)
                if verb.head.i == verb.i:
                    return []
                verb = verb.head
                continue
            return []
        return []

    def noun_owners(self, noun: Token, actors: ArticleActors) -> list[ActorMention]:
        """'Russian air strikes', 'Azerbaijan's offensive', 'his visit': the owner of a nominal event."""
        for child in noun.children:
            if child.dep_ in {"poss", "amod", "compound", "nmod"}:
                found = self.actors_of(child, actors, expand=False)
                if found:
                    return found
        by_phrase = [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "by" for g in c.children]
        return [m for g in by_phrase for m in self.actors_of(g, actors)]

    def targets(self, trigger: Trigger, actors: ArticleActors, sources: list[ActorMention], sentence: Span
                ) -> list[ActorMention]:
        token = trigger.token
        found: list[ActorMention] = []
        if trigger.nominal:
            found = self.prep_actors(token, actors, NOUN_TARGET_PREPS, sources)
            governor = light_verb(token)
            if not found and governor is not None:
                found = self.verb_targets(governor, actors, sources, skip=token)
        else:
            found = self.verb_targets(token, actors, sources) or self.complement_targets(token, actors, sources)
        return found or self.patient_in_subtree(token, actors, sources) or self.domestic_patient(token, sources)

    def domestic_patient(self, token: Token, sources: list[ActorMention]) -> list[ActorMention]:
        """'Egyptian police dispersed demonstrators': a recipient that names people or an institution but no
        country is taken to be of the actor's own country (a domestic event)."""
        if len({s.code for s in sources}) != 1 or sources[0].code.startswith(("IGO:", "NGO:")):
            return []
        for child in token.children:
            candidates = [child] if child.dep_ in OBJECT_DEPS | {"nsubjpass"} else []
            if child.dep_ == "prep" and child.lower_ in {"against", "on", "with", "to", "from"}:
                candidates = [g for g in child.children if g.dep_ == "pobj"]
            for head in candidates:
                sector = self.sector_of_people(head)
                if sector is not None:
                    source = sources[0]
                    return [ActorMention(head.idx, head.idx + len(head.text), head.text, source.code,
                                         sector or None, method="domestic")]
        return []

    def sector_of_people(self, head: Token) -> str | None:
        """The sector of a noun phrase naming people or an institution ('' when people of no known sector)."""
        if head.ent_type_ == "PERSON":
            return ""
        term = self.sector_terms.get(head.lemma_.lower()) or self.sector_terms.get(head.lower_)
        return term[0] if term else None

    def complement_targets(self, verb: Token, actors: ArticleActors, sources: list[ActorMention], depth: int = 0
                           ) -> list[ActorMention]:
        """'agreed to send troops to Liberia', 'is willing to help defend Saudi Arabia', 'demanded that the US
        cancel ...': the recipient inside the complement clause."""
        if depth > 3:
            return []
        for child in verb.children:
            if child.dep_ not in {"xcomp", "ccomp", "advcl", "acomp"}:
                continue
            found = (self.verb_targets(child, actors, sources) or self.subject_of_clause(child, actors, sources)
                     or self.complement_targets(child, actors, sources, depth + 1))
            if found:
                return found
        return []

    def subject_of_clause(self, verb: Token, actors: ArticleActors, sources: list[ActorMention]
                          ) -> list[ActorMention]:
        """'demanded that the US cancel ...': the subject of the demanded clause is the recipient."""
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS | {"nsubjpass"}]
        return [m for s in subjects for m in self.not_sources(self.actors_of(s, actors), sources)]

    def patient_in_subtree(self, token: Token, actors: ArticleActors, sources: list[ActorMention]
                           ) -> list[ActorMention]:
        """No syntactic recipient: the first actor inside the trigger's objects and complements."""
        source_tokens = {t.i for s in sources for t in token.doc if s.start <= t.idx < s.end}
        for child in token.children:
            if child.dep_ not in OBJECT_DEPS | {"prep", "xcomp", "ccomp", "dative", "attr", "advcl", "acomp"}:
                continue
            for node in child.subtree:
                if node.i in source_tokens:
                    continue
                found = self.not_sources([m for m in actors.at(node) if not m.person or m.code], sources)
                found = [m for m in found if not any(same_actor(m, s) for s in sources)]
                if found:
                    return found[:1]
        return []

    def verb_targets(self, verb: Token, actors: ArticleActors, sources: list[ActorMention],
                     skip: Token | None = None) -> list[ActorMention]:
        found: list[ActorMention] = []
        for child in verb.children:
            if child.dep_ == "nsubjpass" or (child.dep_ in OBJECT_DEPS and child is not skip):
                found += self.not_sources(self.actors_of(child, actors), sources)
        if not found:
            found = self.prep_actors(verb, actors, TARGET_PREPS, sources)
        if not found:
            for child in verb.children:
                if child.dep_ in OBJECT_DEPS:
                    found += self.prep_actors(child, actors, NOUN_TARGET_PREPS, sources)
        return found

    def prep_actors(self, head: Token, actors: ArticleActors, preps: set[str], sources: list[ActorMention]
                    ) -> list[ActorMention]:
        found: list[ActorMention] = []
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found += self.not_sources(self.actors_of(obj, actors), sources)
        return found

    @staticmethod
    def not_sources(found: list[ActorMention], sources: list[ActorMention]) -> list[ActorMention]:
        return [m for m in found if not any(m is s for s in sources)]

    def actors_of(self, token: Token, actors: ArticleActors, expand: bool = True) -> list[ActorMention]:
        """The actors a noun phrase headed by `token` refers to, members of conjunctions included."""
        found = list(actors.at(token))
        if not found:
            for child in token.children:
                if child.dep_ in {"poss", "amod", "compound", "nmod", "appos"}:
                    found = list(actors.at(child)) or [m for g in child.children if g.dep_ in {"compound", "amod"}
                                                       for m in actors.at(g)]
                    if found:
                        found += [m for g in child.children if g.dep_ == "conj" for m in actors.at(g)]
                        break
        if not found and expand:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    found = [m for g in child.children if g.dep_ == "pobj" for m in self.actors_of(g, actors)]
        if expand:
            for child in token.children:
                if child.dep_ == "conj":
                    found += self.actors_of(child, actors)
        return unique(found)

    # -- speaker, quotes, modality ---------------------------------------------------------------------------
    def speaker_of(self, sentence: Span, actors: ArticleActors) -> ActorMention | None:
        for token in sentence:
            if token.lemma_.lower() in SPEECH_VERBS and token.pos_ == "VERB" and not self.in_quote(token, sentence):
                subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
                for subject in subjects:
                    found = self.actors_of(subject, actors)
                    if found:
                        return found[0]
        return None

    @staticmethod
    def in_quote(token: Token, sentence: Span) -> bool:
        before = sentence.doc.text[sentence.start_char:token.idx]
        straight = before.count('"') % 2 == 1
        curly = before.count("“") > before.count("”")
        guillemets = before.count("«") > before.count("»")
        return straight or curly or guillemets

    @staticmethod
    def under_speech(token: Token) -> bool:
        for ancestor in token.ancestors:
            if ancestor.lemma_.lower() in SPEECH_VERBS:
                return True
        return False

    @staticmethod
    def modality(token: Token) -> str:
        chain = [token]
        for ancestor in token.ancestors:
            if ancestor.lemma_.lower() in SPEECH_VERBS:
                break
            chain.append(ancestor)
            if ancestor.dep_ in {"ROOT"}:
                break
        hypothetical = future = False
        for position, node in enumerate(chain):
            children = list(node.children)
            lemmas = {c.lower_ for c in children}
            if any(c.dep_ == "neg" for c in children) or any(c.lower_ in {"never", "no"} for c in children):
                if position == 0 or node.dep_ not in {"ROOT"} or node is chain[-1]:
                    negated_here = not any(c.lemma_.lower() in {"rule"} for c in [node])
                    if negated_here and not hypothetical:
                        return "negated"
            if node.lemma_.lower() in NEGATING_HEADS and position > 0:
                return "negated"
            if "yet" in lemmas and node.lemma_.lower() == "have":
                return "negated"
            if node.lemma_.lower() in HYPOTHETICAL_HEADS and position > 0:
                hypothetical = True
            if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in children):
                hypothetical = True
            if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in children):
                if any(c.lower_ == "would" for c in children) and position == 0:
                    future = True
                else:
                    hypothetical = True
            if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in children):
                future = True
            if node.lemma_.lower() in FUTURE_HEADS and position > 0:
                future = True
            if node.dep_ == "ROOT":
                break
        if hypothetical:
            return "hypothetical"
        return "future" if future else "asserted"


def light_verb(noun: Token) -> Token | None:
    """The verb that governs a nominal trigger: 'held talks', 'launched an offensive', 'during his visit'."""
    head = noun.head
    if noun.dep_ in {"dobj", "nsubj", "nsubjpass", "attr"} and head.pos_ in {"VERB", "AUX"}:
        return head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in {"VERB", "AUX"}:
        return head.head
    return None


def same_actor(a: ActorMention, b: ActorMention) -> bool:
    return a is b or (a.code == b.code and a.sector == b.sector and (a.person == b.person or a.start == b.start))


def unique(mentions: list[ActorMention]) -> list[ActorMention]:
    seen: set[int] = set()
    result = []
    for mention in mentions:
        if id(mention) not in seen:
            seen.add(id(mention))
            result.append(mention)
    return result


def dedupe(events: list[Event]) -> list[Event]:
    seen: set[tuple] = set()
    result = []
    for event in events:
        key = (event.source, event.target, event.type, event.trigger_start)
        if key not in seen:
            seen.add(key)
            result.append(event)
    return result
