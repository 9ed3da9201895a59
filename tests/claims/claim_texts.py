"""Fictional news texts for the claims tests, written for this project: one wire story carried by
many syndicated copies, two reports written independently, the accused's denial, and a page on
the same topic that states nothing about the claim."""

from __future__ import annotations

CLAIM = "Vardenian artillery shelled the children's hospital in Korvo"

WIRE = """KORVO (Northwire) - Vardenian artillery shelled the children's hospital in Korvo overnight, destroying the maternity wing and killing two nurses, hospital staff said on Wednesday.

Doctors moved about forty young patients into the basement as the shelling continued until dawn. "We heard the first shell at two in the morning and then they did not stop," said Dr Lena Ostrova, the hospital's director.

The regional council said it would send engineers to assess whether the building could still be used."""

REPORT_A = """Staff at Korvo's children's hospital were still clearing rubble on Thursday. Inspectors from the Council of Nations concluded that Vardenian artillery shelled the children's hospital in Korvo, after examining shell fragments found in the courtyard.

The hospital's generator was hit as well, and patients were taken to a school across the river."""

REPORT_B = """In a report published on Friday, the monitoring group Open Watch said it was highly likely that the shelling of the children's hospital in Korvo was carried out by Vardenian artillery positioned east of the town.

The group said it had interviewed eleven members of staff and studied satellite images taken the next morning."""

DENIAL = """Vardenia's defence ministry denied on Thursday that its artillery had shelled the children's hospital in Korvo. A ministry spokesman said Vardenian units had not fired on the town that night.

The ministry said it would publish its own account of the fighting next week."""

SAME_TOPIC = """The health ministry announced that a new children's hospital will open in Korvo next spring, with 120 beds and a neonatal unit. Vardenian engineers will build it."""
