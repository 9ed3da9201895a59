"""Stories, the sources registry and the timeline: what happened, who reported it, and when."""
