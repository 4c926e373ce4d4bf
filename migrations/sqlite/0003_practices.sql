-- Practice sheets ("bonnes pratiques") shared between territories, their versions, attachments,
-- links, reuses, comments and collections. Taxonomies of Les Bases are in practice_terms.
CREATE TABLE practices (
  id INTEGER PRIMARY KEY,
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'unpublished', 'trashed')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  communes TEXT NOT NULL DEFAULT '',          -- INSEE codes, space-separated
  cost TEXT NOT NULL DEFAULT '',
  cost_cents BIGINT,
  partners TEXT NOT NULL DEFAULT '',          -- one per line
  contact_name TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  licence TEXT NOT NULL DEFAULT 'etalab-2.0' CHECK (licence IN ('etalab-2.0', 'cc-by-sa-4.0')),
  version INTEGER NOT NULL DEFAULT 1,
  reuse_count INTEGER NOT NULL DEFAULT 0,
  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_at BIGINT,
  -- Provenance: a local reuse points to its origin; an import names the instance and its id.
  origin_practice_id INTEGER REFERENCES practices(id) ON DELETE SET NULL,
  origin_instance TEXT,
  origin_id TEXT,
  origin_territory TEXT NOT NULL DEFAULT '',
  credit TEXT NOT NULL DEFAULT '',
  locally_modified INTEGER NOT NULL DEFAULT 0,
  origin_updated_at BIGINT NOT NULL DEFAULT 0,
  UNIQUE (origin_instance, origin_id)
);
CREATE INDEX practices_status_updated ON practices (status, updated_at);
CREATE INDEX practices_territory ON practices (territory_id, status);

-- One row per taxonomy value: taxonomy IN ('theme', 'type', 'public', 'sector').
CREATE TABLE practice_terms (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  taxonomy TEXT NOT NULL CHECK (taxonomy IN ('theme', 'type', 'public', 'sector')),
  slug TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (practice_id, taxonomy, slug)
);
CREATE INDEX practice_terms_facet ON practice_terms (taxonomy, slug, practice_id);

-- Full snapshot (JSON) of the content at each save, with its author.
CREATE TABLE practice_versions (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  content TEXT NOT NULL,
  UNIQUE (practice_id, number)
);

CREATE TABLE practice_attachments (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('image', 'pdf')),
  name TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  alt TEXT NOT NULL DEFAULT '',
  caption TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX practice_attachments_practice ON practice_attachments (practice_id, position);

CREATE TABLE practice_links (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  url TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (practice_id, position)
);

-- "Je m'en inspire": once per (practice, territory).
CREATE TABLE practice_reuses (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  copy_id INTEGER REFERENCES practices(id) ON DELETE SET NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (practice_id, territory_id)
);

CREATE TABLE practice_comments (
  id INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden')),
  moderated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX practice_comments_practice ON practice_comments (practice_id, created_at);

CREATE TABLE practice_collections (
  id INTEGER PRIMARY KEY,
  territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (territory_id, name)
);

CREATE TABLE practice_collection_items (
  collection_id INTEGER NOT NULL REFERENCES practice_collections(id) ON DELETE CASCADE,
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  PRIMARY KEY (collection_id, practice_id)
);
