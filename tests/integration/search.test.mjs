// Search across processes: content created through server A is found through server B's
// /api/v1/search within a second (each process applies the shared change log to its own index).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, Client, csrfFrom, freshDb, login, NO_PG, sleep, startServer } from './lib/process.mjs';

describe('recherche partagée entre deux processus sur PostgreSQL', { skip: NO_PG }, () => {
  let db, a, b;
  const email = 'admin-recherche@exemple.fr';
  const password = 'phrase de passe pour la recherche';

  before(async () => {
    db = await freshDb('postgres', 'search');
    await addUser(db, email, password);
    [a, b] = await Promise.all([startServer({ db, name: 'recherche-a' }), startServer({ db, name: 'recherche-b' })]);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  test('un territoire créé sur A est trouvé sur B en moins d’une seconde', async () => {
    const client = new Client('');
    const res = await login(client, email, password, a.url);
    assert.equal(res.status, 303);
    const page = await client.get('/compte', { base: a.url });
    const csrf = csrfFrom(page.text);
    const created = await client.request('POST', '/api/v1/territories', {
      base: a.url,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ slug: 'ornans-recherche', nom: 'Ornans', type: 'commune', codes_insee: ['25434'], presentation: 'Capitale de la vallée de la **Loue**, médiathèque numérique.' }),
    });
    assert.equal(created.status, 201, created.text);
    const start = Date.now();
    let found = null;
    while (Date.now() - start < 1000) {
      const r = await fetch(`${b.url}/api/v1/search?q=${encodeURIComponent('médiathèque loue')}`);
      assert.equal(r.status, 200);
      const body = await r.json();
      if (body.total === 1) {
        found = body;
        break;
      }
      await sleep(50);
    }
    assert.ok(found, 'trouvé sur B en moins d’une seconde');
    assert.equal(found.hits[0].url, '/t/ornans-recherche/');
    assert.match(found.hits[0].snippet, /<mark>Loue<\/mark>/);
    assert.deepEqual(found.facets.kind, [{ value: 'territory', count: 1 }]);
  });

  test('une fiche publiée sur A est trouvée sur B en moins d’une seconde ; dépubliée sur B, elle disparaît de A', async () => {
    const client = new Client('');
    assert.equal((await login(client, email, password, a.url)).status, 303);
    const csrf = csrfFrom((await client.get('/compte', { base: a.url })).text);
    const api = (server, method, url, json) => client.request(method, url, {
      base: server.url, body: JSON.stringify(json),
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
    });
    const hits = async (server) => (await (await fetch(`${server.url}/api/v1/search?q=fablab+loue&kind=practice`)).json()).hits;
    // Polls until `ok(hits)`; returns the milliseconds it took, or fails after a second.
    const within = async (server, ok, what) => {
      const start = Date.now();
      while (Date.now() - start < 1000) {
        if (ok(await hits(server))) return Date.now() - start;
        await sleep(25);
      }
      assert.fail(`${what} : pas en moins d’une seconde`);
    };
    const created = await api(a, 'POST', '/api/v1/practices', {
      territoire: 'ornans-recherche', titre: 'Un fablab itinérant dans la vallée de la Loue',
      resume: 'Un camion-atelier qui sillonne les villages pour initier à la fabrication numérique.', communes: ['25434'],
      thematiques: ['loisirs-et-creations-numeriques'],
    });
    assert.equal(created.status, 201, created.text);
    const id = JSON.parse(created.text).id;
    await sleep(400);  // time for B to (wrongly) pick the draft up
    assert.deepEqual(await hits(b), [], 'le brouillon est introuvable sur B');
    assert.equal((await api(a, 'PUT', `/api/v1/practices/${id}`, { statut: 'publiee' })).status, 200);
    await within(b, (h) => h.length === 1 && h[0].url === `/pratiques/${id}`, 'publiée sur A, trouvée sur B');
    assert.equal((await api(b, 'PUT', `/api/v1/practices/${id}`, { statut: 'depubliee' })).status, 200);
    await within(a, (h) => h.length === 0, 'dépubliée sur B, disparue de A');
  });

  test('la page /recherche affiche résultat, compte et suggestion, sans JavaScript', async () => {
    const ok = await new Client(b.url).get('/recherche?q=ornans');
    assert.equal(ok.status, 200);
    assert.match(ok.text, /role="status" aria-live="polite"[^>]*>1 résultat</);
    assert.match(ok.text, /<a href="\/t\/ornans-recherche\/">Ornans<\/a>/);
    const typo = await new Client(b.url).get('/recherche?q=m%C3%A9diat%C3%A8que');
    assert.match(typo.text, /Vouliez-vous dire/);
    const bad = await new Client(b.url).get('/recherche?page=zero');
    assert.equal(bad.status, 422);
    const api = await fetch(`${b.url}/api/v1/search?page=0`);
    assert.equal(api.status, 422);
    assert.equal((await api.json()).error.champ, 'page');
  });
});
