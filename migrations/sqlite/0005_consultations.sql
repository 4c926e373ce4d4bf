-- Consultations: participatory processes, their dated phases, contributions (numbered across
-- the platform), arguments for/against, sources, threaded comments, one vote table with one vote
-- per participant and target, people registered by a mediator, reports and follow-up.
-- Counters on contributions and arguments are kept in the transaction that changes the votes.
CREATE TABLE processes (
  id INTEGER PRIMARY KEY,
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'trashed')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  themes TEXT NOT NULL DEFAULT '',            -- Les Bases theme slugs, space-separated
  sections TEXT NOT NULL DEFAULT '',          -- one per line; contributions pick one
  vote_mode TEXT NOT NULL DEFAULT 'opinion' CHECK (vote_mode IN ('opinion', 'support')),
  support_limit INTEGER NOT NULL DEFAULT 0,   -- support mode: supports per participant, 0 = no limit
  premoderation INTEGER NOT NULL DEFAULT 0,
  audience TEXT NOT NULL DEFAULT 'anyone' CHECK (audience IN ('anyone', 'residents')),
  min_age INTEGER NOT NULL DEFAULT 0,
  residency TEXT NOT NULL DEFAULT 'declared' CHECK (residency IN ('declared', 'verified')),
  communes TEXT NOT NULL DEFAULT '',          -- INSEE codes of the territory's communes (residents)
  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX processes_territory ON processes (territory_id, status);

CREATE TABLE process_phases (
  id INTEGER PRIMARY KEY,
  process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('information', 'contribution', 'vote', 'restitution')),
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  allows TEXT NOT NULL DEFAULT '',            -- space-separated: contribute argue vote comment
  position INTEGER NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX process_phases_process ON process_phases (process_id, position);

-- A person without an account, registered once by a mediator and found again next time.
CREATE TABLE participants (
  id INTEGER PRIMARY KEY,
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  display_name TEXT NOT NULL,                 -- name or pseudonym
  commune TEXT NOT NULL DEFAULT '',
  residency_verified INTEGER NOT NULL DEFAULT 0,
  consent_at BIGINT NOT NULL,
  registered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX participants_territory ON participants (territory_id, display_name);

-- Residency verified by a mediator or an agent, per account and territory.
CREATE TABLE residencies (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  commune TEXT NOT NULL DEFAULT '',
  verified_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  verified_at BIGINT,
  birth_year INTEGER,
  PRIMARY KEY (user_id, territory_id)
);

CREATE TABLE contributions (
  id INTEGER PRIMARY KEY,
  process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
  section TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
  channel TEXT NOT NULL DEFAULT 'online' CHECK (channel IN ('online', 'mediator', 'paper')),
  paper_ref TEXT NOT NULL DEFAULT '',
  entered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  consent_at BIGINT,
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'pending', 'hidden', 'withdrawn', 'trashed')),
  moderation_reason TEXT NOT NULL DEFAULT '',
  review_requested INTEGER NOT NULL DEFAULT 0,
  flagged TEXT NOT NULL DEFAULT '',           -- why the automatic checks asked for review
  answer_kind TEXT CHECK (answer_kind IN ('retenue', 'ecartee', 'etude')),
  answer_text TEXT NOT NULL DEFAULT '',
  answered_at BIGINT,
  agree_count INTEGER NOT NULL DEFAULT 0,
  mixed_count INTEGER NOT NULL DEFAULT 0,
  disagree_count INTEGER NOT NULL DEFAULT 0,
  support_count INTEGER NOT NULL DEFAULT 0,
  for_count INTEGER NOT NULL DEFAULT 0,
  against_count INTEGER NOT NULL DEFAULT 0,
  comment_count INTEGER NOT NULL DEFAULT 0,
  text_digest TEXT NOT NULL DEFAULT '',       -- of the normalised text: repeated texts are flagged
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX contributions_recent ON contributions (process_id, status, created_at);
CREATE INDEX contributions_supported ON contributions (process_id, status, support_count, agree_count);
CREATE INDEX contributions_debated ON contributions (process_id, status, comment_count);
CREATE INDEX contributions_digest ON contributions (process_id, text_digest);
CREATE INDEX contributions_moderation ON contributions (status, review_requested);

CREATE TABLE arguments (
  id INTEGER PRIMARY KEY,
  contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
  side TEXT NOT NULL CHECK (side IN ('for', 'against')),
  body TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
  entered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'pending', 'hidden', 'withdrawn', 'trashed')),
  moderation_reason TEXT NOT NULL DEFAULT '',
  useful_count INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX arguments_contribution ON arguments (contribution_id, side, status);

CREATE TABLE contribution_sources (
  id INTEGER PRIMARY KEY,
  contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('etude', 'article', 'donnees', 'texte-officiel', 'autre')),
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX contribution_sources_contribution ON contribution_sources (contribution_id);

CREATE TABLE contribution_comments (
  id INTEGER PRIMARY KEY,
  contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES contribution_comments(id) ON DELETE CASCADE,
  depth INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'pending', 'hidden', 'withdrawn', 'trashed')),
  moderation_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX contribution_comments_contribution ON contribution_comments (contribution_id, created_at);

-- Amendments: a proposed new version of a contribution (shown as a diff), with its own votes.
CREATE TABLE amendments (
  id INTEGER PRIMARY KEY,
  contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'pending', 'hidden', 'withdrawn', 'trashed')),
  agree_count INTEGER NOT NULL DEFAULT 0,
  mixed_count INTEGER NOT NULL DEFAULT 0,
  disagree_count INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX amendments_contribution ON amendments (contribution_id, status);

-- One vote per participant (an account "u:<id>" or a registered person "p:<id>") and target.
CREATE TABLE votes (
  id INTEGER PRIMARY KEY,
  process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('contribution', 'argument', 'amendment')),
  target_id BIGINT NOT NULL,
  voter TEXT NOT NULL,
  value TEXT NOT NULL CHECK (value IN ('agree', 'mixed', 'disagree', 'support', 'useful')),
  entered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (target_kind, target_id, voter)
);
CREATE INDEX votes_voter ON votes (process_id, voter, value);

CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('contribution', 'argument', 'comment')),
  target_id BIGINT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('spam', 'injurieux', 'hors-sujet', 'donnees-personnelles', 'autre')),
  details TEXT NOT NULL DEFAULT '',
  reporter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX reports_open ON reports (territory_id, resolved_at);

-- After the answer: following a retained contribution to the end.
CREATE TABLE contribution_followups (
  contribution_id INTEGER PRIMARY KEY REFERENCES contributions(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'a-lancer' CHECK (status IN ('a-lancer', 'en-cours', 'realisee', 'abandonnee')),
  service TEXT NOT NULL DEFAULT '',
  budget_cents BIGINT,
  progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  updated_at BIGINT NOT NULL
);
CREATE TABLE followup_milestones (
  id INTEGER PRIMARY KEY,
  contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  done_at BIGINT
);
CREATE INDEX followup_milestones_contribution ON followup_milestones (contribution_id, due_at);
