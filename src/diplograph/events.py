"""Events stage: PLOVER events from trigger patterns on the dependency parse.

Source = the agent (subject, passive `by` phrase, controller of an infinitive, or the speaker of a quote);
target = the patient or recipient (object, dative, `to/with/against/on...` phrase, passive subject, the subject of a
demanded clause). Joint actors with no recipient ("France and Armenia will cooperate") act on each other.
Modality comes from negation, modal verbs, conditionals and future markers on the trigger's clause; the manual's
rules for announced actions (data/modality_rules.csv) then apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from itertools import permutations

from spacy.tokens import Doc, Span, Token

from .actors import ArticleActors
from .event_dates import event_date
from .models import ActorMention, Event
from .patterns import Codebook, Pattern
from .syntax import (
    BACKGROUND_MARKS,
    BORDER_WORDS,
    LEXICON,
    PLACE_PREPS,
    RELATIONAL_NOUNS,
    REQUEST_NOUNS,
    SEQUENCE_PREPS,
    SPEECH_VERBS,
    SUBJECT_DEPS,
    has_subject,
    in_background,
    in_background_phrase,
    in_condition,
    in_modifier_clause,
    in_name,
    is_bare_demonym,
    is_border_place,
    is_demanded,
    is_domestic_organisation,
    is_helper_phrase,
    is_negated,
    is_no_one,
    is_obligation,
    is_partner_of_relation,
    is_passive,
    is_placed_people,
    is_prepared,
    is_purpose,
    is_reason_phrase,
    is_requested_act,
    light_verb,
    members_of,
    organisation_sector,
    own_clause,
    performing_clauses,
    subject_token,
    under_speech,
    unique_tokens,
)

NOMINAL_DEPS = {"dobj", "pobj", "nsubj", "nsubjpass", "attr"}  # an 'offensive' the tagger took for an adjective
OBJECT_DEPS = {"dobj", "dative", "obj", "iobj"}
TARGET_PREPS = {"with", "against", "to", "on", "at", "toward", "towards", "from", "into", "upon", "between", "for",
                "over"}
NOUN_TARGET_PREPS = TARGET_PREPS | {"of"}
COMPLEMENT_DEPS = {"xcomp", "ccomp", "advcl", "acomp"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_AUX = {"may", "might", "could", "would", "should", "can"}
HYPOTHETICAL_HEADS = LEXICON["hypothetical_heads"]
FUTURE_HEADS = LEXICON["future_heads"]
ONGOING_HEADS = LEXICON["ongoing_heads"]
NEGATING_HEADS = LEXICON["negating_heads"]
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
PRONOUN_SUBJECTS = {"it", "they", "we", "i", "its", "their", "our", "them", "us"}
SPEAKER_PRONOUNS = {"we", "us", "our", "i", "me", "my"}
# 'Moscow rejected the accusation': these nouns point back to an earlier event in the article.
EVENT_ANAPHORS = {"accusation": {"ACCUSE"}, "allegation": {"ACCUSE"}, "claim": {"ACCUSE"}, "charge": {"ACCUSE"},
                  "criticism": {"ACCUSE"}, "proposal": {"AGREE", "REQUEST"}, "offer": {"AGREE"},
                  "demand": {"REQUEST"}, "call": {"REQUEST"}, "request": {"REQUEST"}, "appeal": {"REQUEST"},
                  "invitation": {"AGREE", "REQUEST"}, "warning": {"THREATEN"}, "threat": {"THREATEN"},
                  "plan": set(), "statement": set(), "remark": set(), "comment": set(), "move": set(),
                  "decision": set(), "step": set(), "vote": set()}
ANAPHOR_DETERMINERS = {"the", "this", "these", "those", "such"}
# The manual (PROTEST): the topic of a protest, typically a REQUEST, is not coded as a separate event.
TOPIC_TYPES = {"PROTEST": {"REQUEST"}}
NON_POLITICAL_SPEAKERS = {"JRN", "MED", "EDU"}  # a newspaper reporting an attack does not accuse anyone
COMMUNICATIONS = LEXICON["communications"]
ATTRIBUTION_PREPS = {"according", "per", "citing"}  # 'according to MSF' names a source, not a recipient
ALLEGED_TYPES = {"ASSAULT", "COERCE", "THREATEN"}
# 'talks on Ukraine', 'agreement over gas': for these types such phrases name the topic, not the recipient.
TOPICAL_TYPES = {"CONSULT", "AGREE", "SUPPORT", "COOPERATE"}
TOPIC_PREPS = {"on", "over", "about"}
ADJUNCT_PREPS = {"during", "after", "before", "at", "in", "amid", "following", "despite"}
# Types whose recipient can be a place: 'shelled Kharkiv', 'deployed troops to Crimea', 'sent aid to Goma'.
PLACE_TARGET_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "AID", "RETREAT", "THREATEN"}
PARTNER_TYPES = {"CONSULT", "COOPERATE"}  # need a named partner: never a domestic default
TIME_ENTITIES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "MONEY"}
DOMESTIC_PREPS = {"against", "on", "to", "from", "with", "into"}
INTENT_WORDS = LEXICON["intent_words"]
HOSTILE_TYPES = {"COERCE", "ASSAULT", "SANCTION", "PROTEST", "THREATEN", "MOBILIZE"}
NAMED_SECTORS = {"GOV", "MIL", "COP", "REB", "LEG", "JUD", "PTY", "OPP", "SPY", "PRM"}  # would name their state
STATIVE_PASSIVES = LEXICON["stative_passives"]
REFUSABLE_TYPES = {"AGREE", "CONCEDE"}
COOPERATIVE_TYPES = {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"}
GROUP_SUFFIXES = ("workers",)
PLACE_METHODS = {"location", "metonym"}
OBSERVERS = LEXICON["observers"]
REPORTED_POSSESSIVES = {"their", "its", "his", "her"}
DESCRIBED_TYPES = {"ACCUSE", "THREATEN", "REQUEST"}  # their recipient may be named where the act is described
SETTLED = LEXICON["settled"]
FOREIGN_ENVOYS = LEXICON["foreign_envoys"]
PEACE_MISSION_WORDS = LEXICON["peace_mission_words"]
FORCE_TYPES = {"MOBILIZE", "ASSAULT", "COERCE", "RETREAT"}
ARMED_SECTORS = {"MIL", "REB", "PRM", "COP", "UAF"}
PLACE_NOUNS = LEXICON["place_nouns"]
ATTEMPTS = LEXICON["attempts"]
ENDING_VERBS = {"end", "halt", "stop", "terminate", "conclude", "suspend", "cancel", "wind", "block", "veto",
                "obstruct", "revoke", "scrap", "annul", "abrogate"}
DISSENT_TYPES = {"PROTEST", "REQUEST", "ACCUSE", "REJECT"}
AUTHORITY_SECTORS = {"GOV", "LEG", "JUD", "COP", "MIL"}
CHARGE_NOUNS = LEXICON["charge_nouns"]
CLEARING_VERBS = LEXICON["clearing_verbs"]
JOINT_TYPES = {"CONSULT", "COOPERATE", "AGREE"}  # 'X and Y met': each is the other's recipient


@dataclass
class Trigger:
    token: Token
    pattern: Pattern
    nominal: bool
    original: str | None = None  # the pattern's type before the manual's rules for announced actions


@dataclass
class SentenceContext:
    sentence: Span
    index: int
    actors: ArticleActors
    published: date | None
    speaker: ActorMention | None = None
    earlier: list[Event] = field(default_factory=list)  # events of the article's earlier sentences
    current: list[Event] = field(default_factory=list)  # events coded so far in this sentence


class EventCoder:
    def __init__(self, codebook: Codebook, sector_terms: dict[str, tuple[str, str]] | None = None):
        self.book = codebook.patterns
        self.types = codebook.types
        self.mode_scores = codebook.mode_scores
        self.modality_rules = codebook.modality_rules
        self.sector_rules = codebook.sector_rules
        self.senses = codebook.senses
        self.sector_terms = sector_terms or {}
        self.people = frozenset(self.sector_terms)

    def code(self, doc: Doc, actors: ArticleActors, published: date | None,
             sentences: list[Span] | None = None) -> list[Event]:
        events: list[Event] = []
        for index, sentence in enumerate(sentences if sentences is not None else list(doc.sents)):
            context = SentenceContext(sentence, index, actors, published, earlier=events)
            context.speaker = self.speaker_of(context)
            events = events + self.code_sentence(context)
        return events

    # -- triggers ---------------------------------------------------------------------------------------------
    def find_triggers(self, sentence: Span) -> list[Trigger]:
        triggers = []
        for token in sentence:
            if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "ADJ" and token.tag_ in {"VBN", "VBD"}):
                pattern = self.book.match_verb(token)
                if pattern:
                    triggers.append(Trigger(token, pattern, nominal=False))
            elif (token.pos_ in {"NOUN", "PROPN"} or (token.pos_ == "ADJ" and token.dep_ in NOMINAL_DEPS)) and (
                    token.ent_type_ not in {"DATE", "TIME"}):  # 'in March 2022' is no march
                pattern = self.book.match_noun(token)
                if pattern:
                    triggers.append(Trigger(token, pattern, nominal=True))
        triggers = [self.sense_of(t) for t in triggers]
        triggers = [t for t in triggers if t.pattern.type != "NONE" and not in_condition(t.token)
                    and not (t.pattern.negation_opens and is_negated(t.token))]
        threats = {t.token.i: threat for t in triggers if (threat := self.hostile_intent(t, triggers))}
        absorbed = {i for threat in threats.values() for i in threat[1]}
        triggers = [threats[t.token.i][0] if t.token.i in threats else t for t in triggers
                    if t.token.i not in absorbed]
        triggers = [t for t in triggers if not self.commands_own_forces(t)]
        return [t for t in triggers if not is_embedded(t, triggers)
                and not (in_background(t.token) and not is_answered_claim(t.token.head))
                and not is_requested_act(t.token) and not is_demanded(t.token) and not is_ended(t)
                and not (t.nominal and (in_name(t.token) or in_background_phrase(t.token)))]

    def commands_own_forces(self, trigger: Trigger) -> bool:
        """'ordered troops to pull back': a command to one's own forces is no request; the act ordered is the
        event. 'ordered Russian troops to leave' (someone else's) and 'ordered him to appear' stay demands."""
        if trigger.pattern.type != "REQUEST" or trigger.token.lemma_.lower() not in {"order", "instruct", "direct"}:
            return False
        if not any(c.dep_ == "xcomp" for c in trigger.token.children):
            return True  # 'ordered the fleet to the Mediterranean': a deployment, not a request
        return any(c.dep_ in OBJECT_DEPS and self.sector_of_people(c) in ARMED_SECTORS and not any(
            g.ent_type_ in {"GPE", "NORP"} or g.dep_ == "poss" for g in c.children) for c in trigger.token.children)

    def sense_of(self, trigger: Trigger) -> Trigger:
        """'struck rebel positions' or 'struck a deal': for a bare word with several senses, the learned sense
        model (data/trigger_senses.json) decides the type, or that it is no event."""
        if not self.book.is_bare(trigger.token, trigger.pattern):
            return trigger
        sense = self.senses.predict(trigger.token, self.people)
        if sense is None or sense == trigger.pattern.type:
            return trigger
        info = self.types.get(sense)
        return replace(trigger, pattern=Pattern(sense, cameo=info.cameo_root if info else None),
                       original=trigger.pattern.type)

    def hostile_intent(self, trigger: Trigger, triggers: list[Trigger]) -> tuple[Trigger, set[int]] | None:
        """'is ready to declare martial law', 'vowed to retaliate': intent to act against someone is a threat
        (CAMEO 13), not an intent to cooperate (CAMEO 03). Returns the threat and the acts it takes in."""
        if (trigger.pattern.type != "AGREE" or not trigger.pattern.embeds or trigger.nominal
                or trigger.token.lemma_.lower() not in INTENT_WORDS):
            return None
        complement = {n.i for c in trigger.token.children if c.dep_ in {"xcomp", "acomp", "ccomp", "dobj"}
                      for n in c.subtree}  # 'proposed new sanctions', 'is ready to declare martial law'
        inner = {t.token.i for t in triggers if t.pattern.type in HOSTILE_TYPES and t.token.i in complement
                 and trigger.token in list(t.token.ancestors)[:4]}
        if not inner:
            return None
        threat = replace(trigger, pattern=Pattern("THREATEN", cameo=self.types["THREATEN"].cameo_root),
                         original=trigger.pattern.type)
        return threat, inner

    # -- one sentence ----------------------------------------------------------------------------------------
    def code_sentence(self, context: SentenceContext) -> list[Event]:
        triggers = self.find_triggers(context.sentence)
        events = context.current = self.untriggered_demands(context, {t.token.i for t in triggers})
        for trigger in triggers:
            sources = (self.sources(trigger, context) or self.unplaced_dissidents(trigger, context)
                       or self.unattributed_violence(trigger, context))
            if not sources:
                continue
            demand = self.demand(trigger, sources, context)
            if demand is not None:
                events += demand
                continue
            if self.warns_of_others(trigger, sources, context):
                continue
            pairs = self.pairs(trigger, sources, context)
            trigger = peacekeeping(trigger, sources)
            modality = self.modality(trigger.token)
            upcoming = modality == "future"  # 'said he would visit China in April': next April, whatever the type
            trigger, modality = self.announced(trigger, modality)
            trigger, modality = self.refusal(trigger, modality)
            trigger, modality = self.conditional_threat(trigger, modality, context)
            when = event_date(context.sentence, trigger.token, context.published, upcoming=upcoming)
            quoted = self.in_quote(trigger.token, context.sentence) or under_speech(trigger.token)
            speaker = context.speaker if quoted else None
            for source, target in pairs:
                if trigger.pattern.reverse and target is not None:
                    source, target = target, source
                if trigger.pattern.type == "CONSULT" and (target is None or (
                        target.code == source.code and target.method in PLACE_METHODS)):
                    continue  # 'the cabinet met', 'talks in Tehran' by Iran: a meeting with no one named
                events.append(self.event(trigger, source, target, modality, when, context, speaker))
                if trigger.pattern.mutual and target is not None and modality != "negated":
                    events.append(self.event(trigger, target, source, modality, when, context, speaker))
            events += self.allegations(trigger, sources, modality, when, context)
            events += self.charges(trigger, pairs, modality, when, context, speaker)
        return without_untargeted_twins(dedupe(events))

    def demand(self, trigger: Trigger, sources: list[ActorMention], context: SentenceContext
               ) -> list[Event] | None:
        """'Russia said Sudan must return the helicopter': what a speaker says another party must or should do
        is a REQUEST from the speaker to that party, not the act itself."""
        token = trigger.token
        if trigger.nominal or not is_obligation(token):
            return None
        speaker = context.speaker
        document = self.issued_document(token)
        if document is not None:  # 'sent Tehran a reminder that it must admit inspectors'
            speaker = next(iter(self.subject_actors(light_verb(document) or document.head, context)), None)
            addressees = self.prep_actors(light_verb(document) or document, {"to"}, [], context)
            subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
            if addressees and (subject is None or subject.pos_ == "PRON"):
                sources = addressees
        elif speaker is None or not (under_speech(token) or self.in_quote(token, context.sentence)):
            return []
        if speaker is None:
            return []
        request = Trigger(token, Pattern("REQUEST", cameo="100"), False)
        when = event_date(context.sentence, token, context.published)
        return [self.event(request, speaker, source, "asserted", when, context, speaker)
                for source in sources if not same_actor(source, speaker)]

    @staticmethod
    def issued_document(token: Token) -> Token | None:
        """The statement, reminder or ultimatum whose content a clause is ('a reminder that it must ...')."""
        node = token
        for _ in range(2):
            if node.dep_ not in {"acl", "ccomp", "relcl"} or node.head.i == node.i:
                return None
            node = node.head
            if node.lemma_.lower() in COMMUNICATIONS | REQUEST_NOUNS:
                return node
        return None

    def untriggered_demands(self, context: SentenceContext, trigger_tokens: set[int]) -> list[Event]:
        """'Russia said that Sudan must return the helicopter': any verb a speaker says another party must do is
        a REQUEST, whether or not the verb itself is an event trigger."""
        events = []
        for token in context.sentence:
            if token.i in trigger_tokens or token.pos_ not in {"VERB", "AUX"} or not is_obligation(token):
                continue
            sources = self.subject_actors(token, context)
            found = self.demand(Trigger(token, Pattern("REQUEST"), False), sources, context) if sources else None
            events += found or []
        return events

    def refusal(self, trigger: Trigger, modality: str) -> tuple[Trigger, str]:
        """'We will never accept the annexation', 'did not agree to', 'would not meet the strikers' demands', 'will
        not recognise the results': refusing to agree, to yield or to recognise is a REJECT (CAMEO 12)."""
        refused_support = trigger.pattern.type == "SUPPORT" and is_negated(trigger.token) and any(
            c.lower_ in {"will", "would", "never", "wo"} for c in trigger.token.children)  # 'would not recognise'
        if (trigger.pattern.type not in REFUSABLE_TYPES and not refused_support) or trigger.nominal:
            return trigger, modality
        if not is_negated(trigger.token) and not self.vows_not_to_cooperate(trigger):
            return trigger, modality
        return replace(trigger, pattern=Pattern("REJECT", cameo="120"), original=trigger.pattern.type), "asserted"

    def vows_not_to_cooperate(self, trigger: Trigger) -> bool:
        """'vowed not to return the Golan Heights', 'pledged never to recognise Kosovo': a promise not to
        cooperate or yield is a refusal; 'pledged not to block Sweden's membership' stays a promise."""
        if trigger.pattern.type != "AGREE" or not trigger.pattern.embeds:
            return False
        complements = [c for c in trigger.token.children if c.dep_ == "xcomp" and is_negated(c)]
        inner = [self.book.match_verb(c) for c in complements]
        return any(p is not None and p.type in COOPERATIVE_TYPES for p in inner)

    def conditional_threat(self, trigger: Trigger, modality: str, context: SentenceContext
                           ) -> tuple[Trigger, str]:
        """'will withdraw its force unless ...', 'would freeze the talks if ...': an act announced on a condition,
        or a hostile act made conditional, is a threat (CAMEO 13)."""
        marks = {m.lower_ for c in trigger.token.children if c.dep_ == "advcl" for m in c.children if m.dep_ == "mark"}
        speculation = any(  # 'analysts said Moscow could ...'
            n.lemma_.lower() in SPEECH_VERBS and any(c.dep_ in SUBJECT_DEPS and c.lemma_.lower() in OBSERVERS
                                                     for c in n.children) for n in trigger.token.ancestors)
        hostile_if = "if" in marks and trigger.pattern.type in HOSTILE_TYPES | {"SANCTION"} and not speculation
        if not ("unless" in marks or hostile_if) or trigger.pattern.type == "THREATEN" or trigger.nominal:
            return trigger, modality
        info = self.types["THREATEN"]
        return replace(trigger, pattern=Pattern("THREATEN", cameo=info.cameo_root),
                       original=trigger.pattern.type), "asserted"

    def allegations(self, trigger: Trigger, sources: list[ActorMention], modality: str, when: str | None,
                    context: SentenceContext) -> list[Event]:
        """'Hasanov stressed that Armenia's position poses a threat': calling another party's conduct a threat or an
        aggression is an allegation (ACCUSE) by the speaker against that party. Reported facts ('officials said
        the city was shelled') are not."""
        speaker = context.speaker
        quoted = self.in_quote(trigger.token, context.sentence)
        if (speaker is None or not trigger.nominal or trigger.pattern.type not in ALLEGED_TYPES or modality == "negated"
                or speaker.sector in NON_POLITICAL_SPEAKERS or not (quoted or under_speech(trigger.token))):
            return []
        allege = Trigger(trigger.token, Pattern("ACCUSE", "allege", "112", False, 0), trigger.nominal)
        return [self.event(allege, speaker, source, "asserted", when, context, speaker)
                for source in sources if source.code != speaker.code]

    def charges(self, trigger: Trigger, pairs: list[tuple[ActorMention, ActorMention | None]], modality: str,
                when: str | None, context: SentenceContext, speaker: ActorMention | None) -> list[Event]:
        """'jailed 52 activists on charges of treason', 'arrested for spying': an arrest on charges, or for an
        alleged act, also charges them (ACCUSE allege, as the manual codes court sentences under both)."""
        token = trigger.token
        if trigger.pattern.type != "COERCE" or trigger.pattern.mode != "arrest" or not any(
                c.dep_ == "prep" and c.lower_ in {"on", "for"} and any(
                    g.dep_ == "pobj" and g.lemma_.lower() in CHARGE_NOUNS for g in c.children) or is_reason_phrase(c)
                for c in token.children):  # 'on charges of treason', 'for spying'
            return []
        charge = Trigger(token, Pattern("ACCUSE", "allege", "112", False, 0), trigger.nominal)
        return [self.event(charge, source, target, modality, when, context, speaker)
                for source, target in pairs if target is not None]

    def pairs(self, trigger: Trigger, sources: list[ActorMention], context: SentenceContext
              ) -> list[tuple[ActorMention, ActorMention | None]]:
        """(source, target) pairs: one per member of a compound actor; joint actors with no recipient act on
        each other; otherwise fall back to a recipient found deeper in the sentence."""
        joint = trigger.pattern.joint or trigger.pattern.type in JOINT_TYPES
        parties = self.prep_actors(trigger.token, {"between"}, [], context) if trigger.nominal else []
        if joint and {p.code for p in parties} & {s.code for s in sources}:  # 'our cooperation between X and Y'
            return [(a, b) for a, b in permutations(parties, 2) if a.code != b.code]
        targets = self.recipients_of_kind(trigger, self.explicit_targets(trigger, sources, context))
        if not targets and trigger.pattern.type == "MOBILIZE":  # 'massed troops near Ukraine's borders'
            targets = self.border_owners(trigger.token, sources, context)
        several = len({s.full_code for s in sources}) > 1  # 'Sudan's army and the RSF agreed': two parties
        if joint and several:  # 'X and Y signed a deal at the White House': a venue
            targets = [t for t in targets if t.method not in PLACE_METHODS]
        if not targets and joint and several:
            return [(a, b) for a, b in permutations(sources, 2) if not same_actor(a, b)]
        if not targets and trigger.pattern.clause_recipient and not self.looked_into(trigger):
            targets = self.recipients_of_kind(trigger, self.fallback_targets(trigger, sources, context))
        if not targets:
            targets = self.default_recipient(trigger, sources) or self.domestic_target(trigger, sources, context)
        result = [(s, t) for s in sources for t in targets if not same_actor(s, t)]
        return result or [(s, None) for s in sources]

    def border_owners(self, token: Token, sources: list[ActorMention], context: SentenceContext
                      ) -> list[ActorMention]:
        borders = [n for n in token.subtree if n.lemma_.lower() in BORDER_WORDS]
        return [m for b in borders for c in b.children if c.dep_ in {"poss", "amod", "compound"}
                for m in self.not_sources(list(context.actors.at(c)), sources)]

    @staticmethod
    def recipients_of_kind(trigger: Trigger, targets: list[ActorMention]) -> list[ActorMention]:
        """'met in Sochi': a place is the venue, not the recipient, except of material acts ('shelled Kharkiv')."""
        if trigger.pattern.type in PLACE_TARGET_TYPES or trigger.pattern.mode == "investigate":
            return targets  # 'shelled Kharkiv', 'sent inspectors to Zaporizhzhia'
        return [t for t in targets if t.method != "location" or t.sector]

    def warns_of_others(self, trigger: Trigger, sources: list[ActorMention], context: SentenceContext) -> bool:
        """'Blinken warned that Beijing could supply weapons to Russia' is no threat by Blinken: the warning is
        about what another party may do (and that act is coded on its own)."""
        if trigger.pattern.type != "THREATEN" or trigger.nominal:
            return False
        codes = {s.code for s in sources}
        for clause in (c for c in trigger.token.children if c.dep_ == "ccomp" and has_subject(c)):
            subjects = [m for c in clause.children if c.dep_ in SUBJECT_DEPS for m in self.actors_of(c, context)]
            if subjects and not codes & {m.code for m in subjects}:
                return True
        return False

    def default_recipient(self, trigger: Trigger, sources: list[ActorMention]) -> list[ActorMention]:
        """A protest naming no recipient targets the protesters' own authorities (data/plover_types.csv)."""
        info = self.types.get(trigger.pattern.type)
        if info is None or info.default_recipient != "own_government" or len({s.code for s in sources}) != 1:
            return []
        source, token = sources[0], trigger.token
        if source.code.startswith(("IGO:", "NGO:")) or source.sector == "GOV":
            return []
        return [ActorMention(token.idx, token.idx + len(token.text), token.text, source.code, "GOV",
                             method="default_recipient")]

    def domestic_target(self, trigger: Trigger, sources: list[ActorMention], context: SentenceContext
                        ) -> list[ActorMention]:
        """'Peru lifted the state of emergency in Lima', 'police dispersed demonstrators': an act on people,
        places or institutions that belong to no other country is a domestic event; its recipient is the actor's
        own country (the sector when the patient names one)."""
        codes = {s.code for s in sources}
        if (trigger.pattern.type in PARTNER_TYPES or len(codes) != 1
                or next(iter(codes)).startswith(("IGO:", "NGO:"))):
            return []
        token = trigger.token if not trigger.nominal else light_verb(trigger.token) or trigger.token
        patients = [c for c in token.children if c is not trigger.token and (
            c.dep_ in OBJECT_DEPS | {"nsubjpass", "xcomp", "ccomp"}
            or (c.dep_ == "acomp" and any(g.dep_ == "xcomp" for g in c.children)))]  # 'is ready to impose'
        patients += [g for c in token.children if c.dep_ == "prep" and c.lower_ in DOMESTIC_PREPS
                     for g in c.children if g.dep_ == "pobj"]
        if trigger.nominal:
            patients += [g for c in trigger.token.children if c.dep_ == "prep" and c.lower_ in DOMESTIC_PREPS
                         for g in c.children if g.dep_ == "pobj"]
        patients = [p for p in patients if (p.ent_type_ not in TIME_ENTITIES
                    or (p.ent_type_ == "CARDINAL" and p.dep_ in OBJECT_DEPS))  # 'detaining 40'
                    and p.lemma_.lower() not in PLACE_NOUNS]  # 'captured the village of X': whose, unknown
        if not patients:
            return []
        clause_subjects = [s for p in patients if p.dep_ == "ccomp" for s in p.children if s.dep_ in SUBJECT_DEPS]
        if any(s.pos_ == "PROPN" and not context.actors.at(s) for s in clause_subjects):
            return []  # 'alleged that the North had admitted ...': a party the gazetteer does not know
        mentioned = [m for p in patients for node in p.subtree if not is_border_place(node.head)
                     for m in context.actors.at(node)]
        if any(m.code not in codes for m in mentioned):
            return []
        named = [g for p in patients for c in p.children if c.dep_ == "prep" and c.lower_ in {"from", "of"}
                 for g in c.children if g.dep_ == "pobj"]  # 'accepted demands from rebels'
        named += [c for p in patients for c in p.children if c.dep_ == "poss"]  # 'the kidnappers' demand'
        head = next((p for p in patients + named if self.sector_of_people(p)), patients[0])
        if head.lemma_.lower() in FOREIGN_ENVOYS:
            return []  # 'expelled the ambassadors of seven countries': envoys are never the own country's
        makers = [n for n in named if n.dep_ == "poss" or self.sector_of_people(n) or self.is_group(n)]
        if not mentioned and not makers and head.lemma_.lower() in REQUEST_NOUNS | COMMUNICATIONS:
            return []  # 'rejected a fresh offer for talks': whoever made the offer, not the own country
        return [ActorMention(head.idx, head.idx + len(head.text), head.text, next(iter(codes)),
                             self.sector_of_people(head) or None, method="domestic")]

    def announced(self, trigger: Trigger, modality: str) -> tuple[Trigger, str]:
        """The manual's rule for announced actions: promised cooperation is AGREE, an announced retreat is
        CONCEDE, an announced sanction or attack is THREATEN."""
        becomes = self.modality_rules.get((trigger.pattern.type, modality))
        if becomes is None:
            return trigger, modality
        reported = under_speech(trigger.token) and any(c.lower_ == "would" for c in trigger.token.children)
        if becomes == "THREATEN" and trigger.pattern.type == "ASSAULT" and is_prepared(trigger.token):
            becomes, modality = "MOBILIZE", "asserted"  # readying an attack is a military move, not a verbal threat
        info = self.types.get(becomes)
        pattern = Pattern(becomes, None, info.cameo_root if info else None, False, 0)
        return replace(trigger, pattern=pattern, original=trigger.pattern.type), "asserted" if reported else modality

    def event(self, trigger: Trigger, source: ActorMention, target: ActorMention | None, modality: str,
              when: str | None, context: SentenceContext, speaker: ActorMention | None) -> Event:
        pattern = trigger.pattern
        becomes = self.sector_rules.get((pattern.type, pattern.mode or "", source.sector or ""))
        if becomes is not None:  # 'the ministry protested': a diplomatic protest is ACCUSE (data/sector_rules.csv)
            pattern = Pattern(becomes, cameo=self.types[becomes].cameo_root)
        info = self.types.get(pattern.type)
        score = self.mode_scores.get((pattern.type, pattern.mode or ""), info.score if info else None)
        token, sentence = trigger.token, context.sentence
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
            sentence_index=context.index,
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

    # -- sources ----------------------------------------------------------------------------------------------
    def sources(self, trigger: Trigger, context: SentenceContext) -> list[ActorMention]:
        token = trigger.token
        if trigger.nominal:
            owners = self.noun_owners(token, context)
            if owners:
                return owners
            governor = light_verb(token)
            if governor is None and trigger.pattern.type == "CONSULT" and token.dep_ == "pobj" and (
                    token.head.lower_ in SEQUENCE_PREPS | {"during"} and token.head.head.pos_ in {"VERB", "AUX"}
                    and any(c.lower_ in {"with", "to"} for c in token.children)):
                # 'pledged ... after talks with Grossi', 'during a visit to the country': the subject took part
                governor = token.head.head
            if governor is None:  # 'talks between X and Y took place': the parties are the actors
                return self.prep_actors(token, {"between"}, [], context)
            token = governor
        found = self.subject_actors(token, context) or self.passive_agent(trigger, context)
        if not found and trigger.pattern.mode in {"disarm", "withdraw"} and is_passive(token) and not any(
                c.dep_ == "agent" for c in token.children):  # 'rebels have been demobilized', 'UN peacekeepers
            # were shipped out': whoever lays down arms or is withdrawn acts
            found = [m for c in token.children if c.dep_ == "nsubjpass" for m in self.actors_of(members_of(c), context)]
        if not found and context.speaker is not None and self.in_quote(trigger.token, context.sentence):
            found = [context.speaker]
        return found

    def unplaced_dissidents(self, trigger: Trigger, context: SentenceContext) -> list[ActorMention]:
        """'striking nurses demanded the resignation of the Kenyan health minister', 'hundreds rallied in
        Slovakia', 'the Green party will boycott Georgia's elections': people or a domestic organisation of no named
        country are taken to belong to the country where they act, or else, for protests and demands, to the country
        whose authorities they address, or else to the one country the sentence names."""
        subject = subject_token(trigger.token)
        if subject is not None and subject.pos_ == "PRON" and subject.head.dep_ == "ccomp":  # 'the party said it
            subject = subject_token(subject.head.head)  # will boycott': the speaker
        subject = members_of(subject)
        sector = self.sector_of_people(subject) if subject is not None else None
        if subject is None or context.actors.at(subject) or not (
                sector or self.is_group(subject) or is_domestic_organisation(subject)):
            return []
        home = self.places_of_act(trigger.token, context)  # 'rallied in Slovakia': where they act
        if len({m.code for m in home}) != 1:
            mentioned = unique([m for token in context.sentence for m in context.actors.at(token)])
            targets = self.explicit_targets(trigger, [], context)
            if trigger.pattern.type in DISSENT_TYPES and sector not in AUTHORITY_SECTORS:  # officials speak for a
                named = targets or mentioned  # state, they are not placed by whom they address
                home = [m for m in named if not m.code.startswith(("IGO:", "NGO:")) and (
                    m.sector in AUTHORITY_SECTORS or m.person or (targets and m.sector is None
                                                                   and m.method != "location"))]
                if len({m.code for m in named}) > 2:
                    return []
            if len({m.code for m in home}) != 1:  # the one country named, unless it is what the act is done to
                home = [m for m in mentioned if not m.code.startswith(("IGO:", "NGO:"))]
                if (len({m.code for m in home}) != 1 or len(mentioned) != len(home)
                        or home[0].code in {m.code for m in targets}):
                    return []
        return [ActorMention(subject.idx, subject.idx + len(subject.text), subject.text, home[0].code,
                             sector or organisation_sector(subject), method="dissent")]

    def unattributed_violence(self, trigger: Trigger, context: SentenceContext) -> list[ActorMention]:
        """'a roadside bomb near Kandahar killed two Dutch soldiers', 'was killed by a car bomb in Mogadishu':
        violence whose perpetrator is not named is coded from the country where it happened, as an unidentified
        actor (the manual's UNK sector; UAF for 'gunmen')."""
        token = trigger.token
        if trigger.nominal and token.dep_ == "pobj" and token.head.lower_ == "under" and is_passive(token.head.head):
            token = token.head.head  # 'was put under investigation in Italy'
        elif trigger.nominal:
            return []
        charged = trigger.pattern.type == "ACCUSE" and trigger.pattern.mode in {"allege", "investigate"} and (
            is_passive(token))  # 'was charged in France', 'was put under investigation in Italy'
        if (trigger.pattern.type not in {"ASSAULT", "COERCE"} and not charged) or any(
                node.dep_ == "relcl" for node in [token, *token.ancestors]):
            return []
        if is_passive(token):
            agents = [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            subject = agents[0] if agents else None
        else:
            subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is None and not (token.dep_ == "acl" and token.head.lemma_.lower() in ATTEMPTS):
                return []  # 'an attempt to kill the mayor was foiled in Lviv' has none
        people = self.sector_of_people(subject) if subject is not None else None
        if subject is not None and (subject.pos_ in {"PRON", "PROPN"} or subject.ent_type_
                                    or (people is None and self.is_group(subject)) or people in {"", *NAMED_SECTORS}):
            return []
        places = [m for node in unique_tokens([trigger.token, token, *token.ancestors])
                  for m in self.places_of_act(node, context)] or [
            m for node in context.sentence for m in context.actors.at(node) if m.method == "location"]
        if len({m.code for m in places}) != 1:
            return []
        token = subject if subject is not None else token
        return [ActorMention(token.idx, token.idx + len(token.text), token.text, places[0].code,
                             people or "UNK", method="unattributed")]

    def places_of_act(self, token: Token, context: SentenceContext) -> list[ActorMention]:
        """'marched on Sunday in Georgia': the countries of the places where an act happened."""
        heads = [token] + [c for c in token.children if c.dep_ in OBJECT_DEPS]  # 'blocked roads in Dhaka'
        places = [g for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in PLACE_PREPS
                  for g in c.children if g.dep_ == "pobj"]
        return [m for place in places for node in place.subtree for m in context.actors.at(node)
                if not m.code.startswith(("IGO:", "NGO:")) and (m.sector is None or m.method in PLACE_METHODS)]

    def passive_agent(self, trigger: Trigger, context: SentenceContext) -> list[ActorMention]:
        """'France's ambassador was summoned to the Foreign Ministry': the agent named by the pattern's preposition."""
        token = trigger.token
        if trigger.nominal or not trigger.pattern.agent_preps or not is_passive(token):
            return []
        return self.prep_actors(token, set(trigger.pattern.agent_preps), [], context)

    def subject_actors(self, verb: Token, context: SentenceContext) -> list[ActorMention]:
        climbed = False
        for _ in range(6):
            if is_passive(verb) and verb.lemma_.lower() not in STATIVE_PASSIVES:
                if climbed:  # 'are set to meet', 'was forced to withdraw': the passive subject controls
                    subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
                    return [m for s in subjects for m in self.actors_of(s, context)]
                return self.agents_of(verb, context)
            subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS or (
                c.dep_ == "nsubjpass" and verb.lemma_.lower() in STATIVE_PASSIVES)]  # 'Hungary is opposed to'
            subjects = subjects or [g for c in verb.children if c.dep_ in {"aux", "auxpass"}  # parser hung it on 'is'
                                    for g in c.children if g.dep_ in SUBJECT_DEPS]
            for subject in subjects:
                if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    return self.actors_of(verb.head, context)
                found = self.actors_of(subject, context) or self.launchers(subject, context)
                if found or subject.lower_ not in PRONOUN_SUBJECTS:
                    return found
            if verb.dep_ == "relcl" and not subjects:
                return self.actors_of(verb.head, context)
            if climbed and not subjects and verb.lemma_.lower() in SPEECH_VERBS and context.speaker is not None:
                return [context.speaker]  # '..., the minister said, also calling on Baku to': the speaker calls
            if verb.dep_ == "acl" and not subjects and verb.head.lemma_.lower() in COMMUNICATIONS:
                owners = self.modifier_actors(verb.head, context)  # 'the French Senate resolution calling for'
                if owners:
                    return owners
            if verb.dep_ == "acl" and verb.tag_ == "VBD" and verb.head.dep_ == "ROOT" and not subjects:
                return self.actors_of(verb.head, context)  # misparse: 'Poland's minister called on ...' as a noun
            carried = verb.dep_ in {"dobj", "attr"} and verb.lemma_.lower() in COMMUNICATIONS  # 'issued a
            # declaration demanding': the issuer speaks through the document
            if verb.dep_ not in {"xcomp", "conj", "advcl", "acl", "ccomp", "pcomp"} and not carried and not subjects:
                return []
            if verb.dep_ == "pcomp" and verb.head.lower_ in {"for", "of"} and verb.head.head.pos_ in {"VERB", "AUX"}:
                controller = [c for c in verb.head.head.children if c.dep_ in OBJECT_DEPS]
                if controller and self.actors_of(controller[0], context):
                    return self.actors_of(controller[0], context)
            if verb.dep_ == "xcomp":
                controller = [c for c in verb.head.children if c.dep_ in OBJECT_DEPS]
                if controller and self.actors_of(controller[0], context):
                    return self.actors_of(controller[0], context)
            if verb.head.i == verb.i:
                return []
            verb = verb.head
            while verb.pos_ in {"ADP", "SCONJ"} and verb.head.i != verb.i:  # 'after meeting Wang Yi'
                verb = verb.head
            climbed = True
        return []

    def launchers(self, weapon: Token, context: SentenceContext) -> list[ActorMention]:
        """'a drone that Russian forces launched from Crimea struck Odesa', 'the missile, fired by Iran, hit ...':
        whoever launched the weapon that acts."""
        clauses = [c for c in weapon.children if c.dep_ in {"relcl", "acl"}]
        return [m for c in clauses for m in (
            [m for s in c.children if s.dep_ in SUBJECT_DEPS for m in self.actors_of(s, context)]
            or self.agents_of(c, context))]

    def agents_of(self, verb: Token, context: SentenceContext) -> list[ActorMention]:
        """The `by` phrase of a passive, also when the parser hangs it on an object ('threatened with serious
        consequences by Moscow')."""
        heads = [verb] + [c for c in verb.children if c.dep_ in {"prep", "dobj", "attr", "oprd"}]
        heads += [g for c in heads[1:] for g in c.children if g.dep_ == "pobj"]
        agents = [g for h in heads for c in h.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
                  for g in c.children if g.dep_ == "pobj"]
        return [m for a in agents for m in self.actors_of(a, context)]

    def noun_owners(self, noun: Token, context: SentenceContext) -> list[ActorMention]:
        """'Russian air strikes', 'Azerbaijan's offensive', 'his visit': the owner of a nominal event."""
        for child in noun.children:
            if child.dep_ in {"poss", "amod", "compound", "nmod"}:
                found = self.actors_of(child, context, expand=False)
                if found:
                    return found + [m for g in child.children if g.dep_ == "conj"
                                    for m in self.actors_of(g, context, expand=False)]
        by_phrase = [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "by" for g in c.children]
        found = [m for g in by_phrase for m in self.actors_of(g, context)]
        if not found and self.book.match_noun(noun) and self.book.match_noun(noun).type in FORCE_TYPES:
            of_forces = [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                         if g.dep_ == "pobj" and self.sector_of_people(g) in ARMED_SECTORS]
            found = [m for g in of_forces  # 'a deployment of NATO troops': by their own nationality only
                     for m in list(context.actors.at(g)) or self.modifier_actors(g, context)]
        if not found:  # 'the attack that Iran launched against Israel'
            found = [m for verb in performing_clauses(noun) for s in verb.children if s.dep_ in SUBJECT_DEPS
                     for m in self.actors_of(s, context)]
        return found

    # -- targets ----------------------------------------------------------------------------------------------
    def explicit_targets(self, trigger: Trigger, sources: list[ActorMention], context: SentenceContext
                         ) -> list[ActorMention]:
        token = trigger.token
        suspects = self.suspects(trigger, sources, context)
        if suspects:
            return suspects
        if trigger.nominal and token.dep_ == "attr":  # 'Armenia remains our ally': the copula's subject
            subjects = [c for c in token.head.children if c.dep_ in SUBJECT_DEPS]
            found = [m for c in subjects for m in self.not_sources(self.actors_of(c, context), sources)]
            if found:
                return found
        if trigger.nominal:
            found = self.prep_actors(token, NOUN_TARGET_PREPS, sources, context)
            governor = light_verb(token)
            if not found and governor is not None:
                found = self.verb_targets(governor, sources, context, skip=token)
            if not found:  # 'the attack that Iran launched against Israel'
                found = [m for clause in performing_clauses(token)
                         for m in self.verb_targets(clause, sources, context, skip=token)]
            if not found and trigger.pattern.type == "REQUEST":  # 'its demand that Ankara free the journalists'
                clauses = [c for c in token.children if c.dep_ == "acl"]
                clauses += [c for c in (governor.children if governor is not None else []) if c.dep_ == "ccomp"]
                found = [m for c in clauses if has_subject(c) for m in self.subject_of_clause(c, sources, context)]
            return found
        if token.dep_ == "relcl" and is_answered_claim(token.head):  # '..., a claim Yerevan denied'
            return self.earlier_event_source(token.head, sources, context)
        preferred = self.prep_actors(token, set(trigger.pattern.recipient_preps), sources, context)
        if preferred:
            return preferred
        found = self.verb_targets(token, sources, context, trigger_type=trigger.pattern.type)
        if not found and trigger.pattern.clause_recipient:
            found = self.complement_targets(token, sources, context, embeds=trigger.pattern.embeds)
        if trigger.pattern.type == "THREATEN":
            found = [m for m in found if m.code not in {s.code for s in sources}] or self.conditioned(token, sources,
                                                                                                    context)
        if not found and token.dep_ == "advcl" and token.tag_ == "VBG":
            found = self.attacked_by_head(token, sources, context)
        if not found and trigger.pattern.mode == "investigate" and is_purpose(token):  # 'sent a team to Bucha to
            found = self.prep_actors(token.head, {"to", "into"}, sources, context)  # investigate'
        head_pattern = self.book.match_verb(token.head) if token.dep_ == "conj" else None
        own_object = any(c.dep_ in OBJECT_DEPS for c in token.children)  # 'and exploded bombs in Kabul'
        if not found and head_pattern is not None and head_pattern.type == trigger.pattern.type and not own_object:
            # 'killing or wounding 50': one act told with two verbs shares its recipient
            found = self.explicit_targets(replace(trigger, token=token.head), sources, context)
        return found

    def suspects(self, trigger: Trigger, sources: list[ActorMention], context: SentenceContext
                 ) -> list[ActorMention] | None:
        """'investigating crimes by Croatian extremists against Serbs', 'an investigation of arms sales to Chile':
        an investigation is aimed at the party looked into or at the perpetrator of the act looked into, never at
        the act's victims or buyers (who may share the investigator's country). None when nothing is looked into."""
        looked_into = self.looked_into(trigger)
        if not looked_into:
            return None
        found = [m for thing in looked_into for m in self.actors_of(thing, context, expand=False)
                 or [m for left in thing.lefts for n in left.subtree for m in context.actors.at(n)]]  # 'Russian-backed'
        agents = [g for thing in looked_into for c in [thing, *(a for a in thing.children if a.dep_ == "acl")]
                  for p in c.children if p.dep_ in {"prep", "agent"} and p.lower_ == "by"
                  for g in p.children if g.dep_ == "pobj"]
        for agent in agents:  # 'Croatian extremists': the country's extremists, not the country
            found += [replace(m, sector=m.sector or self.sector_of_people(agent) or None)
                      for m in self.actors_of(agent, context)]
        return [m for m in unique(found) if not any(m is s for s in sources)]

    def looked_into(self, trigger: Trigger) -> list[Token]:
        """What an investigation looks into: 'investigating war crimes', 'launched an investigation into X'."""
        if trigger.pattern.mode != "investigate":
            return []
        heads = [trigger.token]
        heads += [c for c in trigger.token.children if c.dep_ in OBJECT_DEPS and (pattern := self.book.match_noun(c))
                  and pattern.mode == "investigate"]  # 'launched an investigation into'
        things = [c for c in trigger.token.children if c.dep_ in OBJECT_DEPS and c not in heads
                  and c.lemma_.lower() not in trigger.pattern.extra]  # not the 'inspectors' dispatched
        return things + [g for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in {"into", "of", "on"}
                         for g in c.children if g.dep_ == "pobj"]

    def attacked_by_head(self, token: Token, sources: list[ActorMention], context: SentenceContext
                         ) -> list[ActorMention]:
        """'launched drone strikes on rebel camps, killing 30': the result shares the act's recipient."""
        own = set(t.i for t in token.subtree)
        preps = [n for n in token.head.subtree if n.dep_ == "prep" and n.lower_ in {"against", "on"} and n.i not in own]
        return [m for p in preps for g in p.children if g.dep_ == "pobj"
                for m in self.not_sources(self.actors_of(g, context), sources)]

    def verb_targets(self, verb: Token, sources: list[ActorMention], context: SentenceContext,
                     skip: Token | None = None, trigger_type: str = "") -> list[ActorMention]:
        objects = [c for c in verb.children if (c.dep_ in OBJECT_DEPS or c.dep_ == "nsubjpass") and c is not skip]
        objects += [g for c in verb.children if c.lower_ == "up" for p in c.children if p.lower_ == "to"
                    for g in p.children if g.dep_ == "pobj"]  # 'kidnapped up to 16 advisers': a quantity
        found = [m for o in objects for m in self.not_sources(self.actors_of(o, context), sources)]
        object_preps = {"with"} if trigger_type == "CONSULT" else NOUN_TARGET_PREPS  # 'discussed sanctions against
        for obj in objects:  # Iran': what is discussed is no participant
            if not found:
                found = self.prep_actors(obj, object_preps, sources, context)
        if not found:
            preps = TARGET_PREPS - TOPIC_PREPS if trigger_type in TOPICAL_TYPES else TARGET_PREPS
            found = self.prep_actors(verb, preps, sources, context)
        if not found:
            found = [m for o in objects for m in self.earlier_event_source(o, sources, context)]
        return found

    def complement_targets(self, verb: Token, sources: list[ActorMention], context: SentenceContext,
                           depth: int = 0, embeds: bool = True) -> list[ActorMention]:
        """'agreed to send troops to Liberia', 'is willing to help defend Saudi Arabia', 'demanded that the US
        cancel ...': the recipient inside the complement clause."""
        if depth > 3:
            return []
        for child in verb.children:
            if child.dep_ not in COMPLEMENT_DEPS:
                continue
            if has_subject(child):  # a clause of its own: only its subject, and only for 'demanded that X ...'
                found = self.subject_of_clause(child, sources, context) if embeds else []
            else:
                found = (self.verb_targets(child, sources, context)
                         or self.complement_targets(child, sources, context, depth + 1, embeds))
            if found:
                return found
        return []

    def conditioned(self, token: Token, sources: list[ActorMention], context: SentenceContext) -> list[ActorMention]:
        """'warned that if Iran attacks Israel, the US will respond': a threat is aimed at whoever must not act."""
        clauses = [n for n in token.subtree if n.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in n.children)]
        return [m for c in clauses for m in self.subject_of_clause(c, sources, context)
                if m.code not in {s.code for s in sources}]

    def subject_of_clause(self, verb: Token, sources: list[ActorMention], context: SentenceContext
                          ) -> list[ActorMention]:
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS | {"nsubjpass"}]
        return [m for s in subjects for m in self.not_sources(self.actors_of(s, context), sources)]

    def prep_actors(self, head: Token, preps: set[str], sources: list[ActorMention], context: SentenceContext
                    ) -> list[ActorMention]:
        found: list[ActorMention] = []
        children = list(head.children)
        if "from" in preps:  # 'shipped out of Gorazde' is 'from'
            children += [g for c in head.children if c.lower_ == "out" for g in c.children if g.lower_ == "of"]
        for child in children:
            if child.dep_ in {"prep", "dative"} and (child.lower_ in preps or child.head.lower_ == "out") and (
                    not is_helper_phrase(child) and not is_reason_phrase(child)):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found += self.not_sources(self.actors_of(obj, context), sources)
        return found

    def earlier_event_source(self, noun: Token, sources: list[ActorMention], context: SentenceContext
                             ) -> list[ActorMention]:
        """'Moscow rejected the accusation', '..., a claim Yerevan denied': the recipient is whoever made the
        accusation earlier on."""
        if noun.lemma_.lower() not in EVENT_ANAPHORS or not (is_answered_claim(noun) or any(
                c.lower_ in ANAPHOR_DETERMINERS for c in noun.children)):
            return []
        source_codes = {s.code for s in sources}
        kinds = EVENT_ANAPHORS[noun.lemma_.lower()]
        before = [e for e in context.current if e.trigger_start < noun.idx]  # 'X ratified ..., and Y criticised
        for event in reversed(context.earlier + before):  # the move the same day'
            code = (event.source or "").split("-")[0]
            if kinds and event.type not in kinds:
                continue
            if event.sentence_index <= context.index and code and code not in source_codes:
                sector = event.source.split("-")[1] if "-" in event.source else None
                return [ActorMention(noun.idx, noun.idx + len(noun.text), noun.text, code, sector,
                                     method="event_anaphora")]
        return []

    def fallback_targets(self, trigger: Trigger, sources: list[ActorMention], context: SentenceContext
                         ) -> list[ActorMention]:
        described = trigger.pattern.type in DESCRIBED_TYPES  # 'condemned crimes committed by Croat forces'
        found = self.patient_in_clause(trigger.token, sources, context, described)
        governor = light_verb(trigger.token) if trigger.nominal else None
        if not found and governor is not None:  # 'engaged in ethnic cleansing in Montenegro'
            found = self.patient_in_clause(governor, sources, context, described)
        return found

    def patient_in_clause(self, token: Token, sources: list[ActorMention], context: SentenceContext,
                          described: bool = False) -> list[ActorMention]:
        """No syntactic recipient: the first actor of another country inside the trigger's own clause (objects,
        prepositional phrases and complements, not nested clauses with subjects of their own)."""
        children = [c for c in token.children if c.dep_ in OBJECT_DEPS | COMPLEMENT_DEPS | {"prep", "dative", "attr"}
                    and c.lower_ not in ATTRIBUTION_PREPS and not is_helper_phrase(c) and not is_reason_phrase(c)]
        nodes = [node for child in children for node in own_clause(child, depth=3)]
        nodes += [node for child in children for node in child.subtree if node not in nodes
                  and (described or not in_modifier_clause(node, child))]
        candidates = [self.not_sources(self.actors_of(node, context), sources) for node in nodes
                      if not is_border_place(node.head) and not is_partner_of_relation(node)
                      and not is_placed_people(node.head)]
        source_codes = {s.code for s in sources}
        foreign = next((found for found in candidates if any(m.code not in source_codes for m in found)), None)
        if foreign:
            return [m for m in foreign if m.code not in source_codes]
        return next((found for found in candidates if found), [])

    def location_of(self, token: Token, context: SentenceContext) -> list[ActorMention]:
        """'students throughout Chile', 'ethnic Hungarians in Romania', 'rebels operating in Mozambique',
        'fighters loyal to Libya's eastern commander': people located in, or loyal to, a country act as part of it."""
        ethnic = is_placed_people(token)  # 'the Albanian population of the province'
        if any(m.person for m in context.actors.at(token)) or not (self.is_group(token) or ethnic):
            return []
        heads = [token] + [c for c in token.children if c.dep_ in {"acl", "amod"} and c.lemma_.lower() in SETTLED]
        for child in (c for head in heads for c in head.children):  # 'a militia based in Kivu'
            if child.dep_ == "prep" and child.lower_ in {"in", "throughout", "across", "to", "of"} and (
                    child.lower_ != "to" or child.head.lemma_.lower() in {"loyal", "close"}) and (  # 'loyal to X'
                    child.lower_ != "of" or token.tag_ == "NNPS" or ethnic):  # 'the Hungarians of southern Slovakia'
                places = [m for g in child.children if g.dep_ == "pobj" for m in self.actors_of(g, context, False)]
                if places:
                    sector = self.sector_of_people(token) or None
                    return [ActorMention(token.idx, token.idx + len(token.text), token.text, places[0].code,
                                         sector, method="resident")]
        return []

    def is_group(self, token: Token) -> bool:
        """A collective noun for people ('students', 'demonstrators') or a plural demonym ('Albanians')."""
        def group_word(word: Token) -> bool:
            term = self.sector_terms.get(word.lemma_.lower()) or self.sector_terms.get(word.lower_)
            return term is not None and term[1] == "group"

        plural = token.tag_ in {"NNS", "NNPS"}
        return group_word(token) or (token.tag_ == "NNPS" and token.lower_.endswith("s")) or (
            plural and any(c.dep_ in {"compound", "amod"} and self.sector_of_word(c) for c in token.children))

    def is_people(self, token: Token) -> bool:
        """'doctors', 'officials', 'rebels': people or institutions ('doctors from two American aid groups')."""
        return self.sector_of_people(token) is not None

    def sector_of_people(self, head: Token) -> str | None:
        """The sector of a noun phrase naming people or an institution ('' when people of no known sector)."""
        if head.ent_type_ == "PERSON":
            return ""
        found = self.sector_of_word(head)
        if found is None and head.tag_ in {"NN", "NNS", "NNPS"}:  # 'opposition groups', 'the rebel group'
            found = next((self.sector_of_word(c) for c in head.children
                          if c.dep_ in {"compound", "amod"} and self.sector_of_word(c)), None)
        return found

    def sector_of_word(self, word: Token) -> str | None:
        term = self.sector_terms.get(word.lemma_.lower()) or self.sector_terms.get(word.lower_)
        if term is None and word.lower_.endswith(GROUP_SUFFIXES):  # 'dockworkers', 'steelworkers'
            term = self.sector_terms.get(next(s for s in GROUP_SUFFIXES if word.lower_.endswith(s)))
        return term[0] if term else None

    @staticmethod
    def not_sources(found: list[ActorMention], sources: list[ActorMention]) -> list[ActorMention]:
        return [m for m in found if not any(m is s or same_actor(m, s) or (  # 'withdraw its troops': its own
            m.method == "reported_possessive" and m.code == s.code) for s in sources)]

    # -- noun phrases to actors -----------------------------------------------------------------------------
    def actors_of(self, token: Token, context: SentenceContext, expand: bool = True) -> list[ActorMention]:
        """The actors a noun phrase headed by `token` refers to, members of conjunctions included."""
        found = list(context.actors.at(token))
        if is_placed_people(token):  # 'the Albanian population of the province': where it lives, not its kin state
            return self.location_of(token, context)
        if not found or is_bare_demonym(token, found):  # 'the Hungarians of southern Slovakia': a minority
            found = self.location_of(token, context) or found
        if not found and token.lower_ in SPEAKER_PRONOUNS and context.speaker is not None and self.in_quote(
                token, context.sentence):
            found = [context.speaker]
        relational = token.lemma_.lower() in RELATIONAL_NOUNS
        if not found and not relational:
            found = self.modifier_actors(token, context)
        if not found and expand and not relational and token.pos_ not in {"ADP", "VERB", "AUX"}:  # not 'out of X'
            for child in token.children:
                belongs = child.lower_ == "of" or (child.lower_ in {"from", "for"} and self.is_people(token)) or (
                    child.lower_ == "by" and token.lemma_.lower() in COMMUNICATIONS)
                if child.dep_ == "prep" and belongs:
                    found = [m for g in child.children if g.dep_ == "pobj" for m in self.actors_of(g, context)]
        if expand:
            for child in token.children:
                if child.dep_ == "conj":
                    found += self.actors_of(child, context)
        return unique(found)

    def modifier_actors(self, token: Token, context: SentenceContext) -> list[ActorMention]:
        """'Egyptian police', 'French and Egyptian warships', 'Azerbaijan's leadership', '“our” infrastructure'."""
        if is_border_place(token):
            return []  # 'a camp on the Venezuelan border' places the act; Venezuela takes no part in it
        actors = context.actors
        found: list[ActorMention] = []
        for child in token.children:
            if child.dep_ not in {"poss", "amod", "compound", "nmod", "appos"}:
                continue
            if child.lower_ in SPEAKER_PRONOUNS and context.speaker and self.in_quote(child, context.sentence):
                return [context.speaker]
            if (child.dep_ == "poss" and child.lower_ in REPORTED_POSSESSIVES and context.speaker
                    and not actors.at(child) and under_speech(child)):  # 'the rebels said their fighters had
                # withdrawn', 'the ministry said Armenian forces had fired on its positions': the speaker's own
                return [self.speakers_part(context.speaker, token)]
            here = list(actors.at(child)) or [m for g in child.children if g.dep_ in {"compound", "amod"} or (
                g.dep_ == "npadvmod" and child.lemma_.lower() == "lead") for m in actors.at(g)]  # 'Saudi-led'
            if not here and child.dep_ in {"compound", "nmod"}:  # 'Kenya Farmers Association officials'
                here = [m for g in child.children if g.dep_ == "compound" for h in g.children
                        if h.dep_ == "compound" for m in actors.at(h)]
            if here:
                here += [m for g in child.children if g.dep_ == "conj" for m in actors.at(g)]
            found += [m for m in here if m.code not in {f.code for f in found}]
        return found

    def speakers_part(self, speaker: ActorMention, noun: Token) -> ActorMention:
        """'their forces', 'its positions' said by a government: the speaker's country, with the sector the noun
        names if any."""
        return replace(speaker, sector=self.sector_of_people(noun) or None, start=noun.idx,
                       end=noun.idx + len(noun.text), text=noun.text, person=None, role=None,
                       method="reported_possessive")

    # -- speaker, quotes, modality ---------------------------------------------------------------------------
    def speaker_of(self, context: SentenceContext) -> ActorMention | None:
        for token in context.sentence:
            if token.lemma_.lower() in SPEECH_VERBS and token.pos_ == "VERB" and not self.in_quote(
                    token, context.sentence):
                verb = token.head if token.dep_ == "conj" and not any(
                    c.dep_ in SUBJECT_DEPS for c in token.children) else token
                for subject in (c for c in verb.children if c.dep_ in SUBJECT_DEPS):
                    if subject.pos_ == "VERB":  # 'The agency working in Haiti said': parsed as a clause
                        subject = next((c for c in subject.children if c.dep_ in SUBJECT_DEPS), subject)
                    found = list(context.actors.at(subject)) or self.modifier_actors(subject, context)
                    if found:
                        return found[0]
        return None

    @staticmethod
    def in_quote(token: Token, sentence: Span) -> bool:
        before = sentence.text[:token.idx - sentence.start_char]  # Doc.text is rebuilt on every access
        return (before.count('"') % 2 == 1 or before.count("“") > before.count("”")
                or before.count("«") > before.count("»"))

    @staticmethod
    def modality(token: Token) -> str:
        """asserted, negated, hypothetical or future, from the trigger's clause up to the reporting verb."""
        chain = [token]
        for ancestor in token.ancestors:
            if ancestor.lemma_.lower() in SPEECH_VERBS:
                break
            chain.append(ancestor)
        hypothetical = any(c.dep_ == "det" and c.lower_ in {"any", "possible"} for c in token.children)  # 'any attack'
        future = ongoing = False
        for position, node in enumerate(chain):
            children = list(node.children)
            lemma = node.lemma_.lower()
            negated = any(c.dep_ == "neg" or c.lower_ in {"never", "no"} for c in children) or any(
                is_no_one(c) for c in children if c.dep_ in SUBJECT_DEPS | {"nsubjpass"})  # 'neither X nor Y has
            if negated and lemma not in HYPOTHETICAL_HEADS and not hypothetical:
                return "negated"
            if position > 0 and lemma in NEGATING_HEADS:
                return "negated"
            if lemma == "have" and any(c.lower_ == "yet" for c in children):
                return "negated"
            if position > 0 and lemma in HYPOTHETICAL_HEADS and (lemma != "rule" or any(
                    c.lower_ == "out" for c in children)):  # 'did not rule out', not 'military-ruled'
                hypothetical = True
            if position > 0 and lemma in ONGOING_HEADS:
                ongoing = True
            if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in children):
                hypothetical = True
            modal = {c.lower_ for c in children if c.dep_ == "aux"}
            if modal & HYPOTHETICAL_AUX:
                if "would" in modal and not modal & (HYPOTHETICAL_AUX - {"would"}):
                    future = True
                else:
                    hypothetical = True
            if modal & FUTURE_AUX:
                future = future or not (ongoing or lemma in ONGOING_HEADS)
            if position > 0 and lemma in FUTURE_HEADS and (lemma != "go" or node.tag_ == "VBG"):
                future = True
            if node.dep_ == "ROOT":
                break
        if hypothetical:
            return "hypothetical"
        return "future" if future else "asserted"


