// The account flow, three ways: with the mouse, without JavaScript, with the keyboard alone.
// Sign up (accepting the charter), read the confirmation link from /admin/courriels as the demo
// admin (another browser context), confirm, log in, see "Mon compte", log out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ADMIN, T, TERRITORY, assertFocusVisible, checkAxe, checkLang, confirmationLink, launchBrowser, logIn, newContext, signedInContext,
  startServer, tabUntil,
} from './helpers.mjs';

const t = T.fr;
const PASSWORD = 'une phrase facile à retenir';
let server;
let browser;
let admin;  // the demo admin's browser context (reads the outbox)

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await signedInContext(browser, server, ADMIN);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function userPage(options = {}) {
  const ctx = await newContext(browser, server, 'fr', options);
  ctx.setDefaultTimeout(15_000);
  return ctx.newPage();
}

const header = (page) => page.locator('header.site-header');
const h1 = (page) => page.locator('main h1');

// What the visitor sees once signed in, and once signed out again.
async function expectSignedIn(page, name) {
  assert.equal(new URL(page.url()).pathname, '/compte');
  assert.equal((await h1(page).textContent()).trim(), t['account.title']);
  assert.equal(await header(page).getByRole('link', { name: t['nav.account'], exact: true }).count(), 1, 'lien « Mon compte » dans l\'en-tête');
  assert.ok((await page.textContent('main')).includes('Grand Angoulême'), 'le rôle sur le territoire choisi est listé');
  assert.equal(await page.inputValue('#champ-display_name'), name);
}
async function expectSignedOut(page) {
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await header(page).getByRole('link', { name: t['nav.login'], exact: true }).count(), 1, 'lien « Se connecter »');
  assert.equal(await header(page).getByRole('link', { name: t['nav.account'], exact: true }).count(), 0, 'plus de lien « Mon compte »');
  const res = await page.goto('/compte');
  assert.equal(new URL(page.url()).pathname, '/connexion', 'la session est fermée');
  assert.equal(res.status(), 200);
}

// Sign-up, confirmation, login and logout with ordinary clicks and fills (JavaScript on or off).
async function pointerFlow(page, who, { axe }) {
  const email = `${who}-${Date.now()}@exemple.fr`;
  const name = `Camille ${who}`;
  await page.goto('/');
  await Promise.all([page.waitForURL('**/inscription'), header(page).getByRole('link', { name: t['nav.signup'], exact: true }).click()]);
  await checkLang(page, 'fr', 'inscription');
  await page.getByLabel(t['field.email']).fill(email);
  await page.getByLabel(t['field.display_name']).fill(name);
  await page.getByLabel(t['field.profile_type']).selectOption('association');
  await page.getByLabel(t['field.password'], { exact: false }).fill(PASSWORD);
  await page.getByLabel(t['field.territory']).selectOption(TERRITORY);
  await page.getByLabel(t['field.charter']).check();
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: t['signup.submit'] }).click()]);
  assert.equal(res.status(), 200, 'inscription acceptée');
  await page.waitForLoadState();
  assert.equal((await h1(page).textContent()).trim(), t['signup.done_title']);
  assert.ok((await page.textContent('main [role=status]')).includes(email));
  if (axe) await checkAxe(page, 'inscription envoyée');

  const link = await confirmationLink(admin, email);
  assert.equal(link.origin, server.url, 'le lien pointe vers ce serveur');
  await page.goto(link.pathname + link.search);
  assert.equal((await h1(page).textContent()).trim(), t['login.title']);
  assert.equal((await page.textContent('main .notice[role=status]')).trim(), t['signup.confirmed']);
  if (axe) await checkAxe(page, 'adresse confirmée');

  await page.getByLabel(t['field.email']).fill(email);
  await page.getByLabel(t['field.password'], { exact: false }).fill(PASSWORD);
  await Promise.all([page.waitForURL('**/compte'), page.locator('main').getByRole('button', { name: t['login.submit'] }).click()]);
  await expectSignedIn(page, name);
  if (axe) await checkAxe(page, 'compte de la personne inscrite');

  await Promise.all([page.waitForURL((u) => u.pathname === '/'), header(page).getByRole('button', { name: t['nav.logout'] }).click()]);
  await expectSignedOut(page);
}

// Keyboard only: Tab / Shift+Tab to move, typing into the focused field, Enter / Space to act.
// The focus indicator is checked at every stop (tabUntil).
async function pressAndWait(page, key, done) {
  await Promise.all([done, page.keyboard.press(key)]);
  await page.waitForLoadState();
}
const byId = (id) => (s) => s.id === id;

