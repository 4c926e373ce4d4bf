// The restitution inside the platform over HTTP, on SQLite and on PostgreSQL: the demo
// consultation's stored restitution and controversy map, a computation asked for by the
// territory's administrator (POST with CSRF) and done in the background, a visitor or a citizen
// refused with nothing written, and a contribution hidden by moderation never quoted again.
//   PASSERELLE_BIN=… PASSERELLE_TEST_PG_URL=… node --test tests/integration/restitution_platform.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { addUser, Client, PG_URL, prepareDatabase, sql, startServer, textOf, uniqueEmail } from './lib/server.mjs';

const PASSWORD = 'une phrase de passe assez longue';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits until the restitution page shows a result again (not "Calcul en cours").
async function computed(client, url, since = '') {
  for (let i = 0; i < 100; i++) {
    const r = await client.get(url);
    assert.equal(r.status, 200);
    if (!/Calcul en cours/.test(r.body) && /Calculée le/.test(r.body) && (!since || r.body !== since)) return r;
    await sleep(100);
  }
  assert.fail(`la restitution n'a pas été calculée à temps (${url})`);
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`Restitution dans la plateforme (${backend})`, { skip: backend === 'postgres' && !PG_URL ? 'PASSERELLE_TEST_PG_URL absent' : false }, () => {
    let db;
    let server;
    let processId;
    let admin;
    let citizen;
    const visitor = () => new Client(server.url);

    before(async () => {
      db = await prepareDatabase(backend);
      const adminEmail = uniqueEmail('agente');
      const citizenEmail = uniqueEmail('habitant');
      await addUser(db, { email: adminEmail, password: PASSWORD, role: 'administrateur', territory: 'besancon', displayName: 'Agente' });
      await addUser(db, { email: citizenEmail, password: PASSWORD, role: 'citoyen', territory: 'besancon', displayName: 'Habitant' });
      server = await startServer(db, { env: { PASSERELLE_RESTITUTION_POLL_SECONDS: '1' } });
      admin = new Client(server.url);
      citizen = new Client(server.url);
      assert.equal((await admin.login(adminEmail, PASSWORD)).status, 303);
      assert.equal((await citizen.login(citizenEmail, PASSWORD)).status, 303);
      const list = await visitor().api('GET', '/api/v1/processes?territoire=besancon');
      processId = list.json().consultations[0].id;
    });

    after(async () => {
      if (server) await server.stop();
      if (db) await db.drop();
    });

    it('la restitution de la démo : volumes, canaux, communes, thèmes et citations, méthode, sans JavaScript', async () => {
      const r = await visitor().get(`/consultations/${processId}/restitution`);
      assert.equal(r.status, 200);
      assert.doesNotMatch(r.body, /<script/);
      const text = textOf(r.body);
      for (const part of [/Volumes et participation/, /Participation par commune/, /Besançon \(25056\)/, /médiateur/, /papier/,
        /Thèmes/, /Méthode/, /Contribution #\d+/, /d'accord · \d+ mitigés · \d+ pas d'accord/, /graine 1/]) assert.match(text, part);
      assert.match(r.body, /<svg[^>]+role="img"[^>]+aria-labelledby=/);
      const json = await visitor().api('GET', `/api/v1/processes/${processId}/restitution`);
      assert.equal(json.status, 200);
      assert.equal(json.json().format, 'passerelle-restitution/1');
      assert.equal(json.json().parameters.seed, 1);
    });

    it('la cartographie des controverses : indice de division, arguments les plus utiles et qui les a apportés', async () => {
      const r = await visitor().get(`/consultations/${processId}/controverses`);
      assert.equal(r.status, 200);
      const text = textOf(r.body);
      assert.match(text, /Sommaire des controverses/);
      assert.match(text, /Indice de division : 0,\d\d/);
      assert.match(text, /Arguments pour les plus utiles/);
      assert.match(text, /Arguments contre les plus utiles/);
      assert.match(text, /Un portail ne remplace pas un accueil physique/);
      assert.match(text, /\(Citoyenne ou citoyen\) · \d+ votes « utile »/);
      // Every entry of the table of contents leads to its anchor on the page.
      const anchors = [...r.body.matchAll(/href="#(controverse-[^"]+)"/g)].map((m) => m[1]);
      assert.ok(anchors.length >= 2);
      for (const a of anchors) assert.match(r.body, new RegExp(`id="${a}"`));
    });

    it('pendant un calcul, la page dit à quelle étape il en est (en français et en anglais)', async () => {
      await sql(db, `UPDATE restitutions SET state = 'running', lease_until = 4102444800, progress_stage = 'themes', progress_percent = 40 WHERE process_id = ${processId}`);
      try {
        const r = await visitor().get(`/consultations/${processId}/restitution`);
        assert.match(textOf(r.body), /Calcul en cours — Thèmes : 40\s%\./);
        const en = await new Client(server.url, { headers: { 'accept-language': 'en' } }).get(`/consultations/${processId}/restitution`);
        assert.match(textOf(en.body), /Computing — Themes: 40%\./);
      } finally {
        await sql(db, `UPDATE restitutions SET state = 'done', lease_until = NULL, progress_stage = '', progress_percent = 0 WHERE process_id = ${processId}`);
      }
      assert.doesNotMatch(textOf((await visitor().get(`/consultations/${processId}/restitution`)).body), /Calcul en cours/);
    });

    it('un visiteur ou un habitant ne peut pas lancer le calcul ; rien n’est écrit', async () => {
      const before = await sql(db, `SELECT requests FROM restitutions WHERE process_id = ${processId}`);
      const page = await citizen.get(`/consultations/${processId}/restitution`);
      assert.doesNotMatch(page.body, /Recalculer la restitution/);
      await citizen.get('/compte');  // a page with a form: the session's CSRF token, so that only the right is missing
      const refused = await citizen.post(`/consultations/${processId}/restitution`, {});
      assert.equal(refused.status, 403);
      const anonymous = visitor();
      await anonymous.get(`/consultations/${processId}/restitution`);
      const noToken = await anonymous.post(`/consultations/${processId}/restitution`, {}, { csrf: false });
      assert.equal(noToken.status, 403);
      assert.equal(await sql(db, `SELECT requests FROM restitutions WHERE process_id = ${processId}`), before);
    });

    it('l’administratrice lance le calcul, fait en arrière-plan ; une contribution masquée n’est jamais citée', async () => {
      const url = `/consultations/${processId}/restitution`;
      const first = await admin.get(url);
      const quoted = [...textOf(first.body).matchAll(/Contribution #(\d+)/g)].map((m) => Number(m[1]));
      assert.ok(quoted.length > 0);
      const hidden = quoted[0];
      const body = await sql(db, `SELECT substr(body, 1, 60) FROM contributions WHERE id = ${hidden}`);
      await sql(db, `UPDATE contributions SET status = 'hidden', moderation_reason = 'Hors sujet' WHERE id = ${hidden}`);
      const before = Number(await sql(db, `SELECT computed_at FROM restitutions WHERE process_id = ${processId}`));
      const asked = await admin.submit(url, url, {});
      assert.equal(asked.status, 303);
      assert.equal(asked.location, `${url}?fait=restitution`);
      const done = await computed(admin, url);
      assert.match(textOf(done.body), /La restitution va être calculée|Calculée le/);
      assert.ok(Number(await sql(db, `SELECT computed_at FROM restitutions WHERE process_id = ${processId}`)) >= before);
      assert.equal(await sql(db, `SELECT state FROM restitutions WHERE process_id = ${processId}`), 'done');
      for (const page of [done, await visitor().get(`/consultations/${processId}/controverses`), await visitor().get(`/api/v1/processes/${processId}/restitution`)]) {
        assert.doesNotMatch(page.body, new RegExp(`#${hidden}\\b`));
        assert.ok(!textOf(page.body).includes(body.trim()), 'le texte masqué n’apparaît pas');
      }
      assert.match(textOf(done.body), /Masquées par la modération/);
    });

    it('quand la phase de restitution s’ouvre, la restitution est calculée d’elle-même et montrée sur la page de la consultation', async () => {
      const before = Number(await sql(db, `SELECT computed_at FROM restitutions WHERE process_id = ${processId}`));
      // The other phases are over; the restitution phase opens now (after the last computation).
      await sql(db, `UPDATE process_phases SET starts_at = starts_at - 200 * 86400, ends_at = ends_at - 200 * 86400 WHERE process_id = ${processId} AND kind <> 'restitution'`);
      await sql(db, `UPDATE process_phases SET starts_at = (SELECT started_at FROM restitutions WHERE process_id = ${processId}) + 1 WHERE process_id = ${processId} AND kind = 'restitution'`);
      const opened = Number(await sql(db, `SELECT starts_at FROM process_phases WHERE process_id = ${processId} AND kind = 'restitution'`));
      for (let i = 0; i < 100 && Number(await sql(db, `SELECT started_at FROM restitutions WHERE process_id = ${processId}`)) < opened; i++) await sleep(100);
      assert.ok(Number(await sql(db, `SELECT started_at FROM restitutions WHERE process_id = ${processId}`)) >= opened, 'calculée à l’ouverture de la phase');
      const page = await computed(visitor(), `/consultations/${processId}`);
      const text = textOf(page.body);
      assert.match(text, /Restitution — ouverte/);
      assert.match(text, /Volumes et participation/);
      assert.match(text, /Cartographie des controverses/);
      assert.ok(Number(await sql(db, `SELECT computed_at FROM restitutions WHERE process_id = ${processId}`)) >= before);
      assert.equal(await sql(db, `SELECT state FROM restitutions WHERE process_id = ${processId}`), 'done');
    });
  });
}
