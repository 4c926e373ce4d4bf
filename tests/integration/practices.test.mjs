// Practice sheets over the JSON API, on SQLite and on PostgreSQL: creation by a territory agent
// with an API token, validation errors that name the field and change nothing, drafts invisible
// to visitors, publication, new versions, rights.
//   PASSERELLE_BIN=/tmp/build/passerelle PASSERELLE_TEST_PG_URL=postgresql://… node --test tests/integration/practices.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { addUser, apiToken, Client, decodeEntities, PG_URL, prepareDatabase, run, startServer, uniqueEmail } from './lib/server.mjs';

const PASSWORD = 'une phrase de passe assez longue';

// Ids of the practice sheets that /api/v1/search finds for `q`.
async function searchIds(client, q) {
  const r = await client.api('GET', `/api/v1/search?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, r.body);
  return r.json().hits.filter((h) => h.kind === 'practice').map((h) => h.id);
}

// Waits (up to 5 s) until the search index agrees with `check`.
async function eventually(check) {
  for (let i = 0; i < 50; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

// Counts rows straight in the database, to prove that a refused request wrote nothing.
async function countRows(db, sql) {
  const r = db.backend === 'sqlite'
    ? await run('sqlite3', [db.url.slice('sqlite:'.length), sql])
    : await run('psql', [db.url, '-t', '-A', '-c', sql]);
  if (r.code !== 0) throw new Error(`requête impossible : ${sql}\n${r.stderr}`);
  return Number(r.stdout.trim());
}

const sheet = {
  territoire: 'besancon',
  titre: 'Ateliers de réparation numérique',
  resume: 'Des ateliers mensuels où les habitants apprennent à réparer et reconditionner leurs appareils.',
  description: '## Principe\n\nUn samedi par mois, à la maison de quartier.',
  communes: ['25056'],
  thematiques: ['materiel-reconditionne', 'Sobriété numérique'],
  publics: ['tous-publics'],
  secteurs: ['acteurs-prives-et-associatifs'],
  cout: 'Gratuit',
  montant: '350',
  partenaires: ['Repair café de Besançon'],
  contact: { nom: 'Maison de quartier', email: 'reparation@demo.passerelle.localhost', telephone: '03 53 01 77 88' },
  liens: [{ url: 'https://www.besancon.fr', titre: 'Ville de Besançon' }],
};

for (const backend of ['sqlite', 'postgres']) {
  describe(`API des fiches pratiques (${backend})`, { skip: backend === 'postgres' && !PG_URL ? 'PASSERELLE_TEST_PG_URL absent' : false }, () => {
    let db;
    let server;
    let token;
    let agent;
    const anonymous = () => new Client(server.url);
    const asAgent = (method, url, json) => new Client(server.url).api(method, url, { bearer: token, json });

    before(async () => {
      db = await prepareDatabase(backend);
      const email = uniqueEmail('agente');
      await addUser(db, { email, password: PASSWORD, role: 'agent', territory: 'besancon', displayName: 'Agente de Besançon' });
      server = await startServer(db);
      agent = new Client(server.url);
      const login = await agent.login(email, PASSWORD);
      assert.equal(login.status, 303, login.body);
      token = await apiToken(agent);
    });

    after(async () => {
      if (server) await server.stop();
      if (db) await db.drop();
    });

    it('les fiches de démonstration sont publiées, le brouillon de démonstration reste invisible', async () => {
      const r = await anonymous().api('GET', '/api/v1/practices?par_page=100');
      assert.equal(r.status, 200, r.body);
      const list = r.json();
      assert.ok(list.total >= 8, `seulement ${list.total} fiches publiées`);
      const titles = list.pratiques.map((p) => p.titre);
      assert.ok(titles.includes('Les cafés de la connaissance'));
      assert.ok(!titles.some((t) => t.includes('(brouillon)')), 'le brouillon de démonstration est public');
      assert.ok(list.pratiques.every((p) => p.statut === 'publiee'));
      const reused = list.pratiques.find((p) => p.titre === 'Formation des élus au numérique');
      assert.equal(reused.reutilisations, 1);
      const copy = list.pratiques.find((p) => p.territoire.slug === 'noumea' && p.provenance && p.provenance.fiche_origine === reused.id);
      assert.ok(copy, 'la reprise par Nouméa manque');
      assert.equal(copy.provenance.modifiee_localement, true);
    });

    it('les filtres par territoire et thématique se combinent', async () => {
      const r = await anonymous().api('GET', '/api/v1/practices?territoire=besancon&thematique=risques-cyber-et-protection');
      assert.equal(r.status, 200);
      const titles = r.json().pratiques.map((p) => p.titre).sort();
      assert.deepEqual(titles, ['Formation des élus au numérique', 'Les cafés de la connaissance']);
      const unknown = await anonymous().api('GET', '/api/v1/practices?territoire=atlantide');
      assert.equal(unknown.status, 422);
      assert.equal(unknown.json().error.champ, 'territoire');
    });

    it('une saisie invalide nomme chaque champ et ne change rien', async () => {
      const before = await countRows(db, 'SELECT COUNT(*) FROM practices');
      const versions = await countRows(db, 'SELECT COUNT(*) FROM practice_versions');
      const bad = await asAgent('POST', '/api/v1/practices', {
        ...sheet,
        titre: '   ',
        contact: { ...sheet.contact, email: 'pas-une-adresse' },
        liens: [{ url: 'javascript:alert(1)', titre: 'piège' }],
        thematiques: ['cuisine'],
      });
      assert.equal(bad.status, 422, bad.body);
      const error = bad.json().error;
      assert.equal(error.champ, 'titre');
      assert.equal(error.message, 'Donnez un titre à la fiche.');
      const fields = error.erreurs.map((e) => e.champ);
      for (const f of ['titre', 'thematiques', 'contact.email', 'liens[0].url']) assert.ok(fields.includes(f), `${f} absent de ${fields}`);
      assert.equal(
        error.erreurs.find((e) => e.champ === 'thematiques').message,
        '« cuisine » ne fait pas partie de la liste proposée.',
      );
      const html = await asAgent('POST', '/api/v1/practices', { ...sheet, description: 'Voir <script>alert(1)</script>' });
      assert.equal(html.status, 422);
      assert.equal(html.json().error.champ, 'description');
      const typed = await asAgent('POST', '/api/v1/practices', { ...sheet, communes: '25056' });
      assert.equal(typed.status, 422);
      assert.equal(typed.json().error.champ, 'communes');
      const broken = await new Client(server.url).api('POST', '/api/v1/practices', { bearer: token, raw: '{"titre": ' });
      assert.equal(broken.status, 400);
      assert.equal(await countRows(db, 'SELECT COUNT(*) FROM practices'), before);
      assert.equal(await countRows(db, 'SELECT COUNT(*) FROM practice_versions'), versions);
    });

    it('un brouillon est invisible des visiteurs ; publié, il apparaît ; chaque enregistrement est une version', async () => {
      const created = await asAgent('POST', '/api/v1/practices', sheet);
      assert.equal(created.status, 201, created.body);
      const p = created.json();
      assert.equal(p.statut, 'brouillon');
      assert.equal(p.version, 1);
      assert.equal(p.montant_centimes, 35000);
      assert.deepEqual(p.thematiques.map((t) => t.slug), ['materiel-reconditionne', 'sobriete-numerique']);
      assert.equal(p.thematiques[1].libelle, 'Sobriété numérique');
      assert.equal(p.licence.id, 'etalab-2.0');
      assert.equal(created.location, `/api/v1/practices/${p.id}`);

      assert.equal((await anonymous().api('GET', `/api/v1/practices/${p.id}`)).status, 404);
      const listed = await anonymous().api('GET', '/api/v1/practices?territoire=besancon&par_page=100');
      assert.ok(!listed.json().pratiques.some((x) => x.id === p.id), 'le brouillon est listé');
      assert.equal((await asAgent('GET', `/api/v1/practices/${p.id}`)).status, 200);

      await new Promise((r) => setTimeout(r, 500));  // leave the index time to (wrongly) pick the draft up
      assert.ok(!(await searchIds(anonymous(), 'reconditionner')).includes(p.id), 'la recherche trouve le brouillon');
      const published = await asAgent('PUT', `/api/v1/practices/${p.id}`, { statut: 'publiee' });
      assert.equal(published.status, 200, published.body);
      assert.equal(published.json().statut, 'publiee');
      assert.equal(published.json().version, 1);
      const seen = await anonymous().api('GET', `/api/v1/practices/${p.id}`);
      assert.equal(seen.status, 200);
      assert.equal(seen.json().titre, sheet.titre);
      assert.ok(await eventually(async () => (await searchIds(anonymous(), 'reconditionner')).includes(p.id)), 'la fiche publiée est introuvable');
      const relisted = await anonymous().api('GET', '/api/v1/practices?territoire=besancon&thematique=materiel-reconditionne');
      assert.deepEqual(relisted.json().pratiques.map((x) => x.id), [p.id]);

      const edited = await asAgent('PUT', `/api/v1/practices/${p.id}`, { ...sheet, resume: 'Un samedi par mois, on répare ensemble.' });
      assert.equal(edited.status, 200, edited.body);
      assert.equal(edited.json().version, 2);
      assert.equal(edited.json().statut, 'publiee');
      const refused = await asAgent('PUT', `/api/v1/practices/${p.id}`, { ...sheet, contact: { email: 'faux' } });
      assert.equal(refused.status, 422);
      assert.equal(refused.json().error.champ, 'contact.email');
      assert.equal((await anonymous().api('GET', `/api/v1/practices/${p.id}`)).json().resume, 'Un samedi par mois, on répare ensemble.');
      assert.equal(await countRows(db, `SELECT COUNT(*) FROM practice_versions WHERE practice_id = ${p.id}`), 2);

      const withdrawn = await asAgent('PUT', `/api/v1/practices/${p.id}`, { statut: 'depubliee' });
      assert.equal(withdrawn.status, 200);
      assert.equal((await anonymous().api('GET', `/api/v1/practices/${p.id}`)).status, 404);
      assert.ok(await eventually(async () => !(await searchIds(anonymous(), 'reconditionner')).includes(p.id)), 'la fiche dépubliée reste dans la recherche');
    });

    it("les droits : pas de compte 401, un autre territoire 403, la session sans jeton CSRF 403", async () => {
      assert.equal((await anonymous().api('POST', '/api/v1/practices', { json: sheet })).status, 401);
      const elsewhere = await asAgent('POST', '/api/v1/practices', { ...sheet, territoire: 'noumea', communes: ['98818'] });
      assert.equal(elsewhere.status, 403);
      const demo = (await anonymous().api('GET', '/api/v1/practices?territoire=noumea')).json().pratiques[0];
      assert.equal((await asAgent('PUT', `/api/v1/practices/${demo.id}`, { statut: 'depubliee' })).status, 403);
      const noCsrf = await agent.api('POST', '/api/v1/practices', { json: sheet });
      assert.equal(noCsrf.status, 403);
      await agent.get('/compte');
      const withCsrf = await agent.api('POST', '/api/v1/practices', { json: sheet, csrfHeader: agent.csrf });
      assert.equal(withCsrf.status, 201, withCsrf.body);
    });

    it("l'OpenAPI décrit les chemins et le schéma Pratique", async () => {
      const doc = (await anonymous().api('GET', '/api/openapi.json')).json();
      assert.ok(doc.paths['/api/v1/practices'].get);
      assert.ok(doc.paths['/api/v1/practices'].post);
      assert.ok(doc.paths['/api/v1/practices/{id}'].put);
      assert.equal(doc.components.schemas.Pratique.properties.thematiques.items.properties.slug.enum.length, 29);
    });
  });
}
