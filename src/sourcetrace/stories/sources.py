"""The sources registry: which outlet a page or a credit line stands for, and its type.

An outlet is known from the lists sourcetrace ships (``outlets/``): the
state-media list (State Media Monitor typology, via ASD-at-GMF; MIT, notice
in ``outlets/LICENSE-state-media``) and a curated list of wires, UN bodies and
large NGOs with their hosts and the names they are credited by. Other
outlets are named after their registered domain (``example-news.com``), or,
for pages without a URL, after their site name or credit line. How the
typology codes map to types, and how behaviour suggests a type, is in
docs/sources.md.

Two questions other steps ask (stories count independent sources):

* :func:`outlet_of`: who published a segment (its host, else its site name,
  else the agency its credit line names);
* :func:`source_of`: whose text a segment carries (the agency its credit line
  names, else its publisher). A family credited to a wire and that wire's own
  copy have the same :func:`source_of`, so they are one source.

:class:`Registry` answers the type of an outlet in a case, where what the
user set (``sourcetrace sources CASE --set NAME=TYPE``) wins.
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import io
import ipaddress
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

from tld import get_fld

from sourcetrace.reuse.origins import agency_key
from sourcetrace.stories.source_types import TYPOLOGY, SourceType, check_source_type
from sourcetrace.views import SourceView

MIN_STATE_MEDIA_NAME = 4  # shorter state-media names are initialisms too ambiguous to match credit lines
MAX_PATH_SEGMENTS = 3  # listed path prefixes are at most this deep ("ohchr.org/en/hrbodies/hrc")

_AGENCY_WORDS = re.compile(r"\b(news agency|press agency|agency|agence|agencia|agenzia)\b", re.IGNORECASE)
_MEDIUM_PREFIX = re.compile(r"^(news agency|news portals|online|print media|print|radio|television|ua)\s*:\s*",
                            re.IGNORECASE)
_CREDIT_SEPARATORS = re.compile(r"\s*(?:/|;|,|&|\band\b)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class KnownOutlet:
    """An outlet on one of the shipped lists."""

    key: str  # "list:" + the name without case or punctuation (+ "-" + the country, for the state-media list)
    name: str
    type: SourceType
    typology: str | None  # State Media Monitor code(s) when on the state-media list: "SC", "CaPr, ISFM"
    listed_in: str  # "curated" or "state-media"


@dataclass(frozen=True, slots=True)
class OutletKey:
    """An outlet as one page or credit line shows it. Two are the same outlet
    when their ``key`` is equal; ``name`` is how this page names it."""

    key: str  # "list:reuters", "host:example-news.com", "name:dailyplanet"
    name: str
    host: str | None = None  # the page's host, without "www."


class KnownOutlets:
    """The shipped lists, indexed by host (with path prefixes) and by credited name."""

    def __init__(self, curated: Sequence[Mapping[str, object]], state_media_rows: Sequence[Mapping[str, str]],
                 digest: str = "") -> None:
        self.digest = digest  # of the data files: a registry built from other lists is out of date
        self._by_host: dict[str, KnownOutlet] = {}  # "host" or "host/path"
        self._by_name: dict[str, KnownOutlet] = {}  # agency_key(name) -> outlet
        typologies = _state_media_by_domain(state_media_rows)
        for entry in curated:
            self._add_curated(entry, typologies)
        for domain, rows in typologies.items():
            if domain not in self._by_host:
                self._by_host[domain] = _state_media_outlet(rows)
        self._add_state_media_names()
        self._path_hosts = {h.split("/", 1)[0] for h in self._by_host if "/" in h}
        self._host_cache: dict[str, KnownOutlet | None] = {}
        self._by_key = {o.key: o for o in (*self._by_host.values(), *self._by_name.values())}

    def _add_curated(self, entry: Mapping[str, object], typologies: Mapping[str, list[Mapping[str, str]]]) -> None:
        hosts = [str(h).casefold() for h in _strings(entry["hosts"])]
        codes = [row["Typology"] for h in hosts if "/" not in h for row in typologies.get(h, [])]
        name = str(entry["name"])
        outlet = KnownOutlet(f"list:{agency_key(name)}", name, check_source_type(str(entry["type"])), _codes(codes),
                             "curated")
        for host in hosts:
            self._by_host[host] = outlet
        for credit in (str(entry["name"]), *_strings(entry.get("credits", []))):
            self._by_name[agency_key(credit)] = outlet

    def _add_state_media_names(self) -> None:
        """A state-media outlet's name stands for it in credit lines when no other
        listed outlet has that name and it is not a short initialism ("CNA" is
        two agencies in the list; "ABC" is also a US network that is not in it)."""
        names: dict[str, list[KnownOutlet]] = {}
        for outlet in dict.fromkeys(self._by_host.values()):
            if outlet.listed_in == "state-media":
                names.setdefault(agency_key(outlet.name), []).append(outlet)
        for key, outlets in names.items():
            if len(outlets) == 1 and len(key) >= MIN_STATE_MEDIA_NAME:
                self._by_name.setdefault(key, outlets[0])

    def by_url(self, url: str | None) -> KnownOutlet | None:
        """The listed outlet a URL belongs to: the longest listed path prefix on
        its host, else its host or a parent domain down to the registered one."""
        host, path = _host_and_path(url)
        if host is None:
            return None
        if host in self._path_hosts:
            for candidate in _path_candidates(host, path):
                if (outlet := self._by_host.get(candidate)) is not None:
                    return outlet
        if host not in self._host_cache:  # a case has few hosts and many pages on each
            found = (self._by_host.get(c) for c in _parent_domains(host))
            self._host_cache[host] = next((outlet for outlet in found if outlet is not None), None)
        return self._host_cache[host]

    def hosts(self) -> list[str]:
        """Every listed host, with its path where the entry has one ("ohchr.org/en/hrbodies/hrc")."""
        return sorted(self._by_host)

    def by_key(self, key: str) -> KnownOutlet | None:
        return self._by_key.get(key)

    def by_name(self, name: str | None) -> KnownOutlet | None:
        """The listed outlet a site name or credit names ("AP", "Agence France-Presse")."""
        return self._by_name.get(agency_key(name)) if name else None


def outlet_of(url: str | None, site: str | None, credit: str | None,
              known: KnownOutlets | None = None) -> OutletKey | None:
    """Who published a segment: the outlet of its URL's host (a listed outlet,
    matched on subdomains and path prefixes, else the registered domain), else
    the outlet its site name names, else the agency its credit line names.
    None when the segment gives none of the three.

    Use it for "which outlets carried this story"; use :func:`source_of` to
    decide whether two segments come from one source."""
    known = known or known_outlets()
    host, _ = _host_and_path(url)
    if host is not None:
        listed = known.by_url(url)
        if listed is not None:
            return OutletKey(listed.key, listed.name, host)
        return OutletKey(f"host:{registered_domain(host)}", site.strip() if site else registered_domain(host), host)
    if site and site.strip():
        return name_outlet(site, known)
    credited = credited_outlets(credit, known)
    return credited[0] if credited else None


def source_of(url: str | None, site: str | None, credit: str | None,
              known: KnownOutlets | None = None) -> OutletKey | None:
    """Whose text a segment carries: the (first) agency its credit line names,
    else its publisher (:func:`outlet_of`). A page crediting AP and a page on
    apnews.com have one ``source_of`` key (``list:associatedpress``): a family credited to
    a wire and that wire's own copy are one source. Outlets not on the
    lists are also joined case-wide ("CP" and "Continental Press"): inside
    a run, ask :meth:`Registry.source_of` for a stored segment."""
    credited = credited_outlets(credit, known)
    return credited[0] if credited else outlet_of(url, site, None, known)


def credited_outlets(credit: str | None, known: KnownOutlets | None = None) -> tuple[OutletKey, ...]:
    """The outlets a credit line names, in order: "Reuters/AP" names two. A
    name not on the lists is an outlet of its own (``name:`` + the name
    without case or punctuation)."""
    if not credit:
        return ()
    known = known or known_outlets()
    whole = known.by_name(credit)
    parts = [credit] if whole is not None else [p for p in _CREDIT_SEPARATORS.split(credit) if agency_key(p)]
    found: dict[str, OutletKey] = {}
    for part in parts:
        outlet = name_outlet(part, known)
        found.setdefault(outlet.key, outlet)
    return tuple(found.values())


def name_outlet(name: str, known: KnownOutlets | None = None) -> OutletKey:
    """The outlet a name stands for: a listed one, else ``name:`` + its key."""
    listed = (known or known_outlets()).by_name(name)
    if listed is not None:
        return OutletKey(listed.key, listed.name)
    return OutletKey(f"name:{agency_key(name)}", name.strip())


@functools.lru_cache(maxsize=65536)
def registered_domain(host: str) -> str:
    """The domain registered under a public suffix ("bbc.co.uk" for
    "www.bbc.co.uk"), from the Public Suffix List bundled with ``tld``. A
    host under a suffix the list lacks (the reserved ".example", ".test")
    is taken to be registered under its last label; an IP address or a
    one-label host ("localhost") is its own."""
    found = get_fld(host, fail_silently=True, fix_protocol=True)
    if found:
        return str(found)
    labels = host.split(".")
    if len(labels) < 3 or _is_address(host):
        return host
    return ".".join(labels[-2:])


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def hostname(url: str | None) -> str | None:
    """A URL's host, lower case, without "www."; None when it has none."""
    return _host_and_path(url)[0]


