"""The stance of one sentence on a claim it states, read off cues, and the cue that decided.

From the word that carries the claim's predicate, the parse is walked up to
the sentence's root:

1. the proposition's own clause: a negation there ("did not take place",
   "there is no forced labour") turns the sentence against the claim;
2. the verbs and nouns above it: a denial ("denied that ...", "rejected
   allegations of ...") contests it, a finding or an accusation ("concluded
   that ...", "accused X of ...") supports it, an inquiry or a question
   ("will investigate whether ...", "allegations of ...", "is accused of ...")
   only reports it;
3. then the sentence's phrases: untruth ("lies and disinformation", "no
   evidence"), which contests; hedges that still assert ("reasonable to
   conclude", "credible", "may amount to"), which support; report frames
   ("alleged", "reportedly"), which report.

Untruth wins over everything, then a negation, then a finding or hedge,
then a report frame; a plain assertion supports. The statement that carries
the sentence adds its own cue: a quoted denial is its speaker's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sourcetrace.claims.cues import (
    CONTEST_ONLY_ON_CLAIMS,
    CONTEST_PHRASES,
    CONTEST_VERBS,
    EXISTENTIAL,
    HEDGE_PHRASES,
    NEGATIONS,
    REPORT_PHRASES,
    REPORT_VERBS,
    SUPPORT_VERBS,
    first_phrase,
)
from sourcetrace.claims.propositions import LIGHT_VERBS
from sourcetrace.claims.terms import keys_of

if TYPE_CHECKING:  # spaCy is imported where a pipeline loads (voices/nlp.py)
    from spacy.tokens import Doc, Token

Stance = Literal["supports", "contests", "reports"]
STANCES: tuple[Stance, ...] = ("supports", "contests", "reports")

# Nouns that hold a claim as their topic without asserting it: "allegations of ...".
REPORT_NOUNS = frozenset("""allegation allegations accusation accusations claim claims report reports rumour rumours
rumor rumors question questions inquiry inquiries investigation investigations probe suspicion suspicions charge
charges assertion assertions story stories account accounts""".split())
EVIDENCE_NOUNS = frozenset("evidence proof proofs sign signs indication indications trace traces".split())
_NOMINAL_ONLY = frozenset({"accused", "alleged", "charged", "blamed"})  # passive with no agent: only reported
# Speakers that are things circulated, not people: "posts claim that ..." reports the claim.
_CIRCULATED = frozenset("""post posts video videos message messages rumour rumours rumor rumors tweet tweets footage
clip clips leaflet leaflets meme memes""".split())
_CLAIM_OBJECTS = REPORT_NOUNS | frozenset("findings finding conclusions conclusion".split())
_QUESTION_WORDS = frozenset({"whether", "if", "who", "whom", "how", "why", "what", "which"})
OWN_VOICE = "asserted in the text's own voice"  # the cue of a plain assertion with no speaker...
SPEAKER_ASSERTS = "(asserted by the speaker)"  # ...and, after the statement's cue, of one by a speaker
_FUTURE = frozenset({"will", "would", "shall", "to", "could", "can", "must", "should"})


@dataclass(frozen=True, slots=True)
class Carrier:
    """The attributed statement a sentence's claim words lie in, as the segment's statements give it."""

    start: int  # the statement's span in the segment's text
    end: int
    speaker: str
    cue: str  # said, denied, according to, ...
    kind: str  # direct, reported


@dataclass(frozen=True, slots=True)
class StanceDecision:
    stance: Stance
    cue: str  # what decided it, as shown to the user


@dataclass(slots=True)
class _Walk:
    """What the walk up from the claim's words met."""

    negation: str | None = None
    contest: str | None = None
    support: str | None = None
    report: str | None = None
    question: bool = False  # the claim is asked about ("whether ..."): no finding above it asserts it


def decide(doc: Doc, anchors: list[tuple[int, int]], carrier: Carrier | None, claim_negated: bool) -> StanceDecision:
    """The stance of the parsed sentence ``doc`` on a claim whose words are at ``anchors``
    (character spans in ``doc.text``, predicate words first)."""
    walk = _walk(doc, [start for start, _ in anchors])
    text = _without(doc.text, anchors)  # "fake ballots" in a claim about rigging is no cue of untruth
    if carrier is not None and carrier.cue.lower() in CONTEST_VERBS and walk.contest is None:
        walk.contest = f"{carrier.cue} (the statement's cue)"
    phrase = first_phrase(CONTEST_PHRASES, text)
    if phrase is not None and not _denies_a_denial(text, phrase):
        return _flipped(StanceDecision("contests", f"“{text[phrase[1]:phrase[2]]}” ({phrase[0]})"), claim_negated)
    decision = _from_walk(walk, text, carrier)
    return _flipped(decision, claim_negated)


