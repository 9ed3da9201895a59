"""Take a PNG screenshot of every view of the HTML report and of the app.

    python scripts/screenshots.py [CASE] [--out screenshots/]

Without CASE, builds a case from the demo corpus in a temporary folder. Needs
Debian's Chromium (/usr/bin/chromium) and the playwright Python package.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from sourcetrace.cli import read_claims_file
from sourcetrace.report.html import write_report
from sourcetrace.runner import RunOptions, demo_claims_path, demo_corpus_path, run_case
from sourcetrace.store import CaseReader
from sourcetrace.web.app import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def interesting_views(case: Path) -> list[tuple[str, str]]:
    """(name, hash) of each view, pointed at the largest family and its copies."""
    db = sqlite3.connect(case.resolve().as_uri() + "?mode=ro", uri=True)
    family = db.execute("SELECT id FROM families ORDER BY size DESC, id LIMIT 1").fetchone()
    views = [("overview", "#/overview"), ("families", "#/families"), ("problems", "#/problems"),
             ("search-kind", "#/search?kind=rewrite"), ("statements", "#/statements"), ("stories", "#/stories"),
             ("timeline", "#/timeline")]
    story = db.execute("SELECT id FROM stories ORDER BY independent_sources DESC, segments DESC, id LIMIT 1").fetchone()
    if story:
        views.append(("story", f"#/story/{story[0]}"))
    claim = db.execute("SELECT claim_id FROM claim_positions GROUP BY claim_id ORDER BY count(*) DESC, claim_id LIMIT 1"
                       ).fetchone() if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'claim_positions'").fetchone() else None
    views.append(("claims", "#/claims"))
    if claim:
        views.append(("claim", f"#/claim/{claim[0]}"))
    if family:
        views.append(("family", f"#/family/{family[0]}"))
        for kind in ("rewrite", "near_exact", "excerpt"):
            row = db.execute("SELECT segment_id, parent_id FROM family_members WHERE kind = ? AND parent_id IS NOT NULL "
                             "ORDER BY family_id LIMIT 1", (kind,)).fetchone()
            if row:
                views.append((f"pair-{kind}", f"#/pair/{row[0]}"))
        document = db.execute("SELECT document_id FROM segments WHERE id = ?", (family[0],)).fetchone()[0]
        views.append(("document", f"#/document/{document}"))
        word = db.execute("SELECT title FROM segments WHERE id = ?", (family[0],)).fetchone()[0] or ""
        views.append(("search", "#/search?q=" + "+".join(word.split()[:2])))
    statement = db.execute("SELECT id FROM statements ORDER BY altered DESC, occurrences DESC LIMIT 1").fetchone()
    if statement:
        views.append(("statement", f"#/statement/{statement[0]}"))
    db.close()
    return views


def shoot(page: Page, url: str, target: Path) -> None:
    page.goto(url)
    page.wait_for_selector("main[aria-busy=false]")
    page.screenshot(path=str(target), full_page=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", nargs="?", type=Path)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        case = args.case
        if case is None:
            case = Path(tmp) / "demo.case"
            claims_file = demo_claims_path()  # as `sourcetrace run` with no input
            claims = tuple(read_claims_file(claims_file)) if claims_file else ()
            run_case([demo_corpus_path()], case, RunOptions(workers=1, claims=claims, find_claims=True))
        report = Path(tmp) / "report.html"
        with CaseReader(case) as reader:
            write_report(reader, report)
        server = make_server(case)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                for name, hash_ in interesting_views(case):
                    shoot(page, report.as_uri() + hash_, args.out / f"report-{name}.png")
                    shoot(page, server.url + hash_, args.out / f"app-{name}.png")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    print(f"screenshots in {args.out}/")


if __name__ == "__main__":
    main()
