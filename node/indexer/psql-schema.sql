-- Cairn's schema for CometBFT v0.38's PostgreSQL event sink ([tx_index] indexer = "psql").
-- CometBFT writes these four tables after each block and never reads them; Cairn's explorer reads
-- them (node/indexer/psql.ts). Apply it with `cairn indexer psql --conn <url>` before the
-- node starts; it is idempotent. What CometBFT writes, per block:
--   blocks      one row (height, chain_id, created_at); a block seen again is skipped;
--   tx_results  one row per tx: its index in the block, the hash (upper-case hex of SHA-256 of the
--               tx bytes) and the protobuf bytes of abci.TxResult (height, index, tx, ExecTxResult);
--   events      one row per event with a type (tx_id NULL for the block's own events), plus the
--               meta-events block.height, tx.hash and tx.height;
--   attributes  one row per attribute whose `index` flag is set, with "type.key" beside the key.
-- The rowids are the tables' sequences (v0.38 inserts row by row and takes RETURNING rowid).

CREATE TABLE IF NOT EXISTS blocks (
  rowid      BIGSERIAL PRIMARY KEY,
  height     BIGINT NOT NULL,
  chain_id   TEXT NOT NULL,
  -- When the sink wrote the row (UTC), not the block's time.
  created_at TIMESTAMPTZ NOT NULL,
  -- The sink's ON CONFLICT DO NOTHING needs it: a block indexed twice (a reindex) is kept once.
  CONSTRAINT blocks_chain_height UNIQUE (chain_id, height)
);

CREATE TABLE IF NOT EXISTS tx_results (
  rowid      BIGSERIAL PRIMARY KEY,
  block_id   BIGINT NOT NULL REFERENCES blocks (rowid),
  index      INTEGER NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  tx_hash    TEXT NOT NULL,
  tx_result  BYTEA NOT NULL,
  CONSTRAINT tx_results_block_index UNIQUE (block_id, index)
);
-- Search by hash.
CREATE INDEX IF NOT EXISTS tx_results_hash ON tx_results (tx_hash);

CREATE TABLE IF NOT EXISTS events (
  rowid    BIGSERIAL PRIMARY KEY,
  block_id BIGINT NOT NULL REFERENCES blocks (rowid),
  tx_id    BIGINT NULL REFERENCES tx_results (rowid),
  type     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_tx ON events (tx_id);
CREATE INDEX IF NOT EXISTS events_block ON events (block_id);

-- No uniqueness on (event_id, key): an app may repeat a key within one event, and a constraint
-- would make the sink drop that whole block's index.
CREATE TABLE IF NOT EXISTS attributes (
  event_id      BIGINT NOT NULL REFERENCES events (rowid),
  key           TEXT NOT NULL,
  composite_key TEXT NOT NULL,
  value         TEXT NULL
);
CREATE INDEX IF NOT EXISTS attributes_event ON attributes (event_id);
-- An address's history: message.sender = '…', transfer.recipient = '…'.
CREATE INDEX IF NOT EXISTS attributes_key_value ON attributes (composite_key, value);

-- The joined views CometBFT documents for operators' own queries. An event without attributes is
-- one row with NULL key and value.
CREATE OR REPLACE VIEW event_attributes AS
  SELECT e.block_id, e.tx_id, e.type, a.key, a.composite_key, a.value
  FROM events e LEFT JOIN attributes a ON a.event_id = e.rowid;

CREATE OR REPLACE VIEW block_events AS
  SELECT b.rowid AS block_id, b.height, b.chain_id, ea.type, ea.key, ea.composite_key, ea.value
  FROM blocks b JOIN event_attributes ea ON ea.block_id = b.rowid
  WHERE ea.tx_id IS NULL;

CREATE OR REPLACE VIEW tx_events AS
  SELECT b.height, t.index, b.chain_id, ea.type, ea.key, ea.composite_key, ea.value, t.created_at
  FROM blocks b
  JOIN tx_results t ON t.block_id = b.rowid
  JOIN event_attributes ea ON ea.tx_id = t.rowid;
