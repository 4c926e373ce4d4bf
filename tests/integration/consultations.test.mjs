// Consultations over HTTP, on SQLite and on PostgreSQL, against the real server: the demo
// consultation's pages, contributing and voting through the pages and the API with the same
// rules, closed phases refused with a clear French message and nothing written, two votes sent
// at once by one person, moderation, and every acknowledged vote still there after SIGKILL.
//   PASSERELLE_BIN=… PASSERELLE_TEST_PG_URL=… node --test tests/integration/consultations.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { addUser, apiToken, cli, Client, decodeEntities, fieldError, PG_URL, prepareDatabase, sql, startServer, textOf, uniqueEmail } from './lib/server.mjs';

const PASSWORD = 'une phrase de passe assez longue';

const count = async (db, query) => Number(await sql(db, query));

for (const backend of ['sqlite', 'postgres']) {
  describe(`Consultations (${backend})`, { skip: backend === 'postgres' && !PG_URL ? 'PASSERELLE_TEST_PG_URL absent' : false }, () => {
    let db;
    let server;
    let processId;
    let citizen;
    let token;
    const api = (method, url, json, bearer = token) => new Client(server.url).api(method, url, { bearer, json });

    before(async () => {
      db = await prepareDatabase(backend);
      const email = uniqueEmail('habitante');
      await addUser(db, { email, password: PASSWORD, role: 'citoyen', territory: 'besancon', displayName: 'Habitante' });
      server = await startServer(db);
      citizen = new Client(server.url);
      assert.equal((await citizen.login(email, PASSWORD)).status, 303);
      token = await apiToken(citizen);
      const list = await api('GET', '/api/v1/processes?territoire=besancon');
      assert.equal(list.status, 200, list.body);
      processId = list.json().consultations[0].id;
    });

    after(async () => {
      if (server) await server.stop();
      if (db) await db.drop();
    });

    it('la page de la consultation montre le calendrier, les règles et les contributions, sans JavaScript', async () => {
      const r = await new Client(server.url).get(`/consultations/${processId}`);
      assert.equal(r.status, 200);
      const text = textOf(r.body);
      assert.match(text, /Calendrier/);
      assert.match(text, /Contributions — ouverte/);
      assert.match(text, /Qui peut participer/);
      assert.match(text, /15 contributions/);
      assert.match(text, /contribution papier \(référence P\d+-\d+\)/);
      assert.match(text, /déposée par un médiateur/);
      assert.doesNotMatch(r.body, /<script/);
      const sorted = await new Client(server.url).get(`/consultations/${processId}?tri=soutenues`);
      assert.equal(sorted.status, 200);
    });

    it('contribuer par le formulaire ; une rubrique inconnue est refusée et rien n’est écrit', async () => {
      const before = await count(db, `SELECT count(*) FROM contributions WHERE process_id = ${processId}`);
      const bad = await citizen.submit(`/consultations/${processId}/contribuer`, `/consultations/${processId}/contribuer`,
        { title: 'Un atelier', body: 'Texte', section: 'Culture' });
      assert.equal(bad.status, 422);
      assert.match(fieldError(bad.body, 'section'), /« Culture » n'est pas une rubrique de cette consultation/);
      assert.equal(await count(db, `SELECT count(*) FROM contributions WHERE process_id = ${processId}`), before);
      const ok = await citizen.submit(`/consultations/${processId}/contribuer`, `/consultations/${processId}/contribuer`,
        { title: 'Un atelier par quartier', body: 'Chaque maison de quartier accueille un atelier mensuel.', section: 'Services publics et démarches en ligne' });
      assert.equal(ok.status, 303, ok.body);
      const page = await citizen.get(ok.location);
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /Votre contribution est publiée/);
      assert.match(textOf(page.body), /Chaque maison de quartier accueille un atelier mensuel/);
    });

    it('un vote par personne et par contribution, modifiable, compteurs justes (pages et API)', async () => {
      const list = (await api('GET', `/api/v1/processes/${processId}/contributions?par_page=5`)).json();
      assert.equal(list.contributions.length, 5);
      const target = list.contributions[0];
      const page = await citizen.submit(`/contributions/${target.id}`, `/contributions/${target.id}/vote`, { value: 'agree' });
      assert.equal(page.status, 303);
      const changed = await api('POST', `/api/v1/contributions/${target.id}/votes`, { valeur: 'disagree' });
      assert.equal(changed.status, 200, changed.body);
      // The page's vote and the API's are one vote, the second value replacing the first.
      const mine = await sql(db, `SELECT v.value FROM votes v JOIN users u ON 'u:' || u.id = v.voter WHERE u.display_name = 'Habitante' AND v.target_kind = 'contribution' AND v.target_id = ${target.id}`);
      assert.equal(mine, 'disagree');
      const detail = (await api('GET', `/api/v1/contributions/${target.id}`)).json();
      const dbCounts = await sql(db, `SELECT agree_count || ',' || disagree_count FROM contributions WHERE id = ${target.id}`);
      const real = await sql(db, `SELECT (SELECT count(*) FROM votes WHERE target_id = ${target.id} AND target_kind = 'contribution' AND value = 'agree') || ',' || (SELECT count(*) FROM votes WHERE target_id = ${target.id} AND target_kind = 'contribution' AND value = 'disagree')`);
      assert.equal(dbCounts, real);
      assert.equal(`${detail.compteurs.d_accord},${detail.compteurs.pas_d_accord}`, real);
      const wrong = await api('POST', `/api/v1/contributions/${target.id}/votes`, { valeur: 'support' });
      assert.equal(wrong.status, 422);
      assert.equal(wrong.json().error.champ, 'value');
    });

    it('deux votes envoyés au même instant par la même personne : un seul vote', async () => {
      const list = (await api('GET', `/api/v1/processes/${processId}/contributions?par_page=5&tri=debattues`)).json();
      const target = list.contributions[4];
      const results = await Promise.all([
        api('POST', `/api/v1/contributions/${target.id}/votes`, { valeur: 'agree' }),
        api('POST', `/api/v1/contributions/${target.id}/votes`, { valeur: 'mixed' }),
        api('POST', `/api/v1/contributions/${target.id}/votes`, { valeur: 'disagree' }),
      ]);
      for (const r of results) assert.equal(r.status, 200, r.body);
      const mine = await count(db, `SELECT count(*) FROM votes v JOIN users u ON 'u:' || u.id = v.voter WHERE u.display_name = 'Habitante' AND v.target_id = ${target.id}`);
      assert.equal(mine, 1);
      const counters = await sql(db, `SELECT agree_count + mixed_count + disagree_count FROM contributions WHERE id = ${target.id}`);
      assert.equal(counters, await sql(db, `SELECT count(*) FROM votes WHERE target_kind = 'contribution' AND target_id = ${target.id}`));
    });

    it('une phase fermée est refusée avec un message clair, par la page et par l’API, sans rien écrire', async () => {
      const now = Math.floor(Date.now() / 1000);
      const territory = await sql(db, "SELECT id FROM territories WHERE slug = 'besancon'");
      await sql(db, `INSERT INTO processes (territory_id, status, title, summary, created_at, updated_at) VALUES (${territory}, 'published', 'Consultation close', 'Finie', ${now}, ${now})`);
      const closed = await sql(db, "SELECT max(id) FROM processes WHERE title = 'Consultation close'");
      await sql(db, `INSERT INTO process_phases (process_id, kind, starts_at, ends_at, allows, position) VALUES (${closed}, 'contribution', ${now - 864000}, ${now - 86400}, 'contribute argue comment', 0)`);
      const r = await api('POST', `/api/v1/processes/${closed}/contributions`, { titre: 'Trop tard', texte: 'Texte' });
      assert.equal(r.status, 409, r.body);
      assert.equal(r.json().error.message, 'La consultation est fermée.');
      const page = await citizen.get(`/consultations/${closed}`);
      assert.match(textOf(page.body), /La consultation est fermée/);
      const form = await citizen.post(`/consultations/${closed}/contribuer`, { title: 'Trop tard', body: 'Texte' });
      assert.equal(form.status, 409);
      assert.match(textOf(form.body), /La consultation est fermée/);
      assert.equal(await count(db, `SELECT count(*) FROM contributions WHERE process_id = ${closed}`), 0);
    });

    it('par l’API, un médiateur vote pour une personne inscrite avec son consentement ; un citoyen ne le peut pas', async () => {
      const mediator = new Client(server.url);
      assert.equal((await mediator.login('mediatrice@demo.passerelle.localhost', 'demo-passerelle-2026')).status, 303);
      const mediatorToken = await apiToken(mediator, 'Médiation');
      const person = await count(db, "SELECT min(p.id) FROM participants p JOIN territories t ON t.id = p.territory_id WHERE t.slug = 'besancon'");
      const target = (await api('GET', `/api/v1/processes/${processId}/contributions?par_page=1`)).json().contributions[0];
      const url = `/api/v1/contributions/${target.id}/votes`;
      const mine = `SELECT count(*) FROM votes WHERE target_kind = 'contribution' AND target_id = ${target.id} AND voter = 'p:${person}'`;
      const before = await count(db, mine);
      const noConsent = await api('POST', url, { valeur: 'agree', personne: person }, mediatorToken);
      assert.equal(noConsent.status, 422, noConsent.body);
      assert.match(noConsent.json().error.message, /consentement/);
      const byCitizen = await api('POST', url, { valeur: 'agree', personne: person, consentement: true });
      assert.equal(byCitizen.status, 403, byCitizen.body);
      assert.equal(await count(db, mine), before, 'rien n’est écrit');
      const ok = await api('POST', url, { valeur: 'agree', personne: person, consentement: true }, mediatorToken);
      assert.equal(ok.status, 200, ok.body);
      assert.equal(await count(db, `${mine} AND entered_by = (SELECT id FROM users WHERE email = 'mediatrice@demo.passerelle.localhost')`), 1,
        'le vote est celui de la personne, et dit qui l’a saisi');
    });

    it('le cache des pages : un visiteur voit aussitôt toute écriture, de ce serveur ou d’un autre processus', async () => {
      const visitor = new Client(server.url);
      const target = JSON.parse((await api('GET', `/api/v1/processes/${processId}/contributions?par_page=1`)).body).contributions[0];
      const url = `/contributions/${target.id}`;
      const first = await visitor.get(url);
      assert.equal(first.status, 200);
      const again = await visitor.get(url);
      assert.equal(again.headers.get('x-cache'), 'hit', 'la deuxième visite vient du cache');
      assert.equal(again.body, first.body);
      // A write through this server…
      const voted = await api('POST', `/api/v1/contributions/${target.id}/votes`, { valeur: 'disagree' });
      assert.equal(voted.status, 200, voted.body);
      const disagree = voted.json().compteurs.pas_d_accord;
      const after = await visitor.get(url);
      assert.notEqual(after.headers.get('x-cache'), 'hit');
      assert.match(textOf(after.body), new RegExp(`${disagree} pas d'accord`));
      assert.equal((await visitor.get(url)).headers.get('x-cache'), 'hit');
      // … and one by another process, straight into the database.
      await sql(db, `UPDATE contributions SET title = 'Titre changé hors du serveur' WHERE id = ${target.id}`);
      const outside = await visitor.get(url);
      assert.notEqual(outside.headers.get('x-cache'), 'hit');
      assert.match(textOf(outside.body), /Titre changé hors du serveur/);
      // A signed-in page is never shared.
      const mine = await citizen.get(url);
      assert.notEqual(mine.headers.get('x-cache'), 'hit');
    });

    it('signaler puis modérer : la raison remplace le texte, l’action est journalisée', async () => {
      const moderatorEmail = uniqueEmail('moderatrice');
      await addUser(db, { email: moderatorEmail, password: PASSWORD, role: 'moderateur', territory: 'besancon', displayName: 'Modératrice' });
      const moderator = new Client(server.url);
      assert.equal((await moderator.login(moderatorEmail, PASSWORD)).status, 303);
      const list = (await api('GET', `/api/v1/processes/${processId}/contributions?par_page=3`)).json();
      const target = list.contributions[2];
      const reported = await api('POST', '/api/v1/reports', { type: 'contribution', id: target.id, motif: 'injurieux' });
      assert.equal(reported.status, 201, reported.body);
      const queue = await moderator.get('/t/besancon/moderation');
      assert.equal(queue.status, 200);
      assert.match(textOf(queue.body), new RegExp(`Contribution #${target.id}`));
      assert.equal((await citizen.get('/t/besancon/moderation')).status, 403);
      const empty = await moderator.post('/t/besancon/moderation', { target_kind: 'contribution', target_id: String(target.id), action: 'masquer', reason: '' });
      assert.equal(empty.status, 422);
      const done = await moderator.post('/t/besancon/moderation', { target_kind: 'contribution', target_id: String(target.id), action: 'masquer', reason: 'Propos injurieux' });
      assert.equal(done.status, 303, done.body);
      const page = await new Client(server.url).get(`/contributions/${target.id}`);
      assert.match(textOf(page.body), /Contenu modéré : Propos injurieux/);
      assert.equal(await count(db, `SELECT count(*) FROM audit_log WHERE action = 'consultations.moderate.hidden' AND target = 'contribution:${target.id}'`), 1);
    });

    it('données ouvertes : CSV (; et ,) et JSON anonymisés, en HTTP et par la commande export', async () => {
      const masked = await api('POST', `/api/v1/processes/${processId}/contributions`,
        { titre: 'Contact direct', texte: 'Écrivez-moi à jean.dupont@example.org ou au 06 12 34 56 78.', rubrique: 'Démocratie et participation' });
      assert.equal(masked.status, 201, masked.body);
      const anon = new Client(server.url);
      const csv = await anon.get(`/donnees/consultations/${processId}/contributions.csv`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type'), /^text\/csv; charset=utf-8/);
      // (fetch's text() drops the byte-order mark; the command below shows it is there.)
      assert.ok(csv.body.startsWith('numero;rubrique;titre;texte;auteur;canal;date;'), csv.body.slice(0, 80));
      assert.doesNotMatch(csv.body, /jean\.dupont@example\.org|06 12 34 56 78/);
      assert.match(csv.body, /\[courriel masqué\]/);
      assert.doesNotMatch(csv.body, /@demo\.passerelle\.localhost/);  // never an account's address
      const comma = await anon.get(`/donnees/consultations/${processId}/contributions.csv?separateur=virgule`);
      assert.ok(comma.body.startsWith('numero,rubrique,titre,'));
      const json = await anon.get(`/donnees/consultations/${processId}/contributions.json`);
      const doc = json.json();
      const published = await count(db, `SELECT count(*) FROM contributions WHERE process_id = ${processId} AND status = 'published'`);
      assert.equal(doc.contributions.length, published);
      assert.equal(doc.licence, 'Licence Ouverte 2.0');
      assert.equal((await anon.get('/donnees/consultations/999999/contributions.csv')).status, 404);
      const semicolon = await cli(['export', '--process', String(processId), '--db', db.url]);
      assert.ok(semicolon.stdout.startsWith('\uFEFFnumero;'), 'un BOM UTF-8 pour les tableurs en français');
      const exported = await cli(['export', '--process', String(processId), '--format', 'json', '--db', db.url]);
      assert.equal(JSON.parse(exported.stdout).contributions.length, published);
      const page = await anon.get('/t/besancon/donnees');
      assert.equal(page.status, 200);
      assert.match(page.body, new RegExp(`/donnees/consultations/${processId}/contributions\\.csv\\?separateur=virgule`));
    });

    it('la restitution d’une consultation se calcule depuis la base (--process --db)', async () => {
      const out = await mkdtemp(path.join(tmpdir(), 'passerelle-restitution-'));
      try {
        await cli(['restitution', '--process', String(processId), '--db', db.url, '--out', out, '--seed', '3']);
        const result = JSON.parse(await readFile(path.join(out, 'restitution.json'), 'utf8'));
        const published = await count(db, `SELECT count(*) FROM contributions WHERE process_id = ${processId} AND status = 'published'`);
        assert.equal(result.totals.contributions, published);
        const channels = Object.fromEntries(result.channels.map((c) => [c.code, c.count]));
        assert.equal(channels['médiateur'], await count(db, `SELECT count(*) FROM contributions WHERE process_id = ${processId} AND status = 'published' AND channel = 'mediator'`));
        const html = await readFile(path.join(out, 'report.html'), 'utf8');
        assert.match(html, /médiateur/);
        assert.match(html, /papier/);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    });

    it('chaque vote acquitté est encore là après un SIGKILL du serveur', async () => {
      const list = (await api('GET', `/api/v1/processes/${processId}/contributions?par_page=100`)).json();
      const voterEmail = uniqueEmail('votante');
      await addUser(db, { email: voterEmail, password: PASSWORD, role: 'citoyen', territory: 'besancon', displayName: 'Votante' });
      const voter = new Client(server.url);
      assert.equal((await voter.login(voterEmail, PASSWORD)).status, 303);
      const voterToken = await apiToken(voter);
      const acknowledged = [];
      let killed = false;
      const sending = (async () => {
        for (const c of list.contributions) {
          try {
            const r = await api('POST', `/api/v1/contributions/${c.id}/votes`, { valeur: 'agree' }, voterToken);
            if (r.status === 200) acknowledged.push(c.id);
          } catch {
            break;  // the connection died with the server
          }
          if (!killed && acknowledged.length === 6) {
            killed = true;
            server.process.kill('SIGKILL');
          }
        }
      })();
      await sending;
      assert.ok(acknowledged.length >= 6);
      server = await startServer(db);
      const stored = (await sql(db, `SELECT v.target_id FROM votes v JOIN users u ON 'u:' || u.id = v.voter WHERE u.display_name = 'Votante' ORDER BY v.target_id`)).split('\n').filter(Boolean).map(Number);
      for (const id of acknowledged) assert.ok(stored.includes(id), `vote acquitté perdu sur #${id}`);
    });
  });
}
