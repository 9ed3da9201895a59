"""The content of a proposition as words that can be compared: keys, sentences, names.

A claim and a sentence state the same proposition only when the sentence
carries the claim's key content (its predicate and its arguments), so both
are reduced to the same **keys**: content words, lower-cased, spelled one
way (British or American), stripped of inflection and derivation
("detained", "detention", "detainees" -> ``detain``), and mapped to a
concept when they are common synonyms in reporting on abuses and disputes
("arrested", "held", "jailed" -> ``@detain``). A key depends only on the
word, so an index over keys finds exactly the pairs a per-pair test would.

Word embeddings were measured for this and are too weak on single words
(WordLlama puts "shelled" and "bombarded" at 0.04, "detained" and "held" at
0.30), so synonymy here is a short, explicit list, and sentence embeddings
only add to it (claims/matching.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*\w)?|\d(?:[\d.,]*\d)?")
# A sentence ends at . ! ? (and closing quotes or brackets after them) before a space, or at a line break.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])|\n+")
_ABBREVIATIONS = frozenset("mr mrs ms dr st gen col lt sgt rep sen gov prof no vs jr sr inc corp co ltd u.s u.n e.g i.e".split())

# Function words, reporting verbs and vague words: never key content. Reporting verbs
# and stance words are cues (claims/cues.py), not part of what is asserted.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing done down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my no nor not now of off on once only or
other our ours out over own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who whom why will with
would you your yours said says say saying told tell tells according added adds stated states claimed claims claim
alleged alleges allegedly allegation allegations accused accuses accusing accusation accusations
rejected rejects reject dismissed insisted insists argued argues reported reports reportedly report reporting
believed believes found finds concluded concludes conclude confirmed confirms noted wrote writes described called
evidence credible reasonable may might must shall likely probably possibly apparently appear appears appeared seem
seems seemed amount amounts amounted suggest suggests suggested indicate indicates indicated show shows showed shown
new one year years last week weeks month months day days today yesterday monday tuesday wednesday thursday friday
saturday sunday january february march april june july august september october november december take taken took
taking place places occur occurred occurs happen happened happens happening took make made makes making get got put
there such thing things many much several well even still yet already since ago also however though although
whether while per cent percent mr mrs ms dr ever never nothing none nobody anyone anything someone something lies lie
lying false true untrue baseless groundless unfounded fabricated fabrication disinformation propaganda myth hoax
smear slander nonsense absurd so-called fake debunked rumour rumours rumor rumors statement statements official
officials spokesman spokeswoman spokesperson ministry government authorities authority people person least
without nearly almost around roughly approximately
""".split())

# Common synonyms in reporting on abuses, conflicts and disputes: each word's concept.
# A member ending in "*" is a prefix of stems; any other must equal the word or its stem.
_CONCEPTS: dict[str, str] = {
    "@detain": "detain* arrest* held hold jail* imprison* incarcerat* captive* custod* prisoner* abduct* disappear*",
    "@kill": "kill* dead death die died dies slain slay* murder* executed executing execution executions massacr* fatal* "
             "shot_dead shot_and_killed",
    "@torture": "tortur* abus* mistreat* ill-treat* beat beaten beating beatings brutaliz* kicked kicking",
    "@attack": "attack* shell shelled shelling bomb bombed bombing bombings bombard* airstrik* air-strik* assault* "
               "raid raided raids fired_on fired_at fire_on fire_at opened_fire open_fire shot_at shoot_at shooting_at",
    "@force": "forc forced coerc* compel* compuls* involuntar* enslav* slave slavery against_their_will made_to",
    "@labour": "labor* work worked working worker workers",
    "@troops": "troop* soldier* army armies military militar* forces",
    "@civilian": "civilian* resident* villager* inhabitant* noncombatant*",
    "@camp": "camp camps facility facilities compound compounds warehous*",
    "@rig": "rig rigged rigging fraud* manipulat* tamper* falsif* ballot-stuff* fake_ballots",
    "@election": "election* elect elected vote vote* ballot ballots poll polls",
    "@poison": "poison* contaminat* toxic* pollut*",
    "@bribe": "brib* kickback* embezzl*",
    "@neglect": "neglect* ignor* overlook*",
    "@maintain": "maintenanc* maintain* repair* upkeep",
    "@child": "child children minor minors boy boys girl girls",
    "@hospital": "hospital* clinic clinics",
    "@destroy": "destroy* destruct* demolish* raze razed flatten* shred* wipe wiped wiping delet* eras*",
    "@burn": "burn* set_fire set_alight set_on_fire torch* arson* ablaze",
    "@deport": "deport* expel* expuls* displac* sent_back send_back",
    "@pushback": "pushback* pushed_back push_back pushing_back towed_back turned_back forced_back",
    "@hide": "hid hide hidden hiding conceal* cover-up* covered_up cover_up suppress* withheld withhold* kept_quiet "
             "kept_secret kept_silent keep_quiet keep_secret hushed_up hush_up",
    "@recruit": "recruit* enlist* conscript* made_to_fight forced_to_fight",
    "@starve": "starv* famine blockad*",
    "@censor": "censor* silenc* blocked banned shut suspend* suspension off_the_air off_air",
    "@surveil": "surveil* spied spying spy spyware wiretap* hack hacked hacking",
    "@genocide": "genocid* exterminat*",
    "@rape": "rape raped rapes raping rapist* sexually_assaulted sexual_assault sexual_assaults sexually_abused "
             "sexual_abuse sexual_violence",
    "@loot": "loot* plunder* pillag* ransack* steal theft thefts",
    "@sink": "sink capsiz* went_down",
    "@release": "releas* emit emits emitted emitting emission* discharg* leak* spew* dump*",
    "@warn": "warn* alert* notif*",
    "@exclude": "exclud* barred barring disqualif* struck_off strike_off striking_off kept_off removed_from",
    "@cut_off": "cut_off cutting_off blackout* shutdown* shut_down shutting_down outage* disconnect*",
    # converse verbs: one act seen from either side ("awarded the contract to" / "won the contract")
    "@award": "award* win won wins winning",
    "@sell": "sell sold selling sells buy bought buying buys purchas* supplied supply supplying",
    # who and what: the same people and things under their common names
    "@home": "home homes house houses housing dwelling dwellings",
    "@journalist": "journalist* reporter* correspondent* photojournalist* photographer* cameram*",
    "@police": "police policeman policemen policewoman officer* constab* gendarm*",
    "@protest": "protest* demonstrat* rally rallies",
    "@document": "document* file files records paperwork archive*",
    "@militia": "militia*",
    "@weapon": "weapon* arms rifle* gun guns munition* ammunition* firearm*",
    "@company": "company compan* firm firms",
    "@contract": "contract* deal deals",
    "@boat": "boat boats ship ships vessel vessels trawler trawlers ferry ferries dinghy dinghies raft rafts",
}
# The concepts that say what is done (not who or where): a proposition shares one of them.
ACTION_CONCEPTS = frozenset(c for c in _CONCEPTS if c not in (
    "@troops", "@civilian", "@camp", "@election", "@child", "@hospital", "@labour", "@home", "@journalist", "@police",
    "@protest", "@document", "@militia", "@weapon", "@company", "@contract", "@boat"))
