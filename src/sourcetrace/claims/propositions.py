"""A claim's proposition: the key content a sentence must carry to state it.

A claim is reduced to its **terms** (content words, as keys: claims/terms.py),
each marked as a name or not, and as part of its **predicate** or not: what
is asserted of the arguments ("held", "shelled", "forced labour"). The
predicate is read off spaCy's parse of the claim: its root verb, or, when
the root only says that something is or happened ("has taken place",
"there is", "committed"), the nouns it is said of.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sourcetrace.claims.terms import STOP_WORDS, keys_of, words

if TYPE_CHECKING:  # spaCy is imported where a pipeline loads (voices/nlp.py)
    from spacy.tokens import Doc, Token

# Verbs that only say that their subject or object is, happens or is done.
LIGHT_VERBS = frozenset("""be is are was were been being have has had take takes took taken taking occur occurs
occurred happen happens happened exist exists existed commit commits committed carry carried conduct conducted
engage engaged make made do did become became remain remained face faced see saw seen suffer suffered place
continue continues continued perpetrate perpetrated use uses used using employ employs employed resort resorted
subject subjected inflict inflicted""".split())
_OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "acomp"})
_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
_MODIFIER_DEPS = frozenset({"amod", "compound"})


@dataclass(frozen=True, slots=True)
class Term:
    """One piece of a claim's content: the keys a word of a sentence may carry for it."""

    keys: frozenset[str]
    text: str  # as the claim writes it
    is_name: bool
    is_predicate: bool
    weight: float = 1.0  # 1 for the predicate and its arguments, less for adjuncts ("in secret", "before the vote")
    verbal: bool = False  # a verb of the predicate: "detainees" or "workers" do not carry it


@dataclass(frozen=True, slots=True)
class Proposition:
    """A claim as the assessment reads it: its text and terms."""

    claim: int
    text: str
    terms: tuple[Term, ...]
    negated: bool  # the claim says that something did not happen
    agent: str = ""  # who the claim says did it, as it writes them ("Government troops"); "": nobody named
    agent_keys: frozenset[str] = frozenset()  # the keys and lower-case words that name the agent...
    agent_names: frozenset[str] = frozenset()  # ...and its names ("Senn" of "the Senn company")
    # The keys of everyone the claim says does one of its acts: the agent, and the subject of a
    # verb inside it ("cargo volumes" of "the harbour authority said cargo volumes fell").
    doer_keys: frozenset[str] = frozenset()

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(k for term in self.terms for k in term.keys)

    @property
    def predicate(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.is_predicate)


def proposition(claim: int, text: str, doc: Doc) -> Proposition:
    """The proposition of a claim from its parse (``doc`` is the parsed ``text``).

    A compound noun outside the predicate is one term, its head ("security
    forces", "detention sites"): a sentence that says "the forces" or "the
    sites" carries it, one that says "security" or "detention" does not."""
    predicate = _predicate_tokens(doc)
    by_offset = {w.start: w.keys for w in words(doc.text)}
    grouped: dict[int, set[str]] = {}
    order: list[int] = []  # term heads in text order
    for token in doc:
        found = by_offset.get(token.idx, frozenset())
        if not found or (token.lower_ in LIGHT_VERBS and token.i not in predicate):
            continue
        if _joins_head(token, predicate):
            continue  # "security forces": the head ("forces") is the term
        grouped[token.i] = set(found)
        order.append(token.i)
    terms: list[Term] = []
    seen: set[frozenset[str]] = set()
    for head in sorted(order):
        found_keys = frozenset(grouped[head])
        if found_keys in seen:
            continue
        seen.add(found_keys)
        token = doc[head]
        is_name = token.tag_ in ("NNP", "NNPS") or (token.text[0].isupper() and token.i > 0)
        terms.append(Term(found_keys, token.text, is_name, head in predicate, _weight(token, predicate),
                          head in predicate and token.pos_ == "VERB"))
    if terms and not any(t.is_predicate for t in terms) and any(not t.is_name for t in terms):
        terms = [_as_predicate(t) if not t.is_name else t for t in terms]  # no parse to go by
    agent = _agent(doc, predicate)
    named = [t for t in agent if t.pos_ == "PROPN" or (t.text[0].isupper() and t.i > 0)]
    return Proposition(claim, text, tuple(terms), _negated(doc), " ".join(t.text for t in agent),
                       frozenset(k for t in agent if t not in named for k in (*keys_of(t.text), t.lower_)),
                       frozenset(k for t in named for k in keys_of(t.text)), _doer_keys(doc))


def _doer_keys(doc: Doc) -> frozenset[str]:
    """The keys of the subject of each of the claim's verbs, or of the "by" of a passive one."""
    doers = [t for t in doc if t.pos_ in ("NOUN", "PROPN") and (
        (t.dep_ == "nsubj" and t.head.pos_ in ("VERB", "AUX")) or (t.dep_ == "pobj" and t.head.dep_ == "agent"))]
    return frozenset(k for t in doers for k in keys_of(t.text))


