// HTTP integration tests: the real passerelle binary, a fresh database per backend, real
// requests over loopback. The same scenarios run on SQLite and on PostgreSQL.
//   PASSERELLE_BIN=build-test/passerelle PASSERELLE_TEST_PG_URL=postgresql://… \
//   node --test --test-reporter=tap tests/integration/*.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  addUser,
  Client,
  createDatabase,
  decodeEntities,
  fieldError,
  migrate,
  PG_URL,
  prepareDatabase,
  startServer,
  textOf,
  uniqueEmail,
} from './lib/server.mjs';

const PASSWORD = 'une phrase de passe assez longue';

// The messages come from web/locale/fr.json: the tests check the exact French wording shown.
const FR = {
  csrf: 'Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.',
  emailInvalid: "L'adresse électronique n'est pas valide (exemple : nom@domaine.fr).",
  emailTaken: 'Un compte existe déjà avec cette adresse électronique.',
  passwordShort: 'Le mot de passe doit contenir au moins 10 caractères.',
  passwordWrong: 'Le mot de passe est incorrect.',
  charterRequired: 'Acceptez la charte de participation du territoire pour y participer.',
  eraseConfirmRequired: 'Cochez la case pour confirmer la suppression.',
  loginFailed: 'Adresse électronique ou mot de passe incorrect.',
  notConfirmed: "Votre adresse n'est pas encore confirmée : ouvrez le lien reçu par courriel.",
  tokenInvalid: "Ce lien n'est pas valable : il a expiré ou a déjà servi.",
  territoryNotFound: "Ce territoire n'existe pas sur cette plateforme.",
};

const isHtml = (r) => assert.match(r.headers.get('content-type') || '', /^text\/html; charset=utf-8/);
const lang = (html) => (/<html lang="([a-z]+)">/.exec(html) || [])[1];
const title = (html) => decodeEntities((/<h1>([\s\S]*?)<\/h1>/.exec(html) || [])[1] || '');

// Mails of the admin outbox page, newest first: { to, subject, body }.
function outbox(html) {
  const mails = [];
  for (const m of html.matchAll(/<article class="mail"[^>]*>([\s\S]*?)<\/article>/g)) {
    const subject = decodeEntities((/<h2[^>]*>([\s\S]*?)<\/h2>/.exec(m[1]) || [])[1] || '');
    const meta = decodeEntities((/<p class="muted">([\s\S]*?)<\/p>/.exec(m[1]) || [])[1] || '');
    const body = decodeEntities((/<pre class="mail-body">([\s\S]*?)<\/pre>/.exec(m[1]) || [])[1] || '');
    const to = (/^À (\S+), le /.exec(meta) || [])[1];
    mails.push({ to, subject, body });
  }
  return mails;
}

// The link of the newest mail sent to `email` whose subject is `subject`.
async function mailLink(admin, email, subject, pathPrefix) {
  const page = await admin.get('/admin/courriels');
  assert.equal(page.status, 200);
  const mail = outbox(page.body).find((m) => m.to === email && m.subject === subject);
  assert.ok(mail, `aucun courriel « ${subject} » pour ${email} dans la boîte d'envoi`);
  const link = new RegExp(`(http://\\S+)(${pathPrefix.replace(/[?]/g, '\\?')}[A-Za-z0-9_-]+)`).exec(mail.body);
  assert.ok(link, `pas de lien ${pathPrefix} dans le courriel :\n${mail.body}`);
  return { origin: link[1], path: link[2], body: mail.body };
}

const accountsPage = async (admin) => {
  const r = await admin.get('/admin/comptes');
  assert.equal(r.status, 200);
  return r.body;
};

const describeBackend = (backend, fn) => {
  const skip = backend === 'postgres' && !PG_URL ? 'PASSERELLE_TEST_PG_URL absent : PostgreSQL non testé' : false;
  describe(`Passerelle sur ${backend}`, { skip }, () => fn(backend));
};

