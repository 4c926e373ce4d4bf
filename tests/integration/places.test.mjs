// `passerelle import places` and `passerelle export places` on both backends, with the
// open-licence files of tests/data/places: one transaction (a bad row: exit 1, the report names
// file, line, field, value, reason, nothing changes), --skip-invalid, --dry-run, and the export.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, freshDb, NO_PG, runCli, scratchDir } from './lib/process.mjs';

const data = path.join(path.dirname(fileURLToPath(import.meta.url)), '../data/places');
const HEADER =
  'id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,typologie,telephone,courriels,' +
  'site_web,horaires,presentation_resume,presentation_detail,source,itinerance,structure_parente,date_maj,services,' +
  'publics_specifiquement_adresses,prise_en_charge_specifique,frais_a_charge,dispositif_programmes_nationaux,formations_labels,' +
  'autres_formations_labels,modalites_acces,modalites_accompagnement,fiche_acces_libre,prise_rdv';
const row = (id, cp) => `${id},00000000000000,Lieu ${id},Besançon,${cp},,1 rue Battant,,,,,,,,,,,essai,,,2024-02-01,,,,,,,,,,,`;

async function exported(db) {
  const r = await cli(['export', 'places', '--format', 'schema-csv', '--db', db]);
  return r.stdout.split('\r\n').filter(Boolean);
}

for (const kind of ['sqlite', 'postgres']) {
  describe(`lieux ${kind}`, { skip: kind === 'postgres' && NO_PG }, () => {
    test('une ligne invalide : rien ne change, le rapport nomme fichier, ligne, champ, valeur, raison', async () => {
      const db = await freshDb(kind, 'lieux');
      const file = path.join(scratchDir(), `lieux-${kind}.csv`);
      writeFileSync(file, [HEADER, row('a', '25000'), row('b', '2500'), row('c', '25000')].join('\n') + '\n');
      const bad = await runCli(['import', 'places', file, '--format', 'schema-csv', '--db', db]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /, ligne 3, champ « code_postal », valeur « 2500 » : ne respecte pas le motif du schéma/);
      assert.match(bad.stderr, /Import refusé, rien n'a changé : 1 problème\(s\)\./);
      assert.deepEqual(await exported(db), [HEADER]);

      const dry = await cli(['import', 'places', file, '--format', 'schema-csv', '--dry-run', '--skip-invalid', '--db', db]);
      assert.match(dry.stdout, /Essai à blanc/);
      assert.deepEqual(await exported(db), [HEADER]);

      const skipped = await cli(['import', 'places', file, '--format', 'schema-csv', '--skip-invalid', '--db', db]);
      assert.match(skipped.stdout, /3 ligne\(s\) lue\(s\), 2 valide\(s\) ; 2 lieu\(x\) créé\(s\)/);
      assert.match(skipped.stdout, /1 ligne\(s\) laissée\(s\) de côté : 3/);
      assert.equal((await exported(db)).length, 3);
    });

    test('fichiers réels v0 et export schema-csv, json, geojson', async () => {
      const db = await freshDb(kind, 'lieux_reels');
      const nc = await cli(['import', 'places', path.join(data, 'nouvelle-caledonie-20240320.json'), '--format', 'v0-json', '--db', db]);
      assert.match(nc.stdout, /90 ligne\(s\) lue\(s\), 90 valide\(s\) ; 90 lieu\(x\) créé\(s\)/);
      const bus = await cli(['import', 'places', path.join(data, 'bus-france-services-charente-20231003.json'), '--format', 'v0-json', '--db', db]);
      assert.match(bus.stdout, /12 valide\(s\) ; 12 lieu\(x\) créé\(s\)/);
      const again = await cli(['import', 'places', path.join(data, 'bus-france-services-charente-20231003.json'), '--format', 'v0-json', '--db', db]);
      assert.match(again.stdout, /0 lieu\(x\) créé\(s\), 0 fusionné\(s\) avec un lieu existant, 12 mise\(s\) à jour/);
      const lines = await exported(db);
      assert.equal(lines[0], HEADER);
      assert.equal(lines.length, 1 + 102);
      const json = JSON.parse((await cli(['export', 'places', '--format', 'json', '--db', db])).stdout);
      assert.equal(json.length, 102);
      assert.ok(json.some((p) => p.commune === 'Nouméa' && p.telephone?.startsWith('+687')));
      const geo = JSON.parse((await cli(['export', 'places', '--format', 'geojson', '--db', db])).stdout);
      assert.equal(geo.type, 'FeatureCollection');
      assert.equal(geo.features.length, 102);
      assert.equal(geo.features[0].geometry.type, 'Point');
      assert.ok(geo.features[0].properties.sources.length >= 1);
    });
  });
}
