"""Stories from families: one event is one story, the same kind of event elsewhere or at another time is another.

Every text is fiction written for these tests. Families are given by hand
here (the copy map makes them in a run: tests/stories/test_steps_stories.py).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from sourcetrace.stories.stories import Story, StorySegment, build_stories, independent_sources, outlets_of
from sourcetrace.stories.story_features import StoryFeatures, story_features

QUAKE_WIRE = """SKELBY, Feb 6 (Northwire) - A magnitude 6.1 earthquake struck Dorvan province before dawn on Thursday, killing at least 14 people in the market town of Skelby and the nearby village of Orrin, the Ministry of Emergencies said. Rescue teams led by Colonel Aurel Finch searched collapsed houses through the morning. Finch said 230 homes were damaged and 41 people were taken to hospital in Skelby. The quake was felt as far as the provincial capital, Vantry."""

QUAKE_INDEPENDENT = """Residents of Skelby slept in the streets on Thursday night after the earthquake that flattened parts of the town. Fourteen people died in Skelby and Orrin, according to the Ministry of Emergencies, and 41 were treated in hospital. Colonel Aurel Finch, who leads the rescue, told the Valley Herald that crews had checked 230 damaged homes in Dorvan. Seismologists measured the shock at 6.1."""

QUAKE_OTHER = """MOSSGATE, March 20 (Northwire) - A magnitude 5.4 earthquake struck Terrel province on Thursday evening, killing three people in the hill town of Mossgate, the Ministry of Emergencies said. Rescue teams led by Major Irina Salk searched collapsed houses overnight. Salk said 60 homes were damaged and 12 people were taken to hospital in Mossgate. The quake was felt in the port of Calloway."""

QUAKE_OTHER_INDEPENDENT = """Three people died in Mossgate when the earthquake hit Terrel province on Thursday, the Ministry of Emergencies said, and 12 were treated in hospital. Major Irina Salk, in charge of the rescue, said 60 homes in the hill town were damaged. The shock of magnitude 5.4 was felt as far as Calloway."""

REHAB_SINGER = """The singer Lio Marchetti has entered the Brightwater clinic in Halden for treatment of alcohol addiction, his manager Petra Voss said on Monday. Marchetti, 34, cancelled the last eleven dates of his Northern Lights tour. Voss said the singer asked fans for privacy and hoped to return to the stage in the autumn."""

REHAB_SINGER_INDEPENDENT = """Lio Marchetti is being treated for alcohol addiction at the Brightwater clinic near Halden, manager Petra Voss confirmed. The 34-year-old singer called off eleven concerts of the Northern Lights tour. According to Voss, Marchetti hopes to perform again in the autumn."""

REHAB_ACTOR = """The actor Dana Whitcombe has entered the Elmstead clinic in Rowley for treatment of alcohol addiction, her agent Colin Marsh said on Tuesday. Whitcombe, 41, left the filming of the series Harbour Lights. Marsh said the actor asked fans for privacy and hoped to return to the set next year."""

UN_DETENTION = """GENEVA, Aug 3 - A United Nations panel said on Wednesday that security forces in Kessaria held at least 1,900 people without charge in secret sites between 2021 and 2023. The panel, chaired by the jurist Amara Osei, interviewed 160 former detainees. Osei said the findings would go to the Human Rights Council in September."""

UN_DETENTION_INDEPENDENT = """At least 1,900 people were detained without charge in Kessaria's secret sites, a UN panel found. Amara Osei, the jurist who chairs it, said 160 former detainees had been interviewed and that the Human Rights Council would receive the findings in September. Kessaria's government has not responded."""

UN_WATER = """GENEVA, Aug 24 - A United Nations report said on Wednesday that 2.3 million people in Kessaria lack safe drinking water after three dry years. The report, by the special rapporteur Tomasz Wielicki, visited the eastern districts of Bakal and Sorrow Plain. Wielicki said the government should fund 40 new wells before the winter."""

LOBBYING = """GENEVA, July 2 - Kessaria's envoy Ivo Pernat has lobbied members of the Human Rights Council for weeks to stop a United Nations panel from publishing its report on detentions, diplomats said on Saturday. Pernat met delegations from 14 countries and argued the panel had relied on exiles. The panel is due to report next month."""


def segment(sid: int, family: int, text: str, published: str | None, *, title: str | None = None,
            credit: str | None = None, url: str | None = None, site: str | None = None,
            origin: bool = False, quotes: tuple[int, ...] = ()) -> tuple[StorySegment, StoryFeatures]:
    return (StorySegment(sid, family, title, published, credit, *outlets_of(url, site, credit), origin, text[:200],
                         quotes), story_features(sid, title, text))


def stories_of(listed: Sequence[tuple[StorySegment, StoryFeatures]]) -> list[Story]:
    return build_stories([s for s, _ in listed], {f.segment: f for _, f in listed})


def story_of(stories: Sequence[Story], segment_id: int) -> int | None:
    return next((story.id for story in stories if segment_id in story.segments), None)


