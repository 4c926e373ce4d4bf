// The platform's own legal pages (outside any territory) are editable by platform administrators
// only; territory pages by that territory's administrators. Both backends.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, Client, PG_URL, prepareDatabase, startServer, textOf, uniqueEmail } from './lib/server.mjs';

const PASSWORD = 'un mot de passe assez long';

for (const backend of ['sqlite', 'postgres']) {
  describe(`pages légales de la plateforme (${backend})`, { skip: backend === 'postgres' && !PG_URL ? 'pas de PostgreSQL' : false }, () => {
    let db; let server; const admin = uniqueEmail('admin-plateforme'); const local = uniqueEmail('admin-besancon');
    before(async () => {
      db = await prepareDatabase(backend);
      await addUser(db, { email: admin, password: PASSWORD, role: 'platform-admin' });
      await addUser(db, { email: local, password: PASSWORD, role: 'administrateur', territory: 'besancon' });
      server = await startServer(db);
    });
    after(async () => { await server?.stop(); await db?.drop(); });

    it("un visiteur est envoyé vers la connexion, un administrateur de territoire reçoit 403", async () => {
      const visitor = new Client(server.url);
      const r = await visitor.get('/admin/pages/mentions-legales');
      assert.equal(r.status, 303);
      assert.equal(r.location, '/connexion?retour=%2Fadmin%2Fpages%2Fmentions-legales');
      const c = new Client(server.url);
      assert.equal((await c.login(local, PASSWORD)).status, 303);
      assert.equal((await c.get('/admin/pages/mentions-legales')).status, 403);
      const refused = await c.post('/admin/pages/mentions-legales', { body: 'Texte pirate' });
      assert.equal(refused.status, 403);
      assert.ok(!textOf((await c.get('/mentions-legales')).body).includes('Texte pirate'));
    });

    it("l'administrateur de la plateforme modifie les mentions légales, en Markdown sûr", async () => {
      const c = new Client(server.url);
      assert.equal((await c.login(admin, PASSWORD)).status, 303);
      const page = await c.get('/mentions-legales');
      assert.ok(page.body.includes('href="/admin/pages/mentions-legales"'), 'lien de modification attendu');
      const form = await c.get('/admin/pages/mentions-legales');
      assert.equal(form.status, 200);
      const saved = await c.post('/admin/pages/mentions-legales', {
        body: "Éditeur : **Syndicat mixte de test**\n\n<script>alert(1)</script>",
      });
      assert.equal(saved.status, 200);
      const shown = await new Client(server.url).get('/mentions-legales');
      assert.ok(shown.body.includes('<strong>Syndicat mixte de test</strong>'));
      assert.ok(!shown.body.includes('<script>alert'));
      // The territory page keeps its own text.
      const territory = await new Client(server.url).get('/t/besancon/mentions-legales');
      assert.ok(!textOf(territory.body).includes('Syndicat mixte de test'));
      assert.equal((await c.get('/admin/pages/inconnue')).status, 404);
    });
  });
}
