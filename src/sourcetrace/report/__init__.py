"""Views of a case for people: terminal renderings, the JSON export, the HTML report and trace.

Everything here reads through sourcetrace.store.CaseReader and renders the
records of sourcetrace.views; nothing here imports the web app.
"""
