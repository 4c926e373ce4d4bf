-- The restitution of a consultation inside the platform: one row per process with the state of
-- its background computation (requested, running, done, failed) and the last result (the JSON
-- of the engine and the report's HTML in each language, with its date, parameters and seed),
-- replaced in one transaction by a re-run. The quoted contributions (a quote whose
-- contribution is no longer published makes the result stale) and, per theme, the contributions
-- that divide most (the controversy map) are kept beside it.
CREATE TABLE restitutions (
  process_id BIGINT PRIMARY KEY REFERENCES processes(id) ON DELETE CASCADE,
  state TEXT NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'running', 'done', 'failed')),
  requested_at BIGINT NOT NULL,
  requested_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  requests BIGINT NOT NULL DEFAULT 1,         -- bumped by every request; a run takes the value it started with
  started_requests BIGINT NOT NULL DEFAULT 0,
  started_at BIGINT,
  lease_until BIGINT,                         -- a run whose process died is taken over after this
  error TEXT NOT NULL DEFAULT '',             -- message key of the last failure
  computed_at BIGINT,                         -- of the result below (NULL: none yet)
  seed BIGINT NOT NULL DEFAULT 1,
  parameters TEXT NOT NULL DEFAULT '',        -- JSON
  contributions BIGINT NOT NULL DEFAULT 0,    -- analysed (published)
  seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
  result_json TEXT NOT NULL DEFAULT '',
  report_fr TEXT NOT NULL DEFAULT '',
  report_en TEXT NOT NULL DEFAULT ''
);
CREATE INDEX restitutions_state ON restitutions (state, requested_at);

CREATE TABLE restitution_quotes (
  process_id BIGINT NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
  contribution_id BIGINT NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
  PRIMARY KEY (process_id, contribution_id)
);
CREATE INDEX restitution_quotes_contribution ON restitution_quotes (contribution_id);

CREATE TABLE restitution_controversies (
  process_id BIGINT NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
  theme INTEGER NOT NULL,
  theme_label TEXT NOT NULL,
  group_name TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL,
  contribution_id BIGINT NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
  score DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (process_id, theme, position)
);
