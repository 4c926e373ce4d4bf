-- A counter that moves with every change to `places`: the search index of places (src/places/
-- search.cpp) is rebuilt when it moves, not at every commit of the platform. It starts at random,
-- so that two databases (tests) do not share a value. One bump per
-- statement (an import of 100,000 places does not leave 100,000 versions of the row).
CREATE TABLE places_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n BIGINT NOT NULL
);
INSERT INTO places_version (id, n) VALUES (1, (random() * 1000000000000)::bigint);
CREATE FUNCTION places_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE places_version SET n = n + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;
CREATE TRIGGER places_version_change AFTER INSERT OR UPDATE OR DELETE ON places
  FOR EACH STATEMENT EXECUTE FUNCTION places_version_bump();
