"""The sources registry, measured against simpler baselines in the same run.

    python bench/sources_eval.py [--outlets 400] [--segments 19000 400000] [--seed 7]

1. Host matching. URLs made from every domain on the shipped lists, with
   the subdomains outlets publish on (www., english., m., edition paths), as
   positives; look-alike hosts (the listed domain inside another registered
   domain, glued to another word, or under another suffix) as negatives.
   The registry's registered-domain match is compared with two baselines:
   an exact host match (after "www.") and a plain suffix match
   (host.endswith(domain)).
2. Suggested types. Generated outlets of four habits: newspapers of their
   own texts, newspapers that print wire copy verbatim (one story a page),
   aggregators (copied stories pasted several to a page) and content farms
   (spun rewrites), with noise: the copy map misses some copies, and
   every outlet also has some texts of its own. The registry's suggestion is
   compared with the baseline "most of its segments copy others".
3. Speed. build_sources over generated segment facts (hosts, site names,
   credits, families) at each size, beside the floor: one outlet_of and
   credited_outlets call per segment, which any registry needs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sourcetrace.stories.sources import KnownOutlets, credited_outlets, known_outlets, outlet_of, registered_domain
from sourcetrace.stories.sources_build import SegmentFacts, build_sources, suggest_type

SUBDOMAINS = ("www.", "english.", "m.", "news.", "")
HABITS = ("own", "syndicating", "aggregator", "content_farm")


# -- 1. host matching -----------------------------------------------------------------

def listed_domains(known: KnownOutlets) -> list[str]:
    """Every registered domain a listed outlet is matched on (paths left out)."""
    return sorted({registered_domain(h) for h in known.hosts() if "/" not in h})


def matching_cases(domains: Sequence[str], rng: random.Random) -> list[tuple[str, str | None]]:
    """(url, the listed domain it belongs to, or None for a look-alike)."""
    cases: list[tuple[str, str | None]] = []
    listed = set(domains)
    for domain in domains:
        cases.append((f"https://{rng.choice(SUBDOMAINS)}{domain}/world/{rng.randrange(10**6)}", domain))
        label = domain.split(".")[0]
        lookalikes = (f"{domain}.mirror-site.net",  # the domain inside another one
                      f"the{domain}",  # glued to another word: "thert.com"
                      f"{label}.example-hosting.org")  # its name under another registered domain
        cases += [(f"https://{host}/", None) for host in lookalikes if registered_domain(host) not in listed]
    return cases


def exact_host(hosts: set[str]) -> Callable[[str], str | None]:
    def match(url: str) -> str | None:
        host = url.split("/")[2].removeprefix("www.")
        return host if host in hosts else None
    return match


def plain_suffix(hosts: set[str]) -> Callable[[str], str | None]:
    def match(url: str) -> str | None:
        host = url.split("/")[2]
        return next((h for h in hosts if host.endswith(h)), None)
    return match


def registry_match(known: KnownOutlets) -> Callable[[str], str | None]:
    def match(url: str) -> str | None:
        host = url.split("/")[2]
        return registered_domain(host.removeprefix("www.")) if known.by_url(url) is not None else None
    return match


def score(cases: Sequence[tuple[str, str | None]], match: Callable[[str], str | None]) -> tuple[float, float]:
    """(precision, recall) of matching a URL to its listed domain."""
    found = [(truth, match(url)) for url, truth in cases]
    hits = sum(1 for truth, got in found if truth is not None and got is not None)
    false = sum(1 for truth, got in found if truth is None and got is not None)
    positives = sum(1 for truth, _ in found if truth is not None)
    return hits / max(hits + false, 1), hits / max(positives, 1)


# -- 2. suggested types ---------------------------------------------------------------

def outlet_facts(habit: str, first_id: int, rng: random.Random) -> list[SegmentFacts]:
    """One generated outlet's kept segments, with its habit's copy-map footprint."""
    pages = rng.randint(4, 30)
    host = f"https://{habit}-{first_id}.example/"
    facts: list[SegmentFacts] = []
    for page in range(pages):
        document = first_id + page
        stories = rng.randint(2, 4) if habit == "aggregator" and rng.random() < 0.7 else 1
        for ordinal in range(stories):
            segment = document * 1000 + ordinal
            own = rng.random() < 0.15 or habit == "own"  # every outlet also has texts of its own
            missed = rng.random() < 0.1  # the copy map did not find the copy
            copied = not own and not missed
            rewritten = copied and habit == "content_farm" and rng.random() < 0.8
            family = segment if not copied else rng.randrange(1, 10**6) * 1000
            facts.append(SegmentFacts(segment, document, host + str(page), habit.title(), None, family, copied,
                                      rewritten))
    return facts


def suggestion_figures(outlets: int, rng: random.Random) -> dict[str, tuple[float, float]]:
    """Precision and recall of flagging aggregators and content farms, registry vs baseline."""
    labelled = [(habit, outlet_facts(habit, (n + 1) * 100, rng)) for n in range(outlets)
                for habit in [rng.choice(HABITS)]]
    flagged = {"registry": [suggest_type(facts) is not None for _, facts in labelled],
               "baseline: most segments copy others": [
                   sum(f.copied for f in facts) >= 0.6 * len(facts) for _, facts in labelled]}
    truth = [habit in ("aggregator", "content_farm") for habit, _ in labelled]
    figures = {}
    for name, says in flagged.items():
        hits = sum(s and t for s, t in zip(says, truth))
        figures[name] = (hits / max(sum(says), 1), hits / max(sum(truth), 1))
    right_type = sum(1 for (habit, facts) in labelled
                     if (s := suggest_type(facts)) is not None and s.type == habit)
    figures["registry, type right when flagged"] = (right_type / max(sum(flagged["registry"]), 1), float("nan"))
    return figures


# -- 3. speed -------------------------------------------------------------------------

CREDITS = ("AP", "Reuters", "Agence France-Presse", "AFP", None, None, None, "Continental Press", "CP")


def generated_facts(count: int, rng: random.Random) -> list[SegmentFacts]:
    hosts = [f"https://{rng.choice(SUBDOMAINS)}outlet{n}.example/" for n in range(max(count // 40, 1))]
    hosts += ["https://apnews.com/", "https://www.reuters.com/", "https://english.news.cn/", "https://www.bbc.co.uk/"]
    facts = []
    for n in range(count):
        host = rng.choice(hosts)
        family = rng.randrange(count // 3 + 1) * 1000
        facts.append(SegmentFacts((n + 1) * 1000, n // 2, host + f"story/{n}", None, rng.choice(CREDITS), family,
                                  rng.random() < 0.5, rng.random() < 0.1))
    return facts


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def floor(facts: Sequence[SegmentFacts], known: KnownOutlets) -> None:
    for fact in facts:
        outlet_of(fact.url, fact.site, None, known)
        credited_outlets(fact.credit, known)


def speed(facts: Sequence[SegmentFacts], known: KnownOutlets) -> tuple[float, float]:
    """(seconds of build_sources, seconds of the floor), host caches warm for both."""
    floor(facts, known)
    floor_seconds = timed(lambda: floor(facts, known))
    return timed(lambda: build_sources(facts, known)), floor_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outlets", type=int, default=400)
    parser.add_argument("--segments", type=int, nargs="*", default=[19000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    known = known_outlets()

    domains = listed_domains(known)
    cases = matching_cases(domains, rng)
    hosts = set(domains)
    print(f"1. host matching: {len(domains)} listed domains, {len(cases)} URLs "
          f"({sum(t is not None for _, t in cases)} on a listed outlet)")
    for name, match in (("registry (registered domain)", registry_match(known)), ("baseline: exact host", exact_host(hosts)),
                        ("baseline: plain suffix", plain_suffix(hosts))):
        precision, recall = score(cases, match)
        print(f"   {name:32} precision {precision:.3f}  recall {recall:.3f}")

    print(f"2. suggested types: {args.outlets} generated outlets, habits {', '.join(HABITS)}")
    for name, (precision, recall) in suggestion_figures(args.outlets, rng).items():
        print(f"   {name:40} precision {precision:.3f}" + ("" if recall != recall else f"  recall {recall:.3f}"))

    print("3. speed: build_sources beside the floor (one outlet_of + credited_outlets per segment)")
    for count in args.segments:
        build_seconds, floor_seconds = speed(generated_facts(count, rng), known)
        print(f"   {count:>8,} segments: build {build_seconds:.2f} s, floor {floor_seconds:.2f} s, "
              f"ratio {build_seconds / max(floor_seconds, 1e-9):.1f}x")

if __name__ == "__main__":
    main()