def only_modifies(doc: Doc, predicate: list[tuple[int, int]], claimed: frozenset[str] = frozenset()) -> bool:
    """The predicate's words only name something else: "the cluster munitions convention",
    "a forced labour law". The sentence is about the convention or the law, not the act; but
    "the bribery accusations" or "the shelling reports" are the claim as something said, and a
    thing the claim itself names (a key in ``claimed``: "detention sites" for a claim about holding
    detainees in detention sites) is the claim's own matter."""
    tokens = [t for t in doc if any(t.idx <= a < t.idx + len(t.text) for a, _ in predicate)]
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside]
    return bool(heads) and all(t.dep_ == "compound" and t.pos_ != "VERB" and t.head.pos_ in ("NOUN", "PROPN")
                               and t.head.lower_ not in _CLAIM_OBJECTS | EVIDENCE_NOUNS
                               and not keys_of(t.head.text) & claimed for t in heads)


def doer(doc: Doc, predicate: list[tuple[int, int]]) -> Token | None:
    """Who the sentence says did the act: the subject of the predicate's verb, or the "by" of a
    passive ("the fires were started by retreating rebels"). None for a pronoun or nobody, and for
    the speaker's own people ("our men", "their soldiers")."""
    for token in doc:
        if token.pos_ != "VERB" or not any(token.idx <= a < token.idx + len(token.text) for a, _ in predicate):
            continue
        for child in token.children:
            found = child if child.dep_ == "nsubj" else next(  # "by fleeing smugglers": the first noun after "by"
                (g for g in child.subtree if g.pos_ in ("NOUN", "PROPN")), None) if child.dep_ == "agent" else None
            if found is not None:
                own = any(g.dep_ == "poss" and g.pos_ in ("PRON", "DET") for g in found.children)
                return found if found.pos_ in ("NOUN", "PROPN") and not own else None
    return None


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the claim's own words blanked out (offsets kept)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _from_walk(walk: _Walk, text: str, carrier: Carrier | None) -> StanceDecision:
    if walk.contest is not None:
        if walk.negation is not None:  # "denied that it did not happen"
            return StanceDecision("supports", f"{walk.contest} + {walk.negation}")
        return StanceDecision("contests", walk.contest)
    if walk.negation is not None:
        return StanceDecision("contests", walk.negation)
    if walk.support is not None:
        return StanceDecision("supports", walk.support)
    hedge = first_phrase(HEDGE_PHRASES, text)
    if hedge is not None:
        return StanceDecision("supports", f"“{text[hedge[1]:hedge[2]]}” (hedged finding)")
    if walk.report is not None:
        return StanceDecision("reports", walk.report)
    # A quoted speaker's words are theirs: only frames inside the statement make it a report.
    inside = text if carrier is None else " " * max(0, carrier.start) + text[max(0, carrier.start):carrier.end]
    frame = first_phrase(REPORT_PHRASES, inside)
    if frame is not None:
        return StanceDecision("reports", f"“{text[frame[1]:frame[2]]}” ({frame[0]})")
    if carrier is not None and carrier.speaker.lower().rpartition(" ")[2] in _CIRCULATED:
        return StanceDecision("reports", f"{carrier.cue}, by “{carrier.speaker}” (circulated, nobody's assertion)")
    if carrier is not None:
        return StanceDecision("supports", f"{carrier.cue} {SPEAKER_ASSERTS}")
    return StanceDecision("supports", OWN_VOICE)


def _flipped(decision: StanceDecision, claim_negated: bool) -> StanceDecision:
    """A claim that something did not happen is supported by what contests its negation."""
    if not claim_negated or decision.stance == "reports":
        return decision
    other: Stance = "supports" if decision.stance == "contests" else "contests"
    return StanceDecision(other, f"{decision.cue}; the claim is negative")


def _denies_a_denial(text: str, phrase: tuple[str, int, int]) -> bool:
    """ "the denials are lies" calls the denial untrue, not the claim."""
    before = text[max(0, phrase[1] - 40):phrase[1]].lower()
    return any(word in before for word in ("denial", "denials", "government's claims", "cover-up"))


def _walk(doc: Doc, anchors: list[int]) -> _Walk:
    walk = _Walk()
    start = _token_at(doc, anchors)
    if start is None:
        return walk
    claim_words = {t.i for t in doc if any(t.idx <= a < t.idx + len(t.text) for a in anchors)}
    _own_clause_negation(start, walk, claim_words)
    node, child = start.head, start
    while node.i != child.i:  # spaCy makes a new Token object at each access: compare positions
        asked = _asks(child)
        if asked and walk.support is None and walk.contest is None:
            walk.report, walk.question = walk.report or f"“{asked}” (a question, no side taken)", True
        if node.i not in claim_words:  # "were denied medical care": the claim's own words are no cue
            _meet(node, child, walk)
        node, child = node.head, node
    return walk


def _asks(clause: Token) -> str | None:
    """The word that makes a clause a question: "whether", "if", "who" ("will determine who killed ...")."""
    for child in clause.children:
        if child.dep_ in ("mark", "nsubj", "nsubjpass", "advmod", "dobj") and child.lower_ in _QUESTION_WORDS:
            return child.text
    return None


