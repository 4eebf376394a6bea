/**
 * SQLite schema of the reference store. Versioned in `schema_version`; each migration runs once,
 * in order, inside a transaction.
 */

/** Migrations by version (index + 1). Append only. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE idempotency (
    tenant_id   TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL,
    client_id   TEXT,
    client_seq  INTEGER,
    status      INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    headers     TEXT,
    PRIMARY KEY (tenant_id, key)
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_recorded ON idempotency (recorded_at);

  CREATE TABLE client_seq (
    tenant_id TEXT    NOT NULL,
    client_id TEXT    NOT NULL,
    last_seq  INTEGER NOT NULL,
    pending   TEXT,
    PRIMARY KEY (tenant_id, client_id)
  ) WITHOUT ROWID;

  CREATE TABLE aggregates (
    tenant_id  TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    module     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    idx        TEXT,
    PRIMARY KEY (tenant_id, type, id)
  ) WITHOUT ROWID;

  CREATE TABLE aggregate_index (
    tenant_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     TEXT NOT NULL,
    id        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name, value, id)
  ) WITHOUT ROWID;

  CREATE TABLE conflicts (
    tenant_id   TEXT NOT NULL,
    conflict_id TEXT NOT NULL,
    module      TEXT NOT NULL,
    status      TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    agg_type    TEXT NOT NULL,
    agg_id      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, conflict_id)
  ) WITHOUT ROWID;
  CREATE INDEX conflicts_open ON conflicts (tenant_id, client_id) WHERE status = 'open';
  CREATE INDEX conflicts_list ON conflicts (tenant_id, module, created_at, conflict_id);

  CREATE TABLE changes (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id          TEXT    NOT NULL,
    module             TEXT    NOT NULL,
    agg_type           TEXT    NOT NULL,
    agg_id             TEXT    NOT NULL,
    version            INTEGER NOT NULL,
    op                 TEXT    NOT NULL,
    event_type         TEXT    NOT NULL,
    state              TEXT    NOT NULL,
    committed_at       TEXT    NOT NULL,
    event_id           TEXT    NOT NULL,
    client_mutation_id TEXT    NOT NULL,
    actor_id           TEXT    NOT NULL,
    published_at       TEXT
  );
  CREATE INDEX changes_tenant ON changes (tenant_id, seq);
  CREATE INDEX changes_unpublished ON changes (seq) WHERE published_at IS NULL;

  CREATE TABLE audit (
    ord          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    module       TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    source_id    TEXT    NOT NULL,
    published_at TEXT
  );
  CREATE UNIQUE INDEX audit_seq ON audit (tenant_id, seq);
  CREATE UNIQUE INDEX audit_source ON audit (tenant_id, source_id);
  CREATE INDEX audit_unpublished ON audit (ord) WHERE published_at IS NULL;

  CREATE TABLE devices (
    tenant_id      TEXT    NOT NULL,
    device_id      TEXT    NOT NULL,
    public_key_jwk TEXT    NOT NULL,
    head_seq       INTEGER NOT NULL,
    head_hash      TEXT    NOT NULL,
    registered_at  TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, device_id)
  ) WITHOUT ROWID;

  CREATE TABLE envelopes (
    tenant_id   TEXT    NOT NULL,
    device_id   TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    envelope    TEXT    NOT NULL,
    accepted_at TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, device_id, seq)
  ) WITHOUT ROWID;
  `,
  // v2 — the state of an aggregate is stored once. A version written by the core always has a
  // change row carrying exactly that state (domain/commit.ts), so the aggregate row points at it
  // (state_seq) instead of repeating it: every commit wrote each state twice, and the aggregates
  // table — WITHOUT ROWID, keyed by random ids — held ever-growing note states in its B-tree.
  // Rows written before v2, or by a putAggregate without a matching change, keep their state
  // inline (state_seq NULL). Change rows are never deleted, so the reference stays valid.
  `
  ALTER TABLE aggregates ADD COLUMN state_seq INTEGER;
  `,
  // v3 — compact idempotency records of applied outcomes. Their body is canonical JSON made only
  // of the key, the clientSeq, the version and the event id; such a row stores body '' plus
  // applied_version and event_id, and the store rebuilds the identical bytes when reading it
  // (the write path checks the rebuild equals the body before choosing this form). About half
  // of every record, and most pushes are all applied outcomes.
  `
  ALTER TABLE idempotency ADD COLUMN applied_version INTEGER;
  ALTER TABLE idempotency ADD COLUMN event_id TEXT;
  `,
  // v4 — rows in arrival order, keys in narrow indexes. Idempotency keys and aggregate ids are
  // random UUIDs, so every insert into a B-tree ordered by them lands on another page, and a commit
  // writes each page it touched to the WAL whole. As WITHOUT ROWID tables whole rows lived in
  // those B-trees (about 17 idempotency rows per 4 KB page); now the rows append to rowid tables
  // and only (tenant, key) / (tenant, type, id) sit in the random-order unique indexes, several
  // times as many per page: a group commit touches fewer distinct pages per mutation.
  `
  CREATE TABLE idempotency_v4 (
    tenant_id       TEXT    NOT NULL,
    key             TEXT    NOT NULL,
    fingerprint     TEXT    NOT NULL,
    recorded_at     INTEGER NOT NULL,
    client_id       TEXT,
    client_seq      INTEGER,
    status          INTEGER NOT NULL,
    body            TEXT    NOT NULL,
    headers         TEXT,
    applied_version INTEGER,
    event_id        TEXT
  );
  INSERT INTO idempotency_v4 (tenant_id, key, fingerprint, recorded_at, client_id, client_seq, status, body, headers, applied_version, event_id)
    SELECT tenant_id, key, fingerprint, recorded_at, client_id, client_seq, status, body, headers, applied_version, event_id
    FROM idempotency ORDER BY recorded_at;
  DROP TABLE idempotency;
  ALTER TABLE idempotency_v4 RENAME TO idempotency;
  CREATE UNIQUE INDEX idempotency_key ON idempotency (tenant_id, key);
  CREATE INDEX idempotency_recorded ON idempotency (recorded_at);

  CREATE TABLE aggregates_v4 (
    tenant_id  TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    module     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    idx        TEXT,
    state_seq  INTEGER
  );
  INSERT INTO aggregates_v4 (tenant_id, type, id, module, version, state, updated_at, idx, state_seq)
    SELECT tenant_id, type, id, module, version, state, updated_at, idx, state_seq FROM aggregates;
  DROP TABLE aggregates;
  ALTER TABLE aggregates_v4 RENAME TO aggregates;
  CREATE UNIQUE INDEX aggregates_key ON aggregates (tenant_id, type, id);
  `,
];
