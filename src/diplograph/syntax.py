"""What a token's place in the dependency parse says, for the event coder: clauses and their subjects, passives,
background and modifier clauses, light verbs, and the phrases that never name a recipient. Pure functions of
spaCy tokens; the word lists come from data/coder_lexicon.yaml."""

from __future__ import annotations

from spacy.tokens import Token

from .models import ActorMention
from .patterns import load_lexicon
from .settings import DATA_DIR

LEXICON = load_lexicon(DATA_DIR / "coder_lexicon.yaml")  # word lists, as data
SUBJECT_DEPS = {"nsubj", "csubj"}
SPEECH_VERBS = LEXICON["speech_verbs"]
NON_AGENT_VERBS = LEXICON["non_agent_verbs"]
RELATIONAL_NOUNS = LEXICON["relational_nouns"]
OBLIGATION_AUX = {"must", "should", "ought"}
BACKGROUND_PREPS = {"since", "amid", "despite"}
SEQUENCE_PREPS = {"after", "before", "following"}
NAME_ENTITIES = {"ORG", "LAW", "FAC", "WORK_OF_ART", "NORP", "GPE"}
BACKGROUND_MARKS = {"after", "as", "when", "because", "since", "while", "before", "although", "though", "until"}
COLLECTIVE_NOUNS = LEXICON["collective_nouns"]
ORGANISATION_HEADS = {"party": "PTY", "front": "REB", "movement": "SOC", "coalition": "OPP", "union": "SOC",
                      "alliance": "OPP", "bloc": "OPP", "organisation": "SOC", "organization": "SOC"}
REQUEST_NOUNS = LEXICON["request_nouns"]
BORDER_WORDS = LEXICON["border_words"]
PLACE_PREPS = {"in", "at", "near", "outside", "around", "inside", "throughout", "across"}
HELP_NOUNS = LEXICON["help_nouns"]
PERFORMING_VERBS = LEXICON["performing_verbs"]
PREPARATIONS = LEXICON["preparations"]
ETHNIC_COLLECTIVES = LEXICON["ethnic_collectives"]
MINORITIES = LEXICON["minorities"]
CONTROLLED_DEPS = {"xcomp", "conj", "advcl", "acl", "pcomp", "pobj", "prep", "dobj"}


def subject_token(token: Token) -> Token | None:
    """The grammatical subject that controls a verb or a noun, climbing through complements and prepositions."""
    for _ in range(5):
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            return subjects[0]
        if token.dep_ == "acl" and token.tag_ == "VBG":  # 'demonstrators protesting the results'
            return token.head
        if token.dep_ not in CONTROLLED_DEPS or token.head.i == token.i:
            return None
        token = token.head
    return None


def is_bare_demonym(token: Token, mentions: list[ActorMention]) -> bool:
    """'Albanians', 'Turks': a people named only by its nationality (not 'Albanian troops')."""
    return token.tag_ == "NNPS" and all(m.text == token.text and not m.sector for m in mentions)


def is_domestic_organisation(token: Token) -> bool:
    """'the Labour party', 'the Freedom Union', 'the Democratic opposition coalition': a named party or movement."""
    return token.lemma_.lower() in ORGANISATION_HEADS and (token.ent_type_ == "ORG" or any(
        c.dep_ in {"compound", "nmod", "amod"} and c.pos_ == "PROPN" for c in token.children))


def organisation_sector(token: Token) -> str | None:
    return ORGANISATION_HEADS.get(token.lemma_.lower())


