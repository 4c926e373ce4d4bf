// The place pages in a real browser (demo data): a network page, a place page, the correction
// form used with the keyboard alone (visible focus at every stop) and without JavaScript (an error
// shown, then a proposal sent), the moderation queue and the about-the-data page, each checked
// with axe-core.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { ADMIN, checkAxe, checkLang, launchBrowser, newContext, signedInContext, startServer, tabUntil } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const t = JSON.parse(readFileSync(path.join(ROOT, 'web/locale/places-pages/fr.json'), 'utf8'));

let server;
let browser;
let anon;
let noJs;
let placeUrl;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  anon = await newContext(browser, server, 'fr');
  anon.setDefaultTimeout(15_000);
  noJs = await newContext(browser, server, 'fr', { javaScriptEnabled: false });
  noJs.setDefaultTimeout(15_000);
});

// axe-core needs JavaScript: the pages are checked in the JavaScript context, the flows also run without it.
async function axeOn(url, label) {
  const page = await anon.newPage();
  try {
    await page.goto(url);
    await checkAxe(page, label);
  } finally {
    await page.close();
  }
}

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('réseau France Services, page du lieu et « À propos des données » : axe, sans JavaScript', { timeout: 60_000 }, async () => {
  const page = await noJs.newPage();
  try {
    await page.goto('/reseaux/france-services');
    await checkLang(page, 'fr', 'réseau');
    assert.equal((await page.textContent('h1')).trim(), t['places_pages.networks.france-services.title']);
    assert.ok(await page.locator('table caption', { hasText: t['places_pages.list.by_departement_caption'] }).count());
    await axeOn('/reseaux/france-services', 'page du réseau France Services');
    const first = page.locator('ol.place-list a').first();
    placeUrl = await first.getAttribute('href');
    await Promise.all([page.waitForURL(`**${placeUrl}`), first.click()]);
    assert.ok(await page.locator('h2', { hasText: t['places_pages.place.section.horaires'] }).count());
    assert.ok(await page.locator('h2', { hasText: t['places_pages.place.section.sources'] }).count());
    assert.ok(await page.locator('dt', { hasText: t['places_pages.field.services'] }).count());
    await axeOn(placeUrl, 'page du lieu');
    await page.goto('/a-propos/donnees');
    assert.ok(await page.locator('td', { hasText: 'ODbL 1.0' }).count());
    await axeOn('/a-propos/donnees', 'page « À propos des données »');
    await axeOn('/reseaux', 'page des réseaux');
    await axeOn('/t/grand-angouleme/lieux', 'lieux du territoire');
  } finally {
    await page.close();
  }
});

test('le formulaire de correction sans JavaScript : une erreur précise, puis la proposition', { timeout: 60_000 }, async () => {
  const page = await noJs.newPage();
  try {
    await axeOn(`${placeUrl}/corriger`, 'formulaire de correction');
    await page.goto(`${placeUrl}/corriger`);
    await page.fill('#champ-code_postal', '2500');
    await page.fill('#champ-commentaire', 'Essai sans JavaScript');
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 422), page.click('main button[type=submit]')]);
    assert.match(await page.textContent('#champ-code_postal-erreur'), /ne respecte pas le motif du schéma/);
    assert.ok(await page.locator('.error-summary a[href="#champ-code_postal"]').count());
    const js = await anon.newPage();
    try {
      await js.goto(`${placeUrl}/corriger`);
      await js.fill('#champ-code_postal', '2500');
      await js.fill('#champ-commentaire', 'Essai');
      await Promise.all([js.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 422), js.click('main button[type=submit]')]);
      await js.locator('.error-summary').waitFor();
      await checkAxe(js, 'formulaire de correction avec une erreur');
    } finally {
      await js.close();
    }
    await page.fill('#champ-code_postal', '16000');
    await page.fill('#champ-site_web', 'https://exemple.fr/sans-js');
    await Promise.all([page.waitForURL(/fait=correction/), page.click('main button[type=submit]')]);
    assert.equal((await page.textContent('main p[role=status]')).trim(), t['places_pages.done.correction']);
  } finally {
    await page.close();
  }
});

test('au clavier seul : de la page du lieu à la correction envoyée', { timeout: 90_000 }, async () => {
  const page = await anon.newPage();
  const kb = page.keyboard;
  try {
    await page.goto(placeUrl);
    await tabUntil(page, (s) => s.href === `${placeUrl}/corriger`, 'le lien « Proposer une correction »');
    await Promise.all([page.waitForURL(`**${placeUrl}/corriger`), kb.press('Enter')]);
    await tabUntil(page, (s) => s.id === 'champ-telephone', 'le champ du téléphone', { max: 40 });
    await kb.press('Control+A');
    await kb.type('+33545123456');
    await tabUntil(page, (s) => s.id === 'champ-commentaire', 'le commentaire', { max: 80 });
    await kb.type('Numéro relevé sur la porte.');
    await tabUntil(page, (s) => s.tag === 'button' && s.text === t['places_pages.correction.submit'], 'le bouton « Envoyer la correction »', { max: 3 });
    await Promise.all([page.waitForURL(/fait=correction/), kb.press('Enter')]);
    assert.equal((await page.textContent('main p[role=status]')).trim(), t['places_pages.done.correction']);
  } finally {
    await page.close();
  }
});

test('la file de modération des lieux : axe, puis accepter au clavier', { timeout: 60_000 }, async () => {
  const admin = await signedInContext(browser, server, ADMIN);
  const page = await admin.newPage();
  try {
    await page.goto('/moderation/lieux');
    assert.equal(await page.locator('li.queue-item').count(), 2);
    await checkAxe(page, 'file de modération des lieux');
    await tabUntil(page, (s) => s.tag === 'button' && s.text.startsWith('Accepter'), 'le bouton « Accepter »', { max: 80 });
    await Promise.all([page.waitForURL(/fait=acceptee/), page.keyboard.press('Enter')]);
    assert.equal(await page.locator('li.queue-item').count(), 1);
    await page.goto(placeUrl);
    assert.ok(await page.locator('h2', { hasText: t['places_pages.place.section.historique'] }).count());
    assert.ok(await page.locator('ol.place-history li').count());
    await checkAxe(page, 'page du lieu avec son historique');
  } finally {
    await admin.close();
  }
});