def together(stories: Sequence[Story], *segment_ids: int) -> bool:
    found = {story_of(stories, s) for s in segment_ids}
    return len(found) == 1 and None not in found


def test_copies_a_rewrite_and_an_independent_report_of_one_event_are_one_story() -> None:
    listed = [
        segment(1000, 1000, QUAKE_WIRE, "2025-02-06T06:10:00", credit="Northwire", origin=True),
        segment(2000, 1000, QUAKE_WIRE, "2025-02-06T09:00:00", credit="Northwire", site="Coast Gazette"),
        segment(3000, 1000, QUAKE_WIRE.replace("struck", "hit").replace("searched", "combed"), "2025-02-06"),
        segment(4000, 4000, QUAKE_INDEPENDENT, "2025-02-07", site="Valley Herald", origin=True),
        segment(5000, 5000, REHAB_SINGER, "2025-02-06", origin=True),
    ]
    stories = stories_of(listed)
    assert together(stories, 1000, 2000, 3000, 4000)
    assert story_of(stories, 5000) is None  # reported by nobody else: no story


def test_the_same_kind_of_event_at_another_time_and_place_is_another_story() -> None:
    listed = [
        segment(1000, 1000, QUAKE_WIRE, "2025-02-06", origin=True),
        segment(2000, 2000, QUAKE_INDEPENDENT, "2025-02-06", origin=True),
        segment(3000, 3000, QUAKE_OTHER, "2025-03-20", origin=True),
        segment(4000, 4000, QUAKE_OTHER_INDEPENDENT, "2025-03-21", origin=True),
    ]
    stories = stories_of(listed)
    assert together(stories, 1000, 2000) and together(stories, 3000, 4000)
    assert story_of(stories, 1000) != story_of(stories, 3000)


def test_two_earthquakes_on_one_day_with_other_places_and_people_are_two_stories() -> None:
    listed = [
        segment(1000, 1000, QUAKE_WIRE, "2025-02-06", origin=True),
        segment(2000, 2000, QUAKE_INDEPENDENT, "2025-02-06", origin=True),
        segment(3000, 3000, QUAKE_OTHER, "2025-02-06", origin=True),
        segment(4000, 4000, QUAKE_OTHER_INDEPENDENT, "2025-02-06", origin=True),
    ]
    stories = stories_of(listed)
    assert together(stories, 1000, 2000) and together(stories, 3000, 4000)
    assert story_of(stories, 1000) != story_of(stories, 3000)


def test_two_celebrities_entering_rehab_in_one_week_are_two_stories() -> None:
    listed = [
        segment(1000, 1000, REHAB_SINGER, "2025-05-12", origin=True),
        segment(2000, 2000, REHAB_SINGER_INDEPENDENT, "2025-05-12", origin=True),
        segment(3000, 3000, REHAB_ACTOR, "2025-05-13", origin=True),
    ]
    stories = stories_of(listed)
    assert together(stories, 1000, 2000)
    assert story_of(stories, 3000) != story_of(stories, 1000)


def test_two_un_reports_on_one_country_in_one_month_and_the_lobbying_before_are_apart() -> None:
    listed = [
        segment(1000, 1000, UN_DETENTION, "2022-08-03", origin=True),
        segment(2000, 2000, UN_DETENTION_INDEPENDENT, "2022-08-04", origin=True),
        segment(3000, 3000, UN_WATER, "2022-08-24", origin=True),
        segment(4000, 4000, UN_WATER.replace("GENEVA, Aug 24 - ", ""), "2022-08-24", origin=False),
        segment(5000, 5000, LOBBYING, "2022-07-02", origin=True),
    ]
    stories = stories_of(listed)
    assert together(stories, 1000, 2000)
    assert story_of(stories, 3000) not in (story_of(stories, 1000), None)
    assert story_of(stories, 5000) is None


def test_a_family_never_splits_across_stories() -> None:
    # An aggregator family joins two unrelated texts: wherever it goes, it goes whole.
    listed = [
        segment(1000, 1000, QUAKE_WIRE, "2025-02-06", origin=True),
        segment(2000, 1000, REHAB_SINGER, "2025-02-06"),
        segment(3000, 3000, QUAKE_INDEPENDENT, "2025-02-06", origin=True),
        segment(4000, 4000, REHAB_SINGER_INDEPENDENT, "2025-02-06", origin=True),
        segment(5000, 5000, QUAKE_OTHER, "2025-02-06", origin=True),
    ]
    stories = stories_of(listed)
    families: dict[int, set[int | None]] = {}
    for s, _ in listed:
        families.setdefault(s.family, set()).add(story_of(stories, s.id))
    assert all(len(found) == 1 for found in families.values())
    assert sorted(f for story in stories for f in story.families) == sorted({f for story in stories for f in story.families})


