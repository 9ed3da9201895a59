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

from spacy.tokens import Doc, Token

from sourcetrace.claims.terms import STOP_WORDS, words

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
    return Proposition(claim, text, tuple(terms), _negated(doc))


def _joins_head(token: Token, predicate: set[int]) -> bool:
    return (token.dep_ == "compound" and token.head.pos_ in ("NOUN", "PROPN") and token.i not in predicate
            and token.head.i not in predicate and token.head.i != token.i
            and token.tag_ not in ("NNP", "NNPS") and token.head.tag_ not in ("NNP", "NNPS"))


def _as_predicate(term: Term) -> Term:
    return Term(term.keys, term.text, term.is_name, True, 1.0, term.verbal)


ADJUNCT_WEIGHT = 0.5


def _weight(token: Token, predicate: set[int]) -> float:
    """Adjuncts (a prepositional phrase or clause on the predicate: "in favour of the ruling
    party", "before the vote") count less than the predicate and its arguments."""
    node = token
    while node.head.i != node.i and node.i not in predicate:
        if node.dep_ in ("prep", "advcl", "npadvmod", "advmod") and node.head.i in predicate:
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
