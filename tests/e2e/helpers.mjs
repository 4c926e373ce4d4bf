// Shared helpers of the browser tests: a throw-away Passerelle server on a fresh SQLite file,
// Debian's Chromium driven by playwright-core, axe-core checks and keyboard focus checks.
// Not a test file itself (node --test only picks *.test.mjs).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.resolve(ROOT, process.env.PASSERELLE_BIN || 'build-test/passerelle');
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const ADMIN = { email: 'admin@demo.passerelle.localhost', password: 'demo-passerelle-2026' };
export const TERRITORY = 'grand-angouleme';
export const LOCALES = { fr: 'fr-FR', en: 'en-GB' };
// The interface texts, so that the tests follow the wording of the message catalogues.
export const T = Object.fromEntries(['fr', 'en'].map((l) => [l, JSON.parse(readFileSync(path.join(ROOT, `web/locale/${l}.json`), 'utf8'))]));

// Configuration the server would read from the environment: the tests choose it themselves.
const CONFIG_ENV = ['DB', 'LISTEN', 'PUBLIC_URL', 'SECURE_COOKIES', 'TRUST_PROXY', 'SMTP_HOST', 'SMTP_PORT', 'SMTP_FROM', 'INSTANCE_NAME',
  'BODY_LIMIT', 'HEADER_LIMIT', 'MAX_CONNECTIONS', 'REQUEST_TIMEOUT_MS', 'IO_THREADS'];
function childEnv() {
  const env = { ...process.env };
  for (const k of CONFIG_ENV) delete env[`PASSERELLE_${k}`];
  return env;
}

function run(args, input) {
  const r = spawnSync(BIN, args, { env: childEnv(), input: input ?? '', encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`${BIN} ${args.join(' ')} : ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${BIN} ${args.join(' ')} a échoué (${r.status}) :\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// Starts `passerelle serve` on a fresh, seeded SQLite database and a free port.
// `users` are extra confirmed accounts: [{ email, password, role, territory }].
// `places`: files of places to import first, [[path, format], …] (`passerelle import places`).
export async function startServer({ users = [], places = [], env = {} } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-e2e-'));
  const db = `sqlite:${path.join(dir, 'passerelle.db')}`;
  run(['migrate', '--db', db]);
  run(['seed-demo', '--db', db]);
  for (const [file, format] of places) run(['import', 'places', file, '--format', format, '--skip-invalid', '--db', db]);
  for (const u of users) {
    const args = ['user', 'add', '--db', db, '--email', u.email, '--role', u.role];
    if (u.territory) args.push('--territory', u.territory);
    run(args, `${u.password}\n`);
  }
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { env: { ...childEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`le serveur n'a pas démarré en 30 s :\n${stdout}\n${stderr}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      const m = stdout.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`le serveur s'est arrêté (${code}) :\n${stdout}\n${stderr}`)); });
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url,
    get stderr() { return stderr; },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const r = await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      // The shutdown itself is the integration tests' business: here it is only reported.
      if (r.code !== 0) console.log(`# ATTENTION : arrêt anormal du serveur sur SIGTERM ${JSON.stringify(r)}\n${stderr.replace(/^/gm, '# ')}`);
      return r;
    },
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A browser context in one language. bypassCSP lets axe-core be injected despite script-src 'self'.
export function newContext(browser, server, lang = 'fr', options = {}) {
  return browser.newContext({ baseURL: server.url, locale: LOCALES[lang], bypassCSP: true, ...options });
}

// Runs axe-core on the whole document and fails with a readable list of the violations.
export async function checkAxe(page, label) {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'], resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })) }));
  });
  const text = violations.map((v) => `- ${v.id} (${v.impact}) : ${v.help}\n  ${v.helpUrl}\n` +
    v.nodes.map((n) => `    ${n.target}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`).join('\n')).join('\n');
  assert.equal(violations.length, 0, `${label} (${page.url()}) : ${violations.length} violation(s) axe-core :\n${text}`);
}

export async function checkLang(page, lang, label) {
  assert.equal(await page.getAttribute('html', 'lang'), lang, `${label} : html[lang]`);
}

// Signs in through the login form (set-up step, not the flow under test).
export async function logIn(page, { email, password }) {
  await page.goto('/connexion');
  await page.fill('#champ-email', email);
  await page.fill('#champ-password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/connexion')), page.click('main button[type=submit]')]);
}

// A context signed in as `account` (a visitor's without one; default timeout 15 s), for the
// set-up of a test file; `javaScriptEnabled: false` for the pages without JavaScript.
export async function signedInContext(browser, server, account, lang = 'fr', { javaScriptEnabled = true } = {}) {
  const ctx = await newContext(browser, server, lang, { javaScriptEnabled });
  ctx.setDefaultTimeout(15_000);
  if (account) {
    const page = await ctx.newPage();
    await logIn(page, account);
    await page.close();
  }
  return ctx;
}

// Describes the focused element and whether its focus indicator is visible (outline or box-shadow).
export function focusState(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', visible: false, describe: 'body' };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    const r = el.getBoundingClientRect();
    const describe = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ').join('.') : ''}` +
      ` « ${(el.textContent || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 40)} »`;
    return { tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), type: el.getAttribute('type'),
      text: (el.textContent || '').trim(), href: el.getAttribute('href'), visible: outline || shadow,
      onScreen: r.width > 1 && r.height > 1, outline: `${cs.outlineStyle} ${cs.outlineWidth}`, shadow: cs.boxShadow, describe };
  });
}

export async function assertFocusVisible(page, label = '') {
  const s = await focusState(page);
  assert.ok(s.visible && s.onScreen, `focus non visible sur ${s.describe} ${label} (outline ${s.outline}, box-shadow ${s.shadow})`);
  return s;
}

// Presses Tab (or Shift+Tab) until `match(state)` holds, checking the focus indicator at every stop.
export async function tabUntil(page, match, what, { back = false, max = 60 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const s = await assertFocusVisible(page, `(en cherchant ${what})`);
    if (match(s)) return s;
  }
  assert.fail(`${what} introuvable en ${max} appuis sur ${back ? 'Maj+Tab' : 'Tab'}`);
}

// Reads the confirmation link mailed to `email` from /admin/courriels, in the demo admin's context.
export async function confirmationLink(adminContext, email) {
  const page = await adminContext.newPage();
  try {
    await page.goto('/admin/courriels');
    const body = await page.locator('article.mail', { hasText: email }).locator('pre.mail-body').textContent();
    const m = body.match(/https?:\/\/\S+\/confirmation\?jeton=[^\s]+/);
    assert.ok(m, `lien de confirmation absent du courriel à ${email} :\n${body}`);
    return new URL(m[0]);
  } finally {
    await page.close();
  }
}
