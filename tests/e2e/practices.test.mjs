// The practices pages in a real browser: the editor used with the keyboard alone (visible focus
// at every stop) and with JavaScript disabled, then every practices page checked with axe-core.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { ADMIN, TERRITORY, assertFocusVisible, checkAxe, checkLang, launchBrowser, logIn, newContext, signedInContext, startServer, tabUntil } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const load = (dir) => JSON.parse(readFileSync(path.join(ROOT, 'web/locale', dir, 'fr.json'), 'utf8'));
const t = { ...load('practices'), ...load('practices-pages') };

let server;
let browser;
let admin;  // the demo platform administrator, signed in
let anon;
let practiceId;  // made by the keyboard flow, edited by the no-JavaScript flow

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await signedInContext(browser, server, ADMIN);
  anon = await newContext(browser, server, 'fr');
  anon.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function pressAndWait(page, key, done) {
  await Promise.all([done, page.keyboard.press(key)]);
  await page.waitForLoadState();
}
const byId = (id) => (s) => s.id === id;

test("l'éditeur au clavier seul : erreurs, correction, création, publication", { timeout: 180_000 }, async () => {
  const page = await admin.newPage();
  const kb = page.keyboard;
  try {
    await page.goto(`/t/${TERRITORY}/pratiques`);
    await tabUntil(page, (s) => s.href === `/t/${TERRITORY}/pratiques/nouvelle`, 'le lien « Nouvelle bonne pratique »');
    await pressAndWait(page, 'Enter', page.waitForURL('**/pratiques/nouvelle'));

    // Empty: the error summary links lead to the fields.
    await tabUntil(page, (s) => s.tag === 'button' && s.text === t['practices_pages.save'], 'le bouton « Enregistrer la fiche »', { max: 200 });
    await pressAndWait(page, 'Enter', page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 422));
    await page.locator('.error-summary').waitFor();
    assert.equal((await page.textContent('#champ-title-erreur')).trim(), t['practices.title_required']);
    await tabUntil(page, (s) => s.href === '#champ-title', "le lien d'erreur vers le titre");
    await kb.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'champ-title');
    await assertFocusVisible(page, 'après le lien du résumé des erreurs');
    await kb.type('Cafés de la connaissance au clavier');
    await tabUntil(page, byId('champ-summary'), 'le résumé', { max: 1 });
    await kb.type('Des rencontres mensuelles où chacun partage un savoir numérique.');
    await tabUntil(page, byId('champ-body'), 'la description', { max: 1 });
    await kb.type('Un café, un thème, une heure.');
    await tabUntil(page, byId('champ-themes'), 'la première thématique', { max: 2 });
    await kb.press('Space');
    assert.equal(await page.isChecked('#champ-themes'), true, 'thématique cochée avec Espace');
    await tabUntil(page, (s) => s.tag === 'button' && s.text === t['practices_pages.save'], 'le bouton « Enregistrer la fiche »', { max: 200 });
    await pressAndWait(page, 'Enter', page.waitForURL(/\/pratiques\/\d+\/modifier\?fait=creee/));
    practiceId = Number(/\/pratiques\/(\d+)\//.exec(page.url())[1]);
    assert.equal((await page.textContent('main .notice[role=status]')).trim(), t['practices_pages.done.creee']);

    await tabUntil(page, (s) => s.tag === 'button' && s.text === t['practices_pages.action.publish'], 'le bouton « Publier »');
    await pressAndWait(page, 'Enter', page.waitForURL(/fait=publiee/));
    assert.equal((await page.textContent('main .notice[role=status]')).trim(), t['practices_pages.done.publiee']);
  } finally {
    await page.close();
  }
});