// The three ways side by side (separate contexts, separate accounts).
describe('parcours du compte', { concurrency: 3 }, () => {
  test('parcours du compte à la souris', { timeout: 120_000 }, async () => {
    const page = await userPage();
    try {
      await pointerFlow(page, 'souris', { axe: true });
    } finally {
      await page.context().close();
    }
  });

  test('parcours du compte sans JavaScript', { timeout: 120_000 }, async () => {
    const page = await userPage({ javaScriptEnabled: false });
    try {
      // Proof that the page's own scripts really are off in this context.
      await page.setContent('<title>sans</title><script>document.title = "avec"</script>');
      assert.equal(await page.title(), 'sans', 'JavaScript désactivé');
      await pointerFlow(page, 'sans-js', { axe: false });
    } finally {
      await page.context().close();
    }
  });

  test('parcours du compte au clavier seul', { timeout: 180_000 }, async () => {
    const page = await userPage();
    const email = `clavier-${Date.now()}@exemple.fr`;
    const name = 'Dominique Clavier';
    const kb = page.keyboard;
    try {
      await page.goto('/');
      await tabUntil(page, (s) => s.href === '/inscription', 'le lien « Créer un compte »');
      await pressAndWait(page, 'Enter', page.waitForURL('**/inscription'));

      // A first, empty submission: the error summary links lead to the fields.
      await tabUntil(page, (s) => s.tag === 'button' && s.text === t['signup.submit'], 'le bouton « Créer mon compte »');
      await pressAndWait(page, 'Enter', page.waitForResponse((r) => r.request().method() === 'POST'));
      await page.locator('.error-summary').waitFor();
      await tabUntil(page, (s) => s.href === '#champ-email', 'le lien d\'erreur vers l\'adresse électronique');
      await kb.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'champ-email');
      await assertFocusVisible(page, 'après le lien du résumé des erreurs');

      await kb.type(email);
      await tabUntil(page, byId('champ-display_name'), 'le nom affiché', { max: 1 });
      await kb.type(name);
      await tabUntil(page, byId('champ-profile_type'), 'le type de profil', { max: 1 });
      await kb.press('ArrowDown');  // second choice of the list
      const profile = await page.inputValue('#champ-profile_type');
      assert.notEqual(profile, '', 'type de profil choisi au clavier');
      await tabUntil(page, byId('champ-password'), 'le mot de passe', { max: 1 });
      await kb.type(PASSWORD);
      await tabUntil(page, byId('champ-territory'), 'le territoire', { max: 1 });
      for (let i = 0; i < 10 && (await page.inputValue('#champ-territory')) !== TERRITORY; i++) await kb.press('ArrowDown');
      assert.equal(await page.inputValue('#champ-territory'), TERRITORY, 'territoire choisi au clavier');
      await tabUntil(page, (s) => s.href === '/charte', 'le lien vers la charte', { max: 1 });
      await tabUntil(page, byId('champ-charter'), 'la case de la charte', { max: 1 });
      await kb.press('Space');
      assert.equal(await page.isChecked('#champ-charter'), true, 'charte acceptée avec Espace');
      // Shift+Tab goes back through the form in reverse order.
      await tabUntil(page, (s) => s.href === '/charte', 'le lien vers la charte (retour)', { back: true, max: 1 });
      await tabUntil(page, byId('champ-territory'), 'le territoire (retour)', { back: true, max: 1 });
      await tabUntil(page, byId('champ-charter'), 'la case de la charte', { max: 2 });
      await tabUntil(page, (s) => s.tag === 'button' && s.text === t['signup.submit'], 'le bouton « Créer mon compte »', { max: 1 });
      await pressAndWait(page, 'Enter', page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 200));
      assert.equal((await h1(page).textContent()).trim(), t['signup.done_title']);

      const link = await confirmationLink(admin, email);
      await page.goto(link.pathname + link.search);  // following the link of the mail
      assert.equal((await page.textContent('main .notice[role=status]')).trim(), t['signup.confirmed']);

      await tabUntil(page, byId('champ-email'), 'l\'adresse électronique (connexion)');
      await kb.type(email);
      await tabUntil(page, byId('champ-password'), 'le mot de passe (connexion)', { max: 1 });
      await kb.type(PASSWORD);
      await tabUntil(page, byId('champ-email'), 'l\'adresse électronique (retour)', { back: true, max: 1 });
      assert.equal(await page.inputValue('#champ-email'), email);
      await tabUntil(page, (s) => s.tag === 'button' && s.text === t['login.submit'], 'le bouton « Se connecter »', { max: 2 });
      await pressAndWait(page, 'Enter', page.waitForURL('**/compte'));
      await expectSignedIn(page, name);
      assert.equal(await page.inputValue('#champ-profile_type'), profile);

      await tabUntil(page, (s) => s.tag === 'button' && s.text === t['nav.logout'], 'le bouton « Se déconnecter »');
      await pressAndWait(page, 'Space', page.waitForURL((u) => u.pathname === '/'));
      await expectSignedOut(page);
    } finally {
      await page.context().close();
    }
  });
});
