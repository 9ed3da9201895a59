"""The hostile content corpus at full size (issue 15, point 4): write it, run
``sourcetrace run`` on it, and check that the run completes, that every input
is recorded (as documents, or as a problem saying why) and how much memory
and time it took.

    python bench/hostile_corpus.py [--tiny 1000000] [--bomb-gb 10] [--line-mb 10] [--cell-mb 100]
                                   [--workers 2] [--folder DIR] [--keep]

The corpus (tests/ingest/readers/hostile_files.py writes each file, streaming):

- bomb.warc.gz: a page, then a response record of BOMB GB of spaces in one
  gzip member (about 1,000:1), then a page after it;
- encoded-bomb.warc: a response whose HTTP Content-Encoding is gzip over BOMB GB
  of zeros, between two pages;
- newline-bomb.jsonl.gz: 1 GiB of newlines in 1 MB of gzip;
- one-line.txt and one-line.html: LINE MB on one line each;
- tiny/: TINY tiny text files in one folder;
- names/: files named with bidi overrides (U+202E...), terminal escapes, a
  bell, tab, newline and carriage return, and script; their titles and
  speakers carry the same (a quote whose speaker is ``<img src=x onerror=...>``);
- big-cell.csv: a row whose text cell is CELL MB, between two rows;
- PDFs: a page tree that contains itself, a form that draws itself, a content
  stream of 100,000 nested arrays, a million-page tree of three objects (its
  /Count honest, and claiming one page), and 10,001 real pages claiming three.

Peak memory: ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` after the run,
the largest resident set of any one process of it (the run and each worker,
all waited for); and, sampled every half second from /proc, the sum over all
the run's processes at once. Prints a table per group of inputs and writes
bench/out/hostile.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.ingest.readers.hostile_files

from tests.ingest.readers import hostile_files as hostile  # noqa: E402

OUT = ROOT / "bench" / "out" / "hostile.json"
MIB = 2**20


@dataclass
class Group:
    """One kind of hostile input: its files and what the case recorded for them."""

    name: str
    files: int = 0
    bytes: int = 0
    recorded: int = 0  # files with an input record
    with_documents: int = 0
    with_problems: int = 0
    lost: int = 0  # files with neither documents nor a problem
    documents: int = 0
    problems: dict[str, int] = field(default_factory=dict)  # reason -> count
    example: str = ""  # one problem message


def write_corpus(folder: Path, args: argparse.Namespace) -> dict[str, float]:
    """Write every hostile input into ``folder``; the seconds each group took."""
    seconds: dict[str, float] = {}

    def timed(name: str, write: object) -> None:
        started = time.monotonic()
        assert callable(write)
        write()
        seconds[name] = round(time.monotonic() - started, 1)
        print(f"  wrote {name} in {seconds[name]} s", flush=True)

    bomb = int(args.bomb_gb * 2**30)
    timed("bomb.warc.gz", lambda: hostile.write_gzip_bomb_warc(folder / "bomb.warc.gz", bomb))
    timed("encoded-bomb.warc", lambda: hostile.write_content_encoding_bomb_warc(folder / "encoded-bomb.warc", bomb))
    timed("newline-bomb.jsonl.gz", lambda: _newline_bomb(folder / "newline-bomb.jsonl.gz", 2**30))
    timed("one-line", lambda: hostile.write_long_lines(folder, int(args.line_mb * MIB)))
    timed("tiny", lambda: hostile.write_tiny_files(folder, args.tiny))
    timed("names", lambda: hostile.write_hostile_names(folder))
    timed("big-cell.csv", lambda: hostile.write_big_cell_csv(folder / "big-cell.csv", int(args.cell_mb * MIB)))
    pdfs = {
        "page-tree-cycle.pdf": hostile.pdf_page_tree_cycle,
        "form-recursion.pdf": hostile.pdf_form_recursion,
        "nested-arrays.pdf": lambda: hostile.pdf_nested_arrays(100_000),
        "million-pages.pdf": lambda: hostile.pdf_page_bomb(1000),
        "million-pages-claims-one.pdf": lambda: hostile.pdf_page_bomb(1000, claimed=1),
        "many-pages-claims-three.pdf": lambda: hostile.pdf_many_pages(10_001, claimed=3),
    }
    timed("pdf", lambda: [(folder / name).write_bytes(make()) for name, make in pdfs.items()])
    return seconds


def _newline_bomb(path: Path, count: int) -> None:
    with gzip.open(path, "wb", compresslevel=9) as out:
        block = b"\n" * (16 * MIB)
        for _ in range(count // len(block)):
            out.write(block)


def group_of(relative: str) -> str:
    top = relative.split(os.sep, 1)[0]
    if top in ("tiny", "names"):
        return top
    if top.endswith(".pdf"):
        return "pdf"
    if top.startswith("one-line"):
        return "one-line"
    return top


class TreeMemory:
    """Samples the summed RSS of every process in a session (the run and its workers)."""

    def __init__(self, session: int) -> None:
        self.session = session
        self.peak_kib = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            total = processes = 0
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[3]) != self.session:
                        continue
                    status = Path(f"/proc/{entry}/status").read_text()
                except (OSError, ValueError, IndexError):
                    continue
                rss = next((line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")), "0")
                total += int(rss)
                processes += 1
            if total > self.peak_kib:
                self.peak_kib, self.peak_processes = total, processes


def run_case(folder: Path, case: Path, args: argparse.Namespace) -> dict[str, object]:
    command = [sys.executable, "-m", "sourcetrace", "run", "--case", str(case), "--workers", str(args.workers),
               "--max-document-mb", str(args.max_document_mb), "--quiet", str(folder)]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    tree = TreeMemory(process.pid)
    stdout, stderr = process.communicate()
    seconds = time.monotonic() - started
    tree.stop()
    return {
        "command": " ".join(command),
        "returncode": process.returncode,
        "seconds": round(seconds, 1),
        "peak_rss_one_process_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "peak_rss_all_processes_mib": round(tree.peak_kib / 1024, 1),
        "processes_at_that_peak": tree.peak_processes,
        "stdout": stdout[-2000:],
        "stderr": stderr[-4000:],
    }


def check_case(folder: Path, case: Path) -> tuple[dict[str, Group], list[str]]:
    groups: dict[str, Group] = {}
    on_disk: dict[str, int] = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            on_disk[path] = os.stat(path).st_size
    with closing(sqlite3.connect(case)) as db:
        inputs = {path: key for key, path in db.execute("SELECT id, path FROM inputs")}
        documents = dict(db.execute("SELECT input_id, count(*) FROM documents GROUP BY input_id"))
        problems: dict[str, list[tuple[str, str]]] = {}
        for path, reason, message in db.execute("SELECT path, reason, message FROM problems ORDER BY id"):
            problems.setdefault(path, []).append((reason, message))
    lost = []
    for path, size in sorted(on_disk.items()):
        group = groups.setdefault(group_of(os.path.relpath(path, folder)), Group(group_of(os.path.relpath(path, folder))))
        group.files += 1
        group.bytes += size
        key = inputs.get(path)
        found = documents.get(key, 0) if key is not None else 0
        said = problems.get(path, [])
        group.recorded += key is not None
        group.documents += found
        group.with_documents += found > 0
        group.with_problems += bool(said)
        for reason, message in said:
            group.problems[reason] = group.problems.get(reason, 0) + 1
            group.example = group.example or f"{os.path.relpath(path, folder)!r}: {reason}: {message}"
        if key is None or (found == 0 and not said):
            group.lost += 1
            lost.append(path)
    return groups, lost


def hostile_speakers(case: Path) -> dict[str, int]:
    """How the hostile names came through: statements and texts carrying them, as text."""
    with closing(sqlite3.connect(case)) as db:
        return {
            "statements": db.execute("SELECT count(*) FROM statements").fetchone()[0],
            "statements_with_markup_in_speaker": db.execute(
                "SELECT count(*) FROM statements WHERE speaker LIKE '%<%'").fetchone()[0],
            "documents_with_script_in_text": db.execute(
                "SELECT count(*) FROM documents WHERE text LIKE '%onerror=%' OR text LIKE '%<script>%'").fetchone()[0],
            "documents_with_bidi_override": db.execute(
                "SELECT count(*) FROM documents WHERE instr(text, char(8238)) OR instr(title, char(8238))").fetchone()[0],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", type=int, default=1_000_000, help="tiny files in one folder")
    parser.add_argument("--bomb-gb", type=float, default=10.0, help="decompressed size of each gzip bomb")
    parser.add_argument("--line-mb", type=float, default=10.0, help="length of the single-line text and HTML")
    parser.add_argument("--cell-mb", type=float, default=100.0, help="size of the CSV's huge cell")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-document-mb", type=float, default=50.0)
    parser.add_argument("--folder", type=Path, help="where to write the corpus (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and the case")
    args = parser.parse_args()

    root = args.folder or Path(tempfile.mkdtemp(prefix="hostile-"))
    folder = root / "corpus"
    folder.mkdir(parents=True)
    case = root / "hostile.case"
    print(f"writing the corpus into {folder}", flush=True)
    started = time.monotonic()
    written = write_corpus(folder, args)
    write_seconds = round(time.monotonic() - started, 1)
    print(f"running sourcetrace on it ({args.workers} workers)", flush=True)
    run = run_case(folder, case, args)
    groups, lost = check_case(folder, case)
    speakers = hostile_speakers(case)

    print(f"\nrun: exit {run['returncode']}, {run['seconds']} s; peak RSS {run['peak_rss_one_process_mib']} MiB in one "
          f"process, {run['peak_rss_all_processes_mib']} MiB summed over {run['processes_at_that_peak']} processes")
    header = f"{'group':<22} {'files':>9} {'MiB':>9} {'recorded':>9} {'docs':>9} {'problem':>8} {'lost':>5}  reasons"
    print(header)
    print("-" * len(header))
    for group in groups.values():
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(group.problems.items()))
        print(f"{group.name:<22} {group.files:>9,} {group.bytes / MIB:>9.1f} {group.recorded:>9,} {group.documents:>9,} "
              f"{group.with_problems:>8,} {group.lost:>5}  {reasons}")
    for group in groups.values():
        if group.example:
            print(f"  {group.name}: {group.example[:300]}")
    print(f"hostile names: {speakers}")
    print("every input recorded" if not lost else f"LOST: {len(lost)} inputs, e.g. {lost[:3]!r}")

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "arguments": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "disk_free_gib": round(shutil.disk_usage(root).free / 2**30, 1),
        "write_seconds": write_seconds,
        "written": written,
        "run": run,
        "groups": [asdict(g) for g in groups.values()],
        "lost": lost[:100],
        "hostile_names": speakers,
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    if run["returncode"] != 0 or lost:
        sys.exit(1)


if __name__ == "__main__":
    main()
