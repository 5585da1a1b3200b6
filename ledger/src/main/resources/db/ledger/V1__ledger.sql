-- The central ledger's schema (docs/ledger.md "Schema"). One script for SQLite and PostgreSQL:
-- ${bytes} is BLOB / BYTEA, ${id} an auto-increment primary key. Times are epoch milliseconds (UTC).
-- Every row is keyed by (fleet, device) taken from the device certificate, never from a topic.

-- A device that joined: its certificate chain (checked against the fleet root) and its state.
-- The row is the lock a device's tree advances under (SELECT ... FOR UPDATE on PostgreSQL).
CREATE TABLE devices (
  fleet          TEXT NOT NULL,
  device         TEXT NOT NULL,
  cert_chain     ${bytes} NOT NULL,            -- DER certificates, each prefixed by a 4-byte length, leaf first
  cert_serial    TEXT NOT NULL,                -- leaf serial, lowercase hex
  state          TEXT NOT NULL,                -- 'active' | 'revoked'
  confirmed      BIGINT NOT NULL DEFAULT 0,    -- entries 0..confirmed-1 are bound by a device-signed checkpoint
  joined_at      BIGINT NOT NULL,
  revoked_at     BIGINT,
  last_entry_at  BIGINT,
  last_checkpoint_at BIGINT,
  PRIMARY KEY (fleet, device)
);

-- Keys that may sign for a device: the certificate's, and those its own key entries enrolled or rotated in.
CREATE TABLE device_keys (
  fleet        TEXT NOT NULL,
  device       TEXT NOT NULL,
  kid          TEXT NOT NULL,                  -- 16 bytes, lowercase hex
  spki         ${bytes} NOT NULL,
  source       TEXT NOT NULL,                  -- 'certificate' | 'key-entry'
  from_index   BIGINT NOT NULL,                -- first log index it may sign
  revoked_from BIGINT,                         -- first log index it may no longer sign (REVOKE entry + 1)
  PRIMARY KEY (fleet, device, kid)
);

-- Bound entries: index i of the device's log, placed by a device-signed checkpoint. kind 'lost' is a gap:
-- no content (cose NULL), only the leaf hash the device's tree holds there, explained by a signed loss entry.
CREATE TABLE entries (
  fleet        TEXT NOT NULL,
  device       TEXT NOT NULL,
  idx          BIGINT NOT NULL,
  kind         TEXT NOT NULL,                  -- collection | reading | config | key | loss | receipt | lost
  seq          BIGINT,                         -- the signed sequence number (NULL for lost)
  leaf         ${bytes} NOT NULL,              -- RFC 9162 leaf hash
  cose         ${bytes},                       -- the COSE_Sign1 bytes as received (NULL for lost)
  received_at  BIGINT NOT NULL,
  bound_at     BIGINT NOT NULL,
  checkpoint_size BIGINT NOT NULL,             -- the device-signed checkpoint that bound it
  PRIMARY KEY (fleet, device, idx)
);
CREATE INDEX entries_by_leaf ON entries (fleet, device, leaf);

-- Candidates that arrived but are not bound yet (at most a few per index; bounded per device and in total).
CREATE TABLE pending (
  fleet        TEXT NOT NULL,
  device       TEXT NOT NULL,
  idx          BIGINT NOT NULL,
  leaf         ${bytes} NOT NULL,
  kind         TEXT NOT NULL,
  seq          BIGINT,
  cose         ${bytes},                       -- NULL for a lost placeholder
  verified     INTEGER NOT NULL,               -- 1: signature verified on arrival under a known key
  received_at  BIGINT NOT NULL,
  PRIMARY KEY (fleet, device, idx, leaf, kind)
);