def is_embedded(trigger: Trigger, triggers: list[Trigger]) -> bool:
    """An event inside another trigger's complement ('agreed to withdraw', 'signed an agreement',
    'urged Moscow to withdraw') is part of that event, not an event of its own."""
    others = {t.token.i: t for t in triggers if t is not trigger}
    performed = others | {verb.i: t for t in others.values() if t.nominal and (verb := light_verb(t.token))}
    token = trigger.token
    if trigger.nominal and token.dep_ == "pobj" and token.head.lower_ in SEQUENCE_PREPS | {"during"}:
        return False  # 'agreed to expand inspections after talks with X': a setting, not what was agreed
    near = [a for a, _ in zip(token.ancestors, range(3), strict=False)]
    if any(trigger.pattern.type in TOPIC_TYPES.get(performed[a.i].pattern.type, ())
           for a in near if a.i in performed):
        return True  # 'staged demonstrations to demand reforms': the protest's topic
    for step in range(3):
        if token.dep_ == "ROOT" or token.head.i == token.i:
            return False
        head = token.head
        if token.dep_ in {"pobj", "pcomp"} and head.dep_ == "prep":  # 'accused X of violating': the allegation
            head = head.head
        outer = others.get(head.i)
        if outer is not None and trigger.pattern.type in TOPIC_TYPES.get(outer.pattern.type, ()):
            return True
        if outer is not None and is_purpose(token):  # 'resigned to allow elections': the aim of that act
            return True
        if outer is not None and outer.pattern.type == trigger.pattern.type and (
                token.dep_ == "advcl" or trigger.nominal):
            return True  # 'shelled the city, killing 20', 'an air strike killed him': one event, told twice
        if head.i in performed and trigger.nominal and token.dep_ == "pobj" and token.head.lower_ == "in" and (
                token.lemma_.lower() == "protest"):
            return True  # 'went on hunger strike in protest against ...': the act's purpose, not a second act
        if outer is not None:
            adjunct = token.dep_ == "pobj" and token.head.lower_ in ADJUNCT_PREPS  # 'during a visit', 'after talks'
            factive = (outer.pattern.mode == "disapprove" and token.dep_ in OBJECT_DEPS  # 'condemned the air strike
                       and token.lemma_.lower() not in outer.pattern.extra)  # on Doha': it happened
            if trigger.nominal and token.dep_ in OBJECT_DEPS | {"attr", "pobj", "nsubjpass"} and not (
                    adjunct or factive):
                return True
            if outer.pattern.embeds and outer.nominal and token.dep_ == "acl" and any(
                    c.dep_ == "mark" and c.lower_ == "that" for c in token.children):
                return True  # 'an allegation that the rebels had taken the city': its content
            warning_about_others = outer.pattern.type == "THREATEN" and token.dep_ == "ccomp" and has_subject(token)
            # 'accused Tehran of encouraging the Houthis to attack ships': the encouragement is alleged, the attack
            # it encouraged is told as fact
            incited = outer.pattern.type == "ACCUSE" and step > 0 and trigger.token.dep_ == "xcomp"
            setting = token.dep_ == "advcl" and any(  # 'requested help after Azerbaijani troops attacked'
                c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in token.children)
            if outer.pattern.embeds and token.dep_ in {"xcomp", "ccomp", "dobj", "pobj", "pcomp", "advcl"} and not (
                    warning_about_others or incited or setting):
                return True
        if token.dep_ not in {"xcomp", "pobj", "pcomp", "prep", "dobj", "compound", "amod", "conj"}:
            return False
        token = head
    return False


