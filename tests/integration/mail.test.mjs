// Outgoing mail through a real SMTP peer: a small SMTP server on a loopback socket receives what
// the outbox job sends, and a relay that refuses a recipient or is unreachable loses nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Client, prepareDatabase, startServer, textOf, uniqueEmail } from './lib/server.mjs';

// A minimal SMTP relay (RFC 5321 subset: HELO/EHLO, MAIL, RCPT, DATA, RSET, QUIT) that records
// every message; recipients in `refuse` get a 550.
function smtpPeer({ refuse = [], port = 0 } = {}) {
  const messages = [];
  const transcript = [];
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let current = null;
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 pair-smtp.test ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(current);
            current = null;
            reply('250 2.0.0 accepté');
          } else {
            current.data += (line.startsWith('..') ? line.slice(1) : line) + '\n';
          }
          continue;
        }
        transcript.push(line);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'HELO' || verb === 'EHLO') reply('250 pair-smtp.test');
        else if (verb === 'MAIL') { current = { from: /<(.*)>/.exec(line)[1], to: [], data: '' }; reply('250 2.1.0 ok'); }
        else if (verb === 'RCPT') {
          const to = /<(.*)>/.exec(line)[1];
          if (refuse.includes(to)) reply('550 5.1.1 destinataire inconnu');
          else { current.to.push(to); reply('250 2.1.5 ok'); }
        } else if (verb === 'DATA') { inData = true; reply('354 fin par <CRLF>.<CRLF>'); }
        else if (verb === 'RSET') { current = null; reply('250 2.0.0 ok'); }
        else if (verb === 'QUIT') { reply('221 2.0.0 au revoir'); socket.end(); }
        else reply('502 5.5.2 commande inconnue');
      }
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({
    port: server.address().port, messages, transcript, close: () => new Promise((r) => server.close(r)),
  })));
}

async function waitFor(check, timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error('délai dépassé');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function decodeSubject(data) {
  const m = /^Subject: =\?UTF-8\?B\?([^?]*)\?=$/m.exec(data);
  return m ? Buffer.from(m[1], 'base64').toString('utf8') : null;
}

async function signUp(server, email) {
  const c = new Client(server.url);
  await c.get('/inscription');
  const r = await c.post('/inscription', {
    email, display_name: 'Personne Test', profile_type: 'citoyen', password: 'un mot de passe assez long',
    territory: 'besancon', charter: true,
  });
  assert.equal(r.status, 200, textOf(r.body));
}

describe('courriels sortants par un relais SMTP réel', () => {
  let db; let peer; let server;
  before(async () => {
    db = await prepareDatabase('sqlite');
    peer = await smtpPeer({ refuse: ['refuse@example.org'] });
    server = await startServer(db, {
      env: { PASSERELLE_SMTP_HOST: '127.0.0.1', PASSERELLE_SMTP_PORT: String(peer.port), PASSERELLE_SMTP_INTERVAL: '1',
        PASSERELLE_SMTP_FROM: 'ne-pas-repondre@passerelle.test' },
    });
  });
  after(async () => { await server?.stop(); await peer?.close(); await db?.drop(); });

  it("le courriel de confirmation part par SMTP, en UTF-8, avec le lien de confirmation", async () => {
    const email = uniqueEmail('smtp');
    await signUp(server, email);
    const message = await waitFor(() => peer.messages.find((m) => m.to.includes(email)));
    assert.equal(message.from, 'ne-pas-repondre@passerelle.test');
    assert.equal(decodeSubject(message.data), 'Confirmez votre adresse sur Passerelle');
    assert.match(message.data, /Content-Type: text\/plain; charset=utf-8/);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/confirmation\?jeton=[A-Za-z0-9_-]+)/.exec(message.data);
    assert.ok(link, message.data);
    const confirmed = await new Client(server.url).get(link[1].slice(server.url.length));
    assert.equal(confirmed.status, 200);
    assert.ok(textOf(confirmed.body).includes('Votre adresse est confirmée'));
  });

  it("un destinataire refusé par le relais n'empêche pas l'envoi des messages suivants", async () => {
    const refused = 'refuse@example.org';
    const next = uniqueEmail('apres-refus');
    await signUp(server, refused);
    await signUp(server, next);
    await waitFor(() => peer.messages.find((m) => m.to.includes(next)));
    assert.ok(!peer.messages.some((m) => m.to.includes(refused)));
    assert.ok(peer.transcript.includes('RSET'), 'la transaction refusée doit être annulée par RSET');
  });
});

describe("relais SMTP injoignable : les courriels restent dans la file d'attente", () => {
  let db; let server; let relay; let port;
  before(async () => {
    db = await prepareDatabase('sqlite');
    // A port that was free a moment ago: nothing listens there during the first attempts.
    const probe = await smtpPeer();
    port = probe.port;
    await probe.close();
    server = await startServer(db, { env: { PASSERELLE_SMTP_HOST: '127.0.0.1', PASSERELLE_SMTP_PORT: String(port), PASSERELLE_SMTP_INTERVAL: '1' } });
  });
  after(async () => { await server?.stop(); await relay?.close(); await db?.drop(); });

  it('le message attend puis part quand le relais revient', async () => {
    const email = uniqueEmail('attente');
    await signUp(server, email);
    await waitFor(() => server.stdout().includes('smtp_unreachable') || server.stderr().includes('smtp_unreachable'));
    relay = await smtpPeer({ port });
    const message = await waitFor(() => relay.messages.find((m) => m.to.includes(email)), 15000);
    assert.equal(decodeSubject(message.data), 'Confirmez votre adresse sur Passerelle');
  });
});
