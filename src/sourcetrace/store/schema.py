"""The case file's schema, as an ordered list of migrations.

A case is one SQLite file. ``meta.schema_version`` records how many
migrations have been applied; opening a case applies the missing ones in
one transaction each. Never edit a released migration: append a new one.
The tables are described for users in docs/case-schema.md.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: inputs, documents, segments, furniture, problems, runs.
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,            -- running, finished, interrupted, failed
        arguments TEXT NOT NULL,         -- JSON: inputs and options as given
        summary TEXT                     -- JSON: counts and seconds, when finished
    );
    CREATE TABLE inputs (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,       -- lets a re-run skip unchanged files unhashed
        kind TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        UNIQUE (path, sha256)
    );
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        input_id INTEGER NOT NULL REFERENCES inputs(id),
        ordinal INTEGER NOT NULL,        -- position inside the input
        record_id TEXT,                  -- WARC-Record-ID or table row number
        url TEXT,
        title TEXT,
        author TEXT,
        site TEXT,
        published TEXT,
        fetched TEXT,
        source TEXT,
        media_type TEXT NOT NULL,
        charset TEXT,
        extractor TEXT NOT NULL,
        text TEXT NOT NULL,              -- extracted text: the reference for offsets
        segmented INTEGER NOT NULL DEFAULT 0,
        UNIQUE (input_id, ordinal)
    );
    CREATE INDEX documents_unsegmented ON documents (segmented) WHERE segmented = 0;
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        ordinal INTEGER NOT NULL,
        start INTEGER NOT NULL,          -- documents.text[start:end]
        "end" INTEGER NOT NULL,
        removed TEXT NOT NULL DEFAULT '[]',  -- JSON [[start, end], ...]: furniture cut out
        title TEXT,
        byline TEXT,
        credit TEXT,
        published TEXT,
        text TEXT NOT NULL,
        duplicate_of INTEGER REFERENCES segments(id),
        UNIQUE (document_id, ordinal)
    );
    CREATE INDEX segments_duplicate_of ON segments (duplicate_of);
    CREATE TABLE furniture (
        document_id INTEGER NOT NULL REFERENCES documents(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (document_id, start)
    );
    CREATE TABLE learned_furniture (
        fingerprint TEXT PRIMARY KEY,
        example TEXT NOT NULL,
        documents INTEGER NOT NULL
    );
    CREATE TABLE problems (
        id INTEGER PRIMARY KEY,
        input_id INTEGER REFERENCES inputs(id),
        path TEXT NOT NULL,
        ordinal INTEGER NOT NULL DEFAULT -1,  -- document inside the input; -1: the input itself
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        UNIQUE (path, ordinal, stage, reason)
    );
    CREATE INDEX problems_reason ON problems (reason);
    """,
    # 2: the copy map: relations between segments, families and their members.
    """
    CREATE TABLE relations (
        segment_id INTEGER NOT NULL REFERENCES segments(id),
        parent_id INTEGER NOT NULL REFERENCES segments(id),
        kind TEXT NOT NULL,              -- exact, near_exact, excerpt, rewrite (capture: schema 8)
        score REAL NOT NULL,
        passages TEXT NOT NULL,          -- JSON [[parent_start, parent_end, start, end], ...]
        PRIMARY KEY (segment_id, parent_id)
    );
    CREATE INDEX relations_parent ON relations (parent_id);
    CREATE TABLE families (
        id INTEGER PRIMARY KEY,          -- the smallest member segment id
        origin_id INTEGER REFERENCES segments(id),  -- NULL: undetermined
        origin_evidence TEXT NOT NULL,
        size INTEGER NOT NULL
    );
    CREATE TABLE family_members (
        family_id INTEGER NOT NULL REFERENCES families(id),
        segment_id INTEGER NOT NULL REFERENCES segments(id),
        kind TEXT NOT NULL,              -- origin, exact, near_exact, excerpt, rewrite (capture: schema 8)
        parent_id INTEGER REFERENCES segments(id),
        score REAL NOT NULL,
        passages TEXT NOT NULL,
        PRIMARY KEY (segment_id)
    );
    CREATE INDEX family_members_family ON family_members (family_id);
    """,
    # 3: statements: who said what, merged across copies.
    """
    CREATE TABLE statements (
        id INTEGER PRIMARY KEY,
        speaker TEXT NOT NULL,           -- canonical name
        speaker_role TEXT,
        kind TEXT NOT NULL,              -- direct, reported
        cue TEXT NOT NULL,
        text TEXT NOT NULL,              -- reference form: earliest, else most common
        occurrences INTEGER NOT NULL,
        altered INTEGER NOT NULL         -- occurrences whose words differ from the reference
    );
    CREATE INDEX statements_speaker ON statements (speaker);
    CREATE TABLE statement_occurrences (
        statement_id INTEGER NOT NULL REFERENCES statements(id),
        segment_id INTEGER NOT NULL REFERENCES segments(id),
        start INTEGER NOT NULL,          -- span in segments.text
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker_as_written TEXT NOT NULL,
        cue TEXT NOT NULL,
        kind TEXT NOT NULL,
        altered INTEGER NOT NULL,
        diff TEXT NOT NULL,              -- JSON [["=" | "-" | "+", word], ...]; [] when not altered
        garbled_speaker INTEGER NOT NULL,
        PRIMARY KEY (statement_id, segment_id, start)
    );
    CREATE INDEX statement_occurrences_segment ON statement_occurrences (segment_id);
    """,
    # 4: the saved rare-word index that `sourcetrace trace` queries.
    """
    CREATE TABLE trace_index (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        segments INTEGER NOT NULL,       -- segments in the case when it was built
        data BLOB NOT NULL               -- numpy .npz: ids, vocabulary, idf, sparse matrix
    );
    """,
    # 5: what each step of a run did, and the per-unit results incremental runs reuse.
    """
    CREATE TABLE run_steps (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        ordinal INTEGER NOT NULL,        -- position of the step in the pipeline
        step TEXT NOT NULL,              -- the step's name: ingest, segment, statements...
        started_at TEXT NOT NULL,        -- ISO 8601 UTC, milliseconds
        seconds REAL NOT NULL,           -- wall time
        cpu_seconds REAL NOT NULL,       -- CPU time of the main process and its workers
        records INTEGER NOT NULL,        -- records the step processed
        counters TEXT NOT NULL,          -- JSON {name: count}, summed over the workers
        PRIMARY KEY (run_id, ordinal)
    );
    CREATE TABLE pair_verdicts (
        a INTEGER NOT NULL REFERENCES segments(id),  -- a < b
        b INTEGER NOT NULL REFERENCES segments(id),
        verdict TEXT,                    -- JSON PairVerdict; NULL: neither derives from the other
        PRIMARY KEY (a, b)
    );
    CREATE INDEX pair_verdicts_b ON pair_verdicts (b);
    CREATE TABLE segment_statements (
        segment_id INTEGER PRIMARY KEY REFERENCES segments(id),
        attributions TEXT NOT NULL,      -- JSON: the statements found in the segment, before merging
        error TEXT                       -- why extraction failed; the segment then has none
    );
    CREATE TABLE statement_pairs (
        first TEXT NOT NULL,             -- "segment:ordinal" of two attributions, first < second
        second TEXT NOT NULL,
        same_family INTEGER NOT NULL,    -- the decision depends on it
        same INTEGER NOT NULL,           -- one statement, or two
        PRIMARY KEY (first, second, same_family)
    );
    CREATE TABLE merged_segments (
        segment_id INTEGER PRIMARY KEY REFERENCES segments(id),
        family_id INTEGER                -- the segment's family when its statements were last merged
    );
    """,
    # 6: stories, the sources registry and the timeline.
    """
    -- sources registry: tables here
    -- sources and source_segments are rebuilt whole by the sources step (segment_id has no
    -- REFERENCES: segments are rewritten under these rows, and the step then redoes them);
    -- source_types_set holds what the user set, which no step touches.
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,          -- rank by smallest segment id, then key
        key TEXT NOT NULL UNIQUE,        -- list:reuters, host:example-news.com, name:dailyplanet
        name TEXT NOT NULL,
        names TEXT NOT NULL,             -- JSON [name, ...]: every site name and credit it was seen under
        hosts TEXT NOT NULL,             -- JSON [host, ...]: where its pages were found, without "www."
        known_type TEXT NOT NULL,        -- from the shipped lists, else unknown
        typology TEXT,                   -- State Media Monitor code(s): SC, CaPu, CaPr, ISFM, ISF, ISM, IP
        listed_in TEXT,                  -- curated, state-media or NULL
        suggested_type TEXT,             -- aggregator or content_farm, from behaviour; never applied
        evidence TEXT                    -- the counts behind the suggestion
    );
    CREATE TABLE source_segments (
        source_id INTEGER NOT NULL REFERENCES sources(id),
        segment_id INTEGER NOT NULL,
        role TEXT NOT NULL,              -- published (its host or site), credited (its credit line)
        PRIMARY KEY (source_id, segment_id)
    );
    CREATE INDEX source_segments_segment ON source_segments (segment_id);
    CREATE TABLE source_types_set (
        key TEXT PRIMARY KEY,            -- sources.key: ids change between runs, keys do not
        name TEXT NOT NULL,              -- the source's name when it was set
        type TEXT NOT NULL,
        set_at TEXT NOT NULL             -- ISO 8601 UTC
    );
    -- timeline: tables here
    -- segment_events marks a segment's events as found (also when it has none), with the
    -- publication its relative dates rest on; deleting the mark deletes the segment's events.
    CREATE TABLE segment_events (
        segment_id INTEGER PRIMARY KEY,  -- a kept segment
        published TEXT                   -- segments.published when its events were found
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,          -- segment id * 1000 + ordinal: 0 the publication, then mentions in text order
        segment_id INTEGER NOT NULL REFERENCES segment_events(segment_id) ON DELETE CASCADE,
        kind TEXT NOT NULL,              -- published, mentioned
        date TEXT,                       -- ISO 8601 at its precision; NULL: relative, with no publication to resolve it
        precision TEXT NOT NULL,         -- time, day, week, month, quarter, year, decade
        first_day TEXT,                  -- ISO date the period starts on: orders the timeline
        start INTEGER,                   -- span in segments.text; NULL for the publication
        "end" INTEGER,
        text TEXT,                       -- the expression as written; NULL for the publication
        relative INTEGER NOT NULL        -- resolved against the publication or the date mentioned before
    );
    CREATE INDEX events_segment ON events (segment_id);
    CREATE INDEX events_first_day ON events (first_day);
    -- stories: tables here
    -- (No REFERENCES: the copy map and segments are replaced under these rows, which the stories step then redoes.)
    CREATE TABLE story_features (
        segment_id INTEGER PRIMARY KEY,  -- a kept segment
        digest TEXT NOT NULL,            -- of the title and text they were computed from
        names TEXT NOT NULL,             -- JSON [word, ...]: words of capitalised name sequences
        numbers TEXT NOT NULL,           -- JSON [number, ...]
        words TEXT NOT NULL              -- JSON [word, ...]: other content words
    );
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,          -- its smallest family id
        title TEXT NOT NULL,             -- a representative headline
        families INTEGER NOT NULL,
        segments INTEGER NOT NULL,
        independent_sources INTEGER NOT NULL,
        outlets TEXT NOT NULL,           -- JSON [name, ...]
        agencies TEXT NOT NULL,          -- JSON [name, ...]: the wires and agencies credited
        first_published TEXT,
        last_published TEXT
    );
    CREATE TABLE story_families (
        family_id INTEGER PRIMARY KEY,   -- a family is in at most one story, and so is each segment
        story_id INTEGER NOT NULL
    );
    CREATE INDEX story_families_story ON story_families (story_id);
    """,
    # 7: claims, supplied by the investigator or found in the statements, assessed per (claim, segment).
    """
    -- (No REFERENCES to segments: segments are rewritten under these rows, and a segment whose
    -- text changes loses its checks and positions, which the next run redoes.)
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,          -- supplied: 1, 2, ... in the order added; found: its smallest statement id
        text TEXT NOT NULL,              -- a supplied claim as written (stripped); a found one as its plainest statement
        supplied INTEGER NOT NULL,       -- 1: given by the investigator; 0: found in the statements
        key TEXT NOT NULL UNIQUE         -- the text with whitespace collapsed: the same claim is stored once
    );
    CREATE TABLE claim_statements (
        claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
        statement_id INTEGER NOT NULL,   -- a statement a found claim was grouped from
        PRIMARY KEY (claim_id, statement_id)
    );
    CREATE TABLE claim_checks (
        claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
        segment_id INTEGER NOT NULL,     -- a kept segment the claim was assessed in: done
        positions INTEGER NOT NULL,      -- how many positions it takes (0: it does not address the claim)
        PRIMARY KEY (claim_id, segment_id)
    );
    CREATE INDEX claim_checks_segment ON claim_checks (segment_id);
    CREATE TABLE claim_positions (
        claim_id INTEGER NOT NULL,
        segment_id INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,        -- in text order within the segment
        stance TEXT NOT NULL,            -- supports, contests, reports
        start INTEGER NOT NULL,          -- the sentence carrying the stance, in segments.text
        "end" INTEGER NOT NULL,
        cue TEXT NOT NULL,               -- what decided the stance
        statement_start INTEGER,         -- statement_occurrences.start of the statement carrying it; NULL: none
        speaker TEXT,                    -- that statement's speaker as resolved in the segment; NULL: the segment's voice
        coverage REAL NOT NULL,          -- share of the claim's terms the sentence carries
        PRIMARY KEY (claim_id, segment_id, ordinal),
        FOREIGN KEY (claim_id, segment_id) REFERENCES claim_checks(claim_id, segment_id) ON DELETE CASCADE
    );
    CREATE INDEX claim_positions_segment ON claim_positions (segment_id);
    """,
    # 8: captures (family_members.kind 'capture', families.size counts pages): no table changes, but a copy
    # map built before counted a page collected twice as a copy, so the next run builds it again, and what
    # rests on it (statements merged over families, stories) is checked again.
    """
    DELETE FROM meta WHERE key IN ('copy_map_version', 'statements_version', 'stories_version');
    """,
    # 9: a statement's reference form is its occurrence in its family's origin, so the merge records
    # whether each segment was its family's origin. Statements merged before chose another reference:
    # the next run merges them all again (from the stored answers, asking nothing twice).
    """
    DROP TABLE IF EXISTS merged_segments;
    CREATE TABLE merged_segments (
        segment_id INTEGER PRIMARY KEY REFERENCES segments(id),
        family_id INTEGER,               -- the segment's family when its statements were last merged
        is_origin INTEGER NOT NULL       -- 1: it was that family's determined origin
    );
    DELETE FROM statement_occurrences;
    DELETE FROM statements;
    DELETE FROM meta WHERE key = 'statements_version';
    """,
    # 10: whether the evidence decided each member's parent (docs/copies.md#parents). The table is remade
    # with its rows (a copy, not ALTER TABLE, so that the step also holds on a file that has the columns);
    # rows written before keep NULL ("not recorded") until the next run builds the copy map again from the
    # stored verdicts.
    """
    CREATE TABLE family_members_10 (
        family_id INTEGER NOT NULL REFERENCES families(id),
        segment_id INTEGER NOT NULL REFERENCES segments(id),
        kind TEXT NOT NULL,              -- origin, exact, near_exact, excerpt, rewrite, capture
        parent_id INTEGER REFERENCES segments(id),
        score REAL NOT NULL,
        passages TEXT NOT NULL,
        parent_basis TEXT,               -- evidence, tie, direction_unknown, no_direct_link; NULL: no parent
        parent_evidence TEXT,            -- the basis in words
        PRIMARY KEY (segment_id)
    );
    INSERT INTO family_members_10 (family_id, segment_id, kind, parent_id, score, passages)
        SELECT family_id, segment_id, kind, parent_id, score, passages FROM family_members;
    DROP TABLE family_members;
    ALTER TABLE family_members_10 RENAME TO family_members;
    CREATE INDEX family_members_family ON family_members (family_id);
    DELETE FROM meta WHERE key = 'copy_map_version';
    """,
    # 11: the timeline's order as an index, so that a page of it reads its rows in order instead of
    # sorting every event (791,540 at 100k segments) for each page (store/read_events.py).
    """
    CREATE INDEX IF NOT EXISTS events_timeline ON events ((first_day IS NULL), first_day, date, segment_id, id);
    """,
    # 12: what furniture learning needs of each document's lines, made once per document, so that a run
    # adding pages learns from stored records instead of reading and fingerprinting every text again.
    """
    CREATE TABLE IF NOT EXISTS document_lines (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id),
        version INTEGER NOT NULL,        -- ingest/furniture_learning.py LINE_RECORDS_VERSION
        lines BLOB NOT NULL              -- 29 bytes per distinct line (docs/case-schema.md#document_lines)
    );
    """,
    # 13: the keys each merged segment's statements meet others on, so that a run adding pages finds
    # the statements its new ones touch without reading every statement of the case (voices/steps.py).
    """
    CREATE TABLE IF NOT EXISTS statement_keys (
        segment_id INTEGER PRIMARY KEY,  -- a merged segment (no REFERENCES: rewritten under its segment)
        keys BLOB NOT NULL               -- sorted distinct uint32 codes, little-endian (docs/case-schema.md)
    );
    """,
    # 14: each family of several members as the last copy map decided it, with a digest of what deciding
    # it read, so that a run adding pages decides again only the families whose inputs changed.
    """
    CREATE TABLE IF NOT EXISTS decided_families (
        family_id INTEGER PRIMARY KEY,   -- the family's key, its smallest member (no REFERENCES: rewritten)
        inputs TEXT NOT NULL,            -- BLAKE2b of its members, their verdicts, composites and the rules
        result TEXT NOT NULL             -- JSON {"family": ..., "relations": [...]} at page level (reuse/decided.py)
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
