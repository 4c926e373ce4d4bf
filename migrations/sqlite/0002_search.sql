-- The search change log (src/search/service.cpp). A store writes a row in the transaction that
-- changes searchable content (search::record_change); every process applies the rows to its own
-- index. AUTOINCREMENT: ids are never reused, even after old rows are pruned.
CREATE TABLE search_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  ref_id BIGINT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX search_changes_at ON search_changes (at);

-- Territories are searchable (kind "territory"): triggers note their changes, so the territory
-- store stays free of search code.
CREATE TRIGGER search_territory_insert AFTER INSERT ON territories BEGIN
  INSERT INTO search_changes (kind, ref_id, at) VALUES ('territory', NEW.id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER search_territory_update AFTER UPDATE ON territories BEGIN
  INSERT INTO search_changes (kind, ref_id, at) VALUES ('territory', NEW.id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER search_territory_delete AFTER DELETE ON territories BEGIN
  INSERT INTO search_changes (kind, ref_id, at) VALUES ('territory', OLD.id, CAST(strftime('%s', 'now') AS INTEGER));
END;
