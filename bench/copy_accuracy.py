"""How well the copy map finds copies, families and origins, against MinHash alone.

    python bench/copy_accuracy.py ../shared/corpora/reuters21578 [--originals 400] [--workers 2]
    python bench/copy_accuracy.py ../shared/corpora/reuters21578 --scale 20000   # timing only

Corpus: bench/copy_corpus.py (real Reuters stories, copied in every way).
Per kind of copy: pair precision, recall and F1 of the (original, copy)
pairs. A predicted relation counts as correct for precision when its two
segments are truly related (same family, or an aggregator and a story it
carries); recall needs the relation between the original and its copy with
the right kind (``recall_any`` with any kind). Hard negatives: the share of
(original, other story of the same topic and day) pairs linked (should be 0).
Families: adjusted Rand index over every segment but aggregator pages.
Origins: the share of families whose origin is decided, and its accuracy,
by how much of the family is dated: every member (where the dates exist), the
original but not every copy (an undated exact or near-exact copy could be
the origin, so undetermined is right there unless structure rules it out),
and neither. Baseline: LSHIndex verified pairs at Jaccard 0.8 (excerpt windows
on), families = connected components, origin = the earliest dated member.

Spun families (a faithful copy and a spun rewrite, the original present or
absent; ``--spun``), per strength of spinning: the share whose two copies
the copy map links ("linked"); of those, "direction right", the share whose
spun copy hangs under the faithful copy or the original (and not the other
way round); the share whose origin is the original (present) or the
faithful copy as closest to the origin (absent); and "altered flags on the
spun side", of the statements both copies carry in different words, the
share flagged altered in the spun copy and not in the faithful one (the
voices stage on those segments, with the copy map's families and origins).

Prints a Markdown table and writes bench/out/copy_accuracy.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from copy_corpus import CHAIN_KINDS, KINDS, SPIN_STRENGTHS, SpunFamily, Truth, make_corpus
from sklearn.metrics import adjusted_rand_score

from sourcetrace.engines import LocalEngine
from sourcetrace.records import Family, FamilyMember, SegmentForReuse, Statement
from sourcetrace.reuse.candidates import LSHIndex
from sourcetrace.reuse.copymap import build_copy_map

Pair = tuple[int, int]


def _pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def truly_related(pair: Pair, truth: Truth) -> bool:
    a, b = pair
    fa, fb = truth.family_of.get(a), truth.family_of.get(b)
    if fa is not None and fa == fb:
        return True
    for aggregator, parts in truth.aggregator_parts.items():
        other = b if a == aggregator else a if b == aggregator else None
        if other is not None and truth.family_of.get(other) in parts:
            return True
    return False


def pair_scores(predicted: dict[Pair, str], truth: Truth) -> dict[str, dict[str, float]]:
    """Per kind of copy: precision, recall (right kind), recall_any, F1."""
    rows: dict[str, dict[str, float]] = {}
    expected = {
        "rewrite_10": "rewrite",
        "rewrite_20": "rewrite",
        "rewrite_30": "rewrite",
    }
    copies_of_kind: dict[str, list[Pair]] = defaultdict(list)
    for segment, kind in truth.kind_of.items():
        if kind in KINDS:
            copies_of_kind[kind].append(_pair(segment, truth.family_of[segment]))
    for kind in KINDS:
        want = expected.get(kind, kind)
        positives = copies_of_kind[kind]
        found_any = sum(1 for p in positives if p in predicted)
        found = sum(1 for p in positives if predicted.get(p) in (want, "any"))
        predicted_kind = [p for p, k in predicted.items() if k in (want, "any")]
        correct = sum(1 for p in predicted_kind if truly_related(p, truth))
        precision = correct / len(predicted_kind) if predicted_kind else 0.0
        recall = found / len(positives) if positives else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows[kind] = {
            "precision": precision,
            "recall": recall,
            "recall_any": found_any / max(len(positives), 1),
            "f1": f1,
            "pairs": len(positives),
        }
    aggregator_pairs = [_pair(agg, part) for agg, parts in truth.aggregator_parts.items() for part in parts]
    rows["aggregator"] = {
        "recall_any": sum(p in predicted for p in aggregator_pairs) / max(len(aggregator_pairs), 1),
        "pairs": len(aggregator_pairs),
    }
    negatives = [_pair(*p) for p in truth.hard_negative_pairs]
    rows["hard_negative"] = {
        "linked": sum(p in predicted for p in negatives) / max(len(negatives), 1),
        "pairs": len(negatives),
    }
    wrong = [p for p in predicted if not truly_related(p, truth)]
    rows["all"] = {
        "precision": 1 - len(wrong) / max(len(predicted), 1),
        "predicted_pairs": len(predicted),
    }
    return rows


def family_ari(family_of_segment: dict[int, int], truth: Truth) -> float:
    segments = sorted(s for s in truth.kind_of if truth.kind_of[s] != "aggregator")
    return float(
        adjusted_rand_score(
            [truth.family_of[s] for s in segments],
            [family_of_segment.get(s, s) for s in segments],
        )
    )


def origin_scores(
    origin_of_family: dict[int, int | None],
    family_of_segment: dict[int, int],
    truth: Truth,
    segments: dict[int, SegmentForReuse],
) -> dict[str, dict[str, float]]:
    """Origin accuracy by how much of the family is dated: every member
    ("all dated": the dates exist), the original but not every copy (an
    undated copy could be the origin, so undetermined is the right answer
    unless structure rules that copy out), and an undated original."""
    members: dict[int, list[int]] = defaultdict(list)
    for segment, family in truth.family_of.items():
        members[family].append(segment)
    groups: dict[str, list[int]] = {"all_dated": [], "original_dated": [], "original_undated": []}
    for original, kind in truth.kind_of.items():
        if kind != "original":
            continue
        if all(segments[m].published for m in members[original]):
            groups["all_dated"].append(original)
        else:
            groups["original_dated" if segments[original].published else "original_undated"].append(original)
    groups["dated_original"] = groups["all_dated"] + groups["original_dated"]
    scores = {}
    for name, originals in groups.items():
        found = [origin_of_family.get(family_of_segment.get(o, o)) for o in originals]
        decided = sum(f is not None for f in found)
        correct = sum(f == o for f, o in zip(found, originals))
        scores[name] = {
            "families": len(originals),
            "decided_share": decided / max(len(originals), 1),
            "accuracy_where_decided": correct / max(decided, 1),
            "accuracy_over_all": correct / max(len(originals), 1),
        }
    return scores


def earliest_dated(family_of_segment: dict[int, int], segments: dict[int, SegmentForReuse]) -> dict[int, int | None]:
    """The baseline's origins: in each family, the earliest dated member
    (ties to the lowest id), None when no member is dated."""
    origin: dict[int, int | None] = {}
    best: dict[int, tuple[str, int]] = {}
    for segment, family in family_of_segment.items():
        origin.setdefault(family, None)
        published = segments[segment].published
        if published and (family not in best or (published, segment) < best[family]):
            best[family] = (published, segment)
            origin[family] = segment
    return origin


def components(edges: Iterable[Pair], nodes: Iterable[int]) -> dict[int, int]:
    parent = {n: n for n in nodes}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {n: find(n) for n in parent}


def evaluate(segments: list[SegmentForReuse], truth: Truth, workers: int) -> dict[str, object]:
    by_id = {s.id: s for s in segments}
    started = time.perf_counter()
    copy_map = build_copy_map(segments, LocalEngine(workers))
    seconds = time.perf_counter() - started
    predicted = {_pair(r.segment, r.parent): r.kind for r in copy_map.relations}
    family_of = {m.segment: f.key for f in copy_map.families for m in f.members}
    origin_of = {f.key: f.origin for f in copy_map.families}
    lsh = LSHIndex(0.8)
    lsh.add_texts((s.id, s.text) for s in segments)
    baseline_edges = [(p.a, p.b) for p in lsh.verified_pairs()]
    baseline = {e: "any" for e in baseline_edges}
    baseline_families = components(baseline_edges, by_id)
    return {
        "segments": len(segments),
        "seconds": seconds,
        "copy_map": {
            "pairs": pair_scores(predicted, truth),
            "family_ari": family_ari(family_of, truth),
            "origins": origin_scores(origin_of, family_of, truth, by_id),
        },
        "spun": spun_scores(copy_map.families, truth, by_id),
        "parents": parent_scores(copy_map.families, truth, by_id),
        "chains": chain_scores(copy_map.families, truth),
        "minhash_0.8": {
            "pairs": pair_scores(baseline, truth),
            "family_ari": family_ari(baseline_families, truth),
            "origins": origin_scores(earliest_dated(baseline_families, by_id), baseline_families, truth, by_id),
        },
    }


def spun_scores(
    families: Iterable[Family], truth: Truth, segments: dict[int, SegmentForReuse]
) -> dict[str, dict[str, float]]:
    """Per strength and whether the original is in the case: direction right,
    origin right, and altered flags on the spun side (see the module)."""
    member_of = {m.segment: (f, m) for f in families for m in f.members}
    statements = _spun_statements(truth, segments, member_of)
    rows: dict[str, dict[str, float]] = {}
    for strength in SPIN_STRENGTHS:
        for present in (True, False):
            chosen = [f for f in truth.spun_families if f.strength == strength and (f.original is not None) == present]
            linked = [f for f in chosen if member_of[f.spun][0].key == member_of[f.faithful][0].key]
            judged = [_flag_on_spun(s, f) for f in chosen for s in statements.get(f.family, [])]
            flags = [flag for flag in judged if flag is not None]
            rows[f"{strength} original {'present' if present else 'absent'}"] = {
                "families": len(chosen),
                "linked": len(linked) / max(len(chosen), 1),
                "direction_right": sum(_direction_right(f, member_of) for f in linked) / max(len(linked), 1),
                "origin_right": sum(_origin_right(f, member_of) for f in chosen) / max(len(chosen), 1),
                "altered_statements": len(flags),
                "flags_on_spun_side": sum(flags) / max(len(flags), 1),
            }
    return rows


def parent_scores(
    families: Iterable[Family], truth: Truth, segments: dict[int, SegmentForReuse]
) -> dict[str, dict[str, float]]:
    """Per kind of copy made from an original that is in the case and linked
    to it: the share drawn under the original (or under its exact copy: the
    same words reflowed, as close), the share whose parent the evidence
    decided, and, of those drawn under another text, the share drawn dashed
    and the kinds of copy they hang under."""
    member_of = {m.segment: (f, m) for f in families for m in f.members}
    rows: dict[str, dict[str, float]] = {}
    elsewhere: dict[str, Counter[str]] = defaultdict(Counter)
    unparented: Counter[str] = Counter()
    for kind in KINDS:
        judged = []
        for copy, family in truth.family_of.items():
            original = truth.origin_of.get(family)
            if truth.kind_of.get(copy) != kind or original not in member_of or copy not in member_of:
                continue
            if member_of[copy][0].key != member_of[original][0].key:
                continue  # not linked: the pair scores count it
            member = member_of[copy][1]
            if member.parent is None:  # the family's origin is undetermined: no parent is drawn
                unparented[kind] += 1
                continue
            # Under the original, or under its exact copy (the same words, reflowed): as close.
            right = member.parent == original or truth.kind_of.get(member.parent) == "exact"
            judged.append((right, member.parent_basis == "evidence"))
            if not right:
                elsewhere[kind][truth.kind_of.get(member.parent, "other")] += 1
        wrong = [decided for right, decided in judged if not right]
        rows[kind] = {
            "copies": len(judged),  # with a parent drawn
            "without_a_parent": unparented[kind],
            "under_the_original": sum(right for right, _ in judged) / max(len(judged), 1),
            "decided": sum(decided for _, decided in judged) / max(len(judged), 1),
            "dashed_where_not_under_the_original": sum(not d for d in wrong) / max(len(wrong), 1),
            "not_under_the_original": len(wrong),
            "parents_elsewhere": dict(elsewhere[kind]),  # the kind of copy they hang under instead
        }
    return rows


def chain_scores(families: Iterable[Family], truth: Truth) -> dict[str, dict[str, float]]:
    """Per kind of copy made from a rewrite of an original (the corpus's chains): the share drawn
    under that rewrite, the share drawn under the original instead, and the share decided."""
    member_of = {m.segment: m for f in families for m in f.members}
    rows: dict[str, dict[str, float]] = {}
    for kind in CHAIN_KINDS:
        copies = [c for c, k in truth.kind_of.items() if k == kind and c in member_of]
        parented = [member_of[c] for c in copies if member_of[c].parent is not None]
        under = Counter("rewrite" if m.parent == truth.parent_of[m.segment]
                        else "original" if m.parent == truth.family_of[m.segment] else "other" for m in parented)
        share = max(len(parented), 1)
        rows[kind] = {"copies": len(copies), "with_a_parent": len(parented),
                      "under_the_rewrite": under["rewrite"] / share, "under_the_original": under["original"] / share,
                      "elsewhere": under["other"] / share,
                      "decided": sum(m.parent_basis == "evidence" for m in parented) / share}
    return rows


def _direction_right(family: SpunFamily, member_of: dict[int, tuple[Family, FamilyMember]]) -> bool:
    fluent = {family.faithful} | ({family.original} if family.original is not None else set())
    spun_family, spun = member_of[family.spun]
    faithful_family, faithful = member_of[family.faithful]
    return spun_family.key == faithful_family.key and spun.parent in fluent and faithful.parent != family.spun


def _origin_right(family: SpunFamily, member_of: dict[int, tuple[Family, FamilyMember]]) -> bool:
    expected = family.original if family.original is not None else family.faithful
    return member_of[family.faithful][0].origin == expected


def _spun_statements(
    truth: Truth, segments: dict[int, SegmentForReuse], member_of: dict[int, tuple[Family, FamilyMember]]
) -> dict[int, list[Statement]]:
    """The statements of the spun families' segments, merged as the merge
    step does (families and origins from the copy map), by true family."""
    from sourcetrace.voices.merge import merge_statements
    from sourcetrace.voices.statements import extract_from_texts

    ids = sorted(
        i
        for f in truth.spun_families
        for i in (f.faithful, f.spun, f.original)
        if i is not None
    )
    attributions = dict(extract_from_texts((i, segments[i].text) for i in ids))
    families = {i: member_of[i][0].key for i in ids}
    origins = {origin for i in ids if (origin := member_of[i][0].origin) is not None}
    dates = {i: segments[i].published for i in ids}
    merged = merge_statements(attributions, dates, families, origins=origins)
    by_family: dict[int, list[Statement]] = defaultdict(list)
    for statement in merged:
        family = {truth.family_of[o.segment] for o in statement.occurrences}
        if len(family) == 1:
            by_family[family.pop()].append(statement)
    return by_family


def _flag_on_spun(statement: Statement, family: SpunFamily) -> bool | None:
    """Whether the altered flags fall on the spun copy only; None when the
    two copies do not both carry the statement in different words."""
    faithful = [o for o in statement.occurrences if o.segment == family.faithful]
    spun = [o for o in statement.occurrences if o.segment == family.spun]
    if not faithful or not spun or {o.text for o in faithful} == {o.text for o in spun}:
        return None
    return all(o.altered for o in spun) and not any(o.altered for o in faithful)


def markdown(result: dict[str, object]) -> str:
    ours, base = result["copy_map"], result["minhash_0.8"]  # type: ignore[index]
    lines = [
        "| kind | pairs | P | R (kind) | R (any) | F1 | MinHash P | MinHash R | MinHash F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in KINDS:
        o, b = ours["pairs"][kind], base["pairs"][kind]
        lines.append(
            f"| {kind} | {o['pairs']} | {o['precision']:.3f} | {o['recall']:.3f} | {o['recall_any']:.3f} | {o['f1']:.3f} | "
            f"{b['precision']:.3f} | {b['recall_any']:.3f} | {2 * b['precision'] * b['recall_any'] / max(b['precision'] + b['recall_any'], 1e-9):.3f} |"
        )
    o, b = ours["pairs"], base["pairs"]
    lines.append(
        f"| aggregator (found) | {o['aggregator']['pairs']} | | | {o['aggregator']['recall_any']:.3f} | | | {b['aggregator']['recall_any']:.3f} | |"
    )
    lines.append(
        f"| hard negatives linked (want 0) | {o['hard_negative']['pairs']} | | | {o['hard_negative']['linked']:.3f} | | | {b['hard_negative']['linked']:.3f} | |"
    )
    lines.append(
        f"| all predicted pairs: precision | {o['all']['predicted_pairs']} | {o['all']['precision']:.3f} | | | | {b['all']['precision']:.3f} | | |"
    )
    lines.append("")
    lines.append(f"Family ARI: copy map {ours['family_ari']:.3f}, MinHash components {base['family_ari']:.3f}.  ")
    lines.append("")
    lines.append(
        "| origins: families | count | decided | accuracy where decided | accuracy over all | "
        "MinHash + earliest date: decided | accuracy over all |"
    )
    lines.append("|---|---|---|---|---|---|---|")
    labels = {
        "all_dated": "every member dated",
        "original_dated": "original dated, a copy undated",
        "dated_original": "dated original (both rows above)",
        "original_undated": "original undated",
    }
    for name, label in labels.items():
        o, b = ours["origins"][name], base["origins"][name]
        lines.append(
            f"| {label} | {o['families']} | {o['decided_share']:.3f} | {o['accuracy_where_decided']:.3f} | "
            f"{o['accuracy_over_all']:.3f} | {b['decided_share']:.3f} | {b['accuracy_over_all']:.3f} |"
        )
    lines.append("")
    lines.append(
        "| spun families | count | linked | direction right where linked (want >= 0.95) | origin right | "
        "statements altered | altered flags on the spun side |"
    )
    lines.append("|---|---|---|---|---|---|---|")
    for name, row in result["spun"].items():  # type: ignore[attr-defined]
        lines.append(
            f"| {name} | {row['families']} | {row['linked']:.3f} | {row['direction_right']:.3f} | "
            f"{row['origin_right']:.3f} | "
            f"{row['altered_statements']} | {row['flags_on_spun_side']:.3f} |"
        )
    lines.append("")
    lines.append(
        "| parents: copies of an original in the case | with a parent | without (origin undetermined) | under the original (or a word-for-word "
        "copy of it) | parent decided by evidence | elsewhere | of those, dashed | under what instead |"
    )
    lines.append("|---|---|---|---|---|---|---|---|")
    for kind, row in result["parents"].items():  # type: ignore[attr-defined]
        lines.append(
            f"| {kind} | {row['copies']} | {row['without_a_parent']} | {row['under_the_original']:.3f} | {row['decided']:.3f} | "
            f"{row['not_under_the_original']} | {row['dashed_where_not_under_the_original']:.3f} | "
            f"{', '.join(f'{k} {n}' for k, n in sorted(row['parents_elsewhere'].items()))} |"
        )
    lines.append("")
    lines.append("| chains: copies made from a rewrite | copies | with a parent | under the rewrite (want 1) | under the original "
                 "| elsewhere | decided |")
    lines.append("|---|---|---|---|---|---|---|")
    for kind, row in result["chains"].items():  # type: ignore[attr-defined]
        lines.append(f"| {kind} | {row['copies']} | {row['with_a_parent']} | {row['under_the_rewrite']:.3f} | "
                     f"{row['under_the_original']:.3f} | {row['elsewhere']:.3f} | {row['decided']:.3f} |")
    lines.append("")
    lines.append(f"build_copy_map: {result['segments']} segments in {result['seconds']:.1f} s.")
    return "\n".join(lines)


def timing(src_dir: str, target: int, workers: int) -> dict[str, float]:
    """build_copy_map on about ``target`` segments: every other eligible
    Reuters story as a segment of its own, plus copied families."""
    from copy_corpus import eligible_stories
    from reuters_corpus import parse_reuters

    segments, _ = make_corpus(src_dir, originals=max(1, target // 12))
    have = {s.id for s in segments}
    for story in parse_reuters(src_dir):
        if len(segments) >= target:
            break
        if story.newid not in have and len(story.body) > 200:
            segments.append(SegmentForReuse(story.newid, story.body, story.newid, story.date))
    del eligible_stories
    started = time.perf_counter()
    copy_map = build_copy_map(segments, LocalEngine(workers))
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "segments": len(segments),
        "wall_seconds": wall,
        "peak_rss_mb_main": peak,
        "peak_rss_mb_worker": children,
        "relations": len(copy_map.relations),
        "families": len(copy_map.families),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("src_dir")
    parser.add_argument("--originals", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--spun", type=int, default=None, help="spun families (default: originals / 2)")
    parser.add_argument("--chains", type=int, default=None, help="copies made from a rewrite (default: originals / 4)")
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        help="also time build_copy_map on about this many segments",
    )
    parser.add_argument("--out", default=str(Path(__file__).parent / "out" / "copy_accuracy.json"))
    args = parser.parse_args()
    chains = args.originals // 4 if args.chains is None else args.chains
    segments, truth = make_corpus(args.src_dir, args.originals, args.seed, args.spun, chains)
    result = evaluate(segments, truth, args.workers)
    if args.scale:
        result["timing"] = timing(args.src_dir, args.scale, args.workers)
    print(markdown(result))
    if "timing" in result:
        print("\nTiming:", json.dumps(result["timing"]))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
