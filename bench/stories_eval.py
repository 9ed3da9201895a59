"""How well stories group the reports of one event and keep other events apart, against TF-IDF.

    python bench/stories_eval.py ../shared/corpora/reuters21578 [--originals 300] [--seeds 7 11] [--workers 2]
    OPENBLAS_NUM_THREADS=1 python bench/stories_eval.py ../shared/corpora/reuters21578 --speed   # 19k stories

Corpus: bench/story_corpus.py, built at run time from Reuters-21578: each
original with its copies (exact, near-exact, excerpt, spun rewrites) and 0
to 2 independent reports of its event is one true story; hard negatives are
real stories of the same topic and day, and of the same topic and place 2 to
10 days apart. Aggregator pages are left out (a page carrying three stories
belongs to none of them alone).

Ours: the copy map (build_copy_map) makes the families, then
``build_stories`` clusters them; a segment in no story is a story of one.
Baseline: TF-IDF cosine over the segments' texts, average-linkage
clustering, at its best threshold on each seed (an oracle choice that favours
it). The first seed tunes ours (the threshold sweep is printed); the others
are held out. Scores: B-cubed precision, recall and F1 over every segment,
and over every segment but the ambiguous negatives (see story_corpus.py).
``--speed``: features and clustering over all Reuters stories (time, peak
RSS), and spaCy NER alone on 1,000 of them for comparison.

Prints Markdown tables and writes bench/out/stories_eval.json (stories_speed.json).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import numpy as np
from reuters_corpus import parse_reuters
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from story_corpus import make_story_corpus

from sourcetrace.engines import LocalEngine
from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.copymap import build_copy_map
from sourcetrace.stories.stories import StorySegment, build_stories, outlets_of
from sourcetrace.stories.story_clusters import ClusterSettings
from sourcetrace.stories.story_features import SegmentText, StoryFeatures, StoryFeatureStep

THRESHOLDS = (0.10, 0.14, 0.18, 0.22, 0.26, 0.30, 0.35, 0.40)
BASELINE_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 19))


def bcubed(predicted: Mapping[int, int], truth: Mapping[int, int]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering (item -> cluster) against the truth."""
    clusters: dict[int, set[int]] = defaultdict(set)
    classes: dict[int, set[int]] = defaultdict(set)
    for item, cluster in predicted.items():
        clusters[cluster].add(item)
        classes[truth[item]].add(item)
    precision = recall = 0.0
    for item in predicted:
        both = len(clusters[predicted[item]] & classes[truth[item]])
        precision += both / len(clusters[predicted[item]])
        recall += both / len(classes[truth[item]])
    precision, recall = precision / len(predicted), recall / len(predicted)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall)}


def restricted(predicted: Mapping[int, int], truth: Mapping[int, int],
               left_out: frozenset[int]) -> tuple[dict[int, int], dict[int, int]]:
    """The clustering and the truth over every segment but ``left_out``."""
    return ({i: c for i, c in predicted.items() if i not in left_out},
            {i: c for i, c in truth.items() if i not in left_out})


def story_segments(segments: Sequence[SegmentForReuse], workers: int) -> tuple[list[StorySegment], float]:
    """The segments with their families from the real copy map, and its time."""
    started = time.perf_counter()
    copy_map = build_copy_map(segments, LocalEngine(workers))
    seconds = time.perf_counter() - started
    family_of = {m.segment: f.key for f in copy_map.families for m in f.members}
    origins = {f.origin for f in copy_map.families}
    return [StorySegment(s.id, family_of.get(s.id, s.id), s.title, s.published, s.credit,
                         *outlets_of(s.url, None, s.credit), s.id in origins, s.text[:200]) for s in segments], seconds


def features_of(segments: Sequence[SegmentForReuse]) -> dict[int, StoryFeatures]:
    step = StoryFeatureStep()
    return {s.id: step.process(SegmentText(s.id, s.title, s.text)) for s in segments}


def ours(listed: Sequence[StorySegment], features: Mapping[int, StoryFeatures],
         settings: ClusterSettings) -> dict[int, int]:
    predicted = {s.id: s.id for s in listed}
    for story in build_stories(listed, features, settings):
        predicted.update({segment: story.id for segment in story.segments})
    return predicted


def baseline(segments: Sequence[SegmentForReuse]) -> dict[float, dict[int, int]]:
    """TF-IDF cosine over the segments, average linkage: the clustering at every threshold tried."""
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([s.text for s in segments])
    distances = 1.0 - (vectors @ vectors.T).toarray()
    np.clip(distances, 0.0, 1.0, out=distances)
    found = {}
    for threshold in BASELINE_THRESHOLDS:
        model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                        distance_threshold=1.0 - threshold)
        found[threshold] = {s.id: int(label) for s, label in zip(segments, model.fit_predict(distances))}
    return found


def best_of(clusterings: Mapping[float, Mapping[int, int]], truth: Mapping[int, int],
            left_out: frozenset[int]) -> dict[str, object]:
    """The baseline at its best threshold for these items (an oracle choice)."""
    scored = {t: bcubed(*restricted(p, truth, left_out)) for t, p in clusterings.items()}
    best = max(scored, key=lambda t: scored[t]["f1"])
    return {"threshold": best, **scored[best]}