@functools.cache
def known_outlets() -> KnownOutlets:
    """The lists shipped in ``sourcetrace/stories/outlets``, read once."""
    folder = resources.files("sourcetrace.stories") / "outlets"
    curated_bytes = (folder / "curated.toml").read_bytes()
    state_bytes = (folder / "State_Media_Matrix.csv").read_bytes()
    curated = tomllib.loads(curated_bytes.decode("utf-8"))["outlet"]
    rows = list(csv.DictReader(io.StringIO(state_bytes.decode("utf-8"))))
    digest = hashlib.sha256(curated_bytes + b"\0" + state_bytes).hexdigest()[:16]
    return KnownOutlets(curated, rows, digest)


class Registry:
    """A case's outlets with their types, as the ``sources`` step stored them
    and the user set them: what stories and readers ask of the registry
    (``store.write_sources.load_registry`` loads it)."""

    def __init__(self, outlets: Iterable[tuple[str, str, SourceType]], user_types: Mapping[str, SourceType],
                 members: Iterable[tuple[int, str, str]] = ()) -> None:
        """``outlets``: (key, name, type from the lists) per outlet;
        ``user_types``: key -> the type the user set; ``members``: (segment,
        key, role) with role "published" or "credited", in source id order."""
        self._types: dict[str, SourceType] = {}
        self._keys: dict[str, str] = {}
        for key, name, listed in outlets:
            self._types[key] = user_types.get(key, listed)
            self._keys.setdefault(key.casefold(), key)
            self._keys.setdefault(name.casefold(), key)
        self._published: dict[int, str] = {}
        self._credited: dict[int, list[str]] = {}
        for segment, key, role in members:
            if role == "published":
                self._published[segment] = key
            else:
                self._credited.setdefault(segment, []).append(key)

    def key_of(self, name_or_key: str) -> str | None:
        """The key of the outlet with this name or key (any case), if in the case."""
        return self._keys.get(name_or_key.casefold())

    def type_of(self, name_or_key: str) -> SourceType:
        """The outlet's type: what the user set, else what the lists say, else ``unknown``."""
        key = self.key_of(name_or_key)
        return self._types.get(key, "unknown") if key is not None else "unknown"

    def publisher_of(self, segment: int) -> str | None:
        """The key of the outlet that published a kept segment (:func:`outlet_of`, as the case joined it)."""
        return self._published.get(segment)

    def source_of(self, segment: int) -> str | None:
        """The key of the outlet whose text a kept segment carries: the first
        outlet its credit line names, else its publisher (:func:`source_of`,
        with unlisted names joined case-wide: "CP" is "Continental Press")."""
        credited = self._credited.get(segment)
        return credited[0] if credited else self._published.get(segment)


