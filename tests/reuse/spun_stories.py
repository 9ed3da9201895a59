"""A faithful copy of an invented wire story and a machine-spun rewrite of it."""

from __future__ import annotations

FAITHFUL = (
    "Harbour authorities in Velmont closed the northern quay on Tuesday after a crane collapsed onto a "
    "cargo ship, injuring three dock workers. "
    '"We will not reopen the quay until every crane has been inspected," Mirela Dostan, the port director, said. '
    "The crane, installed in 2009, had passed its last inspection in March, according to port records. "
    "Tomas Brenner, a shipping agent, said at least twelve vessels were waiting offshore and that delays "
    "could last a week. "
    "The dock workers' union called for an independent inquiry and said it would meet port officials on Thursday. "
    "Two of the injured workers were released from hospital on Wednesday, the hospital said in a statement. "
    "Insurers estimated the damage to the ship at 4.2 million euros."
)

# Synonyms swapped, and the marks spinners leave: " ," and " .", a doubled
# word, a name split off its sentence, a stranded "It said.", a tortured phrase.
SPUN = (
    "Harbour specialists in Velmont shut the northern quay on Tuesday after a crane fell onto a "
    "freight ship , harming three dock workers. "
    '"We will not resume the quay until each crane has been examined," Mirela Dostan, the port chief, said. '
    "The crane, introduced in 2009, had passed its last review in March, agreeing to port records . "
    "Tomas said. Brenner, a delivery specialist, said at least twelve vessels were holding up seaward and that "
    "delays could last a a week. "
    "The dock workers' association required an autonomous request. It said. It would meet port authorities "
    "on Thursday. "
    "Two of the harmed workers were discharged from emergency clinic on Wednesday, the clinic said in a statement. "
    "Safety net providers assessed the harm to the ship at 4.2 million euros in expansion to fees."
)

ORIGINAL_WIRE = FAITHFUL + "\n\n(Reporting by Ines Varga; editing by Paul Okoro)"
