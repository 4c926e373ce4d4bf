// Helpers for the HTTP integration tests: fresh databases (SQLite or PostgreSQL), the passerelle
// command line, a real server on a free port, and a small cookie-keeping client over fetch.
// Node 18 built-ins only.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const BIN = process.env.PASSERELLE_BIN || path.join(root, 'build-test/passerelle');
export const PG_URL = process.env.PASSERELLE_TEST_PG_URL || '';

// Runs a program and resolves with its exit code and output (never rejects on a non-zero code).
export function run(command, args, { input, env, timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
    child.stdin.on('error', () => {});  // the program may exit without reading its input
    child.stdin.end(input ?? '');
  });
}

// Runs `passerelle ARGS`; throws with the program's output if it fails.
export async function cli(args, options) {
  const r = await run(BIN, args, options);
  if (r.code !== 0) {
    throw new Error(`passerelle ${args.join(' ')} a échoué (code ${r.code}, signal ${r.signal})\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

async function psql(url, sql) {
  const r = await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql]);
  if (r.code !== 0) throw new Error(`psql a échoué pour « ${sql} » : ${r.stderr}`);
  return r.stdout;
}

// A fresh, empty database for `backend` ('sqlite' or 'postgres'), with drop() to remove it.
export async function createDatabase(backend) {
  if (backend === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'passerelle-it-'));
    return { backend, url: `sqlite:${dir}/passerelle.db`, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  if (backend === 'postgres') {
    if (!PG_URL) throw new Error('PASSERELLE_TEST_PG_URL est vide : impossible de créer une base PostgreSQL');
    const name = `passerelle_it_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    await psql(PG_URL, `CREATE DATABASE "${name}"`);
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    return { backend, url: u.toString(), drop: () => psql(PG_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  throw new Error(`moteur inconnu : ${backend}`);
}

export const migrate = (db) => cli(['migrate', '--db', db.url]);
export const seedDemo = (db) => cli(['seed-demo', '--db', db.url]);

// Creates a confirmed account from the command line; the password goes through standard input.
export function addUser(db, { email, password, role, territory, displayName }) {
  const args = ['user', 'add', '--db', db.url, '--email', email, '--role', role];
  if (territory) args.push('--territory', territory);
  if (displayName) args.push('--display-name', displayName);
  return cli(args, { input: `${password}\n` });
}

// A fresh database, migrated (and seeded with the demo territories unless seed is false).
export async function prepareDatabase(backend, { seed = true } = {}) {
  const db = await createDatabase(backend);
  await migrate(db);
  if (seed) await seedDemo(db);
  return db;
}

// Starts `passerelle serve` on a free loopback port. The URL comes from the line the server
// prints when it is ready. stop() sends SIGTERM and resolves with the exit; it rejects if the
// process does not exit cleanly with code 0 (a sanitizer report makes it non-zero).
export function startServer(db, { env = {}, timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--db', db.url, '--listen', '127.0.0.1:0'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let ready = false;
    const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
    const fail = (why) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}\n--- sortie ---\n${stdout}\n--- erreurs ---\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`le serveur n'a pas démarré en ${timeoutMs} ms`), timeoutMs);
    child.on('error', (e) => fail(`lancement impossible de ${BIN} : ${e.message}`));
    exited.then(({ code, signal }) => fail(`le serveur s'est arrêté au démarrage (code ${code}, signal ${signal})`));
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      const m = /Passerelle est prête : (http:\/\/127\.0\.0\.1:(\d+))\//.exec(stdout);
      if (!m || ready) return;
      ready = true;
      clearTimeout(timer);
      const server = {
        url: m[1],
        port: Number(m[2]),
        process: child,
        stderr: () => stderr,
        stdout: () => stdout,
        async stop({ timeoutMs: stopTimeout = 20000 } = {}) {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          let killer;
          const result = await Promise.race([
            exited,
            new Promise((res) => { killer = setTimeout(() => res(null), stopTimeout); }),
          ]);
          clearTimeout(killer);
          if (result === null) {
            child.kill('SIGKILL');
            throw new Error(`le serveur ne s'est pas arrêté ${stopTimeout} ms après SIGTERM\n--- erreurs ---\n${stderr}`);
          }
          if (result.code !== 0) {
            throw new Error(`le serveur s'est arrêté avec le code ${result.code} (signal ${result.signal})\n--- erreurs ---\n${stderr}`);
          }
          return result;
        },
      };
      resolve(server);
    });
  });
}

// ---- HTML helpers -------------------------------------------------------------------------

export function decodeEntities(s) {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

// The visible text of an HTML fragment, tags removed and entities decoded.
export function textOf(html) {
  return decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

// The value of the hidden `_csrf` input of the first form, or null.
export function csrfFrom(html) {
  const input = /<input[^>]*\bname="_csrf"[^>]*>/.exec(html);
  if (!input) return null;
  const value = /\bvalue="([^"]*)"/.exec(input[0]);
  return value ? decodeEntities(value[1]) : null;
}