def is_ended(trigger: Trigger) -> bool:
    """'ending a decade-long deployment', 'halted the talks': what is ended is not an event (the ending may be);
    'cleared him of all charges': charges dropped are no accusation."""
    if trigger.nominal and trigger.pattern.type == "ACCUSE":
        verb = next((a for a in trigger.token.ancestors if a.pos_ in {"VERB", "AUX"}), None)
        if verb is not None and verb.lemma_.lower() in CLEARING_VERBS:
            return True
    token = trigger.token
    return trigger.nominal and token.dep_ == "dobj" and token.head.lemma_.lower() in ENDING_VERBS


def same_actor(a: ActorMention, b: ActorMention) -> bool:
    return a is b or (a.code == b.code and (a.sector == b.sector or a.start == b.start
                                            or (a.person is not None and a.person == b.person)))


def unique(mentions: list[ActorMention]) -> list[ActorMention]:
    seen: set[int] = set()
    result = []
    for mention in mentions:
        if id(mention) not in seen:
            seen.add(id(mention))
            result.append(mention)
    return result


def peacekeeping(trigger: Trigger, sources: list[ActorMention]) -> Trigger:
    """'peacekeepers arrived in Bosnia', 'will deploy police to Haiti to lead a security mission': forces sent to
    keep the peace provide protection (CAMEO 074, AID), whether they arrive or are announced (then AGREE)."""
    if trigger.pattern.type not in {"CONSULT", "MOBILIZE"}:
        return trigger
    words = {t.lower_ for t in trigger.token.subtree} | {w.lower() for s in sources for w in s.text.split()}
    if any(w.startswith("peacekeep") for w in words) or words & PEACE_MISSION_WORDS:
        return replace(trigger, pattern=Pattern("AID", None, "074"), original=trigger.pattern.type)
    return trigger


def is_answered_claim(noun: Token) -> bool:
    """'accused Armenia of firing on its positions, a claim Yerevan denied': an apposition that names an act
    just told and tells another party's answer to it in a relative clause."""
    return noun.dep_ == "appos" and noun.lemma_.lower() in EVENT_ANAPHORS and any(
        c.dep_ == "relcl" for c in noun.children)


def without_untargeted_twins(events: list[Event]) -> list[Event]:
    """'NATO's deployment of peacekeepers arrived in Bosnia': when one sentence tells an act with and without its
    recipient, the telling without it adds nothing."""
    targeted = {(e.source, e.type, e.modality) for e in events if e.target is not None}
    return [e for e in events if e.target is not None or (e.source, e.type, e.modality) not in targeted]


def dedupe(events: list[Event]) -> list[Event]:
    seen: set[tuple] = set()
    result = []
    for event in events:
        key = (event.source, event.target, event.type, event.trigger_start)
        if key not in seen:
            seen.add(key)
            result.append(event)
    return result
