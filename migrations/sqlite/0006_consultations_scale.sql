-- Consultations at the scale of a national debate (millions of contributions): every list order
-- and every count a page shows is read from an index or a counter, never from a scan.
--
-- Orders "plus soutenues" and "plus débattues" sort on sums of counters: indexed as expressions,
-- written exactly as the list query writes them. The counters themselves close each index so that
-- paging reads the index alone (a covering index: no table row per skipped entry).
DROP INDEX contributions_supported;
DROP INDEX contributions_debated;
CREATE INDEX contributions_supported ON contributions (process_id, status, (support_count + agree_count), id, support_count, agree_count);
CREATE INDEX contributions_debated ON contributions (process_id, status, (comment_count + for_count + against_count), id,
  comment_count, for_count, against_count);

-- Order "aléatoire": a random key drawn once per contribution; a visitor's seed picks where the
-- walk through that permutation starts, so each visitor sees a stable order of their own and every
-- contribution has the same chance to be on a first page, at the cost of an index range scan.
ALTER TABLE contributions ADD COLUMN shuffle BIGINT NOT NULL DEFAULT 0;
UPDATE contributions SET shuffle = abs(random() % 2147483648);
CREATE INDEX contributions_shuffle ON contributions (process_id, status, shuffle);

-- Contributions per process, status, section and answer, kept by triggers in the transaction of
-- every change: the "N contributions" of a filtered list is a sum over a few rows.
CREATE TABLE contribution_tallies (
  process_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  section TEXT NOT NULL,
  answer_kind TEXT NOT NULL,                  -- '' without an answer
  n BIGINT NOT NULL,
  PRIMARY KEY (process_id, status, section, answer_kind)
);
INSERT INTO contribution_tallies (process_id, status, section, answer_kind, n)
  SELECT process_id, status, section, COALESCE(answer_kind, ''), count(*) FROM contributions
  GROUP BY process_id, status, section, COALESCE(answer_kind, '');

CREATE TRIGGER contribution_tallies_insert AFTER INSERT ON contributions BEGIN
  INSERT INTO contribution_tallies (process_id, status, section, answer_kind, n)
    VALUES (NEW.process_id, NEW.status, NEW.section, COALESCE(NEW.answer_kind, ''), 1)
    ON CONFLICT (process_id, status, section, answer_kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER contribution_tallies_delete AFTER DELETE ON contributions BEGIN
  UPDATE contribution_tallies SET n = n - 1 WHERE process_id = OLD.process_id AND status = OLD.status
    AND section = OLD.section AND answer_kind = COALESCE(OLD.answer_kind, '');
END;
CREATE TRIGGER contribution_tallies_update AFTER UPDATE OF process_id, status, section, answer_kind ON contributions
  WHEN OLD.process_id <> NEW.process_id OR OLD.status <> NEW.status OR OLD.section <> NEW.section
    OR COALESCE(OLD.answer_kind, '') <> COALESCE(NEW.answer_kind, '') BEGIN
  UPDATE contribution_tallies SET n = n - 1 WHERE process_id = OLD.process_id AND status = OLD.status
    AND section = OLD.section AND answer_kind = COALESCE(OLD.answer_kind, '');
  INSERT INTO contribution_tallies (process_id, status, section, answer_kind, n)
    VALUES (NEW.process_id, NEW.status, NEW.section, COALESCE(NEW.answer_kind, ''), 1)
    ON CONFLICT (process_id, status, section, answer_kind) DO UPDATE SET n = n + 1;
END;

-- Amendments are reported and moderated like the rest: their moderation reason, and "amendment"
-- among the targets of a report (SQLite changes a CHECK by rebuilding the table).
ALTER TABLE amendments ADD COLUMN moderation_reason TEXT NOT NULL DEFAULT '';
CREATE TABLE reports_v6 (
  id INTEGER PRIMARY KEY,
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('contribution', 'argument', 'comment', 'amendment')),
  target_id BIGINT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('spam', 'injurieux', 'hors-sujet', 'donnees-personnelles', 'autre')),
  details TEXT NOT NULL DEFAULT '',
  reporter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
INSERT INTO reports_v6 SELECT id, territory_id, target_kind, target_id, reason, details, reporter_id, created_at, resolved_at, resolved_by FROM reports;
DROP TABLE reports;
ALTER TABLE reports_v6 RENAME TO reports;
CREATE INDEX reports_open ON reports (territory_id, resolved_at);
