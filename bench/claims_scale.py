"""The claims steps at scale: N supplied claims against N generated documents (bench/claims_eval.py --scale N).

Generates fictional news texts and claims from templates (places, actors, acts and objects of this
script, all invented), runs ``sourcetrace run`` on them with the claims supplied, and reports the
time of the ``claims`` and ``positions`` steps (from the case's ``run_steps``), the candidate pairs
they assessed, and the positions found; then the time of a second run that adds 1% more claims
(``Case.add_claims``), which must assess only the new ones.

Each document reports two claims (asserted, denied, reported or called a lie) and one act that
states none, among filler sentences; each claim is one act by one actor on one object in one
place, so a claim shares its words with many documents (about 31,000 candidate pairs at N = 900)
and is stated in a few.
"""

from __future__ import annotations

import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from sourcetrace.api import open_case
from sourcetrace.runner import RunOptions, run_case

PLACES = ("Korvo Sefra Dorna Halvik Tarnova Ostrel Kessary Lorn Pellin Abbas Uvan Sarvel Ketta Morna Dunhal Varek "
          "Kastel Nallor Terak Ferra Bellamy Haldor Lisk Arvel Mirel Sennar Duma Varna Brenna Dessaly").split()
ACTORS = ("government troops", "the border police", "the interior ministry", "rebel fighters", "the army",
          "security forces", "the city council", "the mining company", "the water company", "prison guards",
          "the coast guard", "the health ministry", "the electoral commission", "riot police", "the refinery",
          "the central bank", "militia fighters", "the navy", "the customs office", "the secret police")
VERBS = """shelled burned detained tortured deported poisoned rigged beat starved bombed executed censored hid shot
expelled looted evicted closed arrested raided blocked destroyed abducted recruited bribed annexed audited bulldozed
confiscated dismissed dissolved drafted dredged embargoed fined flooded fenced impounded jammed licensed mined
nationalised privatised quarantined rationed relocated renamed sanctioned seized sold subsidised taxed vetoed
wiretapped dammed drained demolished fumigated harvested insured leased logged mortgaged patrolled paved polluted
quarried rebuilt registered repainted resettled rezoned salvaged searched shuttered smuggled surveyed towed trawled
trenched vaccinated""".split()
OBJECTS = """hospital homes journalists detainees refugees river election protesters town market civilians radio
death-toll migrants aid-workers museum villagers schools lawyers newspapers convoys bridge students children judges
farmland accounts slums weapons officials parties conscripts harbour imports traders valley fields depot frequencies
clinics hills banks railways port bread families streets exporters mills refinery quarry pensions budget phones creek
marshes chapels crops warehouses cabins forests farms square roads lake stones temple settlers parks wreck houses
coast trawlers border cattle""".replace("-", " ").split()
FILLER = ("Prices of bread and fuel rose again this week.", "Schools reopened after the holiday.",
          "The weather service forecast heavy rain for the weekend.", "A football match drew a large crowd.",
          "Officials said a new road would open next year.", "Talks between the parties resumed on Monday.",
          "The currency was steady against the dollar.", "A concert raised money for the local hospital.")


def claim_text(rng: random.Random) -> str:
    act, thing = rng.choice(VERBS), rng.choice(OBJECTS)
    return f"{rng.choice(ACTORS).capitalize()} {act} the {thing} in {rng.choice(PLACES)}"


def document(rng: random.Random, claims: list[str]) -> str:
    sentences = []
    for claim in rng.sample(claims, 2):
        frame = rng.choice(("{c}, witnesses said.", "The commission found that {l}.",
                            "The ministry denied that {l}.", "Reports that {l} could not be confirmed.",
                            "\"This is a lie,\" a spokesman said of reports that {l}."))
        sentences.append(frame.format(c=claim, l=claim[0].lower() + claim[1:]))
    for _ in range(1):  # the same words in other combinations: candidates that state nothing
        act, thing = rng.choice(VERBS), rng.choice(OBJECTS)
        sentences.append(f"In {rng.choice(PLACES)}, {rng.choice(ACTORS)} said the {thing} were not {act} by anyone.")
    sentences += rng.sample(FILLER, 4)
    rng.shuffle(sentences)
    return f"Report from {rng.choice(PLACES)}\n\n" + " ".join(sentences) + "\n"


def run_scale(n: int, workers: int = 2, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    claims = sorted({claim_text(rng) for _ in range(n * 3)})[:n]
    rng.shuffle(claims)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        pages = root / "pages"
        pages.mkdir()
        for i in range(n):
            (pages / f"doc{i:05d}.txt").write_text(document(rng, claims), encoding="utf-8")
        case = root / "scale.case"
        started = time.perf_counter()
        run_case([pages], case, RunOptions(workers=workers, claims=tuple(claims), find_claims=True))
        whole = time.perf_counter() - started
        first = _steps(case, 1)
        extra = [claim_text(rng) + " last year" for _ in range(max(1, n // 100))]
        started = time.perf_counter()
        with open_case(case) as opened:
            opened.add_claims(extra, RunOptions(workers=workers))
            listed = opened.claims()
        added = time.perf_counter() - started
        second = _steps(case, 2)
    return {"claims": n, "documents": n, "workers": workers, "run_seconds": round(whole, 1),
            "claims_steps_seconds": round(sum(s["seconds"] for s in first.values()
                                              if s["step"] in ("claims", "positions")), 1),
            "steps": first, "add_claims": {"claims": len(extra), "seconds": round(added, 1), "steps": second},
            "claims_in_case": len(listed)}


def _steps(case: Path, run_id: int) -> dict[str, Any]:
    with sqlite3.connect(case) as db:
        rows = db.execute("SELECT step, seconds, cpu_seconds, records, counters FROM run_steps WHERE run_id = ?"
                          " ORDER BY ordinal", (run_id,)).fetchall()
    return {step: {"step": step, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "records": records,
                   "counters": json.loads(counters)} for step, seconds, cpu, records, counters in rows}
