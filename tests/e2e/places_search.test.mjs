// /lieux (search form, list, map) and /lieux/orientation (questions, printable sheet) in a real
// browser on the real places of New Caledonia and of the Charente bus: axe-core on every page,
// the search and the map with the keyboard alone, everything without JavaScript, and the
// orientation sheet printed on one A4 page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { checkAxe, checkLang, launchBrowser, newContext, startServer, tabUntil } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const t = JSON.parse(readFileSync(path.join(ROOT, 'web/locale/places-search/fr.json'), 'utf8'));
const data = (f) => path.join(ROOT, 'tests/data/places', f);
const DEMARCHES = encodeURIComponent('Aide aux démarches administratives');

let server;
let browser;

before(async () => {
  server = await startServer({ places: [[data('nouvelle-caledonie-20240320.json'), 'v0-json'], [data('bus-france-services-charente-20231003.json'), 'v0-json']] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('/lieux : liste, carte et orientation sans violation axe', { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser, server, 'fr');
  ctx.setDefaultTimeout(15_000);
  const page = await ctx.newPage();
  try {
    for (const url of ['/lieux', `/lieux?lieu=${encodeURIComponent('Nouméa')}&services=${DEMARCHES}`, '/lieux/orientation',
      `/lieux/orientation?services=${DEMARCHES}&lieu=98800&modalites=${encodeURIComponent('Accompagnement individuel')}`,
      `/lieux/orientation?services=${DEMARCHES}&lieu=98800&imprimer=1`, '/lieux?near=abc']) {
      const res = await page.goto(url);
      assert.equal(res.status(), url.includes('near=abc') ? 400 : 200, url);
      await checkLang(page, 'fr', url);
      if (url.startsWith('/lieux?') && !url.includes('near=abc')) await page.locator('#carte[data-charge]').waitFor();
      await checkAxe(page, url);
    }
    // The map shows the server's clusters, without tiles (map_tiles_url empty).
    await page.goto(`/lieux?lieu=${encodeURIComponent('Nouméa')}`);
    await page.locator('#carte[data-charge]').waitFor();
    assert.equal(await page.isVisible('#carte'), true);
    assert.ok((await page.locator('#carte .leaflet-marker-icon').count()) > 0);
    assert.equal(await page.locator('#carte img.leaflet-tile').count(), 0);
    const count = await page.textContent('#nombre-resultats');
    assert.match(count, /^\d+ lieux correspondent\.$/);
  } finally {
    await ctx.close();
  }
});

test('/lieux au clavier seul : chercher près de Nouméa, puis un groupe de la carte', { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser, server, 'fr');
  ctx.setDefaultTimeout(15_000);
  const page = await ctx.newPage();
  try {
    await page.goto('/lieux');
    await tabUntil(page, (s) => s.id === 'champ-lieu', 'le champ « Où ? »');
    await page.keyboard.type('Nouméa');
    await Promise.all([page.waitForURL(/lieu=Noum/), page.keyboard.press('Enter')]);
    await page.locator('ol.lieux li').first().waitFor();
    assert.match(await page.textContent('main'), new RegExp(t['places_search.from_origin'].split('{origin}')[0]));
    const first = await tabUntil(page, (s) => s.href?.startsWith('/lieux/') && /^\/lieux\/\d+$/.test(s.href), 'le premier lieu de la liste', { max: 80 });
    assert.equal(first.text, (await page.textContent('ol.lieux li h3 a')).trim());
    await page.locator('#carte[data-charge]').waitFor();
    const loads = await page.getAttribute('#carte', 'data-chargements');
    await tabUntil(page, (s) => /leaflet-marker-icon/.test(s.describe), 'un point de la carte', { max: 300 });
    const isGroup = await page.evaluate(() => document.activeElement.classList.contains('lieux-groupe'));
    await page.keyboard.press('Enter');
    if (isGroup) await page.waitForFunction((n) => document.querySelector('#carte').dataset.chargements !== n, loads);  // zoomed in, reloaded
    else await page.locator('.leaflet-popup-content a').waitFor();
  } finally {
    await ctx.close();
  }
});

test('/lieux/orientation au clavier seul : un besoin, une commune, les lieux, la fiche', { timeout: 60_000 }, async () => {
  const ctx = await newContext(browser, server, 'fr');
  ctx.setDefaultTimeout(15_000);
  const page = await ctx.newPage();
  try {
    await page.goto('/lieux/orientation');
    await tabUntil(page, (s) => s.id === 'besoin-demarches', 'le premier besoin');
    await page.keyboard.press('Space');
    assert.equal(await page.isChecked('#besoin-demarches'), true);
    await tabUntil(page, (s) => s.id === 'champ-lieu', 'le champ de la commune', { max: 12 });
    await page.keyboard.type('98800');
    await Promise.all([page.waitForURL(/lieu=98800/), page.keyboard.press('Enter')]);
    await page.locator('ol.lieux li').first().waitFor();
    await tabUntil(page, (s) => s.href?.includes('imprimer=1'), 'le lien de la fiche imprimable', { max: 120 });
    await Promise.all([page.waitForURL(/imprimer=1/), page.keyboard.press('Enter')]);
    assert.ok((await page.locator('ol.fiche-lieux > li').count()) > 0);
  } finally {
    await ctx.close();
  }
});

test('sans JavaScript : la liste seule est complète, l’orientation et sa fiche imprimable', { timeout: 120_000 }, async () => {
  const ctx = await newContext(browser, server, 'fr', { javaScriptEnabled: false });
  ctx.setDefaultTimeout(15_000);
  const page = await ctx.newPage();
  try {
    await page.goto('/lieux');
    await page.fill('#champ-lieu', '98800');
    await page.check(`input[name=services][value="Aide aux démarches administratives"]`);
    await Promise.all([page.waitForURL(/lieu=98800/), page.click('main form[role=search] button[type=submit]')]);
    assert.equal(await page.isHidden('#carte'), true, 'la carte reste cachée sans JavaScript');
    assert.equal(await page.locator('ol.lieux > li').count(), 20);
    assert.match(await page.textContent('ol.lieux > li .lieu-distance'), /^À \d/);
    await Promise.all([page.waitForURL(/page=2/), page.click('a[rel=next]')]);
    assert.equal(await page.getAttribute('ol.lieux', 'start'), '21');

    // A bad parameter: the precise message, and the form is still there.
    await page.goto('/lieux?lieu=Atlantide');
    assert.match(await page.textContent('.error-summary'), /« Atlantide » n’est ni une commune ni un code postal connu/);

    await page.goto('/lieux/orientation');
    await page.check('#besoin-demarches');
    await page.fill('#champ-lieu', '98800');
    // The places of New Caledonia do not say how they help: a way asked finds none, and says so.
    await page.check('#maniere-individuel');
    await Promise.all([page.waitForURL(/orientation\?/), page.click('form.orientation button[type=submit]')]);
    assert.match(await page.textContent('main'), new RegExp(t['places_search.orientation.none'].slice(0, 30)));
    await page.uncheck('#maniere-individuel');
    await Promise.all([page.waitForURL((u) => !u.search.includes('modalites')), page.click('form.orientation button[type=submit]')]);
    assert.ok((await page.locator('ol.lieux > li').count()) > 0);
    await Promise.all([page.waitForURL(/imprimer=1/), page.click(`text=${t['places_search.orientation.print']}`)]);
    assert.equal((await page.textContent('h1')).trim(), t['places_search.orientation.sheet_title']);
    const items = page.locator('ol.fiche-lieux > li');
    assert.ok((await items.count()) > 0 && (await items.count()) <= 6);
    assert.match(await page.textContent('ol.fiche-lieux'), /Horaires : (lundi|Horaires non renseignés)|Horaires non renseignés/);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isHidden('header.site-header'), true, 'l’en-tête du site n’est pas imprimé');
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.equal(pages, 1, 'la fiche tient sur une page A4');
  } finally {
    await ctx.close();
  }
});
