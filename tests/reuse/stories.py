"""Fictional news texts for the copy-map tests, written for this project.

Story A is a wire story about a reservoir release; the other A texts copy it
in each of the ways the copy map tells apart, except ``INDEPENDENT``, a
different report of the same event that quotes the same press-conference
lines (the hard negative). Story B is unrelated; ``ROUNDUP`` is an
aggregator page that carries both stories.
"""

from __future__ import annotations

ORIGINAL = """HALVERSTAD, March 3 (Northwire) - Engineers opened all six floodgates of the Varno reservoir on Tuesday after four days of heavy rain pushed the water level to within 40 centimetres of the crest, the regional water authority said.

About 2,300 residents of the villages of Lintu and Osterby were told to leave their homes before dawn, and police closed the coastal road between Halverstad and Marrick for most of the day.

"We opened the gates to save the dam, not to flood the valley," Water Minister Ilse Karvonen told a news conference in Halverstad. "Every family downstream was warned in time."

The authority said the release peaked at 1,150 cubic metres per second shortly after noon, the highest since the reservoir was completed in 1987.

Farmers in the lower Varno valley said fields of winter barley were under water by the afternoon. Tomas Rellig, who grows potatoes near Osterby, said the water reached his barn within two hours.

Karvonen said the government would pay emergency grants of 1,500 crowns to each evacuated household and would review the reservoir's operating rules once the water had receded.

The opposition Green Alliance demanded an inquiry into why the water level had been allowed to rise so high before the release began. Its leader, Pia Sorensen, said the authority had ignored forecasts issued on Friday.

The meteorological office expects the rain to ease on Thursday, but warned that a second band of storms could reach the coast at the weekend."""

# The same text as another site prints it: curly quotes, an en dash, other line breaks.
EXACT_COPY = (
    ORIGINAL.replace(" - ", " \u2013 ", 1)
    .replace('"We', "\u201cWe")
    .replace('valley,"', "valley,\u201d")
    .replace('"Every', "\u201cEvery")
    .replace('time."', "time.\u201d")
    .replace("reservoir's", "reservoir\u2019s")
    .replace("\n\n", "\n")
)

# Small edits: credit dropped, two typos, the last sentence changed, one sentence added.
NEAR_EXACT = (
    ORIGINAL.replace("HALVERSTAD, March 3 (Northwire) - ", "HALVERSTAD - ")
    .replace("Engineers opened", "Enginers opened")
    .replace("emergency grants", "emergancy grants")
    .replace(
        "The meteorological office expects the rain to ease on Thursday, but warned that a second band "
        "of storms could reach the coast at the weekend.",
        "Forecasters expect the rain to ease by Thursday. Schools in the lower valley will stay closed "
        "on Wednesday, the regional council said.",
    )
)

# The first three paragraphs.
EXCERPT = "\n\n".join(ORIGINAL.split("\n\n")[:3])

# Spun sentence by sentence: synonym swaps, a garbled attribution, an altered quote.
REWRITE = """HALVERSTAD - Technicians unfastened each of the six sluice gates of the Varno impoundment on Tuesday after four days of torrential downpour drove the water height to inside 40 centimetres of the summit, the provincial water body stated.

Roughly 2,300 inhabitants of the hamlets of Lintu and Osterby were instructed to vacate their houses before daybreak, and law enforcement shut the seaside highway connecting Halverstad and Marrick for the majority of the day.

"We unlocked the gates to rescue the dam, not to inundate the vale," Water Minister Ilse Karvonen informed a press meeting in Halverstad. "Each household downstream was cautioned on schedule."

The body stated the discharge crested at 1,150 cubic metres each second soon after midday, the greatest since the impoundment was finalised in 1987.

Growers in the lower Varno vale stated plots of winter barley were submerged by the late afternoon. Tomas Rellig, who cultivates potatoes close to Osterby, stated the water arrived at his barn inside two hours.

Karvonen stated the administration would disburse crisis subsidies of 1,500 crowns to every evacuated family and would reassess the impoundment's working regulations once the water had withdrawn.

The opposition Green Alliance requested an investigation into why the water height had been permitted to climb so high prior to the discharge starting. Its chief, Pia Sorensen, stated the body had disregarded predictions released on Friday.

The weather bureau anticipates the downpour to relent on Thursday, yet cautioned that a 2nd band of tempests might arrive at the shoreline at the weekend."""