_CONCEPT_EXACT: dict[str, str] = {}
_CONCEPT_PREFIXES: list[tuple[str, str]] = []
_PHRASES: list[tuple[re.Pattern[str], str]] = []  # several words that together stand for a concept
for _concept, _members in _CONCEPTS.items():
    for _member in _members.split():
        if "_" in _member:
            _PHRASES.append((re.compile(r"\b" + _member.replace("_", r"\s+") + r"\b", re.IGNORECASE), _concept))
        elif _member.endswith("*"):
            _CONCEPT_PREFIXES.append((_member[:-1], _concept))
        else:
            _CONCEPT_EXACT[_member] = _concept
_CONCEPT_PREFIXES.sort(key=lambda item: -len(item[0]))  # longest prefix first

_AGENT_NOUN = re.compile(r"(?:ees?|ers?|ors?|ists?|ants?|ents?)$")
_SUFFIXES = ("ations", "ation", "itions", "ition", "ments", "ment", "ings", "ing", "ions", "ion", "ees", "ee", "ers",
             "er", "ies", "ied", "ed", "es", "s", "ly")
_VERB_SUFFIXES = frozenset({"ed", "ing", "es"})
_DERIVED = {"detent": "detain", "retent": "retain", "abduct": "abduct", "decis": "decid", "destruct": "destroy"}
_IRREGULAR = {"men": "man", "women": "woman", "children": "child", "forces": "forces", "northern": "north",
              "southern": "south", "eastern": "east", "western": "west"}
# Irregular verbs: every form stands for the base, as regular ones do after their suffix is stripped.
_IRREGULAR.update({form: forms.split()[0] for forms in """sell sold | hide hid hidden | pay paid | buy bought |
    steal stole stolen | shoot shot | fight fought | build built | catch caught | keep kept | send sent | spend spent |
    win won | lose lost | give gave given | drive drove driven | throw threw thrown | break broke broken |
    know knew known | write wrote written | strike struck stricken | sink sank sunk | freeze froze frozen |
    lead led | flee fled | feed fed | bind bound | dig dug | lay laid | meet met | rise rose risen | seek sought |
    shake shook shaken | speak spoke spoken | stand stood | swear swore sworn | sweep swept | teach taught |
    tear tore torn | wear wore worn | withdraw withdrew withdrawn | overrun overran | overthrow overthrew overthrown |
    forbid forbade forbidden | slay slew slain | bring brought | think thought | tell told | find found |
    leave left | hold held | take took taken | choose chose chosen | fall fell fallen | grow grew grown |
    hang hung | hit | burn burnt | spill spilt | bite bit bitten | blow blew blown | draw drew drawn |
    fly flew flown | forget forgot forgotten | hear heard | hurt | sleep slept | sting stung | swing swung""".replace(
        "\n", " ").split("|") for form in forms.split()})


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a text with its keys (none for a stop word) and where it is."""

    start: int
    end: int
    text: str
    keys: frozenset[str]
    is_name: bool  # capitalised inside a sentence, or an acronym

    @property
    def is_agent_noun(self) -> bool:
        """ "detainees", "workers", "prisoners": a noun for who, which never carries a claim's verb."""
        return bool(_AGENT_NOUN.search(self.text.lower()))


