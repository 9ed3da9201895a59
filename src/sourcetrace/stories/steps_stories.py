"""The ``stories`` step of ``sourcetrace run``.

Per segment, the features (names, numbers, content words) are computed on
the engine's workers for segments that have none stored, or whose text
changed, and stored per segment. The clustering itself rests on case-wide
term rarity, on the families, on the statements merged over them and on
the sources registry, so it is recomputed on the driver from the stored
features whenever the copy map or the sources changed: that keeps a case
extended by a run equal to one built at once.
"""

from __future__ import annotations

from sourcetrace.pipeline import PipelineStep, RunContext
from sourcetrace.store.write_stories import (
    add_story_features,
    replace_stories,
    segments_for_stories,
    segments_without_features,
    stored_story_features,
    stories_are_current,
    text_digest,
)
from sourcetrace.stories.stories import build_stories
from sourcetrace.stories.story_features import SegmentText, StoryFeatures, StoryFeatureStep

FEATURES_PER_TRANSACTION = 2000


class BuildStories(PipelineStep):
    name = "stories"

    def run(self, context: RunContext) -> None:
        store, engine = context.store, context.engine
        if stories_are_current(store):
            return
        listed = segments_for_stories(store)
        pending = [SegmentText(i, title, text) for i, title, text in segments_without_features(store)]
        engine.count("segments_with_features_before", len(listed) - len(pending))
        context.progress.phase("finding story features", len(pending))
        batch: list[tuple[StoryFeatures, str]] = []
        texts = {s.segment: s for s in pending}
        for found in engine.map(StoryFeatureStep(), pending, chunksize=64):
            batch.append((found, text_digest(texts[found.segment].title, texts[found.segment].text)))
            if len(batch) >= FEATURES_PER_TRANSACTION:
                self._write(context, batch)
        self._write(context, batch)
        context.progress.phase("clustering stories", None)
        features = stored_story_features(store)
        stories = engine.on_driver(self.name, lambda: build_stories(listed, features))
        replace_stories(store, stories)
        engine.count("stories", len(stories))

    def _write(self, context: RunContext, batch: list[tuple[StoryFeatures, str]]) -> None:
        add_story_features(context.store, batch)
        context.progress.advance(len(batch))
        batch.clear()
