"""Views of a case: the JSON export (and, later, the HTML report)."""
