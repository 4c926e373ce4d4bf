// /api/v1/places and /api/v1/places/clusters on both backends, over HTTP, on the real places
// of New Caledonia and of the Charente bus (tests/data/places): nearest first with a service,
// radius, open at an instant in Nouméa's time zone, GeoJSON (RFC 7946 shape), clusters, and 400
// with a French message naming the parameter for every malformed one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, freshDb, NO_PG, startServer } from './lib/process.mjs';

const data = path.join(path.dirname(fileURLToPath(import.meta.url)), '../data/places');
const NOUMEA = '-22.2758,166.4580';
const DEMARCHES = 'Aide aux démarches administratives';

function validPoint(g) {
  assert.equal(g.type, 'Point');
  assert.equal(g.coordinates.length, 2);
  const [lon, lat] = g.coordinates;
  assert.ok(Number.isFinite(lon) && lon >= -180 && lon <= 180, `longitude ${lon}`);
  assert.ok(Number.isFinite(lat) && lat >= -90 && lat <= 90, `latitude ${lat}`);
}

for (const kind of ['sqlite', 'postgres']) {
  describe(`API des lieux ${kind}`, { skip: kind === 'postgres' && NO_PG }, () => {
    let server;
    const get = (q, headers = {}) => fetch(`${server.url}/api/v1/places${q}`, { headers });

    before(async () => {
      const db = await freshDb(kind, 'lieux_api');
      for (const file of ['nouvelle-caledonie-20240320.json', 'bus-france-services-charente-20231003.json'])
        await cli(['import', 'places', path.join(data, file), '--format', 'v0-json', '--db', db]);
      server = await startServer({ db, name: `lieux-api-${kind}` });
    });
    after(async () => server?.stop());

    test('les plus proches avec un service, distances, pagination, rayon', async () => {
      const r = await get(`?near=${NOUMEA}&services=${encodeURIComponent(DEMARCHES)}&per_page=3`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('server-timing'), /search;dur=/);
      const body = await r.json();
      assert.deepEqual(body.lieux.map((l) => l.identifiant), ['17', '71', '30']);
      assert.deepEqual(body.lieux.map((l) => l.distance_km), [0.813, 0.908, 1.115]);
      assert.equal(body.lieux[0].fuseau_horaire, 'Pacific/Noumea');
      assert.equal(body.lieux[0].url, `/lieux/${body.lieux[0].id}`);
      assert.equal(body.lieux[0].position_centre_commune, false);
      assert.ok(body.lieux.every((l) => l.services.includes(DEMARCHES)));
      const page2 = await (await get(`?near=${NOUMEA}&services=${encodeURIComponent(DEMARCHES)}&per_page=3&page=2`)).json();
      assert.equal(page2.lieux[0].identifiant, '44');
      assert.equal(page2.total, body.total);
      const near = await (await get(`?near=${NOUMEA}&radius_km=5&services=${encodeURIComponent('aide aux demarches administratives')}`)).json();
      assert.equal(near.total, 20);
      assert.ok(near.lieux.every((l) => l.distance_km <= 5));
      const commune = await (await get('?commune=98818&per_page=1')).json();
      assert.equal(commune.origine.libelle, 'Nouméa (98818)');
      const postal = await (await get('?code_postal=16000&per_page=1')).json();
      assert.match(postal.origine.libelle, /^16000 \(Angoulême\)$/);
    });

    test('ouvert à un instant donné, à l’heure de Nouméa', async () => {
      // Monday 7 December 2026 at 17:30 in Nouméa is 06:30 UTC.
      const body = await (await get(`?near=${NOUMEA}&services=${encodeURIComponent(DEMARCHES)}&open_at=2026-12-07T06:30:00Z&per_page=5`)).json();
      assert.equal(body.lieux[0].identifiant, '17');
      assert.ok(body.lieux.every((l) => l.ouvert));
      assert.ok(!body.lieux.some((l) => l.identifiant === '71'));
      const local = await (await get(`?near=${NOUMEA}&services=${encodeURIComponent(DEMARCHES)}&open_at=2026-12-07T17:30&per_page=5`)).json();
      assert.deepEqual(local.lieux.map((l) => l.identifiant), body.lieux.map((l) => l.identifiant));
    });

    test('GeoJSON par format=geojson et par Accept', async () => {
      for (const r of [await get(`?near=${NOUMEA}&format=geojson&per_page=50`), await get(`?near=${NOUMEA}&per_page=50`, { accept: 'application/geo+json' })]) {
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type'), /^application\/geo\+json/);
        const g = await r.json();
        assert.equal(g.type, 'FeatureCollection');
        assert.equal(g.features.length, 50);
        for (const f of g.features) {
          assert.equal(f.type, 'Feature');
          validPoint(f.geometry);
          assert.equal(typeof f.properties.nom, 'string');
          assert.ok(!('latitude' in f.properties));
        }
        assert.equal(g.total, 102);
      }
    });

    test('groupes pour la carte', async () => {
      const r = await fetch(`${server.url}/api/v1/places/clusters?zoom=5`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^application\/geo\+json/);
      const g = await r.json();
      assert.equal(g.type, 'FeatureCollection');
      g.features.forEach((f) => validPoint(f.geometry));
      assert.equal(g.features.reduce((n, f) => n + f.properties.nombre, 0), 102);
      const metro = await (await fetch(`${server.url}/api/v1/places/clusters?zoom=5&bbox=-5.5,41,10,51.5`)).json();
      assert.equal(metro.features.reduce((n, f) => n + f.properties.nombre, 0), 12);
      const filtered = await (await fetch(`${server.url}/api/v1/places/clusters?zoom=3&services=${encodeURIComponent(DEMARCHES)}`)).json();
      const total = (await (await get(`?services=${encodeURIComponent(DEMARCHES)}&per_page=1`)).json()).total;
      assert.equal(filtered.features.reduce((n, f) => n + f.properties.nombre, 0), total);
    });

    test('400 qui nomme le paramètre', async () => {
      const cases = [
        ['?near=abc', 'near', /« near »/],
        ['?near=51.5,-0.12', 'near', /pas en France/],
        ['?commune=99999', 'commune', /« commune »/],
        ['?code_postal=00000', 'code_postal', /« code_postal »/],
        ['?near=1,2&commune=25056', 'near', /une seule origine/],
        ['?services=Aide%20aux%20devoirs', 'services', /« services » : « Aide aux devoirs »/],
        ['?modalites=Par%20pigeon', 'modalites', /« modalites »/],
        ['?radius_km=10', 'radius_km', /origine/],
        [`?near=${NOUMEA}&radius_km=-3`, 'radius_km', /« radius_km »/],
        ['?open_at=demain', 'open_at', /« open_at »/],
        ['?open_now=peut-etre', 'open_now', /« open_now »/],
        ['?page=0', 'page', /« page »/],
        ['?per_page=1000', 'per_page', /« per_page »/],
        ['?format=xml', 'format', /« format »/],
      ];
      for (const [q, champ, message] of cases) {
        const r = await get(q);
        assert.equal(r.status, 400, q);
        const body = await r.json();
        assert.equal(body.error.champ, champ, q);
        assert.match(body.error.message, message, q);
      }
      for (const [q, champ] of [['?zoom=99', 'zoom'], ['', 'zoom'], ['?zoom=4&bbox=1,2,3', 'bbox'], ['?zoom=4&services=x', 'services']]) {
        const r = await fetch(`${server.url}/api/v1/places/clusters${q}`);
        assert.equal(r.status, 400, q);
        assert.equal((await r.json()).error.champ, champ, q);
      }
    });

    test('les filtres de /lieux sont traduits : valeurs du schéma en anglais, la valeur envoyée reste celle du schéma', async () => {
      const en = await (await fetch(`${server.url}/lieux`, { headers: { 'accept-language': 'en' } })).text();
      assert.match(en, /value="Aide aux démarches administratives"[^>]*>\s*<label[^>]*>Help with administrative procedures<\/label>/);
      const fr = await (await fetch(`${server.url}/lieux`)).text();
      assert.match(fr, /<label[^>]*>Aide aux démarches administratives<\/label>/);
    });
  });
}

describe('carte : serveur de tuiles configurable', () => {
  test('map_tiles_url entre dans la page et dans img-src de sa politique, et seulement là', async () => {
    const db = await freshDb('sqlite', 'lieux_tuiles');
    const server = await startServer({
      db,
      name: 'lieux-tuiles',
      env: { PASSERELLE_MAP_TILES_URL: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', PASSERELLE_MAP_TILES_ATTRIBUTION: '© OpenStreetMap' },
    });
    try {
      const r = await fetch(`${server.url}/lieux`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-security-policy'), /img-src 'self' data: https:\/\/\*\.tile\.openstreetmap\.org;/);
      const html = await r.text();
      assert.match(html, /data-tuiles="https:\/\/\{s\}\.tile\.openstreetmap\.org\/\{z\}\/\{x\}\/\{y\}\.png"/);
      assert.match(html, /data-attribution="© OpenStreetMap"/);
      const other = await fetch(`${server.url}/lieux/orientation`);
      assert.match(other.headers.get('content-security-policy'), /img-src 'self' data:;/);
    } finally {
      await server.stop();
    }
  });
});