def state_controlled(typology: str | None) -> bool:
    """Whether any code of a (possibly joined) typology is editorially state-controlled."""
    return any(TYPOLOGY.get(code.rstrip("?"), ("", False))[1] for code in (typology or "").split(", "))


def _state_media_by_domain(rows: Sequence[Mapping[str, str]]) -> dict[str, list[Mapping[str, str]]]:
    """The state-media rows grouped by their URL's registered domain: one outlet
    per domain, its language editions ("spanish.xinhuanet.com") included."""
    grouped: dict[str, list[Mapping[str, str]]] = {}
    for row in rows:
        host, _ = _host_and_path(row.get("URL"))
        if host is not None and row.get("Typology"):
            grouped.setdefault(registered_domain(host), []).append(row)
    return grouped


def _state_media_outlet(rows: Sequence[Mapping[str, str]]) -> KnownOutlet:
    """A state-media domain as one outlet. Its type: state_media when any row is
    editorially state-controlled (a domain carrying such content is treated
    as such), else its medium: a news agency by name, print, else broadcaster."""
    domain = registered_domain(_host_and_path(rows[0]["URL"])[0] or "")
    main = next((r for r in rows if _host_and_path(r["URL"])[0] == domain), rows[0])
    name = _MEDIUM_PREFIX.sub("", main["Main assets"]).strip() or main["Media company"].strip()
    typology = _codes([r["Typology"] for r in rows])
    names = " ".join(r["Main assets"] + " " + r["Media company"] for r in rows)
    kind: SourceType
    if state_controlled(typology):
        kind = "state_media"
    elif _AGENCY_WORDS.search(names):
        kind = "wire"
    elif re.search(r"\bprint", names, re.IGNORECASE):
        kind = "newspaper"
    else:
        kind = "broadcaster"
    # Keyed by name and country: one outlet across its domains (tass.com, tass.ru),
    # two where two countries have an outlet of one name ("Radio Nacional").
    key = f"list:{agency_key(name)}-{agency_key(main['Country'])}"
    return KnownOutlet(key, name, kind, typology, "state-media")


