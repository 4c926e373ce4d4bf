-- Platform foundation: settings, territories, accounts, sessions, security, mail, files, jobs.
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE territories (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('commune', 'intercommunalite', 'departement', 'region', 'autre')),
  insee_codes TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);

-- Pages a French public body must publish, editable per territory (Markdown).
CREATE TABLE territory_pages (
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  page TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by INTEGER,
  PRIMARY KEY (territory_id, page)
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  profile_type TEXT NOT NULL CHECK (profile_type IN ('citoyen', 'association', 'entreprise', 'organisme-public', 'elu')),
  password_hash TEXT,
  email_confirmed_at BIGINT,
  locale TEXT,
  is_platform_admin INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  deleted_at BIGINT
);

CREATE TABLE memberships (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('administrateur', 'moderateur', 'mediateur', 'agent', 'citoyen')),
  charter_accepted_at BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, territory_id, role)
);
CREATE INDEX memberships_territory ON memberships (territory_id, role);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE one_time_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('confirm', 'reset')),
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);

CREATE TABLE rate_limits (
  bucket TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_user_id INTEGER,
  territory_id INTEGER,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  created_at BIGINT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_at BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);

CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  bytes BLOB NOT NULL,
  uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL
);

-- Scheduled jobs: one lease per job, so that a job runs once whatever the number of processes.
CREATE TABLE jobs (
  name TEXT PRIMARY KEY,
  interval_seconds BIGINT NOT NULL,
  next_run_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT,
  last_run_at BIGINT,
  run_count BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE job_runs (
  id INTEGER PRIMARY KEY,
  job TEXT NOT NULL,
  slot BIGINT NOT NULL,
  owner TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  UNIQUE (job, slot)
);
