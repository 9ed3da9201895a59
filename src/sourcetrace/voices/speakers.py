"""Who is speaking: the speaker phrase around a cue verb, and its canonical name.

A speaker phrase is read off the dependency parse (the cue verb's subject, or
the object of "according to"). Resolution works within one segment:

* names: "Ms Bachelet", "Bachelet" -> the fullest name in the segment that
  ends (or starts) with that word, "Michelle Bachelet";
* role nouns ("the High Commissioner", "the governor") -> the nearest earlier
  named person whose role words include the noun;
* pronouns -> the nearest earlier speaker (or named person/organisation) of a
  compatible kind; titles (Mr/Ms) give a gender when the text does;
* organisations and documents keep their own phrase, minus a leading article
  ("the Interior Ministry" -> "Interior Ministry"; "the report" stays).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # spaCy is imported where a pipeline loads (voices/nlp.py)
    from spacy.tokens import Doc, Span, Token


SpeakerKind = Literal["person", "organisation", "document", "other"]

TITLES = frozenset(
    ["mr", "mr.", "ms", "ms.", "mrs", "mrs.", "miss", "dr", "dr.", "prof", "prof.", "professor", "sir", "dame", "lord", "lady", "president", "governor", "minister", "senator", "judge", "general", "gen", "gen.", "col", "col.", "colonel", "captain", "rev", "rev.", "father", "sister", "chancellor", "premier", "mayor", "ambassador", "commissioner", "secretary", "chairman", "chairwoman", "rep", "rep.", "sen", "sen.", "gov", "gov.", "pres", "pres.", "sheikh", "king", "queen", "prince", "princess", "justice", "councillor", "councilor"]
)
MALE_TITLES = frozenset(["mr", "mr.", "sir", "lord", "father", "king", "prince"])
FEMALE_TITLES = frozenset(["ms", "ms.", "mrs", "mrs.", "miss", "dame", "lady", "sister", "queen", "princess"])
PERSON_NOUNS = frozenset(
    ["spokesman", "spokeswoman", "spokesperson", "minister", "official", "officials", "chief", "commissioner", "governor", "president", "chair", "chairman", "chairwoman", "director", "secretary", "ambassador", "envoy", "judge", "jurist", "lawyer", "attorney", "researcher", "analyst", "analysts", "economist", "economists", "head", "leader", "mayor", "councillor", "councilor", "prosecutor", "premier", "chancellor", "executive", "officer", "expert", "rapporteur", "activist", "resident", "witness", "survivor", "teacher", "doctor", "engineer", "trader", "traders", "dealer", "dealers", "source", "sources", "diplomat", "diplomats", "founder", "manager", "negotiator", "senator", "lawmaker", "legislator", "candidate", "mother", "father", "woman", "man", "worker", "workers", "farmer", "farmers", "police", "officer", "general", "commander", "owner", "partner", "adviser", "advisor", "representative", "delegate", "investigator", "scientist", "professor", "ombudsman", "wife", "husband", "son", "daughter", "brother", "widow", "student", "nurse", "pilot", "driver", "author", "editor", "journalist", "reporter", "correspondent", "coordinator", "administrator", "inspector", "deputy", "counsel", "solicitor", "barrister", "physician", "surgeon", "captain", "soldier", "ceo", "boss", "member", "negotiator"]
)
ORG_NOUNS = frozenset(
    ["ministry", "government", "company", "group", "bank", "agency", "organisation", "organization", "union", "council", "committee", "office", "department", "commission", "court", "police", "army", "military", "party", "firm", "corporation", "board", "panel", "authority", "authorities", "network", "institute", "foundation", "association", "embassy", "parliament", "administration", "utility", "operator", "cabinet", "regulator", "exchange", "federation", "alliance", "coalition", "movement", "center", "centre", "unit", "secretariat", "presidency", "tribunal", "house", "senate", "assembly", "broadcaster", "newspaper", "station", "airline", "insurer", "maker", "producer", "refinery", "mission"]
)
ANY_ORG_NOUNS = frozenset(["company", "firm", "group", "corporation", "bank", "utility", "insurer", "airline", "maker", "producer"])
DOCUMENT_NOUNS = frozenset(
    ["report", "statement", "study", "survey", "document", "letter", "resolution", "ruling", "filing", "memo", "bulletin", "communique", "communiqué", "release", "declaration", "verdict", "judgment", "judgement", "assessment", "review", "audit", "analysis", "paper", "findings", "data", "figures", "prospectus", "proposal", "plan", "notice", "circular"]
)
PRONOUNS_PERSON = {"he": "m", "she": "f", "him": "m", "her": "f"}
PRONOUNS_GROUP = frozenset({"it", "they", "we"})
# A possessive determiner and the pronoun that finds its owner: "its spokeswoman", "her office".
POSSESSIVE_PRONOUNS = {"its": "it", "their": "they", "his": "he", "her": "she"}
# "a statement from the ministry": the issuer is the speaker.
ISSUED_NOUNS = frozenset(["statement", "release", "communique", "communiqué"])
ORG_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC"})
_EXCLUDED_DEPS = frozenset({"appos", "relcl", "acl", "punct", "cc", "conj", "prep"})


@dataclass(frozen=True, slots=True)
class SpeakerPhrase:
    """A speaker as written, located in the text of its doc (``head.doc``)."""

    start: int
    end: int
    text: str
    head: Token
    role: str | None


@dataclass(frozen=True, slots=True)
class ResolvedSpeaker:
    name: str  # canonical within the segment
    role: str | None
    kind: SpeakerKind


def _strip(text: str) -> str:
    return text.strip().strip(",;:—–-").strip()


def phrase_for(subject: Token) -> SpeakerPhrase:
    """The speaker noun phrase headed by ``subject``, without appositives or
    relative clauses; an appositive (or a title before a name) becomes the role.
    "Its spokeswoman, Ilona Brandt," names the speaker in the appositive."""
    subject = _issuer(subject)
    appos = next((c for c in subject.children if c.dep_ == "appos"), None)
    titled = _is_title(subject) or subject.lower_ in ORG_NOUNS or _names_a_person(subject, appos)
    named = _name_head(appos) if appos is not None and titled else None
    named = named or (_apposed_name(subject) if _is_title(subject) or subject.lower_ in ORG_NOUNS else None)
    if named is not None:
        title = _strip(_phrase_span(subject, keep_appos=False).text)
        phrase = _phrase_span(named, keep_appos=False)
        return SpeakerPhrase(phrase.start_char, phrase.end_char, phrase.text, named, _without_article(title))
    role: str | None = _strip(_subtree_text(appos)) if appos is not None else None
    role = role if role and any(c.isalpha() for c in role) else None  # not an age ("Feher, 29,")
    span = _phrase_span(subject, keep_appos=False)
    if subject.pos_ == "PROPN":
        name_start = _name_run_start(subject)
        if name_start > span.start:
            prefix = _without_article(_strip(subject.doc[span.start : name_start].text))
            role = role or (prefix or None)
    return SpeakerPhrase(span.start_char, span.end_char, span.text, subject, role)


def _names_a_person(subject: Token, appos: Token | None) -> bool:
    """A common noun whose appositive is a person's name is that person's role:
    "Bloomberg's pollster, Douglas Schoen,", "one of the family's lawyers, Jo Bell,"."""
    return appos is not None and subject.pos_ in ("NOUN", "NUM") and appos.ent_type_ == "PERSON"


def _possessive_pronoun(text: str) -> bool:
    """"its spokeswoman", "her office": a phrase opened by a possessive pronoun."""
    words = text.split()
    return len(words) > 1 and words[0].lower() in POSSESSIVE_PRONOUNS


def _issuer(subject: Token) -> Token:
    """"a statement from her office", "a release by the ministry": who issued it."""
    if subject.lower_ not in ISSUED_NOUNS:
        return subject
    for prep in (c for c in subject.children if c.dep_ == "prep" and c.lower_ in ("from", "by")):
        issuer = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if issuer is not None:
            return issuer
    return subject


def _name_head(token: Token) -> Token | None:
    return token if token.pos_ == "PROPN" and token.text[:1].isupper() and not token.text.isupper() else None


def _is_title(token: Token) -> bool:
    """A role rather than a name: "spokeswoman", "High Commissioner", "rapporteur"."""
    if token.ent_type_ == "PERSON":
        return False
    return token.lower_ in PERSON_NOUNS or token.lower_ in TITLES


def _apposed_name(subject: Token) -> Token | None:
    """'The UN High Commissioner for Refugees, Amara Eze, said': a person's
    name between commas right after the title, whatever the parse."""
    doc = subject.doc
    limit = min(len(doc), subject.i + 10)
    comma = next((t.i for t in doc[subject.i + 1 : limit] if t.text == "," or t.pos_ in ("VERB", "AUX")), None)
    if comma is None or doc[comma].text != ",":
        return None
    run = []
    for token in doc[comma + 1 : comma + 5]:
        if token.pos_ != "PROPN":
            break
        run.append(token)
    closes = comma + 1 + len(run) < len(doc) and doc[comma + 1 + len(run)].text == ","
    person = 2 <= len(run) <= 3 and any(t.ent_type_ == "PERSON" for t in run)
    organisation = subject.lower_ in ORG_NOUNS and 1 <= len(run) <= 4
    return run[-1] if closes and (person or organisation) else None


def _phrase_span(subject: Token, keep_appos: bool) -> Span:
    kept = [subject]
    for child in subject.children:
        # "a Times/CBS News poll": a slash or an ampersand inside a name joins its words.
        joins = joins_words(child) or child.text in ("/", "&")
        kept_anyway = (
            _identifies(subject, child)
            or joins
            or (keep_appos and child.dep_ == "appos")
            or _coordinated(subject, child)
        )
        if child.dep_ in _EXCLUDED_DEPS and not kept_anyway:
            continue
        kept.extend(child.subtree)
    # A contiguous phrase: left edge up to the last kept token before a gap.
    indexes = sorted(token.i for token in kept)
    first, last = indexes[0], indexes[0]
    for index in indexes[1:]:
        if index != last + 1:
            break
        last = index
    if subject.i > last:
        first = last = subject.i
    doc = subject.doc
    while first < last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    while last > first and (doc[last].is_punct or doc[last].tag_ == "POS" or doc[last].is_space):
        last -= 1
    return doc[first : last + 1]


def _coordinated(subject: Token, child: Token) -> bool:
    """The speakers are all of the nouns joined ("Doyle and others said", "unions,
    green groups and lawmakers claim"): keep the conjunction and what it joins."""
    nominal = ("NOUN", "PROPN", "NUM", "PRON")
    joined = [c for c in subject.children if c.dep_ == "conj" and c.pos_ in nominal and c.i > subject.i]
    return bool(joined) and child.i > subject.i and (child in joined or (child.dep_ == "cc" and child.i < joined[-1].i))


# Prepositions whose phrase says which ones a common noun means: "analysts at
# Brenton Securities", "a poll by Gallup", "a spokesman for the union", "critics like Roe", "a post on Vox".
_IDENTIFYING_PREPS = frozenset(["of", "at", "by", "for", "from", "in", "with", "to", "like", "on"])


# Pronoun-like heads that a phrase after them says which ones: "some on Twitter", "those who met Ms Roe".
_QUANTIFIERS = frozenset(["some", "many", "most", "those", "others", "several", "few", "all", "both"])


def _identifies(subject: Token, child: Token) -> bool:
    """``child`` says which ones a common-noun speaker means: a prepositional
    phrase with a name in it that is not a date ("officials in March"), or a
    participle right after the noun ("a memo released Friday by the agency",
    "a survey published by the Serin Institute"). "Of" always stays
    ("relatives of the bloggers"); "a spokesman for the ministry" stays "a
    spokesman", as compatible with "a ministry spokesman"."""
    if not (subject.pos_ in ("NOUN", "ADJ", "NUM") or subject.lower_ in _QUANTIFIERS) or child.i < subject.i:
        return False
    if child.dep_ == "prep" and child.lower_ == "of":
        return True
    if child.dep_ == "prep" and child.lower_ in _IDENTIFYING_PREPS:
        objects = [c for c in child.children if c.dep_ == "pobj"]
        dated = any(o.ent_type_ in ("DATE", "TIME") for o in objects)
        return not dated and any(t.pos_ == "PROPN" for t in child.subtree)
    if child.dep_ == "relcl":  # "voters who heard Ms Roe speak", not "voters who were there"
        return any(t.pos_ == "PROPN" for t in child.subtree)
    return child.dep_ == "acl" and child.tag_ == "VBN" and child.i == subject.i + 1


def _subtree_text(token: Token) -> str:
    tokens = list(token.subtree)
    return token.doc[tokens[0].i : tokens[-1].i + 1].text


def _name_run_start(head: Token) -> int:
    """Index of the first token of the run of proper nouns ending at ``head``."""
    start = head.i
    doc = head.doc
    while start > 0 and doc[start - 1].head.i in range(start, head.i + 1) and (
            doc[start - 1].pos_ == "PROPN" or joins_words(doc[start - 1])):
        start -= 1
    return start


def joins_words(token: Token) -> bool:
    """A hyphen inside a word ("Holtz-Eakin", "Ki-moon"): spaCy splits it off,
    but it is part of the name."""
    return (token.text == "-" and not token.whitespace_ and token.i > 0
            and not token.doc[token.i - 1].whitespace_ and token.i + 1 < len(token.doc))


def _name_words(tokens: list[Token]) -> tuple[list[str], str | None]:
    """Name words without titles or possessives, and a gender if a title gives it."""
    words: list[str] = []
    for token in tokens:
        if words and (joins_words(token) or (token.i > 0 and joins_words(token.doc[token.i - 1]))):
            words[-1] += token.text  # "Holtz" "-" "Eakin" is one word
        elif token.tag_ != "POS" and not token.is_punct:
            words.append(token.text)
    gender: str | None = None
    # "Deputy Interior Minister Rolf Haber": the name starts after the last title word.
    titled = [i for i, w in enumerate(words[:-1]) if w.lower() in TITLES or w.lower() in PERSON_NOUNS]
    for word in words[: titled[-1] + 1] if titled else []:
        lowered = word.lower()
        gender = "m" if lowered in MALE_TITLES else "f" if lowered in FEMALE_TITLES else gender
    words = words[titled[-1] + 1 :] if titled else words
    return words, gender


@dataclass
class _Mention:
    position: int
    name: str
    kind: SpeakerKind
    role_words: frozenset[str]
    role: str | None
    gender: str | None = None


@dataclass
class SegmentResolver:
    """Resolves speakers of one segment, in text order.

    The segment may be parsed as one doc or as several pieces of it (the
    pre-filter parses only the text that can hold a statement): positions are
    segment offsets, a piece's doc is added with :meth:`note_entities` and its
    speakers are resolved with that piece's ``offset``."""

    doc: Doc | None = None
    offset: int = 0  # of ``doc`` in the segment text
    full_names: list[str] = field(default_factory=list)
    mentions: list[_Mention] = field(default_factory=list)  # entities of the text
    speakers: list[_Mention] = field(default_factory=list)  # resolved speakers so far
    genders: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.doc is not None:
            self.note_entities(self.doc, self.offset)

    def note_entities(self, doc: Doc, offset: int = 0) -> None:
        """Add the named people and organisations of ``doc``, a piece of the
        segment text starting at ``offset``; call in text order."""
        for ent in doc.ents:
            if ent.label_ == "PERSON" or (ent.label_ not in ORG_LABELS and _looks_like_name(ent)):
                self._note_person(ent, offset)
            elif ent.label_ == "ORG":
                name = _without_article(ent.text).removesuffix("'s").removesuffix("’s")
                self.mentions.append(_Mention(ent.start_char + offset, name, "organisation", _words(name), None))

    def _note_person(self, ent: Span, offset: int) -> None:
        words, gender = _name_words(list(ent))
        if not words or not words[0][:1].isupper() or ent.text.isupper():
            return  # "GENTHAL" in a dateline is no person
        name = " ".join(words)
        if len(words) > 1 and name not in self.full_names:
            self.full_names.append(name)
        role = _mention_role(ent)
        if gender:
            self.genders.setdefault(name, gender)
        self.mentions.append(_Mention(ent.start_char + offset, name, "person", _words(role or ""), role, gender))

    def canonical_name(self, words: list[str]) -> str:
        """The fullest name of the segment that this (partial) name refers to."""
        name = " ".join(words)
        if len(words) == 1:
            for full in self.full_names:
                parts = full.split()
                if parts[-1] == name or parts[0] == name:
                    return full
        for full in self.full_names:  # "Michelle Bachelet" for "UN Michelle Bachelet"-like runs
            if name.endswith(" " + full):
                return full
        return name

    def exclude_inside(self, spans: list[tuple[int, int]]) -> None:
        """Names mentioned inside what someone said are poor antecedents for
        a later "she said": drop them as candidates."""
        self.mentions = [m for m in self.mentions if not any(s <= m.position < e for s, e in spans)]

    def resolve(self, phrase: SpeakerPhrase, offset: int = 0) -> ResolvedSpeaker:
        """The speaker of ``phrase``, read in a doc that starts at ``offset`` of the segment."""
        position = phrase.start + offset
        resolved = self._owned(self._resolve(phrase, position), position)
        gender = self.genders.get(resolved.name)
        self.speakers.append(
            _Mention(position, resolved.name, resolved.kind, _words(resolved.role or ""), resolved.role, gender)
        )
        return resolved

    def _resolve(self, phrase: SpeakerPhrase, position: int) -> ResolvedSpeaker:
        head = phrase.head
        lowered = head.text.lower()
        if head.pos_ == "PRON" or lowered in PRONOUNS_PERSON or lowered in PRONOUNS_GROUP:
            return self._resolve_pronoun(position, lowered) or ResolvedSpeaker(phrase.text, None, "other")
        if _is_role_noun(phrase):
            return self._resolve_noun(phrase, lowered, position)
        if head.pos_ == "PROPN" and self._is_person(phrase):
            entity = _entity_of(head)
            run = list(entity) if entity is not None and entity.label_ == "PERSON" else None
            tokens = run or list(head.doc[_name_run_start(head) : head.i + 1])
            words, gender = _name_words(tokens)
            gender = gender or _title_gender(head.doc, tokens[0].i - 1)
            if len(words) > 1 and " ".join(words) not in self.full_names:
                self.full_names.append(" ".join(words))
            name = self.canonical_name(words)
            if gender:
                self.genders.setdefault(name, gender)
            return ResolvedSpeaker(name, phrase.role or self._known_role(name), "person")
        return self._resolve_noun(phrase, lowered, position)

    def _owned(self, resolved: ResolvedSpeaker, position: int) -> ResolvedSpeaker:
        """"its spokeswoman" -> "Interior Ministry's spokeswoman", in the name and
        the role; a role whose owner is not found is left empty. "her office" is her."""
        role = resolved.role
        if role is not None and _possessive_pronoun(role):
            role = self._with_owner(role, position)
        if not _possessive_pronoun(resolved.name):
            return ResolvedSpeaker(resolved.name, role, resolved.kind)
        owner = self._owner(resolved.name, position)
        if owner is None:
            return ResolvedSpeaker(resolved.name, role, resolved.kind)
        if owner.kind == "person" and resolved.name.lower().split()[1:] == ["office"]:
            return ResolvedSpeaker(owner.name, role or owner.role, "person")
        return ResolvedSpeaker(f"{owner.name}'s {resolved.name.split(' ', 1)[1]}", role, resolved.kind)

    def _owner(self, text: str, position: int) -> ResolvedSpeaker | None:
        """Who the possessive pronoun opening ``text`` refers to."""
        return self._resolve_pronoun(position, POSSESSIVE_PRONOUNS[text.split()[0].lower()])

    def _with_owner(self, text: str, position: int) -> str | None:
        """``text`` with its opening possessive pronoun replaced by the owner's name; None without an owner."""
        owner = self._owner(text, position)
        return f"{owner.name}'s {text.split(' ', 1)[1]}" if owner is not None else None

    def _is_person(self, phrase: SpeakerPhrase) -> bool:
        """Evidence for a person over an organisation: a known full name, a
        person's title as role, or no organisation label; spaCy's small model
        often labels people ORG or GPE."""
        head = phrase.head
        if " " in self.canonical_name([head.text]) and not _org_like(phrase):
            return True
        run_start = _name_run_start(head)
        if head.doc[run_start].lower_ in TITLES or _title_gender(head.doc, run_start - 1):
            return True  # "Ms Vera Holt", even when labelled ORG
        role_words = (phrase.role or "").lower().replace("-", " ").split()  # "secretary-general"
        if role_words and (role_words[-1] in PERSON_NOUNS | TITLES or role_words[0] in PERSON_NOUNS | TITLES):
            return True
        return _ent_label(head) not in ORG_LABELS and not _org_like(phrase)

    def _resolve_noun(self, phrase: SpeakerPhrase, noun: str, position: int) -> ResolvedSpeaker:
        text = _without_article(phrase.text)
        entity = _entity_of(phrase.head)
        if (entity is not None and entity.label_ in ORG_LABELS and len(entity) > 1) or (entity is not None and entity.label_ == "ORG"):
            # "the opposition Green Alliance", "Ministry of Health": the name is the entity.
            name = _without_article(entity.text).removesuffix("'s").removesuffix("’s")
            return ResolvedSpeaker(name, phrase.role, "organisation")
        has_proper = any(t.pos_ == "PROPN" for t in phrase.head.doc.char_span(phrase.start, phrase.end) or [])
        definite = phrase.text.lower().startswith(("the ", "this ", "that "))
        if noun in ORG_NOUNS and definite and not has_proper:
            bare = len(phrase.text.split()) == 2
            found = self._nearest(position, ("organisation",), noun, any_match=bare and noun in ANY_ORG_NOUNS)
            return ResolvedSpeaker(found.name if found else phrase.text.lower()[:1] + phrase.text[1:], None, "organisation")
        if (noun in PERSON_NOUNS or noun in TITLES) and definite:
            found = self._nearest(position, ("person",), noun, any_match=False)
            if found:
                return ResolvedSpeaker(found.name, found.role, "person")
            return ResolvedSpeaker(phrase.text[:1].lower() + phrase.text[1:], None, "person")
        if noun in DOCUMENT_NOUNS:
            return ResolvedSpeaker(phrase.text[:1].lower() + phrase.text[1:], None, "document")
        if phrase.head.pos_ == "PROPN":  # "human rights group Open Cell" -> "Open Cell"
            start = _name_run_start(phrase.head)
            if start > _phrase_first(phrase) and phrase.head.doc[start - 1].lower_ in ORG_NOUNS:
                text = phrase.head.doc[start : phrase.head.i + 1].text
        if has_proper or noun in ORG_NOUNS:
            return ResolvedSpeaker(text.removesuffix("'s"), phrase.role, "organisation")
        kind: SpeakerKind = "person" if noun in PERSON_NOUNS else "other"
        return ResolvedSpeaker(phrase.text[:1].lower() + phrase.text[1:], phrase.role, kind)

    def _resolve_pronoun(self, position: int, pronoun: str) -> ResolvedSpeaker | None:
        if pronoun in PRONOUNS_PERSON:
            gender = PRONOUNS_PERSON[pronoun]
            for mention in self._before(position):
                if mention.kind == "person" and self.genders.get(mention.name, gender) == gender:
                    name = self.canonical_name(mention.name.split())
                    return ResolvedSpeaker(name, mention.role or self._known_role(name), "person")
            return None
        if pronoun in PRONOUNS_GROUP:
            found = self._nearest(position, ("organisation", "document"), None, any_match=True)
            return ResolvedSpeaker(found.name, None, found.kind) if found else None
        return None

    def _before(self, position: int) -> list[_Mention]:
        """Earlier speakers and entity mentions, nearest first; a speaker before
        a mention of the same place (they are the same words)."""
        earlier = [m for m in self.speakers + self.mentions if m.position < position]
        return sorted(earlier, key=lambda m: (-m.position, m not in self.speakers))

    def _nearest(self, position: int, kinds: tuple[str, ...], noun: str | None, any_match: bool) -> _Mention | None:
        candidates = [m for m in self._before(position) if m.kind in kinds]
        if "organisation" in kinds:  # "the company": an organisation already speaking comes first
            candidates.sort(key=lambda m: m not in self.speakers)
        if noun:
            for mention in candidates:
                if noun in mention.role_words or noun in _words(mention.name):
                    return mention
            if not any_match:
                return None
        return candidates[0] if candidates else None

    def _known_role(self, name: str) -> str | None:
        for mention in self.mentions + self.speakers:
            if mention.name == name and mention.role:
                return mention.role
        return None


def _title_gender(doc: Doc, index: int) -> str | None:
    """"Mr" or "Ms" just before a name (NER leaves titles out of PERSON)."""
    if index < 0:
        return None
    word = doc[index].lower_
    return "m" if word in MALE_TITLES else "f" if word in FEMALE_TITLES else None


def _entity_of(token: Token) -> Span | None:
    if not token.ent_type_:
        return None
    return next((ent for ent in token.doc.ents if ent.start <= token.i < ent.end), None)


def _ent_label(token: Token) -> str:
    return token.ent_type_


def _org_like(phrase: SpeakerPhrase) -> bool:
    """"the Serin Institute report", "human rights group Open Cell"."""
    words = phrase.text.lower().split()
    if words and (words[-1] in ORG_NOUNS or words[-1] in DOCUMENT_NOUNS):
        return True
    start = _name_run_start(phrase.head)
    before = phrase.head.doc[start - 1] if start > 0 else None
    return before is not None and before.i >= _phrase_first(phrase) and before.lower_ in ORG_NOUNS


def _phrase_first(phrase: SpeakerPhrase) -> int:
    span = phrase.head.doc.char_span(phrase.start, phrase.end, alignment_mode="expand")
    return span.start if span is not None else phrase.head.i


def _is_role_noun(phrase: SpeakerPhrase) -> bool:
    """"the High Commissioner": a capitalised title after "the", no name."""
    head = phrase.head
    if head.pos_ != "PROPN" or head.ent_type_ == "PERSON" or head.lower_ not in PERSON_NOUNS | TITLES:
        return False
    return phrase.text.lower().startswith("the ")


def _looks_like_name(ent: Span) -> bool:
    """spaCy's small model sometimes labels a person LOC: two or three
    capitalised proper nouns are taken as a name."""
    return ent.label_ == "LOC" and 2 <= len(ent) <= 3 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in ent)