for (const backend of ['sqlite', 'postgres']) {
  describeBackend(backend, () => {
    let db;
    let server;
    let admin;        // platform administrator, signed in for the whole suite
    let camille;      // signs up through the form; citoyen on grand-angouleme
    let camilleLoginCookies = [];
    const emails = {
      admin: uniqueEmail('admin'),
      gestion: uniqueEmail('gestion'),   // administrateur of grand-angouleme
      dominique: uniqueEmail('dominique'),
      flo: uniqueEmail('flo'),
      eli: uniqueEmail('eli'),
      camille: uniqueEmail('camille'),
    };

    before(async () => {
      db = await prepareDatabase(backend);
      // Two at a time: Argon2 is slow on purpose and the machine may have few cores.
      await Promise.all([
        addUser(db, { email: emails.admin, password: PASSWORD, role: 'platform-admin', displayName: 'Alix Admin' }),
        addUser(db, { email: emails.gestion, password: PASSWORD, role: 'administrateur', territory: 'grand-angouleme', displayName: 'Gaëlle Gestion' }),
      ]);
      await Promise.all([
        addUser(db, { email: emails.dominique, password: PASSWORD, role: 'citoyen', territory: 'besancon' }),
        addUser(db, { email: emails.flo, password: PASSWORD, role: 'citoyen', territory: 'besancon' }),
      ]);
      await addUser(db, { email: emails.eli, password: PASSWORD, role: 'citoyen', territory: 'noumea' });
      server = await startServer(db);
      admin = new Client(server.url);
      const r = await admin.login(emails.admin, PASSWORD);
      assert.equal(r.status, 303, `connexion de l'administration : ${r.status}\n${textOf(r.body)}`);
    });

    after(async () => {
      // The last test stops the server and checks its exit; this only cleans up after a failure.
      if (server && server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGKILL');
      if (db) await db.drop();
    });

    it("l'accueil est en français et liste les territoires de démonstration", async () => {
      const r = await new Client(server.url).get('/');
      assert.equal(r.status, 200);
      isHtml(r);
      assert.equal(lang(r.body), 'fr');
      assert.equal(r.headers.get('content-language'), 'fr');
      assert.equal(title(r.body), 'Passerelle, la plateforme citoyenne des territoires');
      const text = textOf(r.body);
      const names = ['Besançon', 'Grand Angoulême', 'Nouméa', 'Saint-Denis (La Réunion)'];
      for (const n of names) assert.ok(text.includes(n), `${n} absent de l'accueil`);
      // Sorted with the French collation.
      const positions = names.map((n) => text.indexOf(n));
      assert.deepEqual([...positions].sort((a, b) => a - b), positions);
      for (const slug of ['grand-angouleme', 'besancon', 'noumea', 'saint-denis-reunion'])
        assert.ok(r.body.includes(`href="/t/${slug}/"`), `lien vers /t/${slug}/ absent`);
      assert.ok(text.includes('Intercommunalité · 38 commune(s)'));
    });

    it("la page d'un territoire présente ses communes et mène à l'inscription", async () => {
      const r = await new Client(server.url).get('/t/grand-angouleme/');
      assert.equal(r.status, 200);
      isHtml(r);
      assert.equal(lang(r.body), 'fr');
      assert.equal(title(r.body), 'Grand Angoulême');
      const text = textOf(r.body);
      assert.ok(text.includes('Intercommunalité · 38 commune(s)'));
      assert.ok(text.includes('Communes (codes INSEE)'));
      assert.ok(text.includes('16015'));
      assert.ok(r.body.includes('<strong>Grand Angoulême</strong>'), 'présentation Markdown non rendue');
      assert.ok(r.body.includes('href="/inscription?territoire=grand-angouleme"'));
      assert.ok(r.body.includes('href="/t/grand-angouleme/charte"'));
      const head = await new Client(server.url).request('HEAD', '/t/grand-angouleme/');
      assert.equal(head.status, 200);
      assert.equal(head.body, '');
    });

    it('un territoire inconnu donne une page 404 en français', async () => {
      const r = await new Client(server.url).get('/t/atlantide/');
      assert.equal(r.status, 404);
      isHtml(r);
      assert.equal(lang(r.body), 'fr');
      assert.equal(title(r.body), 'Page introuvable');
      const text = textOf(r.body);
      assert.ok(text.includes(FR.territoryNotFound), text);
      assert.ok(text.includes("Code d'erreur : 404"));
      assert.ok(r.body.includes('href="/"'));
      assert.equal((await new Client(server.url).get('/t/atlantide/charte')).status, 404);
    });

    it('une adresse inconnue donne 404 (page HTML, ou JSON sous /api/)', async () => {
      const c = new Client(server.url);
      const r = await c.get('/nulle/part/ici');
      assert.equal(r.status, 404);
      isHtml(r);
      assert.equal(lang(r.body), 'fr');
      assert.equal(title(r.body), 'Page introuvable');
      assert.ok(textOf(r.body).includes("La page demandée n'existe pas ou a été déplacée."));
      assert.equal((await c.get('/page-qui-n-existe-pas')).status, 404);
      const api = await c.api('GET', '/api/v1/inexistant');
      assert.equal(api.status, 404);
      assert.match(api.headers.get('content-type'), /^application\/json/);
      assert.equal(api.json().error.status, 404);
      assert.equal(api.json().error.title, 'Page introuvable');
      const t = await c.api('GET', '/api/v1/territories/atlantide');
      assert.equal(t.status, 404);
      assert.equal(t.json().error.message, FR.territoryNotFound);
    });

    it('une méthode non prévue donne 405', async () => {
      const c = new Client(server.url);
      for (const [method, path] of [['DELETE', '/'], ['PUT', '/inscription'], ['POST', '/healthz'], ['DELETE', '/api/v1/me']]) {
        const r = await c.request(method, path, { headers: { accept: 'text/html' } });
        assert.equal(r.status, 405, `${method} ${path}`);
      }
      const r = await c.request('DELETE', '/');
      assert.equal(lang(r.body), 'fr');
      assert.equal(title(r.body), 'Méthode non autorisée');
      assert.ok(textOf(r.body).includes("Cette adresse existe, mais n'accepte pas cette méthode HTTP."));
    });

    it("l'anglais est servi selon Accept-Language", async () => {
      const en = new Client(server.url, { headers: { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.5' } });
      const r = await en.get('/');
      assert.equal(r.status, 200);
      assert.equal(lang(r.body), 'en');
      assert.equal(r.headers.get('content-language'), 'en');
      assert.equal(title(r.body), 'Passerelle, the civic platform for local territories');
      assert.match(r.headers.get('vary') || '', /Accept-Language/);
      const missing = await en.get('/t/atlantide/');
      assert.equal(missing.status, 404);
      assert.equal(lang(missing.body), 'en');
      assert.ok(textOf(missing.body).includes('This territory does not exist on this platform.'));
      const plain = await new Client(server.url, { headers: { 'accept-language': 'en' } }).get('/t/besancon/');
      assert.equal(plain.status, 200);
      assert.equal(lang(plain.body), 'en');
      assert.ok(textOf(plain.body).includes('Sign in'), 'menu non traduit');
      const fr = await new Client(server.url, { headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' } }).get('/');
      assert.equal(lang(fr.body), 'fr');
      const other = await new Client(server.url, { headers: { 'accept-language': 'de-DE,de;q=0.9' } }).get('/');
      assert.equal(lang(other.body), 'fr', 'le français reste la langue par défaut');
    });

    it("l'anglais est choisi par /langue/en, qui revient à la page d'origine", async () => {
      const c = new Client(server.url);
      const r = await c.get('/langue/en?retour=/t/besancon/');
      assert.equal(r.status, 303);
      assert.equal(r.location, '/t/besancon/');
      const cookie = c.setCookies.find((l) => l.startsWith('passerelle_langue='));
      assert.ok(cookie && cookie.startsWith('passerelle_langue=en;'), `cookie de langue : ${cookie}`);
      const page = await c.get('/t/besancon/');
      assert.equal(lang(page.body), 'en');
      assert.equal(page.headers.get('content-language'), 'en');
      assert.ok(page.body.includes('href="/langue/fr?retour=%2Ft%2Fbesancon%2F"'), 'lien vers le français absent');
      // The cookie wins over Accept-Language.
      const mixed = await c.get('/', { headers: { 'accept-language': 'fr' } });
      assert.equal(lang(mixed.body), 'en');
      // Back to French; an outside address is never a redirect target.
      const back = await c.get('/langue/fr?retour=//exemple.org/');
      assert.equal(back.status, 303);
      assert.equal(back.location, '/');
      assert.equal(lang((await c.get('/')).body), 'fr');
    });

    it("l'inscription avec la charte envoie un courriel de confirmation ; la connexion n'est possible qu'après", async () => {
      const c = new Client(server.url);
      const form = await c.get('/inscription?territoire=grand-angouleme');
      assert.equal(form.status, 200);
      assert.ok(c.csrf, 'pas de jeton CSRF dans le formulaire');
      assert.ok(c.cookies.has('passerelle_visiteur'), 'pas de cookie visiteur');
      assert.ok(form.body.includes('<option value="grand-angouleme" selected="">Grand Angoulême</option>'));
      assert.ok(form.body.includes('href="/charte"'));

      const done = await c.post('/inscription', {
        email: emails.camille.toUpperCase(), display_name: 'Camille Dupré', profile_type: 'association',
        password: PASSWORD, territory: 'grand-angouleme', charter: true,
      });
      assert.equal(done.status, 200, textOf(done.body));
      assert.equal(title(done.body), 'Vérifiez votre messagerie');
      assert.ok(textOf(done.body).includes('Un message de confirmation a été envoyé à'));

      // Not confirmed yet: refused with the reason.
      const early = await c.login(emails.camille, PASSWORD);
      assert.equal(early.status, 403);
      assert.ok(textOf(early.body).includes(FR.notConfirmed), textOf(early.body));
      assert.ok(!c.cookies.has('passerelle_session'));

      // The mail waits in the outbox (no SMTP server configured); its link confirms once.
      const link = await mailLink(admin, emails.camille, 'Confirmez votre adresse sur Passerelle', '/confirmation?jeton=');
      assert.equal(link.origin, server.url, 'le lien doit pointer vers ce serveur');
      const confirmed = await c.get(link.path);
      assert.equal(confirmed.status, 200);
      assert.ok(textOf(confirmed.body).includes('Votre adresse est confirmée : vous pouvez vous connecter.'));
      const again = await c.get(link.path);
      assert.equal(again.status, 400);
      assert.ok(textOf(again.body).includes(FR.tokenInvalid));

      const ok = await c.login(emails.camille, PASSWORD);
      assert.equal(ok.status, 303);
      assert.equal(ok.location, '/compte');
      assert.ok(c.cookies.has('passerelle_session'));
      camilleLoginCookies = c.setCookies;
      const account = await c.get('/compte');
      assert.equal(account.status, 200);
      const text = textOf(account.body);
      assert.ok(text.includes(`Adresse électronique : ${emails.camille}`), 'adresse non normalisée en minuscules');
      assert.ok(text.includes('Grand Angoulême : Participation'));
      assert.ok(account.body.includes('<option value="association" selected="">'));
      camille = c;
    });

    it('un mauvais mot de passe donne 401, sans dire si le compte existe', async () => {
      const c = new Client(server.url);
      const r = await c.login(emails.dominique, 'pas le bon mot de passe');
      assert.equal(r.status, 401);
      assert.ok(textOf(r.body).includes(FR.loginFailed));
      assert.ok(!c.cookies.has('passerelle_session'));
      assert.ok(r.body.includes(`value="${emails.dominique}"`), "l'adresse saisie est reproposée");
      const unknown = await c.login(uniqueEmail('personne'), PASSWORD);
      assert.equal(unknown.status, 401);
      assert.ok(textOf(unknown.body).includes(FR.loginFailed));
    });

    it("les erreurs de l'inscription donnent 422 avec le message précis du champ, et ne créent rien", async () => {
      const c = new Client(server.url);
      await c.get('/inscription');
      const base = { display_name: 'Test', profile_type: 'citoyen', password: PASSWORD };
      const cases = [
        { fields: { ...base, email: 'pas-une-adresse' }, field: 'email', message: FR.emailInvalid },
        { fields: { ...base, email: uniqueEmail('mdp'), password: 'Zq9-xw' }, field: 'password', message: FR.passwordShort },
        { fields: { ...base, email: uniqueEmail('charte'), territory: 'grand-angouleme' }, field: 'charter', message: FR.charterRequired },
        { fields: { ...base, email: emails.camille }, field: 'email', message: FR.emailTaken },
      ];
      for (const { fields, field, message } of cases) {
        const r = await c.post('/inscription', fields);
        assert.equal(r.status, 422, `${field} : ${textOf(r.body)}`);
        assert.equal(fieldError(r.body, field), message);
        assert.ok(r.body.includes(`<a href="#champ-${field}">`), `le récapitulatif ne mène pas au champ ${field}`);
        assert.match(r.body, new RegExp(`id="champ-${field}"[^>]*aria-invalid="true"`));
        assert.ok(!r.body.includes(fields.password), 'le mot de passe ne doit pas être renvoyé');
        if (field !== 'email') assert.ok(r.body.includes(`value="${fields.email}"`), 'la saisie est perdue');
      }
      const accounts = await accountsPage(admin);
      for (const { fields } of cases.slice(0, 3)) assert.ok(!accounts.includes(fields.email), `${fields.email} a été créé`);
    });

    it('un POST sans jeton CSRF, ou avec un faux, est refusé (403) et ne change rien', async () => {
      const visitor = new Client(server.url);
      await visitor.get('/inscription');
      const email = uniqueEmail('csrf');
      const fields = { email, display_name: 'Pirate', profile_type: 'citoyen', password: PASSWORD };
      for (const csrf of [false, 'f'.repeat(64), '']) {
        const r = await visitor.post('/inscription', fields, { csrf });
        assert.equal(r.status, 403);
        assert.equal(lang(r.body), 'fr');
        assert.ok(textOf(r.body).includes(FR.csrf));
      }
      // A token from another visitor does not work either.
      const other = new Client(server.url);
      await other.get('/inscription');
      assert.equal((await visitor.post('/inscription', fields, { csrf: other.csrf })).status, 403);
      assert.ok(!(await accountsPage(admin)).includes(email), 'compte créé malgré le CSRF');

      // Signed in: the token this browser had as a visitor, before the login, no longer works.
      assert.ok(camille, "l'inscription de Camille a échoué plus haut");
      const sameBrowser = new Client(server.url);
      sameBrowser.cookies.set('passerelle_visiteur', camille.cookies.get('passerelle_visiteur'));
      await sameBrowser.get('/connexion');
      const visitorToken = sameBrowser.csrf;
      assert.ok(visitorToken);
      for (const csrf of [false, visitorToken, 'f'.repeat(64)]) {
        const r = await camille.post('/compte/profil', { display_name: 'Pirate', profile_type: 'elu', locale: 'en' }, { csrf });
        assert.equal(r.status, 403);
      }
      const logout = await camille.post('/deconnexion', {}, { csrf: false });
      assert.equal(logout.status, 403);
      const account = await camille.get('/compte');
      assert.equal(account.status, 200, 'la session doit survivre à une déconnexion sans CSRF');
      assert.ok(textOf(account.body).includes('Mon compte'));
      assert.ok(account.body.includes('value="Camille Dupré"'));
      assert.equal(lang(account.body), 'fr');
    });

    it('/compte exige une connexion (303 vers /connexion?retour=…), et la connexion y ramène', async () => {
      const c = new Client(server.url);
      for (const path of ['/compte', '/compte/export.json']) {
        const r = await c.get(path);
        assert.equal(r.status, 303, path);
        const target = new URL(r.location, server.url);
        assert.equal(target.pathname, '/connexion');
        assert.equal(target.searchParams.get('retour'), path);
      }
      // A visitor reaching an admin page signs in and comes back to it.
      const r = await c.get('/admin/courriels');
      assert.equal(r.status, 303);
      const form = await c.get(r.location);
      assert.equal(form.status, 200);
      const action = decodeEntities((/<form method="post" action="([^"]*)"/.exec(form.body) || [])[1] || '');
      assert.ok(action.startsWith('/connexion'), action);
      const signedIn = await c.post(action, { email: emails.admin, password: PASSWORD });
      assert.equal(signedIn.status, 303);
      assert.equal(signedIn.location, '/admin/courriels');
      assert.equal((await c.get(signedIn.location)).status, 200);
    });

    it("un jeton d'API créé sur /compte/jetons ouvre /api/v1/me ; révoqué, il donne 401", async () => {
      assert.ok(camille, "l'inscription de Camille a échoué plus haut");
      const anonymous = await new Client(server.url).api('GET', '/api/v1/me');
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.json().error.status, 401);
      assert.equal(anonymous.json().error.title, 'Connexion nécessaire');

      await camille.get('/compte');
      const created = await camille.post('/compte/jetons', { name: 'Mon script' });
      assert.equal(created.status, 200);
      assert.ok(textOf(created.body).includes('Voici votre nouveau jeton.'));
      const token = decodeEntities((/<pre class="token">([^<]+)<\/pre>/.exec(created.body) || [])[1] || '');
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);

      const bearer = new Client(server.url);  // no cookie at all
      const me = await bearer.api('GET', '/api/v1/me', { bearer: token });
      assert.equal(me.status, 200);
      assert.match(me.headers.get('content-type'), /^application\/json/);
      const body = me.json();
      assert.equal(body.email, emails.camille);
      assert.equal(body.nom_affiche, 'Camille Dupré');
      assert.equal(body.type_de_profil, 'association');
      assert.equal(body.administrateur_plateforme, false);
      assert.deepEqual(body.roles, [{ territoire: 'grand-angouleme', role: 'citoyen' }]);
      // A token writes without CSRF header, with the rights of its owner.
      const denied = await bearer.api('POST', '/api/v1/territories', { bearer: token, json: { slug: 'par-jeton', nom: 'Non', codes_insee: [] } });
      assert.equal(denied.status, 403);
      assert.equal((await bearer.api('GET', '/api/v1/me', { bearer: 'f'.repeat(43) })).status, 401);

      // Revoke it from the account page.
      const page = await camille.get('/compte');
      assert.ok(textOf(page.body).includes('Mon script'));
      const action = (/action="(\/compte\/jetons\/\d+\/revoquer)"/.exec(page.body) || [])[1];
      assert.ok(action, 'pas de formulaire de révocation');
      const revoked = await camille.post(action, {});
      assert.equal(revoked.status, 200);
      assert.ok(textOf(revoked.body).includes('Le jeton a été révoqué.'));
      assert.ok(!textOf(revoked.body).includes('Mon script'));
      const after = await bearer.api('GET', '/api/v1/me', { bearer: token });
      assert.equal(after.status, 401);
      assert.equal(after.json().error.status, 401);
    });

    it("une session qui écrit dans l'API sans X-CSRF-Token est refusée (403)", async () => {
      const slug = 'cognac';
      const territory = { slug, nom: 'Cognac', type: 'commune', codes_insee: ['16102'] };
      // Reading with the session cookie needs no header.
      const me = await admin.api('GET', '/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.json().administrateur_plateforme, true);

      const none = await admin.api('POST', '/api/v1/territories', { json: territory });
      assert.equal(none.status, 403);
      assert.equal(none.json().error.message, FR.csrf);
      const wrong = await admin.api('POST', '/api/v1/territories', { json: territory, csrfHeader: 'f'.repeat(64) });
      assert.equal(wrong.status, 403);
      assert.equal((await admin.api('GET', `/api/v1/territories/${slug}`)).status, 404, 'territoire créé malgré le CSRF');

      await admin.get('/compte');  // the session's token, as a page would embed it
      const ok = await admin.api('POST', '/api/v1/territories', { json: territory, csrfHeader: admin.csrf });
      assert.equal(ok.status, 201, ok.body);
      assert.equal(ok.json().slug, slug);
    });

    it('POST /api/v1/territories : 201, 422 (code INSEE), 409 (identifiant pris), 400 (JSON illisible)', async () => {
      await admin.get('/compte');
      const created = await admin.post('/compte/jetons', { name: 'Intégration' });
      const token = decodeEntities((/<pre class="token">([^<]+)<\/pre>/.exec(created.body) || [])[1] || '');
      assert.ok(token, "pas de jeton d'API pour l'administration");
      const api = new Client(server.url);
      const post = (json, raw) => api.api('POST', '/api/v1/territories', { bearer: token, json, raw });

      const good = { slug: 'la-rochelle', nom: 'La Rochelle', type: 'commune', codes_insee: ['17300'], presentation: 'Ville **portuaire**.' };
      const r = await post(good);
      assert.equal(r.status, 201, r.body);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      const t = r.json();
      assert.equal(t.slug, 'la-rochelle');
      assert.equal(t.nom, 'La Rochelle');
      assert.equal(t.type, 'commune');
      assert.deepEqual(t.codes_insee, ['17300']);
      const read = await api.api('GET', '/api/v1/territories/la-rochelle');
      assert.equal(read.status, 200);
      assert.equal(read.json().nom, 'La Rochelle');
      const list = await api.api('GET', '/api/v1/territories');
      assert.ok(list.json().territoires.some((x) => x.slug === 'la-rochelle'));
      const page = await api.get('/t/la-rochelle/');
      assert.equal(page.status, 200);
      assert.ok(page.body.includes('<strong>portuaire</strong>'));

      const invalid = await post({ ...good, slug: 'aix', nom: 'Aix', codes_insee: ['1730'] });
      assert.equal(invalid.status, 422);
      const e = invalid.json().error;
      assert.equal(e.status, 422);
      assert.equal(e.champ, 'insee');
      assert.equal(e.message, '« 1730 » n\'est pas un code INSEE de commune (5 caractères, par exemple 16015 ou 2A004).');
      assert.equal((await api.api('GET', '/api/v1/territories/aix')).status, 404);
      const corsica = await post({ slug: 'ajaccio', nom: 'Ajaccio', codes_insee: ['2A004'] });
      assert.equal(corsica.status, 201, corsica.body);

      const badSlug = await post({ ...good, slug: 'Pas Valide' });
      assert.equal(badSlug.status, 422);
      assert.equal(badSlug.json().error.champ, 'slug');

      const duplicate = await post({ ...good, nom: 'Autre nom' });
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.json().error.champ, 'slug');
      assert.equal(duplicate.json().error.message, "Cet identifiant d'adresse est déjà utilisé par un autre territoire.");
      assert.equal((await api.api('GET', '/api/v1/territories/la-rochelle')).json().nom, 'La Rochelle');

      for (const raw of ['{"slug": "tronque", ', 'pas du json', '[1, 2]', '']) {
        const bad = await post(undefined, raw);
        assert.equal(bad.status, 400, `corps ${JSON.stringify(raw)}`);
        assert.equal(bad.json().error.message, 'Le corps de la requête n\'est pas un objet JSON valide.');
      }
      const anonymous = await new Client(server.url).api('POST', '/api/v1/territories', { json: good });
      assert.equal(anonymous.status, 401);
    });

    it('le mot de passe oublié se change par un lien à usage unique', async () => {
      // An open session of Dominique must not survive the reset.
      const old = new Client(server.url);
      assert.equal((await old.login(emails.dominique, PASSWORD)).status, 303);

      const c = new Client(server.url);
      const sent = await c.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: emails.dominique });
      assert.equal(sent.status, 200);
      const notice = 'Si un compte existe avec cette adresse, un lien de réinitialisation vient de lui être envoyé.';
      assert.ok(textOf(sent.body).includes(notice));
      const nobody = uniqueEmail('personne');
      const same = await c.post('/mot-de-passe-oublie', { email: nobody });
      assert.equal(same.status, 200);
      assert.ok(textOf(same.body).includes(notice), 'la réponse ne doit pas dire si le compte existe');

      const link = await mailLink(admin, emails.dominique, 'Nouveau mot de passe Passerelle', '/mot-de-passe/nouveau?jeton=');
      assert.ok(!outbox((await admin.get('/admin/courriels')).body).some((m) => m.to === nobody));
      const jeton = new URL(link.path, server.url).searchParams.get('jeton');
      const form = await c.get(link.path);
      assert.equal(form.status, 200);
      assert.ok(form.body.includes(`name="jeton" value="${jeton}"`));

      // A refused password does not burn the token.
      const short = await c.post('/mot-de-passe/nouveau', { jeton, password: 'court' });
      assert.equal(short.status, 422);
      assert.equal(fieldError(short.body, 'password'), FR.passwordShort);

      const NEW = 'un tout nouveau mot de passe';
      const done = await c.post('/mot-de-passe/nouveau', { jeton, password: NEW });
      assert.equal(done.status, 200, textOf(done.body));
      assert.ok(textOf(done.body).includes('Votre mot de passe a été changé : vous pouvez vous connecter.'));
      const reused = await c.post('/mot-de-passe/nouveau', { jeton, password: 'encore un autre mot de passe' });
      assert.equal(reused.status, 422);
      assert.ok(textOf(reused.body).includes(FR.tokenInvalid));

      assert.equal((await old.get('/compte')).status, 303, 'les sessions ouvertes sont fermées par le changement');
      assert.equal((await new Client(server.url).login(emails.dominique, PASSWORD)).status, 401);
      assert.equal((await new Client(server.url).login(emails.dominique, NEW)).status, 303);
    });

    it('la déconnexion invalide la session côté serveur', async () => {
      const c = new Client(server.url);
      assert.equal((await c.login(emails.flo, PASSWORD)).status, 303);
      const session = c.cookies.get('passerelle_session');
      assert.ok(session);
      assert.equal((await c.get('/compte')).status, 200);
      const out = await c.post('/deconnexion', {});
      assert.equal(out.status, 303);
      assert.equal(out.location, '/');
      assert.ok(c.setCookies.some((l) => /^passerelle_session=;.*Max-Age=0/.test(l)), c.setCookies.join('\n'));
      assert.ok(!c.cookies.has('passerelle_session'));
      // Replaying the old cookie does not work: the session is gone from the database.
      const replay = await new Client(server.url).get('/compte', { headers: { cookie: `passerelle_session=${session}` } });
      assert.equal(replay.status, 303);
      assert.match(replay.location, /^\/connexion\?retour=/);
      const api = await new Client(server.url).api('GET', '/api/v1/me', { headers: { cookie: `passerelle_session=${session}` } });
      assert.equal(api.status, 401);
    });

    it('trop de tentatives de connexion donnent 429 avec Retry-After', async () => {
      // Its own database and server: the per-address limit (8 in 5 minutes) is reached here,
      // and the per-IP limit (20 in 5 minutes) stays untouched for the other tests.
      const limitDb = await createDatabase(backend);
      let limitServer;
      try {
        await migrate(limitDb);
        limitServer = await startServer(limitDb);
        const window = () => Math.floor(Date.now() / 1000 / 300);
        let statuses;
        let last;
        // Limits count per 5-minute window; if one ends during the attempts, start over with
        // another address in the new window.
        for (let round = 0; round < 2; round++) {
          const c = new Client(limitServer.url);
          const email = uniqueEmail('limite');
          const w = window();
          statuses = [];
          for (let i = 0; i < 9; i++) {
            last = await c.login(email, 'mauvais mot de passe');
            statuses.push(last.status);
          }
          if (window() === w) break;
        }
        assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 401, 401, 429]);
        const retry = last.headers.get('retry-after');
        assert.match(retry || '', /^\d+$/);
        assert.ok(Number(retry) >= 1 && Number(retry) <= 300, `Retry-After: ${retry}`);
        assert.ok(textOf(last.body).includes(`Trop de tentatives. Réessayez dans ${retry} secondes.`), textOf(last.body));
        assert.equal(lang(last.body), 'fr');
        // Another address from the same IP is still answered normally.
        assert.equal((await new Client(limitServer.url).login(uniqueEmail('autre'), 'mauvais mot de passe')).status, 401);
      } finally {
        try {
          if (limitServer) await limitServer.stop();
        } finally {
          await limitDb.drop();
        }
      }
    });

    it("l'export RGPD /compte/export.json contient les données du compte", async () => {
      assert.ok(camille, "l'inscription de Camille a échoué plus haut");
      const r = await camille.get('/compte/export.json');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      assert.match(r.headers.get('content-disposition') || '', /^attachment; filename="passerelle-mes-donnees\.json"/);
      const data = r.json();
      assert.equal(data.format, 'passerelle-export-rgpd-1');
      assert.equal(data.compte.email, emails.camille);
      assert.equal(data.compte.nom_affiche, 'Camille Dupré');
      assert.equal(data.compte.type_de_profil, 'association');
      assert.equal(data.compte.administrateur_plateforme, false);
      assert.equal(typeof data.compte.email_confirme_le, 'number');
      assert.equal(data.roles.length, 1);
      assert.equal(data.roles[0].territoire, 'grand-angouleme');
      assert.equal(data.roles[0].role, 'citoyen');
      assert.equal(typeof data.roles[0].charte_acceptee_le, 'number', 'la date d\'acceptation de la charte manque');
      assert.ok(data.sessions.length >= 1);
      assert.ok(Array.isArray(data.jetons_api));
      assert.ok(!/argon2|password|mot_de_passe/i.test(r.body), "l'export ne doit pas contenir l'empreinte du mot de passe");
    });

    it('la suppression du compte, avec le mot de passe, efface le compte', async () => {
      const c = new Client(server.url);
      assert.equal((await c.login(emails.eli, PASSWORD)).status, 303);
      await c.get('/compte');

      const noConfirm = await c.post('/compte/suppression', { password: PASSWORD });
      assert.equal(noConfirm.status, 422);
      assert.equal(fieldError(noConfirm.body, 'confirm'), FR.eraseConfirmRequired);
      const wrong = await c.post('/compte/suppression', { password: 'pas le bon mot de passe', confirm: true });
      assert.equal(wrong.status, 422);
      assert.equal(fieldError(wrong.body, 'password'), FR.passwordWrong);
      assert.equal((await c.get('/compte')).status, 200, 'le compte doit rester après un refus');
      assert.ok((await accountsPage(admin)).includes(emails.eli));

      const erased = await c.post('/compte/suppression', { password: PASSWORD, confirm: true });
      assert.equal(erased.status, 200);
      assert.equal(title(erased.body), 'Compte supprimé');
      assert.ok(textOf(erased.body).includes('Votre compte et vos données personnelles ont été supprimés.'));
      assert.ok(!c.cookies.has('passerelle_session'));
      assert.equal((await c.get('/compte')).status, 303);

      const again = await new Client(server.url).login(emails.eli, PASSWORD);
      assert.equal(again.status, 401);
      assert.ok(textOf(again.body).includes(FR.loginFailed));
      assert.ok(!(await accountsPage(admin)).includes(emails.eli), "l'adresse est encore listée dans /admin/comptes");
    });

    it("l'administration d'un territoire modifie ses pages légales ; le Markdown dangereux est neutralisé", async () => {
      const g = new Client(server.url);
      assert.equal((await g.login(emails.gestion, PASSWORD)).status, 303);
      const editor = await g.get('/t/grand-angouleme/admin/pages/charte');
      assert.equal(editor.status, 200);
      assert.equal(title(editor.body), 'Modifier : Charte de participation');
      assert.ok(editor.body.includes('<textarea id="champ-body" name="body"'));
      assert.ok(textOf(editor.body).includes('En participant sur le territoire Grand Angoulême'));

      const markdown = [
        '## Notre charte',
        '',
        'Nous nous engageons au **respect mutuel**.',
        '',
        '<script>alert("piège")</script>',
        '',
        '[x](javascript:alert(1)) et [le site](https://www.grandangouleme.fr/)',
        '',
        '<img src="x" onerror="alert(2)">',
      ].join('\n');
      const saved = await g.post('/t/grand-angouleme/admin/pages/charte', { body: markdown });
      assert.equal(saved.status, 200);
      assert.ok(textOf(saved.body).includes('Les modifications ont été enregistrées.'));

      const pub = await new Client(server.url).get('/t/grand-angouleme/charte');
      assert.equal(pub.status, 200);
      assert.equal(title(pub.body), 'Charte de participation');
      assert.ok(pub.body.includes('<h2>Notre charte</h2>'));
      assert.ok(pub.body.includes('<strong>respect mutuel</strong>'));
      assert.ok(pub.body.includes('href="https://www.grandangouleme.fr/"'));
      assert.ok(!/<script/i.test(pub.body), 'balise <script> publiée');
      assert.ok(!/javascript:/i.test(pub.body), 'lien javascript: publié');
      assert.ok(!/onerror/i.test(pub.body), 'attribut onerror publié');
      assert.ok(!/<img/i.test(pub.body), 'HTML brut publié');
      // Other territories and the platform page keep their own text.
      const other = await new Client(server.url).get('/t/besancon/charte');
      assert.ok(textOf(other.body).includes('En participant sur le territoire Besançon'));

      // Only the administrators of this territory: not those of another one, nor citizens.
      assert.equal((await g.get('/t/besancon/admin/pages/charte')).status, 403);
      assert.equal((await g.get('/t/grand-angouleme/admin/pages/inexistante')).status, 404);
      assert.ok(camille, "l'inscription de Camille a échoué plus haut");
      const denied = await camille.get('/t/grand-angouleme/admin/pages/charte');
      assert.equal(denied.status, 403);
      assert.equal(title(denied.body), 'Accès refusé');
      assert.equal(lang(denied.body), 'fr');
      await camille.get('/compte');
      const forced = await camille.post('/t/grand-angouleme/admin/pages/charte', { body: 'Remplacé par une personne sans droit' });
      assert.equal(forced.status, 403);
      const still = await new Client(server.url).get('/t/grand-angouleme/charte');
      assert.ok(still.body.includes('<strong>respect mutuel</strong>'), 'la page a été modifiée sans droit');
      const anonymous = await new Client(server.url).get('/t/grand-angouleme/admin/pages/charte');
      assert.equal(anonymous.status, 303);
      assert.match(anonymous.location, /^\/connexion\?retour=/);
    });

    it('les en-têtes de sécurité sont présents', async () => {
      const c = new Client(server.url);
      for (const path of ['/', '/connexion', '/t/atlantide/', '/api/v1/territories']) {
        const r = await c.get(path);
        const csp = r.headers.get('content-security-policy') || '';
        assert.match(csp, /default-src 'self'/, `${path} : CSP`);
        assert.match(csp, /frame-ancestors 'none'/, `${path} : CSP`);
        assert.match(csp, /object-src 'none'/, `${path} : CSP`);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${path} : CSP`);
        assert.equal(r.headers.get('x-frame-options'), 'DENY', `${path} : X-Frame-Options`);
        assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${path} : nosniff`);
        assert.equal(r.headers.get('referrer-policy'), 'same-origin', `${path} : Referrer-Policy`);
      }
      // A page that hands out a visitor cookie is not cached.
      const form = await new Client(server.url).get('/connexion');
      assert.ok(form.headers.get('set-cookie'));
      assert.match(form.headers.get('cache-control') || '', /no-store/);
    });

    it('le cookie de session est HttpOnly et SameSite=Lax', async () => {
      const line = camilleLoginCookies.find((l) => l.startsWith('passerelle_session='));
      assert.ok(line, 'pas de cookie de session à la connexion');
      const attrs = line.split(';').map((a) => a.trim().toLowerCase());
      assert.ok(attrs.includes('httponly'), line);
      assert.ok(attrs.includes('samesite=lax'), line);
      assert.ok(attrs.includes('path=/'), line);
      const maxAge = attrs.find((a) => a.startsWith('max-age='));
      assert.ok(maxAge && Number(maxAge.slice(8)) > 0, line);
      assert.match(line, /^passerelle_session=[A-Za-z0-9_-]{43};/);
      // The visitor cookie (CSRF key) too.
      const v = new Client(server.url);
      await v.get('/connexion');
      const visitor = v.setCookies.find((l) => l.startsWith('passerelle_visiteur='));
      assert.ok(visitor && /HttpOnly/.test(visitor) && /SameSite=Lax/.test(visitor), visitor);
    });

    it('/healthz répond « ok »', async () => {
      const r = await new Client(server.url).get('/healthz');
      assert.equal(r.status, 200);
      assert.equal(r.body.trim(), 'ok');
      assert.match(r.headers.get('content-type') || '', /^text\/plain/);
    });

    it('/metrics expose les requêtes par route, la latence, le pool de connexions et la version', async () => {
      const c = new Client(server.url);
      await c.get('/');
      await c.get('/t/noumea/');
      const r = await c.get('/metrics');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') || '', /^text\/plain; version=0\.0\.4/);
      const m = r.body;
      assert.match(m, /^# TYPE passerelle_http_requests_total counter$/m);
      assert.match(m, /^passerelle_http_requests_total\{route="accueil",status="200"\} [1-9]\d*$/m);
      assert.match(m, /^passerelle_http_requests_total\{route="territoire",status="200"\} [1-9]\d*$/m);
      assert.match(m, /^passerelle_http_requests_total\{route="connexion",status="303"\} [1-9]\d*$/m);
      assert.match(m, /^passerelle_http_requests_total\{route="inconnue",status="404"\} [1-9]\d*$/m);
      assert.match(m, /^# TYPE passerelle_http_request_duration_seconds histogram$/m);
      assert.match(m, /^passerelle_http_request_duration_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
      assert.match(m, /^passerelle_http_request_duration_seconds_sum [\d.e+-]+$/m);
      assert.match(m, /^passerelle_http_request_duration_seconds_count [1-9]\d*$/m);
      for (const state of ['open', 'in_use', 'max'])
        assert.match(m, new RegExp(`^passerelle_db_pool_connections\\{state="${state}"\\} \\d+$`, 'm'));
      const backendLabel = backend === 'sqlite' ? 'sqlite' : 'postgresql';
      assert.match(m, new RegExp(`^passerelle_build_info\\{version="[^"]+",schema="\\d+",backend="${backendLabel}"\\} 1$`, 'm'));
      // Buckets are cumulative and end with the count.
      const buckets = [...m.matchAll(/^passerelle_http_request_duration_seconds_bucket\{le="[^"]+"\} (\d+)$/gm)].map((x) => Number(x[1]));
      assert.ok(buckets.length > 2);
      for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] >= buckets[i - 1], 'buckets non cumulatifs');
      assert.equal(buckets[buckets.length - 1], Number(/^passerelle_http_request_duration_seconds_count (\d+)$/m.exec(m)[1]));
      // Each series appears once (Prometheus rejects duplicates), even for routes that share a
      // name across methods (GET and POST /connexion).
      const series = m.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' ')));
      const dupes = series.filter((s, i) => series.indexOf(s) !== i);
      assert.deepEqual(dupes, [], `séries en double : ${dupes.join(', ')}`);
    });

    it("/api/openapi.json est un document OpenAPI en JSON", async () => {
      const r = await new Client(server.url).get('/api/openapi.json');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') || '', /^application\/json/);
      const doc = r.json();
      assert.match(doc.openapi, /^3\./);
      assert.ok(doc.paths['/api/v1/me']);
      assert.ok(doc.paths['/api/v1/territories']);
    });

    it('un fichier statique a un ETag ; la requête conditionnelle donne 304', async () => {
      const c = new Client(server.url);
      const r = await c.get('/static/css/site.css');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') || '', /^text\/css/);
      const etag = r.headers.get('etag');
      assert.match(etag || '', /^"[0-9a-f]+"$/);
      assert.ok(r.body.length > 0);
      const again = await c.get('/static/css/site.css', { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.body, '');
      assert.equal(again.headers.get('etag'), etag);
      const changed = await c.get('/static/css/site.css', { headers: { 'if-none-match': '"0000"' } });
      assert.equal(changed.status, 200);
      assert.equal(changed.body, r.body);
      assert.equal((await c.get('/static/css/absent.css')).status, 404);
    });

    it("le serveur s'arrête proprement sur SIGTERM (code 0, aucun rapport des sanitizers)", async () => {
      const result = await server.stop();
      assert.equal(result.code, 0);
      assert.doesNotMatch(server.stderr(), /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/);
    });
  });
}
