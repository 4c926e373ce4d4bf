// Two real instances: B follows A's open data export. Imports carry provenance, edits and
// unpublishing on A reach B at the next pull, a local edit on B is never overwritten, and a
// malformed feed or an unreachable instance changes nothing on B and is reported clearly.
//   PASSERELLE_BIN=/tmp/build/passerelle node --test tests/integration/federation.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { addUser, Client, cli, fieldError, prepareDatabase, run, startServer, textOf, uniqueEmail } from './lib/server.mjs';

const PASSWORD = 'une phrase de passe assez longue';

async function sql(db, query) {
  const r = await run('sqlite3', [db.url.slice('sqlite:'.length), query]);
  if (r.code !== 0) throw new Error(`requête impossible : ${query}\n${r.stderr}`);
  return r.stdout.trim();
}

// Every column of every practice of B, to prove that a failed pull wrote nothing.
const snapshot = (db) => sql(db, 'SELECT * FROM practices ORDER BY id');

const pull = (db) => run(process.env.PASSERELLE_BIN || 'passerelle', ['federation', 'pull', '--db', db.url]);

const sheet = (titre) => ({
  territoire: 'besancon',
  titre,
  resume: 'Des ateliers mensuels où les habitants découvrent les services numériques du quartier.',
  description: '## Principe\n\nUn samedi par mois, à la [maison de quartier](https://exemple.fr/maison).',
  communes: ['25056'],
  publics: ['tous-publics'],
  cout: 'Gratuit',
  partenaires: ['Maison de quartier'],
  liens: [{ url: 'https://exemple.fr/ateliers', titre: 'Présentation' }],
  statut: 'publiee',
});