def _mention_role(ent: Span) -> str | None:
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos":
            return _strip(_subtree_text(child))
    left = [t for t in root.subtree if t.i < ent.start]
    if left:
        text = _strip(ent.doc[left[0].i : ent.start].text)
        return _without_article(text) or None
    titles = [t.text for t in ent if t.text.lower() in TITLES]
    return " ".join(titles) or None


def _without_article(text: str) -> str:
    first, _, rest = text.partition(" ")
    if first.lower() in ("the", "a", "an"):
        return rest
    return text


def _words(text: str) -> frozenset[str]:
    return frozenset(word.lower().strip(",.'’") for word in text.split())


@dataclass(frozen=True, slots=True)
class _BodyName:
    """A body's name read as its kind of body, the names it is of, and other words:
    "independent panel of the Council of Nations" -> panel, {Council, Nations}, {independent}."""

    noun: str
    names: frozenset[str]
    modifiers: frozenset[str]

    def same_body(self, other: _BodyName) -> bool:
        return (self.noun == other.noun and self.names == other.names
                and (self.modifiers <= other.modifiers or other.modifiers <= self.modifiers))


def _body_name(name: str) -> _BodyName | None:
    words = [w.removesuffix("'s").removesuffix("’s") for w in name.split() if w.lower() not in ("the", "a", "an")]
    if len(words) < 2:
        return None
    if words[-1].lower() in ORG_NOUNS:  # "Council of Nations panel", "Vardenia's government"
        noun, rest = words[-1].lower(), words[:-1]
    elif "of" in words[1:] and words[words.index("of", 1) - 1].lower() in ORG_NOUNS:  # "government of Vardenia"
        at = words.index("of", 1)
        noun, rest = words[at - 1].lower(), words[: at - 1] + words[at + 1 :]
    else:
        return None
    names = frozenset(w for w in rest if w[:1].isupper())
    modifiers = frozenset(w.lower() for w in rest if not w[:1].isupper() and w != "of")
    return _BodyName(noun, names, modifiers) if names else None


def _ends_with(name: str, noun: str) -> bool:
    return name.split()[-1].lower() == noun


def same_body_names(names: list[str]) -> dict[str, str]:
    """Each organisation name of a segment -> one name for all the names of its body:
    "Vardenia's government" and "the government of Vardenia" are one body, as are
    "the Council of Nations panel" and "the independent panel of the Council of Nations".
    The name is the fullest of those ending with the kind of body ("Vardenia's government"),
    so that "the government" of another copy still matches it when statements are merged."""
    groups: list[tuple[_BodyName, list[str]]] = []
    for name in dict.fromkeys(names):
        body = _body_name(name)
        group = next((members for key, members in groups if body is not None and key.same_body(body)), None)
        if group is not None:
            group.append(name)
        elif body is not None:
            groups.append((body, [name]))
    canonical: dict[str, str] = {}
    for body, members in groups:
        chosen = max(members, key=lambda member: (_ends_with(member, body.noun), len(member.split())))  # first among equals
        canonical.update(dict.fromkeys(members, chosen))
    return canonical