-- RFC 9162 complete, aligned subtrees: node (level, idx) covers leaves [idx * 2^level, (idx + 1) * 2^level).
-- Any root, inclusion or consistency proof reads O(log n) of these rows.
CREATE TABLE merkle_nodes (
  fleet        TEXT NOT NULL,
  device       TEXT NOT NULL,
  level        INTEGER NOT NULL,
  idx          BIGINT NOT NULL,
  hash         ${bytes} NOT NULL,
  PRIMARY KEY (fleet, device, level, idx)
);

-- Every device-signed checkpoint that verified, and the witness's cosignature (at most one per size).
CREATE TABLE checkpoints (
  fleet        TEXT NOT NULL,
  device       TEXT NOT NULL,
  size         BIGINT NOT NULL,
  root         ${bytes} NOT NULL,
  note         TEXT NOT NULL,                  -- the device's signed note, as received
  received_at  BIGINT NOT NULL,
  cosigned_at  BIGINT,                         -- NULL until cosigned
  witness      TEXT,
  witness_kid  TEXT,
  cosignature  ${bytes},                       -- raw r||s over "cosignature/v1\ntime T\n" || checkpoint text
  cosign_time  BIGINT,                         -- T, epoch seconds
  PRIMARY KEY (fleet, device, size)
);

-- Decoded collection facts of bound collection entries, for auditors and billing.
CREATE TABLE collections (
  fleet        TEXT NOT NULL,
  device       TEXT NOT NULL,
  idx          BIGINT NOT NULL,                -- entries.idx: the evidence reference is (fleet, device, idx)
  seq          BIGINT NOT NULL,
  collected_at BIGINT NOT NULL,                -- the entry's wall time, epoch ms
  time_source  TEXT NOT NULL,
  bin_tag      TEXT,                           -- container tag raw id, lowercase hex; NULL when no tag was read
  tag_technology TEXT,
  vehicle      TEXT NOT NULL,
  tour         TEXT,                           -- route id
  crew         TEXT,
  lat_e7       INTEGER,
  lon_e7       INTEGER,
  fraction     TEXT,
  volume_l     INTEGER,
  weight_unit  TEXT,                           -- NULL without a weighing
  weight_decimals INTEGER,
  gross        BIGINT,                         -- in 10^-weight_decimals weight_unit, as displayed
  tare         BIGINT,
  net          BIGINT,
  stable       INTEGER,                        -- 0/1
  below_min    INTEGER,
  over_max     INTEGER,
  tilt         INTEGER,
  outcome      TEXT NOT NULL,
  exception    TEXT,
  quality_mask BIGINT NOT NULL,                -- lightchain QualityFlag bit mask
  quality      TEXT NOT NULL,                  -- the same flags by name, comma-separated
  PRIMARY KEY (fleet, device, idx)
);
CREATE INDEX collections_by_bin ON collections (bin_tag, collected_at);
CREATE INDEX collections_by_vehicle ON collections (vehicle, collected_at);
CREATE INDEX collections_by_tour ON collections (tour, collected_at);
CREATE INDEX collections_by_time ON collections (collected_at);
CREATE INDEX collections_by_fleet_time ON collections (fleet, collected_at);

-- Everything refused or contradicting: kept as evidence, counted, never silently dropped.
CREATE TABLE evidence (
  id           ${id},
  fleet        TEXT,                           -- NULL when no device could be named (junk on a topic)
  device       TEXT,
  idx          BIGINT,
  kind         TEXT NOT NULL,                  -- conflict | rejected | unbound | fork | rollback | revoked | ...
  reason       TEXT NOT NULL,
  topic        TEXT,
  payload      ${bytes},                       -- at most the first 64 KiB of what arrived
  received_at  BIGINT NOT NULL
);
CREATE INDEX evidence_by_device ON evidence (fleet, device, received_at);

-- The newest CRL accepted per issuer (signed by the fleet root, CRL number only grows).
CREATE TABLE crls (
  issuer       TEXT NOT NULL,
  crl_number   BIGINT NOT NULL,
  der          ${bytes} NOT NULL,
  received_at  BIGINT NOT NULL,
  PRIMARY KEY (issuer)
);
