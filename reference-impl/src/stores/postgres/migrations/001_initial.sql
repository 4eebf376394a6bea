-- syncproof reference store, PostgreSQL schema v1.
-- JSON documents are stored as text: the bytes the core wrote are the bytes it reads back
-- (jsonb would reorder keys), and the database never needs to look inside them.

CREATE TABLE idempotency (
  tenant_id   text   NOT NULL,
  key         text   NOT NULL,
  fingerprint text   NOT NULL,
  recorded_at bigint NOT NULL,
  client_id   text,
  client_seq  bigint,
  status      int    NOT NULL,
  body        text   NOT NULL,
  headers     text,
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_recorded ON idempotency (recorded_at);

CREATE TABLE client_seq (
  tenant_id text   NOT NULL,
  client_id text   NOT NULL,
  last_seq  bigint NOT NULL,
  pending   text,
  PRIMARY KEY (tenant_id, client_id)
);

CREATE TABLE aggregates (
  tenant_id  text   NOT NULL,
  type       text   NOT NULL,
  id         text   NOT NULL,
  module     text   NOT NULL,
  version    bigint NOT NULL,
  state      text   NOT NULL,
  updated_at text   NOT NULL,
  idx        text,
  PRIMARY KEY (tenant_id, type, id)
);

CREATE TABLE aggregate_index (
  tenant_id text NOT NULL,
  name      text NOT NULL,
  value     text NOT NULL,
  id        text NOT NULL,
  PRIMARY KEY (tenant_id, name, value, id)
);

CREATE TABLE conflicts (
  tenant_id   text NOT NULL,
  conflict_id text NOT NULL,
  module      text NOT NULL,
  status      text NOT NULL,
  client_id   text NOT NULL,
  agg_type    text NOT NULL,
  agg_id      text NOT NULL,
  created_at  text NOT NULL,
  body        text NOT NULL,
  PRIMARY KEY (tenant_id, conflict_id)
);
CREATE INDEX conflicts_open ON conflicts (tenant_id, client_id) WHERE status = 'open';
CREATE INDEX conflicts_list ON conflicts (tenant_id, module, created_at, conflict_id);

-- The pull change log and the outbox in one table. seq comes from one sequence; the per-tenant
-- write lock taken by every writing transaction makes a tenant's seq order its commit order.
CREATE TABLE changes (
  seq                bigserial PRIMARY KEY,
  tenant_id          text   NOT NULL,
  module             text   NOT NULL,
  agg_type           text   NOT NULL,
  agg_id             text   NOT NULL,
  version            bigint NOT NULL,
  op                 text   NOT NULL,
  event_type         text   NOT NULL,
  state              text   NOT NULL,
  committed_at       text   NOT NULL,
  event_id           text   NOT NULL,
  client_mutation_id text   NOT NULL,
  actor_id           text   NOT NULL,
  published_at       text
);
CREATE INDEX changes_tenant ON changes (tenant_id, seq);
CREATE INDEX changes_unpublished ON changes (seq) WHERE published_at IS NULL;

CREATE TABLE audit (
  ord          bigserial PRIMARY KEY,
  tenant_id    text   NOT NULL,
  seq          bigint NOT NULL,
  prev_hash    text   NOT NULL,
  hash         text   NOT NULL,
  event        text   NOT NULL,
  module       text   NOT NULL,
  action       text   NOT NULL,
  source_id    text   NOT NULL,
  published_at text,
  UNIQUE (tenant_id, seq),
  UNIQUE (tenant_id, source_id)
);
CREATE INDEX audit_unpublished ON audit (ord) WHERE published_at IS NULL;

CREATE TABLE devices (
  tenant_id      text   NOT NULL,
  device_id      text   NOT NULL,
  public_key_jwk text   NOT NULL,
  head_seq       bigint NOT NULL,
  head_hash      text   NOT NULL,
  registered_at  text   NOT NULL,
  PRIMARY KEY (tenant_id, device_id)
);

CREATE TABLE envelopes (
  tenant_id   text   NOT NULL,
  device_id   text   NOT NULL,
  seq         bigint NOT NULL,
  envelope    text   NOT NULL,
  accepted_at text   NOT NULL,
  PRIMARY KEY (tenant_id, device_id, seq)
);
