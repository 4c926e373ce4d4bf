// HTTP robustness against the real server, over raw sockets: slow or oversized requests, garbage,
// truncated requests, pipelining, keep-alive, HEAD, the connection limit and graceful shutdown.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addUser, Client, collect, connect, csrfFrom, freshDb, metric, NO_PG, readResponses, sleep, startServer,
} from './lib/process.mjs';

const REQUEST_TIMEOUT_MS = 1000;
const BODY_LIMIT = 2048;
const get = (path, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`;

// Sends `bytes` and collects everything until the server closes the connection.
async function exchange(port, bytes, timeoutMs = 10000) {
  const s = await connect(port);
  const done = collect(s, timeoutMs);
  s.on('error', () => {});
  s.write(bytes);
  const r = await done;
  s.destroy();
  return r;
}

function statusOf(buf) {
  const m = /^HTTP\/1\.1 (\d{3}) /.exec(buf.toString('latin1'));
  return m ? Number(m[1]) : null;
}

function headerOf(buf, name) {
  const head = buf.toString('latin1').split('\r\n\r\n')[0];
  const m = new RegExp(`^${name}: *(.*)$`, 'im').exec(head);
  return m ? m[1].trim() : null;
}

for (const [kind, skip] of [['sqlite', false], ['postgres', NO_PG]]) {
  describe(`robustesse HTTP (${kind})`, { skip }, () => {
    let server;
    before(async () => {
      const db = await freshDb(kind, 'robustesse');
      server = await startServer({
        db,
        env: { PASSERELLE_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), PASSERELLE_BODY_LIMIT: String(BODY_LIMIT) },
      });
    });
    after(() => server?.kill());

    test('slowloris : en-têtes octet par octet, plus lents que le délai → 408 puis fermeture', async () => {
      const s = await connect(server.port);
      s.on('error', () => {});
      const done = collect(s, 10000);
      let closed = false;
      s.on('close', () => (closed = true));
      // 100 ms per byte: the whole request would take about 8 s, far more than the 1 s allowed.
      const request = get('/healthz', 'User-Agent: tres-lent/1.0\r\nAccept: text/html\r\nAccept-Language: fr\r\n');
      const started = Date.now();
      for (const ch of request) {
        if (closed) break;
        s.write(ch);
        await sleep(100);
      }
      const r = await done;
      const elapsed = Date.now() - started;
      assert.equal(statusOf(r.data), 408, `réponse : ${r.data.toString('latin1').slice(0, 200)}`);
      assert.equal(headerOf(r.data, 'Connection'), 'close');
      assert.match(r.data.toString('utf8'), /Délai dépassé/);
      assert.ok(r.closed, 'le serveur doit fermer la connexion après le 408');
      assert.ok(elapsed >= REQUEST_TIMEOUT_MS - 100, `408 trop tôt (${elapsed} ms)`);
      assert.ok(elapsed < REQUEST_TIMEOUT_MS + 3000, `408 trop tard (${elapsed} ms)`);
    });

    test('en-têtes de plus de 16 Kio → 431', async () => {
      const r = await exchange(server.port, get('/', `X-Remplissage: ${'a'.repeat(17 * 1024)}\r\n`));
      assert.equal(statusOf(r.data), 431, `réponse : ${r.data.toString('latin1').slice(0, 200)}`);
      assert.ok(r.closed);
    });

    test('en-têtes de 10 Kio, sous la limite de 16 Kio → acceptés', async () => {
      const r = await exchange(server.port, get('/healthz', `X-Remplissage: ${'a'.repeat(10 * 1024)}\r\nConnection: close\r\n`));
      assert.equal(statusOf(r.data), 200, `réponse : ${r.data.toString('latin1').slice(0, 200)}`);
    });

    test('corps annoncé au-delà de la limite → 413', async () => {
      const body = 'a'.repeat(BODY_LIMIT * 2);
      const r = await exchange(
        server.port,
        `POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      assert.equal(statusOf(r.data), 413, `réponse : ${r.data.toString('latin1').slice(0, 200)}`);
      assert.ok(r.closed);
    });

    test('corps par morceaux (chunked) au-delà de la limite → 413', async () => {
      const piece = 'b'.repeat(1024);
      const chunks = Array.from({ length: 4 }, () => `400\r\n${piece}\r\n`).join('') + '0\r\n\r\n';
      const r = await exchange(
        server.port,
        `POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}`,
      );
      assert.equal(statusOf(r.data), 413, `réponse : ${r.data.toString('latin1').slice(0, 200)}`);
      assert.ok(r.closed);
    });

    test('octets quelconques → 400 puis fermeture', async () => {
      const garbage = Buffer.concat([Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80, 0x7f]), Buffer.from(' n\'importe quoi\r\n\r\n')]);
      const r = await exchange(server.port, garbage);
      assert.equal(statusOf(r.data), 400, `réponse : ${r.data.toString('latin1').slice(0, 200)}`);
      assert.ok(r.closed);
    });

    test('requête tronquée puis fermeture côté client : le serveur ferme sans répondre', async () => {
      for (const partial of [
        'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n',
        'POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nemail=x',
      ]) {
        const s = await connect(server.port);
        s.on('error', () => {});
        const done = collect(s, 5000);
        s.end(partial);
        const r = await done;
        assert.ok(r.closed, 'le serveur doit fermer la connexion');
        assert.equal(r.data.length, 0, `réponse inattendue : ${r.data.toString('latin1').slice(0, 200)}`);
        assert.ok(r.ms < REQUEST_TIMEOUT_MS, `fermeture tardive (${r.ms} ms)`);
      }
      const res = await fetch(server.url + '/healthz');
      assert.equal(res.status, 200);
    });

    test('pipelining : deux GET dans une seule écriture → deux réponses dans l’ordre', async () => {
      const s = await connect(server.port);
      s.write(get('/healthz') + get('/api/v1/territories'));
      const { responses, rest } = await readResponses(s, 2);
      assert.equal(responses.length, 2);
      assert.equal(responses[0].status, 200);
      assert.equal(responses[0].body, 'ok\n');
      assert.equal(responses[1].status, 200);
      assert.deepEqual(JSON.parse(responses[1].body), { territoires: [] });
      assert.equal(rest.length, 0);
      s.destroy();
    });

    test('pipelining : une route lente (pool) puis une rapide gardent l’ordre', async () => {
      const s = await connect(server.port);
      const form = 'email=a%40exemple.fr&password=x';
      s.write(
        `POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}` +
          get('/healthz'),
      );
      const { responses } = await readResponses(s, 2);
      assert.equal(responses[0].status, 403, 'sans jeton CSRF, la connexion est refusée');
      assert.equal(responses[1].status, 200);
      assert.equal(responses[1].body, 'ok\n');
      s.destroy();
    });

    test('keep-alive : plusieurs requêtes sur la même connexion', async () => {
      const s = await connect(server.port);
      let closed = false;
      s.on('close', () => (closed = true));
      for (const path of ['/healthz', '/api/v1/territories', '/', '/healthz']) {
        s.write(get(path));
        const { responses } = await readResponses(s, 1);
        assert.equal(responses[0].status, 200, path);
        assert.notEqual(responses[0].headers.connection, 'close');
      }
      assert.equal(closed, false);
      // HTTP/1.0 without keep-alive: one answer, then the server closes.
      const r = await exchange(server.port, 'GET /healthz HTTP/1.0\r\n\r\n');
      assert.equal(statusOf(r.data), 200);
      assert.ok(r.closed);
      s.destroy();
    });

    test('HEAD : en-têtes sans corps, la connexion reste utilisable', async () => {
      const s = await connect(server.port);
      for (const [path, type] of [['/healthz', /text\/plain/], ['/', /text\/html/]]) {
        s.write(`HEAD ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
        const { responses, rest } = await readResponses(s, 1, { head: true });
        assert.equal(responses[0].status, 200);
        assert.match(responses[0].headers['content-type'], type);
        assert.ok(Number(responses[0].headers['content-length']) > 0, 'Content-Length du corps qu’aurait envoyé GET');
        assert.equal(rest.length, 0, 'aucun octet de corps après les en-têtes');
      }
      // Anything left from a HEAD body would come before this answer.
      await sleep(100);
      s.write(get('/healthz'));
      const { responses } = await readResponses(s, 1);
      assert.equal(responses[0].status, 200);
      assert.equal(responses[0].body, 'ok\n');
      s.destroy();
    });

    test('après tout cela, le serveur répond normalement et /metrics a tout compté', async () => {
      for (const path of ['/', '/healthz', '/api/v1/territories', '/connexion']) {
        const res = await fetch(server.url + path);
        assert.equal(res.status, 200, path);
        await res.text();
      }
      const text = await (await fetch(server.url + '/metrics')).text();
      const unknown = (status) => metric(text, 'passerelle_http_requests_total', { route: 'inconnue', status });
      assert.equal(unknown('408'), 1, 'un 408 (slowloris)');
      assert.equal(unknown('431'), 1, 'un 431');
      assert.equal(unknown('413'), 2, 'deux 413');
      assert.equal(unknown('400'), 1, 'un 400');
      assert.ok(metric(text, 'passerelle_http_requests_total', { route: 'healthz', status: '200' }) >= 8);
      assert.equal(metric(text, 'passerelle_http_requests_total', { route: 'connexion', status: '403' }), 1);
    });

    test('arrêt par SIGTERM : code de sortie 0', async () => {
      await server.stop();
    });
  });
}

describe('limite de connexions', () => {
  let server;
  const sockets = [];
  before(async () => {
    const db = await freshDb('sqlite', 'limite');
    server = await startServer({ db, env: { PASSERELLE_MAX_CONNECTIONS: '5' } });
  });
  after(() => {
    for (const s of sockets) s.destroy();
    server?.kill();
  });

  test('5 connexions inactives ouvertes, la 6e reçoit 503, puis la place se libère', async () => {
    // Five connections, each proven accepted by one answered request, then left idle.
    for (let i = 0; i < 5; i++) {
      const s = await connect(server.port);
      s.on('error', () => {});
      sockets.push(s);
      s.write(get('/healthz'));
      const { responses } = await readResponses(s, 1);
      assert.equal(responses[0].status, 200);
    }
    const sixth = await connect(server.port);
    sixth.on('error', () => {});
    const r = await collect(sixth, 5000);
    assert.equal(statusOf(r.data), 503, `réponse : ${r.data.toString('latin1').slice(0, 200)}`);
    assert.equal(headerOf(r.data, 'Retry-After'), '5');
    assert.ok(r.closed);

    // The five idle ones are still served.
    sockets[0].write(get('/healthz'));
    assert.equal((await readResponses(sockets[0], 1)).responses[0].status, 200);

    // Closing two of them lets new connections in (the server notices the close shortly after).
    sockets.shift().destroy();
    sockets.shift().destroy();
    let status = null;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      const r2 = await exchange(server.port, get('/healthz', 'Connection: close\r\n'), 5000);
      status = statusOf(r2.data);
      if (status !== 200) await sleep(100);
    }
    assert.equal(status, 200, 'une nouvelle connexion doit être acceptée');
    for (const s of sockets.splice(0)) s.destroy();
    await sleep(200);
    const text = await (await fetch(server.url + '/metrics', { headers: { connection: 'close' } })).text();
    assert.ok(metric(text, 'passerelle_http_connections_rejected_total') >= 1);
    await server.stop();
  });
});

describe('arrêt en douceur', () => {
  const email = 'arret@exemple.fr';
  const password = 'une phrase de passe assez longue';
  const servers = [];
  after(() => servers.forEach((s) => s.kill()));

  async function start() {
    const db = await freshDb('sqlite', 'arret');
    await addUser(db, email, password);
    const server = await startServer({ db, env: { PASSERELLE_REQUEST_TIMEOUT_MS: '5000' } });
    servers.push(server);
    return server;
  }

  test('SIGTERM pendant des connexions lentes (Argon2, pool) : chacune reçoit sa réponse complète, sortie 0 rapide', async () => {
    const server = await start();
    // Cookie and CSRF token of a visitor, then the raw login request built from them.
    const client = new Client(server.url);
    const page = await client.get('/connexion');
    const form = new URLSearchParams({ _csrf: csrfFrom(page.text), email, password }).toString();
    const login =
      `POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${client.cookieHeader()}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`;

    // An idle keep-alive connection: it must be closed at once, not after the idle timeout.
    const idle = await connect(server.port);
    idle.on('error', () => {});
    idle.write(get('/healthz'));
    await readResponses(idle, 1);
    const idleClosed = collect(idle, 15000).then((r) => ({ ...r, at: Date.now() }));

    // Six Argon2 logins for two pool threads: some are still running or queued at SIGTERM.
    const slow = [];
    for (let i = 0; i < 6; i++) {
      const s = await connect(server.port);
      s.on('error', () => {});
      const answered = readResponses(s, 1, { timeoutMs: 20000 }).then((r) => ({ ...r, at: Date.now() }));
      s.write(login);
      slow.push({ s, answered });
    }
    await sleep(50);
    const killedAt = Date.now();
    const exited = server.stop({ timeoutMs: 20000 });

    const answers = await Promise.all(slow.map((x) => x.answered));
    for (const { responses } of answers) {
      assert.equal(responses[0].status, 303, 'connexion réussie');
      assert.equal(responses[0].headers.location, '/compte');
      assert.match(responses[0].headers['set-cookie'] || '', /passerelle_session=/);
      assert.equal(responses[0].headers.connection, 'close', 'pendant l’arrêt, la connexion est fermée après la réponse');
    }
    assert.ok(answers.some((a) => a.at > killedAt), 'au moins une connexion était encore en cours au moment du signal');

    const idleResult = await idleClosed;
    assert.ok(idleResult.closed, 'la connexion inactive est fermée');
    assert.ok(idleResult.at - killedAt < 3000, `connexion inactive fermée trop tard (${idleResult.at - killedAt} ms)`);
    await exited;
    const stoppedIn = Date.now() - killedAt;
    assert.ok(stoppedIn < 8000, `arrêt trop lent (${stoppedIn} ms)`);
    for (const x of slow) x.s.destroy();
  });

  test('SIGTERM au milieu d’une requête : elle se termine et reçoit sa réponse, puis sortie 0', async () => {
    const server = await start();
    const half = await connect(server.port);
    half.on('error', () => {});
    const answer = readResponses(half, 1, { timeoutMs: 15000 });
    const request = get('/api/v1/territories');
    half.write(request.slice(0, 20));
    await sleep(100);
    const killedAt = Date.now();
    const exited = server.stop({ timeoutMs: 20000 });
    await sleep(300);
    half.write(request.slice(20));
    const { responses } = await answer;
    assert.equal(responses[0].status, 200);
    assert.deepEqual(JSON.parse(responses[0].body), { territoires: [] });
    assert.equal(responses[0].headers.connection, 'close');
    await exited;
    assert.ok(Date.now() - killedAt < 8000, 'arrêt rapide une fois la requête servie');
    half.destroy();
  });
});