# Same event, own reporting, same press-conference lines: NOT derived.
INDEPENDENT = """Residents of two villages below the Varno dam spent Tuesday night in school gyms and with relatives after the authorities ordered an early-morning evacuation.

In Lintu, volunteers from the fire brigade went door to door at 4 a.m. Many older residents refused to leave until they saw the water rising in the lanes, said Marta Juhl, who runs the village shop.

At an afternoon briefing in Halverstad, Water Minister Ilse Karvonen defended the decision to open the floodgates. "We opened the gates to save the dam, not to flood the valley," she said. "Every family downstream was warned in time."

Critics were not convinced. Hydrologist Jonas Ekdahl of Marrick University said the reservoir had been kept too full through February, leaving no room for a storm that forecasters had seen coming.

The water authority has not said how long the gates will remain open. Shops in Osterby stayed shut, and the coastal road to Marrick was reopened only late in the evening.

The regional council will meet on Friday to discuss compensation for flooded farms and for the barley crop lost in the lower valley."""

STORY_B = """DUNMORE, March 3 - A court in Dunmore on Tuesday sentenced a former harbour master to six years in prison for taking bribes to wave through shipments of undeclared cigarettes.

Judge Helena Ostrova said Viktor Lamm, 58, had accepted at least 240,000 crowns over three years from a shipping agent in exchange for skipping inspections of containers arriving from Baltport.

Prosecutors said the scheme cost the treasury more than 9 million crowns in unpaid excise duty. The shipping agent, Ruben Kask, was jailed for four years in a separate trial last autumn.

Lamm's lawyer, Edgar Tamm, said his client would appeal. "The court relied on the word of a convicted smuggler," he told reporters outside the courthouse.

The port authority said it had since introduced random rotation of inspectors and electronic seals on all containers landed at Dunmore."""

B_COPY = STORY_B.replace("DUNMORE, March 3 - ", "").replace("on Tuesday sentenced", "sentenced")

# An aggregator page that the splitter failed to cut: story A, then story B.
ROUNDUP = "News in brief\n\n" + ORIGINAL + "\n\nIn other news\n\n" + STORY_B

(
    ORIGINAL_ID,
    EXACT_ID,
    NEAR_ID,
    EXCERPT_ID,
    REWRITE_ID,
    INDEPENDENT_ID,
    B_ID,
    B_COPY_ID,
    ROUNDUP_ID,
) = range(1, 10)


def case_segments() -> list:
    """The texts above as a case's segments: the wire story first (on the
    agency's own site), copies later, the roundup last."""
    from sourcetrace.records import SegmentForReuse

    return [
        SegmentForReuse(
            ORIGINAL_ID,
            ORIGINAL,
            1,
            "2024-03-03T09:00:00",
            "Northwire",
            url="https://www.northwire.example/varno",
        ),
        SegmentForReuse(
            EXACT_ID,
            EXACT_COPY,
            2,
            "2024-03-03T11:30:00",
            "Northwire",
            url="https://daily.example/flood",
        ),
        SegmentForReuse(NEAR_ID, NEAR_EXACT, 3, "2024-03-04"),
        SegmentForReuse(EXCERPT_ID, EXCERPT, 4, "2024-03-04"),
        SegmentForReuse(REWRITE_ID, REWRITE, 5, "2024-03-05"),
        SegmentForReuse(INDEPENDENT_ID, INDEPENDENT, 6, "2024-03-03"),
        SegmentForReuse(B_ID, STORY_B, 7, "2024-03-03"),
        SegmentForReuse(B_COPY_ID, B_COPY, 8, "2024-03-04"),
        SegmentForReuse(ROUNDUP_ID, ROUNDUP, 9, "2024-03-05"),
    ]
