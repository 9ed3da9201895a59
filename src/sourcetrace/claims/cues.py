"""The words that decide a stance: cue lexicons, each entry named by what it shows.

The rules read a stance off cues (claims/stance.py; the claims model of
claims/model.py uses the same lexicons as features where they find none): a
verb that governs the claim's clause ("denied that ...", "concluded that
..."), a negation in the clause, a phrase that calls it untrue ("lies and
disinformation", "there is no such thing as"), a hedge that still asserts
("reasonable to conclude", "credible", "may amount to"), or a frame that
only reports it ("alleged", "accused of", "whether"). Whichever cue decided
is stored with the position and shown, so every stance can be checked.

Words are matched in lower case as written (the shared spaCy pipeline has
no lemmatizer), so each verb is listed with its inflections.
"""

from __future__ import annotations

import re


def _inflected(*stems: str) -> frozenset[str]:
    """Verb forms from "deny|denies|denied|denying" entries."""
    return frozenset(form for entry in stems for form in entry.split("|"))


# A verb that governs the claim's clause and denies it: the claim is contested.
CONTEST_VERBS = _inflected(
    "deny|denies|denied|denying", "reject|rejects|rejected|rejecting", "dismiss|dismisses|dismissed|dismissing",
    "refute|refutes|refuted|refuting", "dispute|disputes|disputed|disputing", "rebut|rebuts|rebutted|rebutting",
    "disprove|disproves|disproved|disproven", "debunk|debunks|debunked|debunking", "contest|contests|contested",
    "repudiate|repudiates|repudiated", "deride|derides|derided", "ridicule|ridicules|ridiculed",
    "slam|slams|slammed", "condemn|condemns|condemned",
)
# "condemned the report" contests a report, but "condemned the killings" asserts them:
# these verbs contest only when their object is a claim, a report or an accusation.
CONTEST_ONLY_ON_CLAIMS = _inflected("condemn|condemns|condemned", "slam|slams|slammed", "dismiss|dismisses|dismissed")

# A verb that governs the claim's clause and asserts it (findings, admissions, accusations).
SUPPORT_VERBS = _inflected(
    "find|finds|found", "conclude|concludes|concluded|concluding", "confirm|confirms|confirmed|confirming",
    "establish|establishes|established", "document|documents|documented|documenting", "prove|proves|proved|proven",
    "show|shows|showed|shown", "demonstrate|demonstrates|demonstrated", "verify|verifies|verified",
    "substantiate|substantiates|substantiated", "corroborate|corroborates|corroborated",
    "acknowledge|acknowledges|acknowledged", "admit|admits|admitted", "concede|concedes|conceded",
    "accuse|accuses|accused", "determine|determines|determined", "reveal|reveals|revealed", "record|recorded",
    "witness|witnessed", "observe|observed", "uncover|uncovered", "expose|exposed", "assert|asserts|asserted",
    "allege|alleges|alleged|alleging", "charge|charges|charged", "blame|blames|blamed", "testify|testified",
    "recount|recounted", "describe|described",
)
# A verb that governs the claim's clause without taking a side.
REPORT_VERBS = _inflected(
    "investigate|investigates|investigated|investigating", "examine|examines|examined|examining",
    "probe|probes|probed|probing", "review|reviews|reviewed|reviewing", "ask|asks|asked|asking",
    "question|questions|questioned", "wonder|wonders|wondered", "consider|considers|considered",
    "discuss|discusses|discussed", "debate|debates|debated", "study|studies|studied", "assess|assesses|assessed",
    "check|checks|checked", "verify whether", "look|looking", "explore|explores|explored",
)

# Phrases that call what they are near untrue, whoever says them.
CONTEST_PHRASES: tuple[tuple[str, str], ...] = tuple((label, pattern) for label, pattern in (
    ("no such thing", r"\bno such (?:thing|practice)s?\b"),
    ("lies", r"\blies\b|\blie of\b|\blying\b"),
    ("disinformation", r"\b(?:dis|mis)information\b"),
    ("fabricated", r"\bfabricat\w*|\bconcoct\w*|\binvent(?:ed|ions?)\b|\bdoctored\b|\bmanipulated\b"),
    ("baseless", r"\bbaseless\b|\bgroundless\b|\bunfounded\b|\bunsubstantiated\b"
                 r"|\b(?:without|no|has no|have no) (?:any )?(?:basis|foundation)\b"),
    ("false", r"\bfalse(?:ly|hoods?)?\b|\buntrue\b|\bnot true\b|\bfake\b|\bbogus\b"),
    ("myth", r"\bmyths?\b|\bhoax(?:es)?\b|\bfiction\b|\bfairy tales?\b|\bfantas(?:y|ies)\b|\bmade[- ]up\b"),
    ("smear", r"\bsmears?\b|\bslander\w*|\bdefamat\w*|\bvilif\w*|\binsult(?:s|ing)?\b|\bslurs?\b|\bwitch[- ]hunt\b"),
    ("nonsense", r"\bnonsense\b|\babsurd\w*|\bridiculous\b|\bpreposterous\b|\bsensationalis\w*"),
    ("no evidence", r"\bno (?:credible |real |such )?(?:evidence|proof|sign|trace|record)s?\b"
                    r"|\bwithout (?:any )?(?:evidence|proof)\b|\blittle evidence\b"
                    r"|\bnot (?:a|one) (?:shred|scrap|piece) of (?:evidence|proof)\b"),
    ("politically motivated", r"\bpolitically motivated\b|\bpropaganda\b|\bdistort\w*|\bmisleading\b"),
    ("never happened", r"\bnever (?:happened|took place|occurred|existed)\b|\bdid not happen\b"),
    ("so-called", r"\bso-called\b"),
    ("debunked", r"\bout of context\b|\bmisattribut\w*|\bfact[- ]check\w*"
                 r"|\b(?:old|older|unrelated|recycled) (?:footage|videos?|photos?|images?|pictures?|clips?)\b"),
    ("a charge they deny", r"\b(?:charges?|accusations?|allegations?|claims?)\s+(?:that\s+|which\s+)?"
                           r"(?:they|he|she|it|the \w+)\s+(?:den|reject|dismiss|refut)\w*"),
))

