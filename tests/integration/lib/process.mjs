// Helpers for the integration tests: run the real `passerelle` binary (CLI commands and
// `serve`), make fresh SQLite files or PostgreSQL databases, talk HTTP over fetch or raw sockets.
// Node 18 built-ins only.
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = process.env.PASSERELLE_BIN || path.join(root, 'build-test/passerelle');
export const PG_URL = process.env.PASSERELLE_TEST_PG_URL || '';
// Tests that need PostgreSQL pass this as `skip` when no server was given.
export const NO_PG = PG_URL ? false : 'PASSERELLE_TEST_PG_URL is not set';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A temporary directory removed when the process exits.
let scratch;
export function scratchDir() {
  if (!scratch) {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'passerelle-it-'));
    process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  }
  return scratch;
}

const unique = (tag) => `${tag}_${process.pid}_${randomBytes(4).toString('hex')}`;

// Runs one CLI command; resolves with { code, signal, stdout, stderr } (never rejects on exit code).
export function runCli(args, { input, env = {}, timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the command may exit before reading stdin
    child.stdin.end(input ?? '');
  });
}

// Like runCli, but the command must succeed.
export async function cli(args, options) {
  const r = await runCli(args, options);
  assert.equal(r.code, 0, `passerelle ${args.join(' ')} a échoué (code ${r.code}, signal ${r.signal})\n${r.stderr}`);
  return r;
}

export function psql(url, sql) {
  return new Promise((resolve, reject) => {
    execFile('psql', [url, '-v', 'ON_ERROR_STOP=1', '-X', '-q', '-A', '-t', '-c', sql], (err, stdout, stderr) => {
      if (err) reject(new Error(`psql: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

// Rows of a psql query as arrays of strings.
export async function psqlRows(url, sql) {
  const out = await psql(url, sql);
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}

export function pgDatabaseUrl(name) {
  const u = new URL(PG_URL);
  u.pathname = '/' + name;
  return u.toString();
}

// A new SQLite file, not yet migrated.
export function newSqliteUrl(tag = 'base') {
  return `sqlite:${path.join(scratchDir(), unique(tag))}.db`;
}

// A new empty PostgreSQL database, not yet migrated.
export async function newPostgresUrl(tag = 'base') {
  const name = unique(`passerelle_${tag}`).toLowerCase();
  await psql(PG_URL, `CREATE DATABASE ${name}`);
  return pgDatabaseUrl(name);
}

// A fresh, migrated database of the given kind ('sqlite' or 'postgres').
export async function freshDb(kind = 'sqlite', tag = 'base') {
  const url = kind === 'postgres' ? await newPostgresUrl(tag) : newSqliteUrl(tag);
  await cli(['migrate', '--db', url]);
  return url;
}

export async function addUser(db, email, password, role = 'platform-admin', extra = []) {
  return cli(['user', 'add', '--db', db, '--email', email, '--role', role, ...extra], { input: password + '\n' });
}

// Starts `passerelle serve` on a free loopback port and waits for "Passerelle est prête : URL".
export async function startServer({ db, name, env = {}, readyTimeoutMs = 30000 } = {}) {
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0'];
  if (name) args.push('--name', name);
  const child = spawn(BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, stdout: '', stderr: '', port: 0, url: '', exited: null };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8').on('data', (d) => (server.stderr += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  exited.then((e) => (server.exited = e));
  server.wait = () => exited;

  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`le serveur n'a pas démarré en ${readyTimeoutMs} ms`)), readyTimeoutMs);
    function fail(err) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\nstdout:\n${server.stdout}\nstderr:\n${server.stderr}`));
    }
    child.stdout.on('data', (d) => {
      server.stdout += d;
      const m = /Passerelle est prête : (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(server.stdout);
      if (m && !server.port) {
        clearTimeout(timer);
        server.url = m[1].replace(/\/$/, '');
        server.port = Number(m[2]);
        resolve();
      }
    });
    child.on('error', fail);
    exited.then(({ code, signal }) => fail(new Error(`le serveur s'est arrêté au démarrage (code ${code}, signal ${signal})`)));
  });

  // SIGTERM, then the process must exit with code 0 within timeoutMs.
  server.stop = async ({ timeoutMs = 15000 } = {}) => {
    if (!server.exited) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const { code, signal } = await exited;
    clearTimeout(timer);
    assert.ok(code === 0 && signal === null, `passerelle serve (port ${server.port}) s'est terminé avec code ${code}, signal ${signal}\nstderr:\n${server.stderr}`);
    assert.doesNotMatch(server.stderr, /Sanitizer|runtime error:/, `rapport des sanitizers :\n${server.stderr}`);
  };
  // For after-hooks: stop without asserting, when a test already failed.
  server.kill = () => {
    if (!server.exited) child.kill('SIGKILL');
  };
  return server;
}

// ---- HTTP over fetch, with cookies ----

function setCookies(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const joined = headers.get('set-cookie');
  return joined ? joined.split(/,(?=\s*[A-Za-z0-9_-]+=)/) : [];
}

// A browser-like client: keeps cookies, never follows redirects.
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method, p, { body, headers = {}, base = this.base } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    const res = await fetch(base + p, { method, body, headers: h, redirect: 'manual' });
    for (const c of setCookies(res.headers)) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  }

  get(p, opts) {
    return this.request('GET', p, opts);
  }

  // An urlencoded form, as a browser sends it.
  postForm(p, fields, opts = {}) {
    return this.request('POST', p, {
      ...opts,
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.headers || {}) },
    });
  }
}