def evaluate_seed(src: str, originals: int, seed: int, workers: int,
                  settings: ClusterSettings, tune: bool) -> dict[str, object]:
    corpus = make_story_corpus(src, originals, seed)
    segments, story_of = corpus.segments, corpus.story_of
    listed, copy_map_seconds = story_segments(segments, workers)
    started = time.perf_counter()
    features = features_of(segments)
    predicted = ours(listed, features, settings)
    seconds = time.perf_counter() - started
    families = {s.id: s.family for s in listed}
    tfidf = baseline(segments)
    result: dict[str, object] = {
        "seed": seed, "segments": len(segments), "true_stories": len(set(story_of.values())),
        "hard_negative_pairs": len(corpus.hard_negative_pairs), "ambiguous_negatives": len(corpus.ambiguous),
        "kinds": dict(Counter(corpus.kind_of.values())), "copy_map_seconds": round(copy_map_seconds, 1),
        "stories_seconds": round(seconds, 2),
    }
    for name, left_out in (("all", frozenset[int]()), ("unambiguous", corpus.ambiguous)):
        result[name] = {"ours": bcubed(*restricted(predicted, story_of, left_out)),
                        "families_only": bcubed(*restricted(families, story_of, left_out)),
                        "baseline": best_of(tfidf, story_of, left_out)}
    if tune:
        result["sweep"] = {str(t): round(bcubed(*restricted(ours(listed, features, replace(settings, threshold=t)),
                                                            story_of, corpus.ambiguous))["f1"], 4)
                           for t in THRESHOLDS}
    return result


def speed(src: str) -> dict[str, float]:
    """Features and clustering over every Reuters story with a body, each a family of its own."""
    stories = list(parse_reuters(src))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    step = StoryFeatureStep()
    features = {s.newid: step.process(SegmentText(s.newid, s.title, s.body)) for s in stories}
    feature_seconds = time.perf_counter() - started
    listed = [StorySegment(s.newid, s.newid, s.title, s.date or None, None, None, None, True, s.body[:200])
              for s in stories]  # one outlet (the wire) and no credit lines: no registry needed
    started = time.perf_counter()
    found = build_stories(listed, features)
    cluster_seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"segments": len(stories), "feature_seconds": round(feature_seconds, 1),
            "cluster_seconds": round(cluster_seconds, 1), "stories": len(found),
            "peak_rss_mb": round(peak / 1024), "peak_rss_growth_mb": round((peak - before) / 1024),
            **ner_comparison([s.body for s in stories[:NER_SAMPLE]])}


NER_SAMPLE = 1000


def ner_comparison(texts: Sequence[str]) -> dict[str, float]:
    """Seconds per 1,000 segments on one core: our features against spaCy's NER alone (en_core_web_sm)."""
    import spacy

    from sourcetrace.voices.nlp import model_name

    step = StoryFeatureStep()
    started = time.perf_counter()
    for i, text in enumerate(texts):
        step.process(SegmentText(i, None, text))
    ours_seconds = time.perf_counter() - started
    nlp = spacy.load(model_name(), exclude=["parser", "lemmatizer", "attribute_ruler", "senter"])
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    ner_seconds = time.perf_counter() - started
    scale = 1000 / len(texts)
    return {"features_s_per_1000": round(ours_seconds * scale, 2), "spacy_ner_s_per_1000": round(ner_seconds * scale, 2),
            "ner_over_features": round(ner_seconds / ours_seconds, 1)}


def _table(results: list[dict[str, object]]) -> str:
    lines = ["| seed | role | negatives | segments | ours P | R | F1 | families only F1 | "
             "TF-IDF avg-link P | R | F1 (best threshold) |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for i, r in enumerate(results):
        for name in ("unambiguous", "all"):
            scores = r[name]
            assert isinstance(scores, dict)
            o, f, b = scores["ours"], scores["families_only"], scores["baseline"]
            lines.append(f"| {r['seed']} | {'tuning' if i == 0 else 'held out'} | {name} | {r['segments']} | "
                         f"{o['precision']:.3f} | {o['recall']:.3f} | **{o['f1']:.3f}** | {f['f1']:.3f} | "
                         f"{b['precision']:.3f} | {b['recall']:.3f} | {b['f1']:.3f} ({b['threshold']}) |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src")
    parser.add_argument("--originals", type=int, default=300)
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 11])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--speed", action="store_true", help="only time the 19k Reuters stories")
    args = parser.parse_args()
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    if args.speed:
        figures = speed(args.src)
        print(json.dumps(figures, indent=2))
        (out / "stories_speed.json").write_text(json.dumps(figures, indent=2))
        return 0
    settings = ClusterSettings()
    results = [evaluate_seed(args.src, args.originals, seed, args.workers, settings, tune=i == 0)
               for i, seed in enumerate(args.seeds)]
    print(_table(results))
    print("\nthreshold sweep (tuning seed, ours):", results[0].get("sweep"))
    (out / "stories_eval.json").write_text(json.dumps({"settings": asdict(settings), "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
