// The HTML pages of the practices module over HTTP, on SQLite and PostgreSQL: the editor (errors,
// creation, publication, attachments), the sheet for visitors, drafts hidden, "je m'en inspire",
// comments and their moderation, versions and diffs, search with facets, collections.
//   PASSERELLE_BIN=build/passerelle PASSERELLE_TEST_PG_URL=postgresql://… node --test tests/integration/practices_pages.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { addUser, Client, decodeEntities, fieldError, PG_URL, prepareDatabase, startServer, textOf, uniqueEmail } from './lib/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const catalogue = (dir) => JSON.parse(readFileSync(path.join(ROOT, 'web/locale', dir, 'fr.json'), 'utf8'));
const FR = { ...catalogue('practices'), ...catalogue('practices-pages') };
const PASSWORD = 'une phrase de passe assez longue';
const TERRITORY = 'grand-angouleme';
const OTHER = 'besancon';

// A urlencoded form with repeated fields (checkboxes): `pairs` is [[name, value], …].
function postPairs(client, url, pairs) {
  const params = new URLSearchParams();
  params.append('_csrf', client.csrf);
  for (const [k, v] of pairs) params.append(k, v);
  return client.request('POST', url, { body: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

function sheet({ title, summary, body = '', themes = [], publics = [], email = '', links = [] }) {
  const pairs = [['title', title], ['summary', summary], ['body', body], ['communes', '16015'], ['cost', 'Gratuit'], ['cost_amount', ''],
    ['partners', 'Médiathèque\nCentre social'], ['contact_name', 'Camille'], ['contact_email', email], ['contact_phone', ''],
    ['licence', 'etalab-2.0']];
  for (const t of themes) pairs.push(['themes', t]);
  for (const p of publics) pairs.push(['publics', p]);
  links.forEach((l, i) => { pairs.push([`links[${i}].url`, l.url], [`links[${i}].title`, l.title]); });
  return pairs;
}

// The status the server answers to a POST that announces `length` bytes of body and sends none:
// a limit checked from the header answers at once. Over a raw socket, so that a reset connection
// fails the test instead of passing for a refusal.
function statusForAnnouncedBody(client, url, length, contentType) {
  const { hostname, port } = new URL(client.base);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname);
    let got = '';
    s.setTimeout(10000, () => s.destroy(new Error(`pas de réponse pour ${url}`)));
    s.on('error', reject);
    s.on('data', (d) => {
      got += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(got);
      if (m) { s.destroy(); resolve(Number(m[1])); }
    });
    s.on('close', () => reject(new Error(`connexion fermée sans statut pour ${url} : ${JSON.stringify(got)}`)));
    s.write(`POST ${url} HTTP/1.1\r\nHost: ${hostname}\r\nCookie: ${client.cookieHeader()}\r\n` +
      `Content-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`);
  });
}

