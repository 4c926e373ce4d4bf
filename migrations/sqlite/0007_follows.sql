-- Following a contribution: who follows what, what happened since (one row per follower and
-- event, written in the transaction of the event), and how often each account wants a digest.
CREATE TABLE follows (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, contribution_id)
);
CREATE INDEX follows_contribution ON follows (contribution_id, user_id);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('argument', 'comment', 'amendment', 'answer', 'status', 'milestone', 'milestone_done')),
  actor_name TEXT NOT NULL DEFAULT '',        -- display name at the time of the event
  excerpt TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  read_at BIGINT,
  digested_at BIGINT                          -- gathered into a digest (or passed over: digest none)
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_undigested ON notifications (user_id) WHERE digested_at IS NULL;

-- A row once the account changes the default (daily) or gets a first digest.
CREATE TABLE notification_settings (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  digest TEXT NOT NULL DEFAULT 'daily' CHECK (digest IN ('none', 'daily', 'weekly')),
  last_digest_on TEXT NOT NULL DEFAULT '',    -- Europe/Paris day (YYYY-MM-DD) of the last digest sent
  updated_at BIGINT NOT NULL
);

-- The author of a contribution follows it from the start (accounts only: a person registered by
-- a mediator has no address to write to).
INSERT OR IGNORE INTO follows (user_id, contribution_id, created_at)
  SELECT user_id, id, created_at FROM contributions WHERE user_id IS NOT NULL;
CREATE TRIGGER follows_author AFTER INSERT ON contributions WHEN NEW.user_id IS NOT NULL BEGIN
  INSERT OR IGNORE INTO follows (user_id, contribution_id, created_at) VALUES (NEW.user_id, NEW.id, NEW.created_at);
END;