def _codes(codes: Iterable[str]) -> str | None:
    """Distinct typology codes in first-seen order, joined: "CaPr, ISFM"."""
    distinct = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    return ", ".join(distinct) or None


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


@functools.lru_cache(maxsize=65536)
def _host_and_path(url: str | None) -> tuple[str | None, str]:
    """(host lower case without "www.", path lower case); host None when the URL has none."""
    if not url or not url.strip():
        return None, ""
    text = url.strip()
    try:
        parts = urlsplit(text if "//" in text else f"//{text}")
        host = parts.hostname
    except ValueError:  # a malformed address (bad port, bracket): no host
        return None, ""
    if not host or ("." not in host and host != "localhost"):
        return None, ""
    return host.casefold().removeprefix("www."), parts.path.casefold().rstrip("/")


def _path_candidates(host: str, path: str) -> list[str]:
    """host + each prefix of the path, longest first."""
    segments = [s for s in path.split("/") if s][:MAX_PATH_SEGMENTS]
    return [host + "/" + "/".join(segments[:n]) for n in range(len(segments), 0, -1)]


def _parent_domains(host: str) -> list[str]:
    """The host, then each parent domain down to the registered domain."""
    labels = host.split(".")
    floor = registered_domain(host).count(".") + 1
    return [".".join(labels[i:]) for i in range(0, max(len(labels) - floor, 0) + 1)]


class SourceNameError(ValueError):
    """No source of the case has the name given; the message lists close matches."""


def pick_source(name: str, listed: Sequence[SourceView]) -> SourceView:
    """The source called ``name`` (any case), or with that key, host, or a
    name it was seen under ("CP" for Continental Press). Raises
    SourceNameError naming the closest names when there is none, and the
    sources it could mean when there are several."""
    wanted = name.strip().casefold()
    host = wanted.removeprefix("www.")
    for matches in (lambda s: s.name.casefold() == wanted, lambda s: s.key.casefold() == wanted,
                    lambda s: host in s.hosts, lambda s: wanted in {n.casefold() for n in s.names}):
        found = [s for s in listed if matches(s)]
        if len(found) > 1:  # ohchr.org carries OHCHR and the Special Procedures: the user must say which
            raise SourceNameError(f"{name!r} names {len(found)} sources: {', '.join(s.name for s in found)};"
                                  " give one of these names")
        if found:
            return found[0]
    names = {s.name.casefold(): s.name for s in listed}
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.6)
    close += [n for n in names if wanted in n and n not in close][: 5 - len(close)]
    hint = f"; close matches: {', '.join(names[n] for n in close)}" if close else ""
    raise SourceNameError(f"no source named {name!r} in the case{hint} (sourcetrace sources CASE lists them)")
