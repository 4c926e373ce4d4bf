-- Federation: a territory follows the open data export of another Passerelle instance; a job
-- imports its published practices with provenance. One subscription per origin instance (the
-- imported copies are keyed by instance and origin id, so two territories cannot share one).
CREATE TABLE federation_subscriptions (
  id INTEGER PRIMARY KEY,
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  url TEXT NOT NULL,                 -- the JSON export followed, e.g. https://autre.fr/donnees/pratiques.json
  origin TEXT NOT NULL UNIQUE,       -- scheme://host[:port] of that URL: the provenance of the copies
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  last_pull_at BIGINT,
  last_status TEXT NOT NULL DEFAULT 'jamais' CHECK (last_status IN ('jamais', 'ok', 'erreur')),
  last_message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX federation_subscriptions_territory ON federation_subscriptions (territory_id);

-- One row per pull, kept for the administrators (what changed, or why nothing did).
CREATE TABLE federation_pulls (
  id INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES federation_subscriptions(id) ON DELETE CASCADE,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'erreur')),
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  kept_local INTEGER NOT NULL DEFAULT 0,
  withdrawn INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX federation_pulls_subscription ON federation_pulls (subscription_id, started_at);
