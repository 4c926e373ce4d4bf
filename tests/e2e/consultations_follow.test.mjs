// Following a contribution in a real browser: the button works with JavaScript off, another
// person's argument shows up on /notifications (unread marked, link to the arguments), visiting
// reads it, the digest preference is saved by the plain form, and axe-core passes on every state
// of /notifications, in French and in English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { checkAxe, checkLang, launchBrowser, newContext, signedInContext, startServer } from './helpers.mjs';

const PASSWORD = 'une phrase de passe assez longue';
const FOLLOWER = { email: 'suiveuse-e2e@demo.passerelle.localhost', password: PASSWORD, role: 'citoyen', territory: 'besancon' };
const ARGUER = { email: 'argumente-e2e@demo.passerelle.localhost', password: PASSWORD, role: 'citoyen', territory: 'besancon' };

let server;
let browser;
let contributionUrl;

const context = (account, { javaScriptEnabled = true, lang = 'fr' } = {}) => signedInContext(browser, server, account, lang, { javaScriptEnabled });

async function submit(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(selector)]);
}

before(async () => {
  server = await startServer({ users: [FOLLOWER, ARGUER] });
  browser = await launchBrowser();
  const anon = await newContext(browser, server, 'fr');
  const page = await anon.newPage();
  await page.goto('/t/besancon/consultations');
  await page.goto(await page.locator('main h2 a').first().getAttribute('href'));
  contributionUrl = new URL(await page.locator('main a[href^="/contributions/"]').first().getAttribute('href'), server.url).pathname;
  await anon.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('suivre sans JavaScript, être averti, lire ; /notifications passe axe-core', { timeout: 120_000 }, async () => {
  const noScript = await context(FOLLOWER, { javaScriptEnabled: false });
  let page = await noScript.newPage();
  await page.goto(contributionUrl);
  await submit(page, 'form[action$="/suivre"] button[type=submit]');
  assert.match(page.url(), /#suivre$/);
  assert.match(await page.locator('#suivre ~ p').first().innerText(), /Vous suivez cette contribution/);
  await page.close();
  await noScript.close();

  const arguer = await context(ARGUER);
  page = await arguer.newPage();
  await page.goto(contributionUrl);
  await page.fill('#champ-argument', 'Un argument pour les notifications.');
  await submit(page, 'form[action$="/arguments"] button[type=submit]');
  await arguer.close();

  const follower = await context(FOLLOWER);
  page = await follower.newPage();
  await page.goto(contributionUrl);
  await checkAxe(page, 'contribution suivie (bouton « Ne plus suivre »)');
  await page.goto('/notifications');  // the visit above read it: another event makes one unread
  const again = await context(ARGUER);
  const p2 = await again.newPage();
  await p2.goto(contributionUrl);
  await p2.fill('#champ-argument', 'Un second argument, encore non lu.');
  await submit(p2, 'form[action$="/arguments"] button[type=submit]');
  await again.close();

  await page.goto('/notifications');
  await checkLang(page, 'fr', '/notifications');
  assert.equal(await page.locator('h1').count(), 1);
  assert.equal(await page.locator('h1').innerText(), 'Notifications');
  assert.match(await page.locator('#non-lues').innerText(), /Une notification non lue/);
  const unread = page.locator('li.notification.unread').first();
  assert.match(await unread.innerText(), /Non lue\s+Nouvel argument de .* — #\d+/);
  assert.match(await unread.innerText(), /Un second argument, encore non lu/);
  assert.match(await unread.locator('a').getAttribute('href'), /^\/contributions\/\d+#arguments$/);
  await checkAxe(page, '/notifications avec une notification non lue');

  await page.check('#resume-weekly');
  await submit(page, 'form[action="/notifications/preferences"] button[type=submit]');
  assert.match(await page.locator('main').innerText(), /La fréquence du résumé est enregistrée/);
  assert.equal(await page.isChecked('#resume-weekly'), true);
  await checkAxe(page, '/notifications après enregistrement de la fréquence');

  await submit(page, 'form[action="/notifications/lues"] button[type=submit]');
  assert.match(await page.locator('#non-lues').innerText(), /Aucune notification non lue/);
  await checkAxe(page, '/notifications tout lu');
  await page.close();
  await follower.close();

  const english = await context(FOLLOWER, { lang: 'en' });
  page = await english.newPage();
  await page.goto('/notifications');
  await checkLang(page, 'en', '/notifications (en)');
  assert.match(await page.locator('main').innerText(), /Contributions you follow/);
  await checkAxe(page, '/notifications (en)');
  await page.goto('/compte');
  assert.match(await page.locator('#notifications ~ p').first().innerText(), /No unread notification\. E-mail digest: every week\./);
  await english.close();
});