// Retries `fn` until it returns a truthy value (the search index catches up within a second).
async function eventually(fn, what, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`${what} : toujours faux après ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const describeBackend = (backend, fn) => {
  const skip = backend === 'postgres' && !PG_URL ? 'PASSERELLE_TEST_PG_URL absent : PostgreSQL non testé' : false;
  describe(`Pages des bonnes pratiques sur ${backend}`, { skip }, () => fn(backend));
};

for (const backend of ['sqlite', 'postgres']) {
  describeBackend(backend, () => {
    let db;
    let server;
    const emails = { gestion: uniqueEmail('gestion'), autre: uniqueEmail('autre'), cit: uniqueEmail('cit'), modo: uniqueEmail('modo') };
    const clients = {};
    let id;       // the sheet created through the editor
    let otherId;  // a second published sheet, with another theme
    const title = `Ateliers de découverte du quartier ${Date.now().toString(36)}`;

    before(async () => {
      db = await prepareDatabase(backend);
      await Promise.all([
        addUser(db, { email: emails.gestion, password: PASSWORD, role: 'administrateur', territory: TERRITORY, displayName: 'Gaëlle Gestion' }),
        addUser(db, { email: emails.autre, password: PASSWORD, role: 'administrateur', territory: OTHER, displayName: 'Bastien Besançon' }),
      ]);
      await Promise.all([
        addUser(db, { email: emails.cit, password: PASSWORD, role: 'citoyen', territory: TERRITORY, displayName: 'Claude Citoyenne' }),
        addUser(db, { email: emails.modo, password: PASSWORD, role: 'moderateur', territory: TERRITORY, displayName: 'Morgane Modération' }),
      ]);
      server = await startServer(db);
      for (const who of Object.keys(emails)) {
        clients[who] = new Client(server.url);
        const r = await clients[who].login(emails[who], PASSWORD);
        assert.equal(r.status, 303, `connexion de ${who} : ${r.status}\n${textOf(r.body)}`);
      }
      clients.visitor = new Client(server.url);
    });

    after(async () => {
      if (server && server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGKILL');
      if (db) await db.drop();
    });

    it("un formulaire erroné répond 422, garde la saisie, dit quel champ et ne crée rien", async () => {
      const c = clients.gestion;
      const editor = await c.get(`/t/${TERRITORY}/pratiques/nouvelle`);
      assert.equal(editor.status, 200);
      const r = await postPairs(c, `/t/${TERRITORY}/pratiques/nouvelle`,
        sheet({ title: '', summary: 'Résumé gardé', email: 'pas-une-adresse', links: [{ url: 'javascript:alert(1)', title: 'piège' }] }));
      assert.equal(r.status, 422);
      assert.equal(fieldError(r.body, 'title'), FR['practices.title_required']);
      assert.equal(fieldError(r.body, 'contact_email'), FR['practices.contact_email_invalid']);
      assert.match(r.body, /<div class="error-summary" role="alert"/);
      assert.match(r.body, /href="#champ-title"/);
      assert.match(r.body, /aria-describedby="champ-title-aide champ-title-erreur"/);
      assert.match(r.body, /Résumé gardé/);
      assert.match(r.body, /value="pas-une-adresse"/);
      const list = await c.get(`/t/${TERRITORY}/pratiques`);
      assert.doesNotMatch(list.body, /Résumé gardé/);
      // A visitor cannot reach the editor; a citizen gets 403.
      assert.equal((await clients.visitor.get(`/t/${TERRITORY}/pratiques/nouvelle`)).status, 303);
      assert.equal((await clients.cit.get(`/t/${TERRITORY}/pratiques/nouvelle`)).status, 403);
    });

    it("l'administration du territoire crée une fiche en brouillon, invisible des visiteurs", async () => {
      const c = clients.gestion;
      await c.get(`/t/${TERRITORY}/pratiques/nouvelle`);
      const r = await postPairs(c, `/t/${TERRITORY}/pratiques/nouvelle`, sheet({
        title, summary: 'Des balades pour découvrir les lieux numériques du quartier.', body: 'Première **version** du déroulé.',
        themes: ['maitrise-des-outils-numeriques'], publics: ['seniors-personnes-agees'],
        links: [{ url: 'https://exemple.fr/ateliers', title: 'Programme' }],
      }));
      assert.equal(r.status, 303, textOf(r.body));
      const m = /^\/pratiques\/(\d+)\/modifier\?fait=creee$/.exec(r.location);
      assert.ok(m, r.location);
      id = Number(m[1]);
      const edit = await c.get(r.location);
      assert.equal(edit.status, 200);
      assert.match(edit.body, /role="status"/);
      // Draft: 404 for a visitor and for a citizen, seen by its editor.
      assert.equal((await clients.visitor.get(`/pratiques/${id}`)).status, 404);
      assert.equal((await clients.cit.get(`/pratiques/${id}`)).status, 404);
      assert.equal((await clients.visitor.get(`/pratiques/${id}/versions`)).status, 404);
      assert.equal((await clients.cit.get(`/pratiques/${id}/modifier`)).status, 404);
      assert.equal((await c.get(`/pratiques/${id}`)).status, 200);
      const territoryPage = await c.get(`/t/${TERRITORY}/pratiques`);
      assert.match(territoryPage.body, new RegExp(`href="/pratiques/${id}"`));
      const publicPage = await clients.visitor.get(`/t/${TERRITORY}/pratiques`);
      assert.doesNotMatch(publicPage.body, new RegExp(`href="/pratiques/${id}"`));
    });

    it('les pièces jointes se téléversent en multipart, avec leur taille en français', async () => {
      const c = clients.gestion;
      const page = await c.get(`/pratiques/${id}/modifier`);
      assert.match(page.body, /enctype="multipart\/form-data"/);
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
      const form = new FormData();
      form.append('_csrf', c.csrf);
      form.append('fichier', new Blob([pdf], { type: 'application/pdf' }), 'programme.pdf');
      form.append('alt', '');
      form.append('caption', 'Programme des ateliers');
      const r = await c.request('POST', `/pratiques/${id}/pieces-jointes`, { body: form });
      assert.equal(r.status, 303, textOf(r.body));
      // Without the CSRF token: refused.
      const bad = new FormData();
      bad.append('fichier', new Blob([pdf]), 'x.pdf');
      assert.equal((await c.request('POST', `/pratiques/${id}/pieces-jointes`, { body: bad })).status, 403);
      // A disguised file: 422 with the message on the file field.
      const fake = new FormData();
      fake.append('_csrf', c.csrf);
      fake.append('fichier', new Blob(['<script>alert(1)</script>'], { type: 'image/png' }), 'photo.png');
      fake.append('alt', 'photo');
      const refused = await c.request('POST', `/pratiques/${id}/pieces-jointes`, { body: fake });
      assert.equal(refused.status, 422);
      assert.equal(fieldError(refused.body, 'fichier'), FR['practices.file_type_refused']);
      const sheetPage = await c.get(`/pratiques/${id}`);
      assert.match(textOf(sheetPage.body), new RegExp(`Télécharger « Programme des ateliers » \\(PDF, ${pdf.length} octets\\)`));
    });

    it("un PDF de 3 Mo passe la limite propre au téléversement ; au-delà de 20 Mo, 413 sans rien garder", async () => {
      const c = clients.gestion;
      await c.get(`/pratiques/${id}/modifier`);
      const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
      const form = new FormData();
      form.append('_csrf', c.csrf);
      form.append('fichier', new Blob([big], { type: 'application/pdf' }), 'gros.pdf');
      form.append('alt', '');
      form.append('caption', 'Guide complet');
      const r = await c.request('POST', `/pratiques/${id}/pieces-jointes`, { body: form });
      assert.equal(r.status, 303, textOf(r.body));
      const refused = { status: await statusForAnnouncedBody(c, `/pratiques/${id}/pieces-jointes`, 21 * 1024 * 1024, 'multipart/form-data; boundary=x') };
      assert.equal(refused.status, 413);
      // Elsewhere the server's own limit (1 Mio) still holds.
      const other = { status: await statusForAnnouncedBody(c, '/connexion', 2 * 1024 * 1024, 'application/x-www-form-urlencoded') };
      assert.equal(other.status, 413);
      const sheet = await c.get(`/pratiques/${id}`);
      assert.match(textOf(sheet.body), /Guide complet/);
      assert.doesNotMatch(textOf(sheet.body), /Trop gros/);
    });

    it('publiée, la fiche est visible des visiteurs et dans la recherche', async () => {
      const c = clients.gestion;
      await c.get(`/pratiques/${id}/modifier`);
      const r = await c.post(`/pratiques/${id}/publier`);
      assert.equal(r.status, 303);
      const page = await clients.visitor.get(`/pratiques/${id}`);
      assert.equal(page.status, 200);
      assert.match(page.body, new RegExp(`<h1>${title}</h1>`));
      assert.match(page.body, /<a href="https:\/\/exemple.fr\/ateliers" rel="noopener noreferrer external">Programme<\/a>/);
      assert.match(page.body, /<strong>version<\/strong>/);
      assert.match(textOf(page.body), /Maîtrise des outils numériques/);
      assert.match(textOf(page.body), /Licence Ouverte/);
      assert.doesNotMatch(page.body, /\/modifier"/, 'pas de lien de modification pour un visiteur');
      await eventually(async () => (await clients.visitor.get(`/pratiques?q=${encodeURIComponent('découverte quartier')}`)).body.includes(`href="/pratiques/${id}"`),
        'la fiche publiée apparaît dans /pratiques');
    });

    it('une modification crée une version et le diff la montre avec <ins>/<del> et des mots', async () => {
      const c = clients.gestion;
      await c.get(`/pratiques/${id}/modifier`);
      const r = await postPairs(c, `/pratiques/${id}/modifier`, sheet({
        title, summary: 'Des balades pour découvrir les lieux numériques du quartier.', body: 'Deuxième version du déroulé, avec une carte.',
        themes: ['maitrise-des-outils-numeriques'], publics: ['seniors-personnes-agees'],
      }));
      assert.equal(r.status, 303, textOf(r.body));
      const versions = await clients.visitor.get(`/pratiques/${id}/versions`);
      assert.equal(versions.status, 200);
      assert.match(versions.body, new RegExp(`href="/pratiques/${id}/versions/1/2"`));
      assert.match(textOf(versions.body), /Gaëlle Gestion/);
      const diff = await clients.visitor.get(`/pratiques/${id}/versions/1/2`);
      assert.equal(diff.status, 200);
      assert.match(diff.body, /<del><strong class="diff-marker">Supprimé : <\/strong>Première \*\*version\*\* du déroulé.<\/del>/);
      assert.match(diff.body, /<ins><strong class="diff-marker">Ajouté : <\/strong>Deuxième version du déroulé, avec une carte.<\/ins>/);
      assert.equal((await clients.visitor.get(`/pratiques/${id}/versions/1/9`)).status, 404);
    });

    it("un autre territoire s'en inspire une seule fois, avec le crédit", async () => {
      const c = clients.autre;
      const page = await c.get(`/pratiques/${id}`);
      const option = /<select id="champ-territoire" name="territoire"[^>]*>\s*<option value="(\d+)"/.exec(page.body);
      assert.ok(option, 'le choix du territoire est proposé');
      const r = await c.post(`/pratiques/${id}/inspirer`, { territoire: option[1] });
      assert.equal(r.status, 303, textOf(r.body));
      const copy = /^\/pratiques\/(\d+)\/modifier\?fait=inspiree$/.exec(r.location);
      assert.ok(copy, r.location);
      const copyPage = await c.get(`/pratiques/${copy[1]}`);
      assert.match(textOf(copyPage.body), /Inspirée de/);
      assert.match(copyPage.body, new RegExp(`href="/pratiques/${id}"`));
      const again = await c.post(`/pratiques/${id}/inspirer`, { territoire: option[1] });
      assert.equal(again.status, 409);
      assert.match(decodeEntities(again.body), new RegExp(FR['practices.already_reused']));
      const origin = await clients.visitor.get(`/pratiques/${id}`);
      assert.match(textOf(origin.body), /1 territoire s'en est inspiré\./);
      // Its own territory cannot "reuse" it, nor a citizen.
      const forged = await clients.cit.post(`/pratiques/${id}/inspirer`, { territoire: option[1] });
      assert.equal(forged.status, 422);
    });

    it('un commentaire publié puis masqué par la modération', async () => {
      const text = `Très utile chez nous aussi ${Date.now()}`;
      await clients.cit.get(`/pratiques/${id}`);
      const empty = await clients.cit.post(`/pratiques/${id}/commentaires`, { comment: '  ' });
      assert.equal(empty.status, 422);
      assert.equal(fieldError(empty.body, 'comment'), FR['practices.comment_required']);
      const r = await clients.cit.post(`/pratiques/${id}/commentaires`, { comment: text });
      assert.equal(r.status, 303);
      const cid = /#commentaire-(\d+)$/.exec(r.location)[1];
      assert.match((await clients.visitor.get(`/pratiques/${id}`)).body, new RegExp(text));
      // A citizen cannot moderate.
      assert.equal((await clients.cit.post(`/pratiques/${id}/commentaires/${cid}/masquer`)).status, 403);
      await clients.modo.get(`/pratiques/${id}`);
      const hide = await clients.modo.post(`/pratiques/${id}/commentaires/${cid}/masquer`);
      assert.equal(hide.status, 303);
      assert.doesNotMatch((await clients.visitor.get(`/pratiques/${id}`)).body, new RegExp(text));
      const modoView = await clients.modo.get(`/pratiques/${id}`);
      assert.match(modoView.body, new RegExp(text));
      assert.match(textOf(modoView.body), new RegExp(FR['practices_pages.comments.hidden'].replace(/[()]/g, '\\$&')));
    });

    it('la recherche se restreint avec un filtre de thématique', async () => {
      const c = clients.gestion;
      await c.get(`/t/${TERRITORY}/pratiques/nouvelle`);
      const r = await postPairs(c, `/t/${TERRITORY}/pratiques/nouvelle`, sheet({
        title: 'Permanences numériques virtuelles en milieu rural', summary: 'Des permanences en visio dans les mairies du quartier rural.',
        themes: ['aides-aux-demarches-administratives'],
      }));
      assert.equal(r.status, 303, textOf(r.body));
      otherId = Number(/\/pratiques\/(\d+)\//.exec(r.location)[1]);
      await c.get(r.location);
      assert.equal((await c.post(`/pratiques/${otherId}/publier`)).status, 303);
      const both = await eventually(async () => {
        const p = await clients.visitor.get('/pratiques?q=quartier');
        return p.body.includes(`href="/pratiques/${id}"`) && p.body.includes(`href="/pratiques/${otherId}"`) ? p : null;
      }, 'les deux fiches apparaissent');
      // The checkbox of the theme of the first sheet, as the form offers it.
      const box = /<input type="checkbox" id="(filtre-thematique-\d+)" name="thematique" value="([^"]*)"[^>]*>\s*<label for="\1">Maîtrise des outils numériques/.exec(both.body);
      assert.ok(box, 'la case de la thématique est proposée');
      const filtered = await clients.visitor.get(`/pratiques?q=quartier&thematique=${encodeURIComponent(decodeEntities(box[2]))}`);
      assert.equal(filtered.status, 200);
      assert.match(filtered.body, new RegExp(`href="/pratiques/${id}"`));
      assert.doesNotMatch(filtered.body, new RegExp(`href="/pratiques/${otherId}"`));
      assert.match(filtered.body, /<p role="status" id="nombre-resultats">/);
      assert.match(textOf(filtered.body), /Retirer le filtre Thématiques : Maîtrise des outils numériques/);
      assert.match(filtered.body, /href="\/donnees\/pratiques.csv"/);
    });

    it('le filtre de territoire propose chaque territoire une fois, par son nom, et filtre par son identifiant', async () => {
      const page = await clients.visitor.get('/pratiques?q=quartier');
      const boxes = [...page.body.matchAll(/<input type="checkbox" id="(filtre-territoire-\d+)" name="territoire" value="([^"]*)"[^>]*>\s*<label for="\1">([^<]*)<\/label>/g)];
      assert.ok(boxes.length >= 1, 'au moins un territoire est proposé');
      const labels = boxes.map((m) => decodeEntities(m[3]).replace(/ \(\d[\d\u202f ]*\)$/, ''));
      assert.equal(new Set(labels).size, labels.length, `territoires en double : ${labels}`);
      const mine = boxes.find((m) => m[2] === TERRITORY);
      assert.ok(mine, `la case porte l'identifiant du territoire : ${boxes.map((m) => m[2])}`);
      assert.match(decodeEntities(mine[3]), /^Grand Angoulême \([1-9]\d*\)$/);
      const filtered = await clients.visitor.get(`/pratiques?q=quartier&territoire=${TERRITORY}`);
      assert.match(filtered.body, new RegExp(`href="/pratiques/${otherId}"`));
      assert.match(textOf(filtered.body), /Retirer le filtre Territoire : Grand Angoulême/);
    });

    it('les collections du territoire se créent, se remplissent et se rangent', async () => {
      const c = clients.gestion;
      await c.get(`/t/${TERRITORY}/pratiques`);
      const empty = await c.post(`/t/${TERRITORY}/collections`, { name: ' ', description: '' });
      assert.equal(empty.status, 422);
      const r = await c.post(`/t/${TERRITORY}/collections`, { name: 'Médiation en ruralité', description: 'Nos fiches préférées.' });
      assert.equal(r.status, 303);
      const url = r.location.split('?')[0];
      await c.get(url);
      assert.equal((await c.post(`${url}/ajouter`, { pratique: String(id) })).status, 303);
      assert.equal((await c.post(`${url}/ajouter`, { pratique: `/pratiques/${otherId}` })).status, 303);
      assert.equal((await c.post(`${url}/ajouter`, { pratique: 'n’importe quoi' })).status, 422);
      assert.equal((await c.post(`${url}/monter`, { pratique: String(otherId) })).status, 303);
      const page = await clients.visitor.get(url);
      assert.equal(page.status, 200);
      assert.ok(page.body.indexOf(`href="/pratiques/${otherId}"`) < page.body.indexOf(`href="/pratiques/${id}"`), 'ordre après « monter »');
      assert.doesNotMatch(page.body, /\/ajouter"/, 'pas de formulaire de gestion pour un visiteur');
      assert.equal((await clients.cit.post(`${url}/supprimer`)).status, 403);
    });

    it('le serveur s’arrête proprement', async () => {
      await server.stop();
    });
  });
}