// The error message shown next to a form field (`<p class="error-message" id="champ-NAME-erreur">`).
export function fieldError(html, name) {
  const m = new RegExp(`<p class="error-message" id="champ-${name}-erreur">([\\s\\S]*?)</p>`).exec(html);
  return m ? decodeEntities(m[1]) : null;
}

// ---- Cookie-keeping client ----------------------------------------------------------------

function setCookieLines(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const joined = headers.get('set-cookie');
  // Without getSetCookie (older Node 18), split the joined header before each "name=".
  return joined ? joined.split(/,\s*(?=[^;,=\s]+=)/) : [];
}

export class Client {
  constructor(baseUrl, { headers = {} } = {}) {
    this.base = baseUrl;
    this.headers = headers;
    this.cookies = new Map();
    this.csrf = null;         // `_csrf` of the last HTML page that had a form
    this.setCookies = [];     // raw Set-Cookie lines of the last response
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  // One request, no redirect following. Returns { status, headers, body, location, json() }.
  async request(method, url, { body, headers = {}, cookies = true } = {}) {
    const h = { ...this.headers, ...headers };
    if (cookies && this.cookies.size && !('cookie' in h) && !('Cookie' in h)) h.cookie = this.cookieHeader();
    const res = await fetch(new URL(url, this.base), { method, headers: h, body, redirect: 'manual' });
    const text = await res.text();
    this.setCookies = setCookieLines(res.headers);
    if (cookies) {
      for (const line of this.setCookies) {
        const [pair, ...attrs] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
        if (expired || value === '') this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
    }
    if ((res.headers.get('content-type') || '').startsWith('text/html')) {
      const token = csrfFrom(text);
      if (token) this.csrf = token;
    }
    return {
      status: res.status,
      headers: res.headers,
      body: text,
      location: res.headers.get('location'),
      json: () => JSON.parse(text),
    };
  }

  get(url, options) {
    return this.request('GET', url, options);
  }

  // A urlencoded form. `csrf`: true (the token of the last page), false (none) or a string.
  post(url, fields = {}, { csrf = true, headers = {}, ...rest } = {}) {
    const params = new URLSearchParams();
    const token = csrf === true ? this.csrf : csrf;
    if (typeof token === 'string') params.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined || v === null || v === false) continue;
      params.append(k, v === true ? 'oui' : String(v));
    }
    return this.request('POST', url, {
      body: params.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      ...rest,
    });
  }

  // Opens the page that holds a form (for its CSRF token), then submits the form.
  async submit(pageUrl, actionUrl, fields, options) {
    const page = await this.get(pageUrl);
    if (page.status !== 200) throw new Error(`GET ${pageUrl} : statut ${page.status}`);
    return this.post(actionUrl, fields, options);
  }

  login(email, password, { retour } = {}) {
    const action = retour ? `/connexion?retour=${encodeURIComponent(retour)}` : '/connexion';
    return this.submit('/connexion', action, { email, password });
  }

  // JSON to the API. `bearer`: an API token; `csrfHeader`: the X-CSRF-Token header value.
  api(method, url, { json, raw, bearer, csrfHeader, headers = {} } = {}) {
    const h = { accept: 'application/json', ...headers };
    if (bearer) h.authorization = `Bearer ${bearer}`;
    if (csrfHeader) h['x-csrf-token'] = csrfHeader;
    let body;
    if (json !== undefined) {
      body = JSON.stringify(json);
      h['content-type'] = 'application/json';
    } else if (raw !== undefined) {
      body = raw;
      h['content-type'] = 'application/json';
    }
    return this.request(method, url, { body, headers: h });
  }
}

// Creates an API token from the account page of a signed-in client.
export async function apiToken(client, name = 'Jeton de test') {
  await client.get('/compte');
  const created = await client.post('/compte/jetons', { name });
  const token = decodeEntities((/<pre class="token">([^<]+)<\/pre>/.exec(created.body) || [])[1] || '');
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new Error("pas de jeton d'API");
  return token;
}

// A unique address per run, so tests never depend on each other's accounts.
export function uniqueEmail(prefix) {
  return `${prefix}-${randomBytes(3).toString('hex')}@exemple.fr`;
}

// One SQL query on a test database (prepareDatabase's { backend, url }), through the command-line
// client of its backend: the text of the rows, `|` between columns.
export async function sql(db, query) {
  const r = db.backend === 'sqlite'
    ? await run('sqlite3', [db.url.slice('sqlite:'.length), query])
    : await run('psql', [db.url, '-t', '-A', '-c', query]);
  if (r.code !== 0) throw new Error(`requête impossible : ${query}\n${r.stderr}`);
  return r.stdout.trim();
}
