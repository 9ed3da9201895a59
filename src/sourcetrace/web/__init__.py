"""The local web app (``sourcetrace serve``) and the view data it shares with the HTML report."""