def test_independent_sources_counts_families_and_a_wire_with_its_credits_once() -> None:
    # A wire on the shipped lists: its own site and the name it is credited by are one outlet.
    wire_own = segment(1000, 1000, QUAKE_WIRE, "2025-02-06T06:10:00", url="https://apnews.com/article/quake",
                       origin=True)[0]
    credited = [segment(i, 2000, QUAKE_WIRE, "2025-02-06T08:00:00", credit="AP", site=name)[0]
                for i, name in ((2000, "Coast Gazette"), (2001, "Hill Times"))]
    herald = segment(3000, 3000, QUAKE_INDEPENDENT, "2025-02-07", site="Valley Herald", origin=True)[0]
    assert independent_sources([[wire_own], credited]) == 1
    assert independent_sources([[wire_own], credited, [herald]]) == 2
    assert independent_sources([[herald], [segment(4000, 4000, QUAKE_INDEPENDENT, None, site="Other Post")[0]]]) == 2


def test_a_story_carries_its_title_outlets_agencies_and_dates() -> None:
    listed = [
        segment(1000, 1000, QUAKE_WIRE, "2025-02-06T06:10:00", title="Quake kills 14 in Dorvan", credit="Northwire",
                url="https://www.northwire.example/quake", origin=True),
        segment(2000, 1000, QUAKE_WIRE, "2025-02-06T09:00:00", title="Deadly quake in the north", credit="Northwire",
                site="Coast Gazette"),
        segment(3000, 3000, QUAKE_INDEPENDENT, "2025-02-07", title="Skelby sleeps outside", site="Valley Herald",
                origin=True),
    ]
    (story,) = stories_of(listed)
    assert story.title == "Quake kills 14 in Dorvan"  # the largest family's origin
    assert story.outlets == ("Coast Gazette", "Valley Herald", "northwire.example")  # site names, else domains
    assert story.agencies == ("Northwire",)
    assert (story.first_published, story.last_published) == ("2025-02-06T06:10:00", "2025-02-07")
    assert story.independent_sources == 2 and story.families == (1000, 3000)


def test_ids_are_the_smallest_family_and_do_not_depend_on_input_order() -> None:
    listed = [
        segment(1000, 1000, QUAKE_WIRE, "2025-02-06", origin=True),
        segment(2000, 2000, QUAKE_INDEPENDENT, "2025-02-06", origin=True),
        segment(3000, 3000, QUAKE_OTHER, "2025-03-20", origin=True),
        segment(4000, 4000, QUAKE_OTHER_INDEPENDENT, "2025-03-21", origin=True),
        segment(5000, 5000, REHAB_SINGER, "2025-05-12", origin=True),
        segment(6000, 6000, REHAB_SINGER_INDEPENDENT, "2025-05-12", origin=True),
    ]
    stories = stories_of(listed)
    assert [story.id for story in stories] == [min(story.families) for story in stories] == [1000, 3000, 5000]
    shuffled = list(listed)
    random.Random(3).shuffle(shuffled)
    assert stories_of(shuffled) == stories


QUAKE_LOCAL = """Families in Skelby spent a second night outside. "We will rebuild every school before the winter," the mayor, Edda Strom, told a crowd at the town hall, where volunteers handed out blankets and soup. Teachers said classes would resume in tents on Monday."""


def test_two_reports_quoting_one_statement_are_one_story_even_when_their_words_differ() -> None:
    listed = [
        segment(1000, 1000, QUAKE_INDEPENDENT, "2025-02-07", origin=True, quotes=(7,)),
        segment(2000, 2000, QUAKE_LOCAL, "2025-02-08", origin=True, quotes=(7, 9)),
        segment(3000, 3000, QUAKE_LOCAL, "2025-02-20", origin=True, quotes=(7,)),  # beyond the window: another story
    ]
    without_quotes = stories_of([segment(s.id, s.family, QUAKE_INDEPENDENT if s.id == 1000 else QUAKE_LOCAL,
                                         s.published, origin=True) for s, _ in listed[:2]])
    assert not without_quotes  # the words alone do not tie them
    stories = stories_of(listed)
    assert together(stories, 1000, 2000) and story_of(stories, 3000) is None


def test_a_page_collected_twice_is_one_segment_of_a_story_and_never_a_story_alone() -> None:
    saved, archived = (StorySegment(sid, 1000, "Quake in Dorvan", "2025-02-06", None, None, None, sid == 1000,
                                    QUAKE_WIRE[:200], is_capture=sid == 2000) for sid in (1000, 2000))
    features = {s.id: story_features(s.id, s.title, QUAKE_WIRE) for s in (saved, archived)}
    assert build_stories([saved, archived], features) == []  # one page, however often collected: no story
    other, other_features = segment(3000, 3000, QUAKE_INDEPENDENT, "2025-02-07", site="Valley Herald", origin=True)
    stories = build_stories([saved, archived, other], {**features, 3000: other_features})
    assert [(s.families, s.segments, s.independent_sources) for s in stories] == [((1000, 3000), (1000, 3000), 2)]
