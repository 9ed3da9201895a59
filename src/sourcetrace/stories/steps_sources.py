"""The ``sources`` step of ``sourcetrace run``: the case's outlets and their types.

The registry rests on case-wide joins (an initialism and the name it
abbreviates, a site name and its host) and on the copy map (the behaviour
behind a suggested type), so it is rebuilt whole, on the driver, whenever
the copy map or the shipped lists changed since it was built. That is one
pass over the kept segments: cheap next to the steps that feed it. What the
user set is stored apart and never read or written here.
"""

from __future__ import annotations

from sourcetrace.pipeline import PipelineStep, RunContext
from sourcetrace.store.write_sources import replace_sources, segment_facts, sources_are_current, sources_version
from sourcetrace.stories.sources import known_outlets
from sourcetrace.stories.sources_build import build_sources


class BuildSources(PipelineStep):
    name = "sources"

    def run(self, context: RunContext) -> None:
        store, engine = context.store, context.engine
        known = known_outlets()
        version = sources_version(store, known.digest)
        if sources_are_current(store, version):
            return
        context.progress.phase("registering sources", None)
        facts = segment_facts(store)
        sources = engine.on_driver(self.name, lambda: build_sources(facts, known))
        replace_sources(store, sources, version)
        engine.count("segments", len(facts))
        engine.count("sources", len(sources))
        engine.count("suggested", sum(s.suggested_type is not None for s in sources))