export function csrfFrom(html) {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'pas de champ _csrf dans la page');
  return m[1];
}

// GET /connexion then POST it; returns the POST response.
export async function login(client, email, password, base) {
  const form = await client.get('/connexion', { base });
  assert.equal(form.status, 200);
  return client.postForm('/connexion', { _csrf: csrfFrom(form.text), email, password }, { base });
}

// ---- raw sockets ----

// Opens a TCP connection to the server; resolves once connected.
export function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

// Collects everything the server sends until it closes the connection (or timeoutMs passes).
// Resolves with { data, closed, error, ms }.
export function collect(socket, timeoutMs = 10000) {
  return new Promise((resolve) => {
    const chunks = [];
    const started = Date.now();
    let done = false;
    const finish = (closed, error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ data: Buffer.concat(chunks), closed, error, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false, null), timeoutMs);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', (e) => finish(true, e));
    socket.on('close', () => finish(true, null));
  });
}

// Reads from the socket until `count` complete responses arrived (or it closes / times out).
export function readResponses(socket, count, { head = false, timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return reject(new Error('connexion déjà fermée'));
    let buf = Buffer.alloc(0);
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${count} réponse(s) attendue(s), reçu : ${JSON.stringify(buf.toString('latin1').slice(0, 500))}`));
    }, timeoutMs);
    const tryParse = () => {
      const { responses, rest } = parseResponses(buf, { head });
      if (responses.length >= count) {
        cleanup();
        resolve({ responses, rest });
        return true;
      }
      return false;
    };
    function onData(d) {
      buf = Buffer.concat([buf, d]);
      tryParse();
    }
    function onClose() {
      if (!tryParse()) {
        cleanup();
        reject(new Error(`connexion fermée après ${JSON.stringify(buf.toString('latin1').slice(0, 500))}`));
      }
    }
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onClose);
  });
}

// Splits a byte stream into HTTP/1.1 responses framed by Content-Length.
// `head`: responses to HEAD have no body whatever Content-Length says.
export function parseResponses(buf, { head = false } = {}) {
  const responses = [];
  let offset = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', offset);
    if (end < 0) break;
    const lines = buf.subarray(offset, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (!m) throw new Error(`ligne de statut invalide : ${lines[0]}`);
    const headers = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    const length = head ? 0 : Number(headers['content-length'] || 0);
    if (buf.length < end + 4 + length) break;
    const body = buf.subarray(end + 4, end + 4 + length);
    responses.push({ status: Number(m[1]), headers, body: body.toString('utf8') });
    offset = end + 4 + length;
  }
  return { responses, rest: buf.subarray(offset) };
}

// Value of a Prometheus counter line, 0 when absent.
export function metric(text, name, labels) {
  const wanted = Object.entries(labels || {}).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] || '').split(',');
    if (wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return 0;
}

// Sum over every label set of a counter filtered on the given labels.
export function metricSum(text, name, labels) {
  const wanted = Object.entries(labels || {}).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] || '').split(',');
    if (wanted.every((w) => have.includes(w))) sum += Number(m[3]);
  }
  return sum;
}

// A valid 1×1 PNG (signature, IHDR, IDAT, IEND).
export const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082',
  'hex',
);
