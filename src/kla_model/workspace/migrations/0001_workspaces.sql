-- Version 1: workspaces, their links, the append-only history and the current values.
-- Portable SQL: the same file runs on SQLite and PostgreSQL.  JSON values are kept as text;
-- times as ISO 8601 text in UTC.

CREATE TABLE kla_workspaces (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    ruleset_id TEXT NOT NULL,
    ruleset_version TEXT NOT NULL,
    ruleset_sha256 TEXT NOT NULL,
    meta TEXT NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE kla_links (
    workspace TEXT NOT NULL REFERENCES kla_workspaces (id),
    id TEXT NOT NULL,
    link_role TEXT NOT NULL CHECK (link_role IN ('coordinator', 'agency')),
    agency TEXT,
    token_sha256 TEXT NOT NULL,
    created TEXT NOT NULL,
    revoked TEXT,
    PRIMARY KEY (workspace, id)
);

-- The history: rows are only ever inserted.
CREATE TABLE kla_changes (
    workspace TEXT NOT NULL REFERENCES kla_workspaces (id),
    seq BIGINT NOT NULL,
    changed_at TEXT NOT NULL,
    link TEXT NOT NULL,
    link_role TEXT NOT NULL,
    agency TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('item', 'evidence', 'assignment')),
    target TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT,
    restored_from BIGINT,
    PRIMARY KEY (workspace, seq)
);

-- The current value of every target, written in the same transaction as its change.
CREATE TABLE kla_current (
    workspace TEXT NOT NULL REFERENCES kla_workspaces (id),
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    value TEXT,
    seq BIGINT NOT NULL,
    PRIMARY KEY (workspace, kind, target)
);
