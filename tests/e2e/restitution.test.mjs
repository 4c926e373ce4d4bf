// The restitution report (report.html, written by `passerelle restitution`) in a real browser:
// zero axe-core violations, French, one h1, every SVG chart with a text alternative, a print
// style sheet, and everything readable with JavaScript off (the report has no script at all).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';

import { BIN, checkAxe, checkLang, launchBrowser } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir;
let browser;
let reportUrl;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'passerelle-restitution-e2e-'));
  const out = path.join(dir, 'rapport');
  const run = spawnSync(BIN, ['restitution', '--input', path.join(ROOT, 'tests/data/restitution-grand-debat.jsonl'), '--group-field', 'question',
    '--out', out, '--seed', '1'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(run.status, 0, run.stderr);
  reportUrl = pathToFileURL(path.join(out, 'report.html')).href;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('le rapport de restitution passe axe-core, en français, avec un seul h1', async () => {
  const ctx = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(reportUrl);
  await checkLang(page, 'fr', 'rapport');
  assert.equal(await page.locator('h1').count(), 1);
  await checkAxe(page, 'rapport de restitution');
  // Every chart says what it shows in words: a title or a label, and a description or a table.
  const charts = await page.locator('svg').evaluateAll((svgs) => svgs.map((s) => ({
    role: s.getAttribute('role'), hidden: s.getAttribute('aria-hidden'),
    named: Boolean(s.getAttribute('aria-label') || s.getAttribute('aria-labelledby') || s.querySelector('title')),
  })));
  assert.ok(charts.length > 0, 'le rapport a des graphiques');
  for (const c of charts) assert.ok(c.hidden === 'true' || (c.role === 'img' && c.named), `graphique sans alternative : ${JSON.stringify(c)}`);
  await ctx.close();
});

test('le rapport se lit sans JavaScript et a une feuille de style pour l’impression', async () => {
  const ctx = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(reportUrl);
  const html = readFileSync(fileURLToPath(reportUrl), 'utf8');
  assert.doesNotMatch(html, /<script/i, 'le rapport ne dépend d’aucun script');
  assert.match(html, /@media print/, 'une feuille de style pour l’impression');
  await page.emulateMedia({ media: 'print' });
  const text = await page.locator('main').innerText();
  assert.match(text, /Méthode/i, 'la section méthode est imprimée');
  assert.ok(text.length > 2000, 'le contenu est visible');
  await ctx.close();
});