def _token_at(doc: Doc, anchors: list[int]) -> Token | None:
    for offset in anchors:
        for token in doc:
            if token.idx <= offset < token.idx + max(1, len(token.text)):
                return token
    return None


def _own_clause_negation(token: Token, walk: _Walk, claim_words: set[int]) -> None:
    """A negation of the proposition itself: on its verb, or "no" before its noun. From a noun,
    the verb above it negates the claim only when the verb is the claim's or only says that it
    is or happened ("there were no ...", "did not take place"): "did not report arrests" is
    about reporting."""
    clause = token
    while clause.pos_ not in ("VERB", "AUX") and clause.dep_ != "ROOT" and clause.head.i != clause.i:
        if any(c.lower_ in ("no", "never") and c.dep_ in ("det", "neg", "advmod") for c in clause.children):
            walk.negation = f"“no {clause.text}” (negated)"
            return
        if clause.dep_ in ("pobj", "prep") and clause.head.pos_ in ("NOUN", "PROPN"):
            return  # the claim's words are the topic of another noun ("questions about ..."): not its clause
        clause = clause.head
    # "Our emissions never went above the limits": the act named as the subject of a negated verb.
    act_as_subject = token.pos_ == "NOUN" and token.dep_ in ("nsubj", "nsubjpass") and token.head.i == clause.i
    verb_counts = (clause.i == token.i or clause.i in claim_words or clause.lower_ in EXISTENTIAL | LIGHT_VERBS
                   or act_as_subject)
    for child in clause.children:
        if verb_counts and (child.dep_ == "neg" or (child.lower_ in NEGATIONS and child.dep_ in ("advmod", "det", "neg"))):
            walk.negation = f"“{child.text} {clause.text}” (negated)"
            return
        if child.dep_ in ("nsubj", "nsubjpass", "attr", "dobj") and any(  # "no house", "not a single house"
                g.lower_ in ("no", "not") and g.dep_ in ("det", "neg") for g in child.children):
            walk.negation = f"“no {child.text}” (negated)"
            return


def _meet(node: Token, below: Token, walk: _Walk) -> None:
    """One step up from the claim's words: what the verb or noun there says of them."""
    lower = node.lower_
    negated = any(c.dep_ == "neg" or c.lower_ in ("never", "nobody", "no") for c in node.children)
    decided = walk.contest is not None or walk.support is not None or walk.question
    if node.pos_ in ("NOUN", "PROPN") and lower in EVIDENCE_NOUNS and not decided:
        if any(c.lower_ in ("no", "little") for c in node.children):
            walk.contest = f"“no {node.text}”"
        else:
            walk.support = walk.support or f"“{node.text} of” (evidence)"
    elif node.pos_ in ("NOUN", "PROPN") and lower in REPORT_NOUNS and walk.report is None:
        walk.report = f"“{node.text}” (a claim reported, not made)"
    elif node.pos_ in ("VERB", "AUX") and not decided:
        _meet_verb(node, below, negated, walk)


def _exposed_to(verb: Token) -> bool:
    """ "were exposed to tear gas" says what happened to them: no finding (as "exposed the cover-up" is)."""
    return verb.lower_.startswith("expos") and verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].lower_ == "to"


def _meet_verb(node: Token, below: Token, negated: bool, walk: _Walk) -> None:
    lower = node.lower_
    circulated = next((c for c in node.children if c.dep_ == "nsubj" and c.lower_ in _CIRCULATED), None)
    if circulated is not None:  # "a video shared online claims ...": nobody's assertion
        walk.report = walk.report or f"“{circulated.text} {node.text}” (circulated, nobody's assertion)"
        return
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in node.children)
    has_agent = any(c.dep_ == "agent" for c in node.children)
    if lower in CONTEST_VERBS:
        if lower in CONTEST_ONLY_ON_CLAIMS and below.lower_ not in _CLAIM_OBJECTS and walk.report is None:
            return
        if negated:
            walk.report = walk.report or f"“not {node.text}” (a denial withheld)"
        else:
            walk.contest = f"“{node.text}” (denial)"
    elif lower in SUPPORT_VERBS and not _exposed_to(node):
        if any(c.dep_ in ("aux", "mark") and c.lower_ in _FUTURE for c in node.children) and lower not in _NOMINAL_ONLY:
            walk.report = walk.report or f"“{node.text}” (a finding still to be made)"
        elif passive and not has_agent and lower in _NOMINAL_ONLY:
            walk.report = walk.report or f"“{node.text}” (passive, nobody's finding)"
        elif negated:
            walk.report = walk.report or f"“not {node.text}”"
        elif walk.report is None or lower not in _NOMINAL_ONLY:
            walk.support = f"“{node.text}” (finding)"
    elif lower in REPORT_VERBS and walk.report is None:
        walk.report = f"“{node.text}” (an inquiry, no side taken)"