# Hedges that still assert: a hedged finding supports the claim.
HEDGE_PHRASES: tuple[tuple[str, str], ...] = tuple((label, pattern) for label, pattern in (
    ("reasonable to conclude", r"\breasonable (?:to conclude|grounds|basis)\b"),
    ("credible", r"\bcredibl[ey]\b"),
    ("may amount to", r"\b(?:may|might|could|would) (?:well )?(?:amount|constitute|qualify)\b"),
    ("likely", r"\b(?:most |highly |very )?(?:likely|probabl[ey])\b"),
    ("evidence suggests", r"\b(?:evidence|findings|data|testimon\w+) (?:suggest|indicate|point)s?\b"
                          r"|\bconsistent with\b|\bstrong(?:ly)? (?:evidence|indications?)\b"),
    ("appears", r"\bappear(?:s|ed)? to\b|\bseem(?:s|ed)? to\b"),
    ("well-founded", r"\bwell[- ]founded\b|\bsubstantial grounds\b|\bplausible\b"),
))

# Frames that report a claim without taking a side.
REPORT_PHRASES: tuple[tuple[str, str], ...] = tuple((label, pattern) for label, pattern in (
    ("alleged", r"\balleged(?:ly)?\b|\ballegations?\b"),
    ("accused of", r"\b(?:is|are|was|were|been|being|stands?|stood) accused\b|\baccusations?\b"),
    ("reportedly", r"\breportedly\b|\bunconfirmed\b|\bis said to\b|\bare said to\b|\brumou?rs?\b"),
    ("claims that", r"\bclaims? (?:that|of)\b|\bclaiming\b|\bclaimed that\b|\bassertions?\b"),
    ("whether", r"\bwhether\b|\?"),
    ("circulated", r"\b(?:posts?|videos?|messages?|rumou?rs?|footage|clips?|tweets?)\b[^.]{0,40}?"
                   r"\b(?:claim|claims|claimed|claiming|purport\w*|appears? to show)\b"),
    ("inquiry", r"\binquir(?:y|ies)\b|\binvestigat(?:e|es|ed|ing|ions?)\b|\bprobe\b|\bhearings?\b|\btestimony on\b"),
    ("to decide", r"\b(?:will|to) (?:decide|rule|determine|establish)\b"),
))

# Phrases that say what happened is not explained: who did it, or why, is unknown or not said.
# A sentence on a claim's matter with one of them reports the claim even without its predicate
# ("how the medicines entered the country is unclear").
UNEXPLAINED_PHRASES: tuple[tuple[str, str], ...] = tuple((label, pattern) for label, pattern in (
    ("unclear", r"\b(?:is|are|was|were|remains?|remained)\s+(?:still\s+|not\s+yet\s+|not\s+)?"
                r"(?:unclear|unknown|uncertain|known|clear|established)\b"),
    ("not explained", r"\b(?:has|have|had)\s+not\s+(?:yet\s+)?(?:been\s+)?(?:explained|commented|published|"
                      r"named|identified|established|said|disclosed|confirmed)\b|\bdid\s+not\s+(?:explain|say|comment)\b"),
    ("reported to", r"\b(?:is|are|was|were)\s+(?:reported|said|believed)\s+to\b"),
))

# The object of a follow-up denial that answers an earlier sentence rather than naming the claim.
ANAPHORIC_TARGETS = re.compile(
    r"\b(?:the|these|those|such|all|any|its|their|his|her|this|that)\s+(?:\w+\s+){0,2}"
    r"(?:accusations?|allegations?|claims?|charges?|reports?|findings?|conclusions?|assertions?|"
    r"accounts?|stories|story|rapporteur|panel|lies)\b|\ball (?:the )?accusations\b|\bwrongdoing\b",
    re.IGNORECASE)

NEGATIONS = frozenset({"not", "n't", "never", "no", "nothing", "none", "nobody", "nowhere", "neither", "nor",
                       "without", "cannot"})
# Verbs (with "there is") that only say the proposition holds: their negation negates it.
EXISTENTIAL = frozenset({"is", "are", "was", "were", "be", "been", "exist", "exists", "existed", "occur", "occurred",
                         "happen", "happened", "took", "taken", "take", "has", "have", "had"})

_COMPILED: dict[str, re.Pattern[str]] = {}


def first_phrase(phrases: tuple[tuple[str, str], ...], text: str) -> tuple[str, int, int] | None:
    """The first phrase of a lexicon in ``text``: (its label, start, end)."""
    best: tuple[str, int, int] | None = None
    for label, pattern in phrases:
        compiled = _COMPILED.setdefault(pattern, re.compile(pattern, re.IGNORECASE))
        match = compiled.search(text)
        if match is not None and (best is None or match.start() < best[1]):
            best = (label, match.start(), match.end())
    return best