test("l'éditeur sans JavaScript : erreurs gardant la saisie, nouvelle version", { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser, server, 'fr', { javaScriptEnabled: false });
  ctx.setDefaultTimeout(15_000);
  try {
    const page = await ctx.newPage();
    await page.setContent('<title>sans</title><script>document.title = "avec"</script>');
    assert.equal(await page.title(), 'sans', 'JavaScript désactivé');
    await logIn(page, ADMIN);
    assert.ok(practiceId, 'la fiche du parcours au clavier existe');
    await page.goto(`/pratiques/${practiceId}/modifier`);
    await page.fill('#champ-summary', 'Des rencontres mensuelles, dans trois médiathèques.');
    await page.fill('#champ-contact_email', 'pas-une-adresse');
    const [bad] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('#formulaire-fiche button[type=submit]')]);
    assert.equal(bad.status(), 422);
    await page.waitForLoadState();
    assert.equal((await page.textContent('#champ-contact_email-erreur')).trim(), t['practices.contact_email_invalid']);
    assert.equal(await page.inputValue('#champ-summary'), 'Des rencontres mensuelles, dans trois médiathèques.', 'la saisie est conservée');
    assert.equal(await page.getAttribute('#champ-contact_email', 'aria-invalid'), 'true');
    await page.fill('#champ-contact_email', 'cafes@exemple.fr');
    await Promise.all([page.waitForURL(/fait=enregistree/), page.click('#formulaire-fiche button[type=submit]')]);
    await page.goto(`/pratiques/${practiceId}/versions`);
    assert.equal(await page.locator('tbody tr').count(), 2, 'deux versions');
  } finally {
    await ctx.close();
  }
});

test('toutes les pages des bonnes pratiques passent axe-core', { timeout: 240_000 }, async () => {
  assert.ok(practiceId, 'la fiche des parcours existe');
  // A collection, so that its page can be checked.
  const setup = await admin.newPage();
  await setup.goto(`/t/${TERRITORY}/pratiques`);
  await setup.fill('#champ-name', 'Médiation de proximité');
  await Promise.all([setup.waitForURL(/\/collections\/\d+/), setup.click('main form[action$="/collections"] button[type=submit]')]);
  const collection = new URL(setup.url()).pathname;
  await setup.fill('#champ-pratique', String(practiceId));
  await Promise.all([setup.waitForURL(/fait=ajoutee_collection/), setup.click('main form[action$="/ajouter"] button[type=submit]')]);
  await setup.close();

  const pages = [
    [anon, '/pratiques', 200],
    [anon, '/pratiques?q=cafes+connaissance', 200],
    [anon, '/pratiques?q=cafe+connaisance', 200],
    [anon, `/pratiques/${practiceId}`, 200],
    [admin, `/pratiques/${practiceId}`, 200],
    [admin, `/pratiques/${practiceId}/modifier`, 200],
    [admin, `/t/${TERRITORY}/pratiques/nouvelle`, 200],
    [anon, `/pratiques/${practiceId}/versions`, 200],
    [anon, `/pratiques/${practiceId}/versions/1/2`, 200],
    [anon, `/t/${TERRITORY}/pratiques`, 200],
    [admin, `/t/${TERRITORY}/pratiques`, 200],
    [anon, collection, 200],
    [admin, collection, 200],
    [anon, '/pratiques/999999', 404],
  ];
  for (const [ctx, url, status] of pages) {
    const page = await ctx.newPage();
    try {
      const res = await page.goto(url);
      assert.equal(res.status(), status, `${url} : statut`);
      await checkLang(page, 'fr', url);
      assert.equal(await page.locator('h1').count(), 1, `${url} : un seul h1`);
      await checkAxe(page, url);
    } finally {
      await page.close();
    }
  }
  // The editor with its errors shown.
  const page = await admin.newPage();
  try {
    await page.goto(`/t/${TERRITORY}/pratiques/nouvelle`);
    await page.fill('#champ-contact_email', 'pas-une-adresse');
    await page.fill('#champ-links\\[0\\]\\.url', 'javascript:alert(1)');
    const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('#formulaire-fiche button[type=submit]')]);
    assert.equal(res.status(), 422);
    await page.waitForLoadState();
    const links = page.locator('.error-summary a[href^="#champ-"]');
    assert.ok(await links.count() >= 3, 'chaque erreur renvoie à son champ');
    await checkAxe(page, 'éditeur avec erreurs');
  } finally {
    await page.close();
  }
});
