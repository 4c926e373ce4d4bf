-- Lieux de médiation numérique (schema "lieux de médiation numérique" v1.0.2, docs/places.md).
-- `places` holds the merged values, one column per schema field (`ident` is the schema's `id`;
-- multiple values joined by `|`); `place_sources` keeps every record each source gave, so a
-- place read from several files keeps all of them and its values can be recomputed.
CREATE TABLE places (
  id INTEGER PRIMARY KEY,
  ident TEXT NOT NULL UNIQUE,
  pivot TEXT NOT NULL,
  nom TEXT NOT NULL,
  commune TEXT NOT NULL,
  code_postal TEXT NOT NULL,
  code_insee TEXT NOT NULL DEFAULT '',
  adresse TEXT NOT NULL,
  complement_adresse TEXT NOT NULL DEFAULT '',
  latitude REAL,
  longitude REAL,
  typologie TEXT NOT NULL DEFAULT '',
  telephone TEXT NOT NULL DEFAULT '',
  courriels TEXT NOT NULL DEFAULT '',
  site_web TEXT NOT NULL DEFAULT '',
  horaires TEXT NOT NULL DEFAULT '',
  presentation_resume TEXT NOT NULL DEFAULT '',
  presentation_detail TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  itinerance TEXT NOT NULL DEFAULT '',
  structure_parente TEXT NOT NULL DEFAULT '',
  date_maj TEXT NOT NULL,
  services TEXT NOT NULL DEFAULT '',
  publics_specifiquement_adresses TEXT NOT NULL DEFAULT '',
  prise_en_charge_specifique TEXT NOT NULL DEFAULT '',
  frais_a_charge TEXT NOT NULL DEFAULT '',
  dispositif_programmes_nationaux TEXT NOT NULL DEFAULT '',
  formations_labels TEXT NOT NULL DEFAULT '',
  autres_formations_labels TEXT NOT NULL DEFAULT '',
  modalites_acces TEXT NOT NULL DEFAULT '',
  modalites_accompagnement TEXT NOT NULL DEFAULT '',
  fiche_acces_libre TEXT NOT NULL DEFAULT '',
  prise_rdv TEXT NOT NULL DEFAULT '',
  name_key TEXT NOT NULL DEFAULT '',     -- normalised name and address (merge.hpp)
  address_key TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX places_pivot ON places (pivot);
CREATE INDEX places_name_key ON places (name_key);
CREATE INDEX places_latitude ON places (latitude);
CREATE INDEX places_code_postal ON places (code_postal);

CREATE TABLE place_sources (
  id INTEGER PRIMARY KEY,
  place_id INTEGER NOT NULL REFERENCES places(id) ON DELETE CASCADE,
  source TEXT NOT NULL,                  -- the record's `source`, else the file name
  source_id TEXT NOT NULL,               -- the record's `id` in that source
  date_maj TEXT NOT NULL,                -- YYYY-MM-DD
  file TEXT NOT NULL DEFAULT '',
  record TEXT NOT NULL,                  -- JSON object of the 32 fields as that source gave them
  imported_at BIGINT NOT NULL,
  UNIQUE (source, source_id)
);
CREATE INDEX place_sources_place ON place_sources (place_id);
