// Two `passerelle serve` processes on one PostgreSQL database, as behind a load balancer:
// sessions, CSRF tokens, rate limits and files are shared; scheduled jobs run once per slot.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  addUser, Client, csrfFrom, freshDb, login, NO_PG, psqlRows, sleep, startServer, TINY_PNG,
} from './lib/process.mjs';

// From src/accounts/pages.cpp: kLoginPerEmail{"connexion-email", 8, 300}.
const LOGIN_PER_EMAIL = 8;
const RATE_WINDOW_SECONDS = 300;

describe('deux processus sur la même base PostgreSQL', { skip: NO_PG }, () => {
  let db, a, b, startedAt;
  const email = 'admin-multi@exemple.fr';
  const password = 'phrase de passe partagée entre serveurs';
  const client = new Client('');
  let apiToken;

  before(async () => {
    db = await freshDb('postgres', 'multi');
    await addUser(db, email, password);
    const env = { PASSERELLE_TEST_HEARTBEAT_SECONDS: '1' };
    [a, b] = await Promise.all([startServer({ db, name: 'serveur-a', env }), startServer({ db, name: 'serveur-b', env })]);
    startedAt = Date.now();
  });
  after(() => {
    a?.kill();
    b?.kill();
  });

  test('une session ouverte sur A est valable sur B', async () => {
    const res = await login(client, email, password, a.url);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/compte');
    assert.ok(client.cookies.has('passerelle_session'));
    const onB = await client.get('/compte', { base: b.url });
    assert.equal(onB.status, 200, 'pas de redirection vers /connexion sur B');
    assert.ok(onB.text.includes(email));
    const anonymous = await new Client(b.url).get('/compte');
    assert.equal(anonymous.status, 303, 'sans session, /compte redirige');
  });

  test('le jeton CSRF émis par A est accepté par B', async () => {
    // A visitor: form and cookie from A, login posted to B.
    const visitor = new Client('');
    const form = await visitor.get('/connexion', { base: a.url });
    const csrf = csrfFrom(form.text);
    const ok = await visitor.postForm('/connexion', { _csrf: csrf, email, password }, { base: b.url });
    assert.equal(ok.status, 303, 'connexion sur B avec le jeton de A');
    // A signed-in account: token from a page of A, form posted to B (creates the API token).
    const page = await client.get('/compte', { base: a.url });
    const created = await client.postForm('/compte/jetons', { _csrf: csrfFrom(page.text), name: 'multi' }, { base: b.url });
    assert.equal(created.status, 200);
    const m = /<pre class="token">([^<]+)<\/pre>/.exec(created.text);
    assert.ok(m, 'le jeton créé est affiché une fois');
    apiToken = m[1];
    // And a wrong token is still refused (the check is real).
    const refused = await client.postForm('/compte/jetons', { _csrf: csrf + 'x', name: 'non' }, { base: b.url });
    assert.equal(refused.status, 403);
  });

  test('un fichier déposé par A se télécharge sur B, octet pour octet ; un faux PNG est refusé', async () => {
    assert.ok(apiToken, 'jeton d’API créé au test précédent');
    const auth = { authorization: `Bearer ${apiToken}` };
    const up = await fetch(a.url + '/api/v1/files?nom=x.png', { method: 'POST', headers: { ...auth, 'content-type': 'image/png' }, body: TINY_PNG });
    assert.equal(up.status, 201, await up.clone().text());
    const stored = await up.json();
    assert.equal(stored.sha256, createHash('sha256').update(TINY_PNG).digest('hex'));
    assert.match(stored.url, /^\/fichiers\/\d+$/);

    const down = await fetch(b.url + stored.url);
    assert.equal(down.status, 200);
    assert.equal(down.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await down.arrayBuffer()), TINY_PNG);

    const fake = await fetch(b.url + '/api/v1/files?nom=faux.png', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'image/png' },
      body: 'ceci est du texte, pas une image\n',
    });
    assert.equal(fake.status, 422);
    const body = await fake.json();
    assert.equal(body.error.champ, 'fichier');
    assert.match(body.error.message, /Type de fichier refusé/);

    const anonymous = await fetch(a.url + '/api/v1/files?nom=x.png', { method: 'POST', body: TINY_PNG });
    assert.equal(anonymous.status, 401);
  });

  test('la limite de tentatives de connexion est commune aux deux processus', async () => {
    // The counter lives in fixed windows: do not start right before a window ends.
    const left = RATE_WINDOW_SECONDS - (Math.floor(Date.now() / 1000) % RATE_WINDOW_SECONDS);
    if (left < 25) await sleep((left + 1) * 1000);
    const target = `cible-${randomBytes(4).toString('hex')}@exemple.fr`;
    const statuses = [];
    for (let i = 0; i <= LOGIN_PER_EMAIL; i++) {
      const server = i % 2 === 0 ? a : b;
      const res = await login(new Client(server.url), target, 'mauvais mot de passe');
      statuses.push(res.status);
    }
    // One server alone refuses the 9th attempt; two servers sharing the counter must too.
    assert.deepEqual(statuses.slice(0, LOGIN_PER_EMAIL), Array(LOGIN_PER_EMAIL).fill(401), `statuts : ${statuses}`);
    assert.equal(statuses[LOGIN_PER_EMAIL], 429, `statuts : ${statuses}`);
    const again = await login(new Client(b.url), target, 'mauvais mot de passe');
    assert.equal(again.status, 429);
    assert.ok(Number(again.headers.get('retry-after')) > 0);
  });

  test('les tâches planifiées tournent une fois par créneau', async () => {
    const waited = Date.now() - startedAt;
    if (waited < 5500) await sleep(5500 - waited);
    const rows = await psqlRows(db, "SELECT slot, count(*) FROM job_runs WHERE job = 'battement-test' GROUP BY slot ORDER BY slot");
    assert.ok(rows.length >= 3, `au moins 3 créneaux, vu : ${JSON.stringify(rows)}`);
    for (const [slot, count] of rows) assert.equal(count, '1', `créneau ${slot} exécuté ${count} fois`);
    const owners = await psqlRows(db, "SELECT owner, count(*) FROM job_runs WHERE job = 'battement-test' GROUP BY owner");
    for (const [owner] of owners) assert.ok(['serveur-a', 'serveur-b'].includes(owner), `propriétaire inattendu ${owner}`);
    // Every job ran (once) although two schedulers compete for each of them.
    const jobs = await psqlRows(db, 'SELECT job, count(*), count(DISTINCT slot) FROM job_runs GROUP BY job ORDER BY job');
    for (const [job, n, distinct] of jobs) assert.equal(n, distinct, `tâche ${job} : ${n} exécutions pour ${distinct} créneaux`);
    // "restitutions" has nothing to do here (no restitution phase open): it is never claimed.
    assert.deepEqual(jobs.map((j) => j[0]).sort(), ['battement-test', 'envoi-courriels', 'federation', 'limites-de-debit', 'purge-executions', 'resumes-notifications', 'sessions-expirees']);
    // A lost race would show as a failed insert or claim in the logs.
    for (const s of [a, b]) assert.doesNotMatch(s.stderr, /scheduler_failed|job_failed/, s.stderr);
  });

  test('les deux processus s’arrêtent proprement (SIGTERM, code 0)', async () => {
    await Promise.all([a.stop(), b.stop()]);
  });
});
