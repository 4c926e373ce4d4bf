// The restitution inside the platform in a real browser: the demo consultation's restitution and
// controversy map pass axe-core (visitor and administrator views), read without JavaScript, and
// work with the keyboard alone: the table of contents leads to each controversy, and the
// administrator asks for a new computation with the button (a plain form, no script).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, checkAxe, checkLang, launchBrowser, signedInContext, startServer, tabUntil } from './helpers.mjs';

let server;
let browser;
let processUrl;

const context = (account, javaScriptEnabled = true) => signedInContext(browser, server, account, 'fr', { javaScriptEnabled });

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const ctx = await context(null);
  const page = await ctx.newPage();
  await page.goto('/t/besancon/consultations');
  processUrl = await page.locator('main h2 a').first().getAttribute('href');
  await ctx.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('la restitution et la cartographie des controverses passent axe-core, en français', async () => {
  for (const account of [null, ADMIN]) {
    const ctx = await context(account);
    const page = await ctx.newPage();
    for (const url of [`${processUrl}/restitution`, `${processUrl}/controverses`, processUrl]) {
      await page.goto(url);
      await checkLang(page, 'fr', url);
      assert.equal(await page.locator('h1').count(), 1, `${url} : un seul h1`);
      await checkAxe(page, `${url} (${account ? 'administrateur' : 'visiteur'})`);
    }
    await page.goto(`${processUrl}/restitution`);
    const charts = await page.locator('main svg').evaluateAll((svgs) => svgs.map((s) => s.getAttribute('role') === 'img' && Boolean(s.getAttribute('aria-labelledby'))));
    assert.ok(charts.length > 0 && charts.every(Boolean), 'chaque graphique a une alternative textuelle');
    await ctx.close();
  }
});

test('sans JavaScript, au clavier : le sommaire mène aux controverses, le bouton lance le calcul', async () => {
  const ctx = await context(ADMIN, false);
  const page = await ctx.newPage();
  await page.goto(`${processUrl}/controverses`);
  const first = await page.locator('nav[aria-labelledby="sommaire-controverses"] ol ol a').first();
  const href = await first.getAttribute('href');
  await tabUntil(page, (s) => s.href === href, 'le premier lien du sommaire des controverses', { max: 80 });
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.hash === href);
  assert.ok(await page.locator(`${href}`).isVisible());
  assert.match(await page.locator('main').innerText(), /Indice de division/);

  await page.goto(`${processUrl}/restitution`);
  assert.match(await page.locator('main').innerText(), /Volumes et participation/);
  await tabUntil(page, (s) => s.tag === 'button' && /Recalculer la restitution/.test(s.text), 'le bouton « Recalculer la restitution »', { max: 80 });
  await Promise.all([page.waitForURL(/fait=restitution/), page.keyboard.press('Enter')]);
  assert.match(await page.locator('main').innerText(), /La restitution va être calculée/);
  await ctx.close();
});
