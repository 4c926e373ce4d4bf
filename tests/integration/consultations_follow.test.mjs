// Following a contribution over HTTP, on SQLite and on PostgreSQL, against the real server: the
// author follows from the start, the button on the contribution page (accounts only, without
// JavaScript), notifications for every follower but the one who acted, /notifications and its
// forms (one, all, the digest preference), the JSON API with the same rules, and the digest job
// registered with the scheduler.
//   PASSERELLE_BIN=… PASSERELLE_TEST_PG_URL=… node --test tests/integration/consultations_follow.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { addUser, apiToken, Client, PG_URL, prepareDatabase, sql, startServer, textOf, uniqueEmail } from './lib/server.mjs';

const PASSWORD = 'une phrase de passe assez longue';
const SECTION = 'Services publics et démarches en ligne';

for (const backend of ['sqlite', 'postgres']) {
  describe(`Suivre une contribution (${backend})`, { skip: backend === 'postgres' && !PG_URL ? 'PASSERELLE_TEST_PG_URL absent' : false }, () => {
    let db;
    let server;
    let author;
    let follower;
    let authorToken;
    let followerToken;
    let contributionId;
    const api = (token, method, url, json) => new Client(server.url).api(method, url, { bearer: token, json });

    before(async () => {
      db = await prepareDatabase(backend);
      const emails = { author: uniqueEmail('autrice'), follower: uniqueEmail('suiveur') };
      await addUser(db, { email: emails.author, password: PASSWORD, role: 'citoyen', territory: 'besancon', displayName: 'Autrice' });
      await addUser(db, { email: emails.follower, password: PASSWORD, role: 'citoyen', territory: 'besancon', displayName: 'Suiveur' });
      server = await startServer(db);
      author = new Client(server.url);
      follower = new Client(server.url);
      assert.equal((await author.login(emails.author, PASSWORD)).status, 303);
      assert.equal((await follower.login(emails.follower, PASSWORD)).status, 303);
      authorToken = await apiToken(author);
      followerToken = await apiToken(follower);
      const list = await api(authorToken, 'GET', '/api/v1/processes?territoire=besancon');
      const processId = list.json().consultations[0].id;
      const created = await api(authorToken, 'POST', `/api/v1/processes/${processId}/contributions`,
        { titre: 'Un guichet numérique itinérant', texte: 'Un bus équipé passe chaque semaine dans les villages.', rubrique: SECTION });
      assert.equal(created.status, 201, created.body);
      contributionId = created.json().id;
    });

    after(async () => {
      if (server) await server.stop();
      if (db) await db.drop();
    });

    it("l'autrice suit sa contribution dès sa création ; le bouton n'est montré qu'aux comptes", async () => {
      const state = await api(authorToken, 'GET', `/api/v1/contributions/${contributionId}/follow`);
      assert.equal(state.status, 200, state.body);
      assert.deepEqual(state.json(), { contribution: contributionId, suivie: true });
      const visitor = await new Client(server.url).get(`/contributions/${contributionId}`);
      assert.equal(visitor.status, 200);
      assert.doesNotMatch(visitor.body, /Suivre cette contribution|ne-plus-suivre/);
      const page = await author.get(`/contributions/${contributionId}`);
      assert.match(textOf(page.body), /Vous suivez cette contribution/);
      assert.match(page.body, /action="\/contributions\/\d+\/ne-plus-suivre"/);
      const anonymous = await new Client(server.url).post(`/contributions/${contributionId}/suivre`, {}, { csrf: false });
      assert.ok([303, 403].includes(anonymous.status), `statut ${anonymous.status}`);
    });

    it('suivre par le bouton, sans JavaScript ; un argument avertit les autres, pas son auteur', async () => {
      const page = await follower.get(`/contributions/${contributionId}`);
      assert.match(page.body, /<button type="submit" class="button">Suivre cette contribution<\/button>/);
      assert.doesNotMatch(page.body, /<script/);
      const r = await follower.post(`/contributions/${contributionId}/suivre`);
      assert.equal(r.status, 303);
      assert.equal(r.location, `/contributions/${contributionId}#suivre`);
      assert.match(textOf((await follower.get(`/contributions/${contributionId}`)).body), /Vous suivez cette contribution/);

      const arg = await api(followerToken, 'POST', `/api/v1/contributions/${contributionId}/arguments`, { cote: 'for', texte: 'Les villages sans mairie ouverte en ont besoin.' });
      assert.equal(arg.status, 201, arg.body);
      const mine = await api(followerToken, 'GET', '/api/v1/notifications');
      assert.equal(mine.json().total, 0);
      const theirs = await api(authorToken, 'GET', '/api/v1/notifications');
      assert.equal(theirs.status, 200);
      const body = theirs.json();
      assert.equal(body.non_lues, 1);
      assert.equal(body.notifications[0].type, 'argument');
      assert.equal(body.notifications[0].auteur, 'Suiveur');
      assert.equal(body.notifications[0].contribution, contributionId);
      assert.equal(body.notifications[0].extrait, 'Les villages sans mairie ouverte en ont besoin.');
      assert.equal(body.notifications[0].lue_le, null);
    });

    it('/notifications : non lues marquées, liens vers la contribution, tout marquer comme lu, fréquence du résumé', async () => {
      const page = await author.get('/notifications');
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      assert.match(text, /Une notification non lue\./);
      assert.match(text, /Non lue Nouvel argument de Suiveur — #\d+ Un guichet numérique itinérant/);
      assert.match(page.body, new RegExp(`href="/contributions/${contributionId}#arguments"`));
      assert.match(text, /Tout marquer comme lu/);
      assert.match(page.body, /<legend>Recevoir un résumé par courriel<\/legend>/);
      assert.match(page.body, /id="resume-daily" checked=""/);
      assert.doesNotMatch(page.body, /<script/);

      const all = await author.post('/notifications/lues');
      assert.equal(all.status, 303);
      assert.equal(all.location, '/notifications?fait=lues');
      const after = await author.get(all.location);
      assert.match(textOf(after.body), /Toutes vos notifications sont marquées comme lues\..*Aucune notification non lue\./s);

      const weekly = await author.post('/notifications/preferences', { digest: 'weekly' });
      assert.equal(weekly.status, 303);
      assert.match((await author.get('/notifications')).body, /id="resume-weekly" checked=""/);
      await author.get('/notifications');
      const bad = await author.post('/notifications/preferences', { digest: 'chaque-heure' });
      assert.equal(bad.status, 422);
      assert.match(textOf(bad.body), /Choisissez une fréquence dans la liste\./);
      assert.match(textOf((await author.get('/compte')).body), /Aucune notification non lue\. Résumé par courriel : chaque semaine\./);

      const visitor = await new Client(server.url).get('/notifications');
      assert.equal(visitor.status, 303);
      assert.match(visitor.location, /^\/connexion/);
    });

    it("l'API marque lu, suit et ne suit plus, avec les mêmes droits que les pages", async () => {
      const comment = await api(authorToken, 'POST', `/api/v1/contributions/${contributionId}/comments`, { texte: 'Merci, et le samedi ?' });
      assert.equal(comment.status, 201, comment.body);
      const list = (await api(followerToken, 'GET', '/api/v1/notifications')).json();
      assert.equal(list.non_lues, 1);
      assert.equal(list.notifications[0].type, 'comment');
      const other = await api(authorToken, 'POST', '/api/v1/notifications/read', { ids: [list.notifications[0].id] });
      assert.equal(other.json().marquees, 0);  // not the author's notification
      const read = await api(followerToken, 'POST', '/api/v1/notifications/read', { ids: [list.notifications[0].id] });
      assert.deepEqual(read.json(), { marquees: 1, non_lues: 0 });
      assert.equal((await api(followerToken, 'POST', '/api/v1/notifications/read', { ids: 'toutes' })).status, 422);
      assert.equal((await api(followerToken, 'POST', '/api/v1/notifications/read', { toutes: true })).status, 200);

      const gone = await api(followerToken, 'DELETE', `/api/v1/contributions/${contributionId}/follow`);
      assert.deepEqual(gone.json(), { contribution: contributionId, suivie: false });
      await api(authorToken, 'POST', `/api/v1/contributions/${contributionId}/comments`, { texte: 'Et le dimanche ?' });
      assert.equal((await api(followerToken, 'GET', '/api/v1/notifications')).json().non_lues, 0);
      const again = await api(followerToken, 'POST', `/api/v1/contributions/${contributionId}/follow`);
      assert.deepEqual(again.json(), { contribution: contributionId, suivie: true });

      assert.equal((await api(followerToken, 'POST', '/api/v1/contributions/999999999/follow')).status, 404);
      assert.equal((await new Client(server.url).api('GET', '/api/v1/notifications')).status, 401);
      assert.equal((await new Client(server.url).api('GET', `/api/v1/contributions/${contributionId}/follow`)).status, 401);
    });

    it('visiter la contribution lit ses notifications ; le job des résumés est inscrit', async () => {
      await api(followerToken, 'POST', `/api/v1/contributions/${contributionId}/arguments`, { cote: 'against', texte: 'Le bus coûte cher.' });
      assert.equal((await api(authorToken, 'GET', '/api/v1/notifications')).json().non_lues, 1);
      await author.get(`/contributions/${contributionId}`);
      assert.equal((await api(authorToken, 'GET', '/api/v1/notifications')).json().non_lues, 0);
      assert.equal(await sql(db, "SELECT interval_seconds FROM jobs WHERE name = 'resumes-notifications'"), '3600');
      const doc = (await new Client(server.url).api('GET', '/api/openapi.json')).json();
      assert.ok(doc.paths['/api/v1/notifications'] && doc.paths['/api/v1/contributions/{id}/follow'].delete);
    });
  });
}
