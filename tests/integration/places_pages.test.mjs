// The place pages over HTTP, on SQLite and on PostgreSQL, against the real server: the France
// Services importer on the hand-made fixture (the bad row's report, then --skip-invalid), the
// place page (fields in French, hours, open now, sources), a correction refused with a precise
// message and nothing saved, a correction proposed by a visitor, moderated by a moderator of the
// place's territory, then shown on the place page with its history; territory, network and
// about-the-data pages.
//   PASSERELLE_BIN=… PASSERELLE_TEST_PG_URL=… node --test tests/integration/places_pages.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { addUser, BIN, cli, Client, fieldError, PG_URL, prepareDatabase, run, sql, startServer, textOf, uniqueEmail } from './lib/server.mjs';

const PASSWORD = 'une phrase de passe assez longue';
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../data/places/france-services-exemple-20221201.csv');

for (const backend of ['sqlite', 'postgres']) {
  describe(`Pages des lieux (${backend})`, { skip: backend === 'postgres' && !PG_URL ? 'PASSERELLE_TEST_PG_URL absent' : false }, () => {
    let db;
    let server;
    let placeId;
    const moderator = uniqueEmail('moderatrice');
    const otherModerator = uniqueEmail('moderateur-besancon');

    before(async () => {
      db = await prepareDatabase(backend);
      await addUser(db, { email: moderator, password: PASSWORD, role: 'moderateur', territory: 'grand-angouleme', displayName: 'Modératrice' });
      await addUser(db, { email: otherModerator, password: PASSWORD, role: 'moderateur', territory: 'besancon', displayName: 'Modérateur' });
    });

    after(async () => {
      if (server) await server.stop();
      if (db) await db.drop();
    });

    it('import France Services : la mauvaise ligne est nommée et rien ne change, puis --skip-invalid', async () => {
      const before = await sql(db, 'SELECT COUNT(*) FROM places');
      const bad = await run(BIN, ['import', 'places', FIXTURE, '--format', 'france-services', '--db', db.url]);
      assert.equal(bad.code, 1, bad.stdout + bad.stderr);
      assert.match(bad.stderr, /france-services-exemple-20221201\.csv, ligne 5, champ « telephone », valeur « 12 34 » : ne respecte pas le motif du schéma/);
      assert.match(bad.stderr, /rien n'a changé/);
      assert.equal(await sql(db, 'SELECT COUNT(*) FROM places'), before);
      const ok = await cli(['import', 'places', FIXTURE, '--format', 'france-services', '--skip-invalid', '--db', db.url]);
      assert.match(ok.stdout, /5 ligne\(s\) lue\(s\), 4 valide\(s\)/);
      assert.match(ok.stdout, /laissée\(s\) de côté : 5/);
      placeId = Number(await sql(db, "SELECT id FROM places WHERE nom = 'France services d''Essai-sur-Charente'"));
      assert.ok(placeId > 0);
      server = await startServer(db);
    });

    it('la page du lieu : champs en français, horaires en clair, ouvert maintenant, sources', async () => {
      const r = await new Client(server.url).get(`/lieux/${placeId}`);
      assert.equal(r.status, 200);
      const text = textOf(r.body);
      assert.match(text, /France services d'Essai-sur-Charente/);
      assert.match(text, /Typologie Réseau France Services/);
      assert.match(text, /Aide aux démarches administratives/);
      assert.match(text, /Frais à charge Gratuit/);
      assert.match(text, /lundi : de 9 h à 12 h et de 13 h 30 à 17 h/);
      assert.match(text, /(Ouvert|Fermé) en ce moment \(il est \d+ h \d\d, heure locale, fuseau Europe\/Paris\)/);
      assert.match(text, /Sources des données \(provenance\)/);
      assert.match(text, /France Services 1 2022-12-01 france-services-exemple-20221201/);
      assert.match(text, /Aucune correction n'a encore été acceptée/);
      assert.match(r.body, /href="\/lieux\/\d+\/corriger"/);
      assert.match(r.body, /href="https:\/\/www\.openstreetmap\.org\/\?mlat=45\.6484&amp;mlon=0\.1562/);
      assert.equal(/name="_csrf"/.test(r.body), false, 'pas de formulaire : la page reste en cache');

      const noumea = Number(await sql(db, "SELECT id FROM places WHERE nom = 'France services de Nouméa (exemple)'"));
      const n = textOf((await new Client(server.url).get(`/lieux/${noumea}`)).body);
      assert.match(n, /fuseau Pacific\/Noumea/);
      assert.equal((await new Client(server.url).get('/lieux/99999999')).status, 404);
    });

    it('une correction fausse est refusée avec un message précis, et rien n\'est enregistré', async () => {
      const visitor = new Client(server.url);
      const form = await visitor.get(`/lieux/${placeId}/corriger`);
      assert.equal(form.status, 200);
      assert.ok(visitor.csrf);
      const r = await visitor.post(`/lieux/${placeId}/corriger`, { code_postal: '2500', commentaire: 'Le code postal est faux.' });
      assert.equal(r.status, 422);
      assert.match(fieldError(r.body, 'code_postal'), /ne respecte pas le motif du schéma \^\\d\{5\}\$/);
      assert.match(textOf(r.body), /Code postal : ne respecte pas le motif du schéma/);
      const empty = await visitor.post(`/lieux/${placeId}/corriger`, { telephone: '+33545999999', commentaire: '' });
      assert.equal(empty.status, 422);
      assert.equal(fieldError(empty.body, 'commentaire'), 'expliquez votre correction');
      const noCsrf = await visitor.post(`/lieux/${placeId}/corriger`, { telephone: '+33545999999', commentaire: 'x' }, { csrf: false });
      assert.equal(noCsrf.status, 403);
      assert.equal(await sql(db, 'SELECT COUNT(*) FROM place_corrections'), '0');
    });

    it('proposer (visiteur) → modérer → la page montre la nouvelle valeur et l\'historique', async () => {
      const visitor = new Client(server.url);
      const proposed = await visitor.submit(`/lieux/${placeId}/corriger`, `/lieux/${placeId}/corriger`,
        { telephone: '+33545999999', commentaire: 'Nouveau numéro affiché à l\'accueil.' });
      assert.equal(proposed.status, 303, proposed.body);
      assert.equal(proposed.location, `/lieux/${placeId}?fait=correction`);
      const correction = Number(await sql(db, `SELECT id FROM place_corrections WHERE place_id = ${placeId}`));
      let page = textOf((await new Client(server.url).get(`/lieux/${placeId}`)).body);
      assert.match(page, /\+33545000001/);  // nothing changes before moderation

      const elsewhere = new Client(server.url);
      assert.equal((await elsewhere.login(otherModerator, PASSWORD)).status, 303);
      assert.match(textOf((await elsewhere.get('/moderation/lieux')).body), /Aucune correction en attente/);
      const refused = await elsewhere.post('/moderation/lieux', { correction, action: 'accepter', reason: '' });
      assert.equal(refused.status, 403);

      const mod = new Client(server.url);
      assert.equal((await mod.login(moderator, PASSWORD)).status, 303);
      assert.match((await mod.get('/t/grand-angouleme/')).body, /href="\/moderation\/lieux"/);
      const queue = await mod.get('/moderation/lieux');
      assert.equal(queue.status, 200);
      assert.match(textOf(queue.body), new RegExp(`Correction n° ${correction} : France services d'Essai-sur-Charente`));
      assert.match(textOf(queue.body), /Numéro de téléphone \+33545000001 \+33545999999/);
      const accepted = await mod.post('/moderation/lieux', { correction, action: 'accepter', reason: 'Vérifié' });
      assert.equal(accepted.status, 303);
      const twice = await mod.post('/moderation/lieux', { correction, action: 'refuser', reason: '' });
      assert.equal(twice.status, 422);
      assert.match(textOf(twice.body), /déjà été acceptée ou refusée/);

      page = textOf((await new Client(server.url).get(`/lieux/${placeId}`)).body);
      assert.match(page, /Numéro de téléphone \+33545999999/);
      assert.match(page, /Historique des modifications Correction n° \d+, acceptée le .* : Numéro de téléphone : « \+33545000001 » devient « \+33545999999 »/);
      assert.match(page, /Correction acceptée \d+ \d{4}-\d\d-\d\d/);
      assert.equal(await sql(db, `SELECT COUNT(*) FROM audit_log WHERE action = 'places.correction.accepted' AND target = 'place_correction:${correction}'`), '1');
    });

    it('territoire, réseaux et page « À propos des données »', async () => {
      const c = new Client(server.url);
      const t = await c.get('/t/grand-angouleme/lieux');
      assert.equal(t.status, 200);
      assert.match(textOf(t.body), /Lieux de médiation numérique : Grand Angoulême/);
      assert.match(textOf(t.body), /16 — Charente/);
      assert.match(t.body, new RegExp(`href="/lieux/${placeId}"`));

      const fs = await c.get('/reseaux/france-services');
      assert.equal(fs.status, 200);
      const fsText = textOf(fs.body);
      assert.match(fsText, /France Services/);
      assert.match(fsText, /988 — Nouvelle-Calédonie \d/);
      assert.match(fsText, /Les lieux, page 1 sur \d+/);
      assert.match(textOf((await c.get('/reseaux')).body), /Tiers-lieux — \d+ lieu\(x\)/);
      assert.equal((await c.get('/reseaux/inconnu')).status, 404);

      const about = await c.get('/a-propos/donnees');
      assert.equal(about.status, 200);
      const a = textOf(about.body);
      assert.match(a, /Licence Ouverte 2\.0/);
      assert.match(a, /ODbL 1\.0/);
      assert.match(a, /France Services 4 2022-12-01/);
      assert.match(about.body, /href="\/a-propos\/donnees"/);  // the footer link
    });
  });
}
