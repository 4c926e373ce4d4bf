-- Corrections of lieux de médiation numérique proposed by anyone (docs/places.md, "Corrections").
-- A proposal names new values for some schema fields (`changes`, a JSON object), with the values
-- the place showed when it was made (`previous`) and a comment. A moderator accepts it (it is then
-- saved as a source "correction" of the place, so the merge rules still apply and nothing is
-- lost) or rejects it; accepted ones are the place's history of changes.
CREATE TABLE place_corrections (
  id INTEGER PRIMARY KEY,
  place_id INTEGER NOT NULL REFERENCES places(id) ON DELETE CASCADE,
  changes TEXT NOT NULL,
  previous TEXT NOT NULL,
  comment TEXT NOT NULL,
  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'pending',  -- pending, accepted, rejected
  created_at BIGINT NOT NULL,
  decided_at BIGINT,
  decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  decision_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX place_corrections_status ON place_corrections (status, created_at);
CREATE INDEX place_corrections_place ON place_corrections (place_id, status);