def _agent(doc: Doc, predicate: set[int]) -> list[Token]:
    """Who does what the claim asserts: the active subject of its root with its names and
    possessors ("Government troops", "the Dravo mayor's office"; not "dam" in "the dam
    operator"). None when the subject is what is asserted ("forced labour has taken place")."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    subjects = [c for r in roots[:1] for c in r.children if c.dep_ == "nsubj" and c.i not in predicate]
    if not subjects or subjects[0].pos_ not in ("NOUN", "PROPN"):
        return []
    subject = subjects[0]
    qualifiers = [c for c in subject.children if c.dep_ == "poss" or (c.dep_ in ("compound", "amod") and (
        c.pos_ == "PROPN" or c.text[0].isupper()))]  # "the Dravo mayor's office", "Vardenian artillery"
    return sorted([subject, *qualifiers, *(c for q in qualifiers for c in q.children if c.dep_ == "compound")],
                  key=lambda t: t.i)


def _joins_head(token: Token, predicate: set[int]) -> bool:
    return (token.dep_ == "compound" and token.head.pos_ in ("NOUN", "PROPN") and token.i not in predicate
            and token.head.i not in predicate and token.head.i != token.i
            and token.tag_ not in ("NNP", "NNPS") and token.head.tag_ not in ("NNP", "NNPS"))


def _as_predicate(term: Term) -> Term:
    return Term(term.keys, term.text, term.is_name, True, 1.0, term.verbal)


ADJUNCT_WEIGHT = 0.5


def _weight(token: Token, predicate: set[int]) -> float:
    """Adjuncts count less than the predicate and its arguments: a clause on the predicate
    ("before the vote"), or a prepositional phrase anywhere but "of" ("in the northern provinces",
    "about the stadium contract"; a denial or a paraphrase often leaves them out). "Of" usually
    introduces an argument ("an outbreak of measles")."""
    node = token
    while node.head.i != node.i and node.i not in predicate:
        if node.dep_ == "prep" and node.lower_ != "of":
            return ADJUNCT_WEIGHT
        if node.dep_ in ("advcl", "npadvmod", "advmod") and node.head.i in predicate:
            return ADJUNCT_WEIGHT
        node = node.head
    return 1.0


def _predicate_tokens(doc: Doc) -> set[int]:
    """Token indices of the predicate: the root verb, or the nouns a light root is said of,
    with their modifiers ("forced labour", "child labour")."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return set()
    root = roots[0]
    verbs = [t for t in doc if (t.pos_ == "VERB" or t.tag_ in ("VBD", "VBN")) and t.lower_ not in LIGHT_VERBS]
    if root.pos_ not in ("VERB", "AUX") and verbs:  # a misparse: "Police tortured detained protesters" as a noun phrase
        root = verbs[0]
    if root.lower_ not in LIGHT_VERBS and root.pos_ in ("VERB", "NOUN", "ADJ", "PROPN"):
        chosen = [root] + [c for c in root.children if c.dep_ in ("prt", "acomp", "oprd")]
    else:
        chosen = _arguments_of(root)
    found = {t.i for t in chosen}
    found.update(c.i for t in chosen if t.pos_ == "NOUN" for c in t.children if c.dep_ in _MODIFIER_DEPS)
    return found


def _arguments_of(root: Token) -> list[Token]:
    """What a light verb (``root``) says: its object ("used child labour", "committed genocide"),
    else its subject ("forced labour has taken place", "there was torture")."""
    objects = [c for c in root.children if c.dep_ in _OBJECT_DEPS and c.pos_ in _CONTENT
               and c.lower_ not in STOP_WORDS]  # "taken place": "place" is part of the light verb
    nested = [t for c in root.children if c.dep_ in ("xcomp", "ccomp") for t in _arguments_of(c)]
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in _CONTENT]
    return objects or nested or subjects


def _negated(doc: Doc) -> bool:
    roots = [t for t in doc if t.dep_ == "ROOT"]
    return any(c.dep_ == "neg" or c.lower_ in ("no", "never") for r in roots for c in r.children) or any(
        t.lower_ == "no" and t.dep_ == "det" and t.head.dep_ in ("attr", "nsubj", "nsubjpass") for t in doc)


def term_keys(terms: Sequence[Term]) -> frozenset[str]:
    return frozenset(k for t in terms for k in t.keys)


def propositions_of(claims: Sequence[tuple[int, str]]) -> list[Proposition]:
    """The propositions of (claim id, text) pairs, parsed together with the shared spaCy pipeline."""
    from sourcetrace.voices.nlp import load_nlp  # spaCy loads only where claims are read

    # A final full stop: the parser reads a bare headline-like claim as a noun phrase.
    docs = load_nlp().pipe(text if text.rstrip()[-1:] in ".!?" else f"{text.rstrip()}." for _, text in claims)
    return [proposition(claim, text, doc) for (claim, text), doc in zip(claims, docs)]
