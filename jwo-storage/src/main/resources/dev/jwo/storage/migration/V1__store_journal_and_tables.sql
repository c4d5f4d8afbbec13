-- The first schema of a jwo store, shared by every dialect. Placeholders carry what differs:
--   ${binary}: a byte string of up to 1,000,000 bytes;  ${ordered}: a collation that sorts ASCII by byte.

-- Whose data this is: one row, written when the store is created, checked at every start-up.
CREATE TABLE jwo_store (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  format VARCHAR(32) NOT NULL,
  store_id VARCHAR(200) NOT NULL,
  created_at VARCHAR(40) NOT NULL
);

-- One row per stream that has records: the position its next record will get.
CREATE TABLE journal_streams (
  stream VARCHAR(200) ${ordered} NOT NULL PRIMARY KEY,
  next_position BIGINT NOT NULL CHECK (next_position > 0)
);

-- The records of every stream, numbered from 0.
CREATE TABLE journal (
  stream VARCHAR(200) ${ordered} NOT NULL,
  pos BIGINT NOT NULL CHECK (pos >= 0),
  record_type VARCHAR(200) NOT NULL,
  payload ${binary} NOT NULL,
  PRIMARY KEY (stream, pos)
);

-- The rows of every keyed table.
CREATE TABLE keyed_rows (
  table_name VARCHAR(63) NOT NULL,
  row_key VARCHAR(200) ${ordered} NOT NULL,
  row_value ${binary} NOT NULL,
  version BIGINT NOT NULL CHECK (version > 0),
  PRIMARY KEY (table_name, row_key)
);