def members_of(token: Token | None) -> Token | None:
    """'a group of refugees', 'thousands of workers': the people a quantity or collective noun stands for."""
    if token is None or not {token.lemma_.lower(), token.lower_} & COLLECTIVE_NOUNS:
        return token
    return next((g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"), token)


def has_subject(verb: Token) -> bool:
    return any(c.dep_ in SUBJECT_DEPS | {"nsubjpass"} for c in verb.children)


def in_background(token: Token) -> bool:
    """Relative clauses and subordinate clauses with a subject of their own ('the ceasefire that Baku broke',
    'after Azerbaijani troops attacked') tell the background of the sentence's event, not a new event, unless
    they carry a date of their own."""
    for node in [token, *token.ancestors]:
        if node.lemma_.lower() in SPEECH_VERBS:
            return False
        if node.dep_ == "relcl" or (node.dep_ == "advcl" and (has_subject(node) or any(
                c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in node.children))):
            return not has_own_date(node)
    return False


def is_demanded(token: Token) -> bool:
    """'X must ensure security to allow supplies in': what a party is told it must do is not yet an event."""
    node = token
    for _ in range(3):
        if node.dep_ not in {"xcomp", "advcl", "ccomp", "conj", "dobj"} or node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ in {"VERB", "AUX"} and is_obligation(node):
            return True
    return False


def is_prepared(token: Token) -> bool:
    """'the army prepared to resume shelling', not 'is prepared to strike' (a stated readiness)."""
    chain = [token]
    while chain[-1].dep_ == "xcomp" and len(chain) < 4:
        chain.append(chain[-1].head)
    return any(h.lemma_.lower() in PREPARATIONS and h.pos_ == "VERB" and h.tag_ != "VBN" for h in chain[1:])


def is_partner_of_relation(node: Token) -> bool:
    """'Israel's militia ally', 'a rival of Iran': the possessor of a relational noun is the other party."""
    while node.dep_ == "compound" and node.head is not node:  # 'Saudi' in 'Saudi Arabia's allies'
        node = node.head
    head = node.head.head if node.dep_ == "pobj" and node.head.lower_ == "of" else node.head
    return node.dep_ in {"poss", "pobj"} and head.lemma_.lower() in RELATIONAL_NOUNS and head is not node


def performing_clauses(noun: Token) -> list[Token]:
    """'the attack that Iran launched against Israel': relative clauses that tell who performed the act."""
    return [c for c in noun.children if c.dep_ == "relcl" and c.lemma_.lower() in PERFORMING_VERBS]


def is_placed_people(noun: Token) -> bool:
    """'the Albanian population of the province', 'the Azerbaijani minority': a people named with the place where it
    lives, or a minority (which lives outside its kin state); its demonym does not make it its kin state."""
    lemma = noun.lemma_.lower()
    return lemma in MINORITIES or lemma in ETHNIC_COLLECTIVES and any(
        c.dep_ == "prep" and c.lower_ in {"in", "of", "throughout"} for c in noun.children)


def is_no_one(subject: Token) -> bool:
    """'Neither Israel nor Hamas', 'no country', 'none of the parties': a subject that negates its verb."""
    return subject.lower_ in {"none", "nobody", "neither"} or any(
        c.lower_ in {"neither", "no"} and c.dep_ in {"preconj", "det"} for c in subject.children)


def is_reason_phrase(prep: Token) -> bool:
    """'arrested for collaborating with Israel', 'thanked X for helping Y': the reason given names another act."""
    return prep.lower_ == "for" and any(c.dep_ == "pcomp" for c in prep.children)


def is_helper_phrase(prep: Token) -> bool:
    """'with Albania's help', 'with US backing': names a partner in the act, not its recipient."""
    return prep.lower_ == "with" and any(c.dep_ == "pobj" and c.lemma_.lower() in HELP_NOUNS for c in prep.children)


def is_border_place(token: Token) -> bool:
    """'on the Venezuelan border', 'near the Syrian frontier': a border that only says where something happened."""
    return (token.lemma_.lower() in BORDER_WORDS and token.dep_ == "pobj"
            and token.head.lower_ in PLACE_PREPS | {"on", "along", "across"})


def is_requested_act(token: Token) -> bool:
    """'an appeal to release the hostages', 'an ultimatum to leave the city', 'repeated its demand that Ankara free the
    journalists': the act asked for is the content of a request, not an event of its own."""
    if token.dep_ == "acl" and token.head.lemma_.lower() in REQUEST_NOUNS:
        return any(c.dep_ in {"aux", "mark"} and c.lower_ in {"to", "that"} for c in token.children)
    return token.dep_ == "ccomp" and any(c.lower_ == "that" for c in token.children if c.dep_ == "mark") and any(
        c.dep_ == "dobj" and c.lemma_.lower() in REQUEST_NOUNS for c in token.head.children)


def in_name(token: Token) -> bool:
    """'the Shanghai Cooperation Organisation', 'the Collective Security Treaty': a trigger word inside a name
    is no event."""
    return token.pos_ == "PROPN" and token.ent_type_ in NAME_ENTITIES


def in_background_phrase(noun: Token) -> bool:
    """'since last month's invasion', 'amid the unrest': an event named as the setting of the sentence's event;
    'Pakistan, a key US ally': a standing relation named to describe an actor."""
    if noun.dep_ == "appos" and noun.lemma_.lower() in RELATIONAL_NOUNS:
        return True
    if noun.dep_ == "pobj" and noun.head.lower_ in SEQUENCE_PREPS:  # 'days after a heated meeting', but not
        return not has_own_date(noun)  # 'after talks in Tehran on Saturday'
    return noun.dep_ == "pobj" and noun.head.lower_ in BACKGROUND_PREPS


def has_own_date(clause: Token) -> bool:
    """'..., which Baku retook in 2020': a dated background event is worth its own record."""
    return any(t.ent_type_ == "DATE" for t in clause.subtree)


def is_purpose(token: Token) -> bool:
    """'resigned to allow elections', 'opened the bridge to allow deliveries': an aim, not a further act."""
    return token.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def in_condition(token: Token) -> bool:
    """'... unless Bogota accepts', 'if Israel attacks': the condition of a statement is not itself an event."""
    for node in [token, *token.ancestors]:
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in node.children):
            return True
    return False


def is_negated(token: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in {"never", "not", "n't"} or (c.dep_ in SUBJECT_DEPS and is_no_one(c))
               for c in token.children)


def is_obligation(verb: Token) -> bool:
    """'must return', 'should withdraw', 'has to leave', 'needs to accept'."""
    if any(c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_.lower() in {"have", "need"} and head.i != verb.i


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def under_speech(token: Token) -> bool:
    return any(ancestor.lemma_.lower() in SPEECH_VERBS for ancestor in token.ancestors)


def light_verb(noun: Token) -> Token | None:
    """The verb that performs a nominal trigger: 'held talks', 'launched an offensive', 'engaged in talks'."""
    head = noun.head
    if noun.dep_ in {"dobj", "attr"} and head.pos_ in {"VERB", "AUX"}:
        return None if head.lemma_.lower() in NON_AGENT_VERBS else head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN" and head.head.dep_ in {"dobj", "attr"}:
        return light_verb(head.head)  # 'launched ten days of war games', 'held a round of talks'
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in {"VERB", "AUX"}:
        verb = head.head
        performs = head.lower_ in {"in", "into", "to", "for", "at"} or (  # not 'stood aside during the fighting'
            head.lower_ == "under" and is_passive(verb))  # 'was placed under arrest', not 'came under attack'
        return verb if performs and verb.lemma_.lower() not in NON_AGENT_VERBS else None
    return None


def in_modifier_clause(node: Token, top: Token) -> bool:
    """'the march organised by unions to protest ...', 'the decision to send the migrants back to Turkey': a past
    participle or an infinitive that describes a thing, below `top`, is not where the act's recipient is; people
    are named by what they do ('refugees fleeing the war in Sudan'), and clauses with a subject are content
    ('hope that France would ...')."""
    while node is not top and node.head.i != node.i:
        if node.dep_ == "acl" and node.tag_ in {"VBN", "VBD", "VB"} and not has_subject(node):  # VBD: a mis-tagged VBN
            return True
        if node.dep_ == "relcl" and any(c.dep_ in SUBJECT_DEPS and c.lower_ in {"who", "which", "that"}
                                        for c in node.children):  # 'migrants who crossed from Belarus'
            return True
        node = node.head
    return False


def own_clause(root: Token, depth: int) -> list[Token]:
    """Tokens under `root` within `depth` levels, not entering clauses that have a subject of their own."""
    result, frontier = [], [root]
    for _ in range(depth + 1):
        next_frontier = []
        for node in frontier:
            if node is not root and node.pos_ in {"VERB", "AUX"} and any(
                    c.dep_ in SUBJECT_DEPS | {"nsubjpass"} for c in node.children):
                continue
            result.append(node)
            next_frontier.extend(node.children)
        frontier = next_frontier
    return result


def unique_tokens(tokens: list[Token]) -> list[Token]:
    return list({t.i: t for t in tokens}.values())
