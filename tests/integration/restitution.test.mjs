// The restitution batch command on real answers of the Grand Débat (tests/data, Licence Ouverte)
// with a planted campaign and bad lines: the three outputs exist, agree with each other, and a
// second run with the same seed (and another number of threads) is byte-identical.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BIN, scratchDir } from './lib/process.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = readFileSync(path.join(root, 'tests/data/restitution-grand-debat.jsonl'), 'utf8');

function run(args) {
  return new Promise((resolve) => {
    execFile(BIN, ['restitution', ...args], { timeout: 60000 }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

// Minimal RFC 4180 reader for assignments.csv.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += c;
  }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const dir = scratchDir();
const input = path.join(dir, 'contributions.jsonl');
const question = 'Que faudrait-il faire pour rendre la fiscalité plus juste et plus efficace ?';
const campaign = 'Nous demandons la suppression de la taxe foncière pour les retraités modestes et un impôt plus juste pour tous, contact : collectif@example.org ou 06 12 34 56 78';
const lines = fixture.trimEnd().split('\n');
for (let i = 0; i < 4; i++)
  lines.push(JSON.stringify({ reference: `camp-${i}`, question, text: i % 2 ? campaign.toUpperCase() : campaign + ' !', published_at: `2019-02-0${i + 1} 10:00:00`, zip: '20000' }));
lines.push(JSON.stringify({ reference: 'vide', question, text: '   ' }));  // empty text
lines.push('{"reference": "casse", "text": ');                          // broken JSON
writeFileSync(input, lines.join('\n') + '\n');
const emptyLine = lines.length - 1, brokenLine = lines.length;
const common = ['--input', input, '--id-field', 'reference', '--group-field', 'question', '--date-field', 'published_at',
                '--zip-field', 'zip', '--seed', '7'];

test('restitution writes three consistent outputs, identical from run to run', async () => {
  const first = await run([...common, '--out', path.join(dir, 'a'), '--threads', '1']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, new RegExp(`ligne ${emptyLine} : Texte vide`));
  assert.match(first.stderr, new RegExp(`ligne ${brokenLine} : Ligne qui n'est pas un objet JSON`));
  const second = await run([...common, '--out', path.join(dir, 'b'), '--threads', '2']);
  assert.equal(second.code, 0, second.stderr);
  for (const name of ['report.html', 'restitution.json', 'assignments.csv']) {
    assert.ok(existsSync(path.join(dir, 'a', name)), name);
    assert.ok(readFileSync(path.join(dir, 'a', name)).equals(readFileSync(path.join(dir, 'b', name))), `${name} differs`);
  }

  const json = JSON.parse(readFileSync(path.join(dir, 'a', 'restitution.json'), 'utf8'));
  const rows = parseCsv(readFileSync(path.join(dir, 'a', 'assignments.csv'), 'utf8'));
  assert.equal(json.input.records, lines.length);
  assert.equal(json.input.skipped, 2);
  assert.equal(rows.length, json.totals.contributions);
  assert.equal(json.input.issues.empty_text, 1);
  assert.equal(json.input.issues.invalid_json, 1);
  // The planted campaign is found, with its four members, in the right question.
  const planted = json.campaigns.find((c) => c.size === 4 && c.group === question);
  assert.ok(planted, JSON.stringify(json.campaigns.map((c) => c.size)));
  assert.equal(rows.filter((r) => r.campagne === String(planted.id)).length, 4);
  // Per theme, the CSV counts the same contributions as the JSON; every theme has a label.
  for (const theme of json.themes) {
    assert.equal(rows.filter((r) => r.theme === String(theme.id)).length, theme.contributions, theme.label);
    assert.ok(theme.label.length > 0);
    assert.ok(theme.quotes.length >= 1 && theme.quotes.length <= 3);
  }
  assert.equal(json.themes.reduce((s, t) => s + t.contributions, 0), json.totals.contributions);
  // Each of the three questions got its themes, chosen between the bounds.
  assert.equal(json.groups.length, 3);
  for (const g of json.groups) assert.ok(g.k >= 1 && g.k <= 12);
  // 20000 is Ajaccio: Corse-du-Sud, not "20".
  assert.ok(rows.filter((r) => r.reference === undefined && r.id.startsWith('camp-')).every((r) => r.departement === '2A'));

  const html = readFileSync(path.join(dir, 'a', 'report.html'), 'utf8');
  assert.match(html, /<html lang="fr">/);
  assert.match(html, /<h1>/);
  assert.match(html, /<svg class="chart" role="img"/);
  assert.match(html, /@media print/);
  assert.doesNotMatch(html, /<script/);
  assert.doesNotMatch(html, /collectif@example\.org/);
  assert.doesNotMatch(html, /06 12 34 56 78/);
  assert.doesNotMatch(readFileSync(path.join(dir, 'a', 'restitution.json'), 'utf8'), /collectif@example\.org/);
  assert.match(html, /Méthode/);
  // Participation beside population: the same rate in the JSON and in the report.
  const corse = json.departements.find((d) => d.code === '2A');
  assert.ok(corse, JSON.stringify(json.departements));
  assert.equal(corse.population, 168306);
  assert.equal(corse.per_10000, Math.round(corse.count * 1e6 / 168306) / 100);
  assert.match(html, new RegExp(`<th scope="row">2A Corse-du-Sud</th><td class="n">${corse.count}</td><td class="n">[^<]+</td><td class="n">168\u202f306</td><td class="n">${String(corse.per_10000.toFixed(2)).replace('.', ',')}</td>`));
});

test('a broken CSV is refused with its line and nothing is written', async () => {
  const csv = path.join(dir, 'casse.csv');
  writeFileSync(csv, 'id;text\n1;"Une réponse correcte"\n2;"Un guillemet jamais fermé\n3;suite\n');
  const out = path.join(dir, 'jamais');
  const result = await run(['--input', csv, '--out', out]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Guillemet ouvert ligne 3/);
  assert.ok(!existsSync(out));
});

test('a missing input file is refused clearly', async () => {
  const result = await run(['--input', path.join(dir, 'absent.jsonl'), '--out', path.join(dir, 'x')]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Impossible d'ouvrir le fichier/);
});
