"""sourcetrace: map a pile of collected pages to what was said, by whom, and
how many independent sources stand behind it."""

__version__ = "0.1.0"
