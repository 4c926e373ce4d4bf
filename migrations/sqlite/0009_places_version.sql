-- A counter that moves with every change to `places`: the search index of places (src/places/
-- search.cpp) is rebuilt when it moves, not at every commit of the platform. It starts at random,
-- so that two databases (tests) do not share a value.
CREATE TABLE places_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n BIGINT NOT NULL
);
INSERT INTO places_version (id, n) VALUES (1, abs(random() % 1000000000000));
CREATE TRIGGER places_version_insert AFTER INSERT ON places BEGIN
  UPDATE places_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER places_version_update AFTER UPDATE ON places BEGIN
  UPDATE places_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER places_version_delete AFTER DELETE ON places BEGIN
  UPDATE places_version SET n = n + 1 WHERE id = 1;
END;