describe('fédération entre deux instances (SQLite)', () => {
  let dbA, dbB, serverA, serverB, agentA, adminB, badFeed, badUrl;
  let first, second;  // ids on A

  const onA = async (method, url, json) => {
    await agentA.get('/compte');
    return agentA.api(method, url, { json, csrfHeader: agentA.csrf });
  };
  const copyOn = async (id) => sql(dbB, `SELECT id || '|' || status || '|' || title || '|' || summary || '|' || locally_modified || '|' || credit `
    + `FROM practices WHERE origin_instance = '${serverA.url}' AND origin_id = '${id}'`);

  before(async () => {
    [dbA, dbB] = await Promise.all([prepareDatabase('sqlite'), prepareDatabase('sqlite')]);
    const agentEmail = uniqueEmail('agent-a');
    const adminEmail = uniqueEmail('admin-b');
    await addUser(dbA, { email: agentEmail, password: PASSWORD, role: 'agent', territory: 'besancon' });
    await addUser(dbB, { email: adminEmail, password: PASSWORD, role: 'administrateur', territory: 'besancon' });
    [serverA, serverB] = await Promise.all([startServer(dbA), startServer(dbB)]);
    agentA = new Client(serverA.url);
    assert.equal((await agentA.login(agentEmail, PASSWORD)).status, 303);
    adminB = new Client(serverB.url);
    assert.equal((await adminB.login(adminEmail, PASSWORD)).status, 303);
    // A feed that is not JSON, served with the right type, on another origin.
    badFeed = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"format": "passerelle-pratiques", "version": 1,\n "practices": [ {"id": "1", }\n]}');
    });
    await new Promise((resolve) => badFeed.listen(0, '127.0.0.1', resolve));
    badUrl = `http://127.0.0.1:${badFeed.address().port}/donnees/pratiques.json`;
  });

  after(async () => {
    await Promise.allSettled([serverA?.stop(), serverB?.stop()]);
    badFeed?.close();
    await Promise.allSettled([dbA?.drop(), dbB?.drop()]);
  });

  it("A publie ses fiches en données ouvertes : JSON, CSV et Atom", async () => {
    const created = await onA('POST', '/api/v1/practices', sheet('Ateliers de découverte du quartier'));
    assert.equal(created.status, 201, created.body);
    first = created.json().id;
    const other = await onA('POST', '/api/v1/practices', sheet('Cafés de la connaissance'));
    assert.equal(other.status, 201, other.body);
    second = other.json().id;

    const json = await fetch(`${serverA.url}/donnees/pratiques.json`);
    assert.equal(json.status, 200);
    assert.match(json.headers.get('content-type'), /^application\/json/);
    const doc = await json.json();
    assert.equal(doc.format, 'passerelle-pratiques');
    const mine = doc.practices.find((p) => p.id === String(first));
    assert.equal(mine.title, 'Ateliers de découverte du quartier');
    assert.equal(mine.url, `${serverA.url}/pratiques/${first}`);
    assert.equal(mine.territory.slug, 'besancon');
    assert.deepEqual(mine.publics.map((t) => t.slug), ['tous-publics']);

    const csv = await fetch(`${serverA.url}/donnees/pratiques.csv`);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    const csvText = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    assert.ok(csvText.startsWith('\uFEFFid;url;titre;'), csvText.slice(0, 40));
    assert.match(csvText, /Ateliers de découverte du quartier/);

    const atom = await (await fetch(`${serverA.url}/donnees/pratiques.atom`)).text();
    assert.match(atom, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    assert.match(atom, new RegExp(`<id>${serverA.url}/pratiques/${first}</id>`));
    assert.doesNotMatch(atom, /<script/);
  });

  it("B suit A depuis l'administration du territoire (adresse vérifiée, jeton CSRF)", async () => {
    const page = await adminB.get('/t/besancon/admin/federation');
    assert.equal(page.status, 200);
    assert.match(page.body, /<label for="champ-url">/);
    const refused = await adminB.post('/t/besancon/admin/federation', { url: 'ftp://exemple.fr/pratiques.json' });
    assert.equal(refused.status, 200);
    assert.match(fieldError(refused.body, 'url'), /une adresse complète en http ou https est attendue/);
    const noCsrf = await adminB.post('/t/besancon/admin/federation', { url: `${serverA.url}/donnees/pratiques.json` }, { csrf: false });
    assert.equal(noCsrf.status, 403);
    assert.equal(await sql(dbB, 'SELECT COUNT(*) FROM federation_subscriptions'), '0');
    const added = await adminB.post('/t/besancon/admin/federation', { url: `${serverA.url}/donnees/pratiques.json` });
    assert.equal(added.status, 200);
    assert.match(textOf(added.body), /Instance http:\/\/127\.0\.0\.1:\d+ suivie/);
    const twice = await adminB.post('/t/besancon/admin/federation', { url: `${serverA.url}/donnees/pratiques.json` });
    assert.match(fieldError(twice.body, 'url'), /déjà suivie/);
  });

  it('un import copie les fiches de A avec leur provenance, et B les affiche', async () => {
    const r = await pull(dbB);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Réussi/);
    const [id, status, title, , modified, credit] = (await copyOn(first)).split('|');
    assert.equal(status, 'published');
    assert.equal(title, 'Ateliers de découverte du quartier');
    assert.equal(modified, '0');
    assert.match(credit, new RegExp(`${serverA.url}/pratiques/${first}`));
    const page = await new Client(serverB.url).get(`/pratiques/${id}`);
    assert.equal(page.status, 200);
    assert.match(textOf(page.body), /Ateliers de découverte du quartier/);
    assert.doesNotMatch(page.body, /<script>alert/);
    // Nothing new at the origin: a second pull changes nothing.
    const before = await snapshot(dbB);
    assert.equal((await pull(dbB)).code, 0);
    assert.equal(await snapshot(dbB), before);
  });

  it('une modification sur A arrive sur B au prochain import (bouton « Importer maintenant »)', async () => {
    const edited = await onA('PUT', `/api/v1/practices/${first}`, { ...sheet('Ateliers de découverte, saison 2'), statut: undefined });
    assert.equal(edited.status, 200, edited.body);
    const page = await adminB.get('/t/besancon/admin/federation');
    const action = /action="(\/t\/besancon\/admin\/federation\/\d+\/importer)"/.exec(page.body)[1];
    const pulled = await adminB.post(action, {});
    assert.equal(pulled.status, 200);
    assert.match(textOf(pulled.body), /Import terminé/);
    assert.equal((await copyOn(first)).split('|')[2], 'Ateliers de découverte, saison 2');
  });

  it('une fiche dépubliée sur A est retirée de B', async () => {
    assert.equal((await onA('PUT', `/api/v1/practices/${second}`, { statut: 'depubliee' })).status, 200);
    const r = await pull(dbB);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 retirée/);
    const [id, status] = (await copyOn(second)).split('|');
    assert.equal(status, 'unpublished');
    assert.equal((await new Client(serverB.url).get(`/pratiques/${id}`)).status, 404);
  });

  it('une modification locale sur B survit aux modifications suivantes de A', async () => {
    const [id] = (await copyOn(first)).split('|');
    await adminB.get('/compte');
    const local = await adminB.api('PUT', `/api/v1/practices/${id}`, {
      json: { ...sheet('Ateliers de découverte, version de B'), resume: 'Adapté par B pour ses quartiers.', statut: undefined },
      csrfHeader: adminB.csrf,
    });
    assert.equal(local.status, 200, local.body);
    assert.equal((await copyOn(first)).split('|')[4], '1');
    assert.equal((await onA('PUT', `/api/v1/practices/${first}`, { ...sheet('Ateliers, saison 3 sur A'), statut: undefined })).status, 200);
    const r = await pull(dbB);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 modification\(s\) locale\(s\) conservée\(s\)/);
    const [, status, title, summary] = (await copyOn(first)).split('|');
    assert.equal(status, 'published');
    assert.equal(title, 'Ateliers de découverte, version de B');
    assert.equal(summary, 'Adapté par B pour ses quartiers.');
  });

  it("un flux mal formé et une instance injoignable ne changent rien sur B et l'erreur est claire", async () => {
    await cli(['federation', 'add', '--db', dbB.url, '--territory', 'noumea', '--url', badUrl]);
    await cli(['federation', 'add', '--db', dbB.url, '--territory', 'grand-angouleme', '--url', 'http://127.0.0.1:9/donnees/pratiques.json']);
    const before = await snapshot(dbB);
    const r = await pull(dbB);
    assert.equal(r.code, 1, 'a failed pull makes the command fail');
    assert.match(r.stdout, /Échec – Le flux n'est pas du JSON valide \(ligne 2, colonne \d+\)\./);
    assert.match(r.stdout, /127\.0\.0\.1:9 : Échec – Instance injoignable/);
    assert.equal(await snapshot(dbB), before, 'nothing changed on B');
    const status = await sql(dbB, `SELECT last_status || '|' || last_message FROM federation_subscriptions WHERE url = '${badUrl}'`);
    assert.match(status, /^erreur\|Le flux n'est pas du JSON valide/);
  });

  it("l'administration de la plateforme liste les abonnements et leurs erreurs", async () => {
    const email = uniqueEmail('plateforme-b');
    await addUser(dbB, { email, password: PASSWORD, role: 'platform-admin' });
    const platform = new Client(serverB.url);
    assert.equal((await platform.login(email, PASSWORD)).status, 303);
    const page = await platform.get('/admin/federation');
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    assert.match(text, /3 instance\(s\) suivie\(s\)/);
    assert.match(text, /Échec Le flux n'est pas du JSON valide/);
    assert.match(text, /Instance injoignable/);
    assert.equal((await adminB.get('/admin/federation')).status, 403);
  });
});
