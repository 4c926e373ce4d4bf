-- Consultations at the scale of a national debate (millions of contributions): every list order
-- and every count a page shows is read from an index or a counter, never from a scan.
--
-- Orders "plus soutenues" and "plus débattues" sort on sums of counters: indexed as expressions,
-- written exactly as the list query writes them. The counters themselves are included so that
-- paging can read the index alone.
DROP INDEX contributions_supported;
DROP INDEX contributions_debated;
CREATE INDEX contributions_supported ON contributions (process_id, status, (support_count + agree_count), id) INCLUDE (support_count, agree_count);
CREATE INDEX contributions_debated ON contributions (process_id, status, (comment_count + for_count + against_count), id)
  INCLUDE (comment_count, for_count, against_count);

-- Order "aléatoire": a random key drawn once per contribution; a visitor's seed picks where the
-- walk through that permutation starts, so each visitor sees a stable order of their own and every
-- contribution has the same chance to be on a first page, at the cost of an index range scan.
ALTER TABLE contributions ADD COLUMN shuffle BIGINT NOT NULL DEFAULT 0;
UPDATE contributions SET shuffle = floor(random() * 2147483648)::bigint;
CREATE INDEX contributions_shuffle ON contributions (process_id, status, shuffle);

-- Contributions per process, status, section and answer, kept by a trigger in the transaction of
-- every change: the "N contributions" of a filtered list is a sum over a few rows.
CREATE TABLE contribution_tallies (
  process_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  section TEXT NOT NULL,
  answer_kind TEXT NOT NULL,                  -- '' without an answer
  n BIGINT NOT NULL,
  PRIMARY KEY (process_id, status, section, answer_kind)
);
INSERT INTO contribution_tallies (process_id, status, section, answer_kind, n)
  SELECT process_id, status, section, COALESCE(answer_kind, ''), count(*) FROM contributions
  GROUP BY process_id, status, section, COALESCE(answer_kind, '');

CREATE FUNCTION contribution_tallies_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE contribution_tallies SET n = n - 1 WHERE process_id = OLD.process_id AND status = OLD.status
      AND section = OLD.section AND answer_kind = COALESCE(OLD.answer_kind, '');
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO contribution_tallies (process_id, status, section, answer_kind, n)
      VALUES (NEW.process_id, NEW.status, NEW.section, COALESCE(NEW.answer_kind, ''), 1)
      ON CONFLICT (process_id, status, section, answer_kind) DO UPDATE SET n = contribution_tallies.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER contribution_tallies_change AFTER INSERT OR DELETE ON contributions
  FOR EACH ROW EXECUTE FUNCTION contribution_tallies_change();
CREATE TRIGGER contribution_tallies_update AFTER UPDATE OF process_id, status, section, answer_kind ON contributions
  FOR EACH ROW WHEN (OLD.process_id <> NEW.process_id OR OLD.status <> NEW.status OR OLD.section <> NEW.section
    OR OLD.answer_kind IS DISTINCT FROM NEW.answer_kind)
  EXECUTE FUNCTION contribution_tallies_change();

-- Amendments are reported and moderated like the rest: their moderation reason, and "amendment"
-- among the targets of a report.
ALTER TABLE amendments ADD COLUMN moderation_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE reports DROP CONSTRAINT reports_target_kind_check;
ALTER TABLE reports ADD CONSTRAINT reports_target_kind_check CHECK (target_kind IN ('contribution', 'argument', 'comment', 'amendment'));
