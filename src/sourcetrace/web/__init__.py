"""The local read-only web app (``sourcetrace serve``): JSON routes over CaseReader for the shared viewer.

Nothing here imports report/: what both need (the view records, the viewer's
script and styles) is in sourcetrace.views.
"""
