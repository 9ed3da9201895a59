"""CPU time of each component of the statements step's spaCy pipeline, for the installed spaCy.

    python bench/spacy_speed.py [--stories N] [--repeats R]

Parses what the pre-filter keeps of the first N Reuters-21578 stories (the
text the statements step gives spaCy), one component at a time, and prints
each component's CPU seconds (best of R) with spaCy's version. Run it in two
environments that differ only in spaCy's version to compare releases on the
same model: that is how the pin in pyproject.toml was chosen
(docs/benchmarks.md, "spaCy version").
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import spacy  # noqa: E402
from reuters_corpus import body_paragraphs, parse_reuters  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from sourcetrace.voices.nlp import load_nlp  # noqa: E402
from sourcetrace.voices.statements import parse_spans  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578"


def component_seconds(nlp: Language, pieces: list[str], repeats: int) -> dict[str, float]:
    """Best CPU seconds of each component over ``pieces``, the earlier components run untimed first."""
    best: dict[str, float] = {}
    for _ in range(repeats):
        docs: list[Doc] = [nlp.make_doc(piece) for piece in pieces]
        for name, component in nlp.pipeline:
            started = time.process_time()
            docs = list(component.pipe(docs, batch_size=64)) if hasattr(component, "pipe") else [component(d) for d in docs]
            best[name] = min(best.get(name, float("inf")), time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--stories", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    # As the benchmark pages give them: paragraphs, not the collection's hard-wrapped lines.
    texts = ["\n\n".join(body_paragraphs(story.body))
             for _, story in zip(range(args.stories), parse_reuters(args.corpus), strict=False)]
    pieces = [text[start:end] for text in texts for start, end in parse_spans(text)]
    seconds = component_seconds(load_nlp(), pieces, args.repeats)
    print(f"spaCy {spacy.__version__}: {len(texts)} stories, {sum(map(len, pieces)):,} characters parsed")
    for name, value in seconds.items():
        print(f"  {name:24} {value:6.2f} s CPU")
    print(f"  {'all':24} {sum(seconds.values()):6.2f} s CPU")


if __name__ == "__main__":
    main()