def spelled_one_way(word: str) -> str:
    """Lower case, no possessive, American spelling of the British -our and -ise."""
    word = word.lower().replace("’", "'")
    word = re.sub(r"'s?$", "", word)
    word = re.sub(r"our(s?)$", r"or\1", word) if len(word) > 5 else word  # labour, favour; not "four", "hour"
    return re.sub(r"is(e|ed|es|ing|ation)$", r"iz\1", word) if len(word) > 6 else word


def stem(word: str) -> str:
    """Inflection and common derivation stripped: detained/detention/detainees -> detain."""
    word = spelled_one_way(word)
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix in _SUFFIXES:
        # a verb's -ed, -ing, -es leave three letters too: owned, raped, rammed
        shortest = 3 if suffix in _VERB_SUFFIXES else 4
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            word = word[: -len(suffix)]
            break
    else:
        if len(word) == 4 and word[-1] == "s" and word[-2] not in "su":  # pays, hits, bans
            word = word[:-1]
    word = _DERIVED.get(word, word)
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsaeiou":  # stopp(ed) -> stop, ramm(ed) -> ram
        word = word[:-1]
    return word.rstrip("e") if len(word) > 3 else word  # rape and raped -> rap, own and owned -> own


def key_of(word: str) -> str | None:
    """A word's key: None for a stop word, else its concept or its stem."""
    lower = spelled_one_way(word)
    if lower in STOP_WORDS or len(lower) < 2 or (len(lower) < 3 and not lower[0].isdigit()):
        return None
    if lower[0].isdigit():
        return lower.replace(",", "")
    stemmed = stem(lower)
    exact = _CONCEPT_EXACT.get(lower) or _CONCEPT_EXACT.get(stemmed)
    if exact is not None:
        return exact
    for prefix, concept in _CONCEPT_PREFIXES:
        if lower.startswith(prefix) or stemmed.startswith(prefix):
            return concept
    return stemmed


def name_key(word: str) -> str | None:
    """A capitalised word's key as a name: not stemmed ("Xinjiang" keeps its -ing), a demonym
    made its country's (Vardenian -> vardenia). None when the word is a stop word."""
    lower = spelled_one_way(word)
    if lower in STOP_WORDS or len(lower) < 2:
        return None
    return re.sub(r"(ia|a)ns?$", r"\1", lower) if len(lower) > 5 else lower


def keys_of(word: str) -> frozenset[str]:
    """The keys a word may stand for: its stem's, and, capitalised, also its name's (a
    capitalised word at a sentence's start may be either, so both are kept)."""
    found = {key_of(word)}
    if word[0].isupper():
        found.add(name_key(word))
    return frozenset(k for k in found if k is not None)


def words(text: str, start: int = 0, end: int | None = None) -> Iterator[Word]:
    """The words of ``text[start:end]`` with their keys; offsets in ``text``. The first word
    of a phrase that stands for a concept ("opened fire", "against their will") carries it."""
    stop = len(text) if end is None else end
    phrases: dict[int, set[str]] = {}
    for pattern, concept in _PHRASES:
        for match in pattern.finditer(text, start, stop):
            phrases.setdefault(match.start(), set()).add(concept)
    for match in WORD.finditer(text, start, stop):
        token = match.group()
        found = keys_of(token) | phrases.get(match.start(), set())
        yield Word(match.start(), match.end(), token, found, _is_name(text, match.start(), token))


def _is_name(text: str, at: int, token: str) -> bool:
    if not token[0].isupper() or token.lower() in STOP_WORDS:
        return False
    if token.isupper() and len(token) > 1:
        return True
    before = text[max(0, at - 3):at]
    starts_sentence = at == 0 or bool(re.search(r"[.!?:\"“\n]\s*$", before))
    return not starts_sentence or f" {token.lower()} " not in text.lower()


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text (offsets in it), stripped of surrounding space."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end() if match.group()[0] != "\n" else match.start()
        if match.group()[0] == "." and _ends_in_abbreviation(text, match.start()):
            continue
        _add_span(text, begin, end, spans)
        begin = match.end()
    _add_span(text, begin, len(text), spans)
    return spans


def _ends_in_abbreviation(text: str, dot: int) -> bool:
    before = re.search(r"([\w.]+)$", text[max(0, dot - 6):dot])
    return before is not None and before.group(1).lower() in _ABBREVIATIONS


def _add_span(text: str, begin: int, end: int, spans: list[tuple[int, int]]) -> None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    if end > begin:
        spans.append((begin, end))


def keys(text: str) -> frozenset[str]:
    """Every key of a text."""
    return frozenset(k for w in words(text) for k in w.keys)
