// The command line: help, territory and user creation, migrations, schema checks, online
// backup and restore of SQLite, database URL errors.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  addUser, Client, cli, freshDb, login, newPostgresUrl, newSqliteUrl, NO_PG, psql, runCli, scratchDir, startServer,
} from './lib/process.mjs';

const sqlitePath = (url) => url.slice('sqlite:'.length);

function sqlite3(file, sql) {
  return new Promise((resolve, reject) => {
    execFile('sqlite3', [file, sql], (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout)));
  });
}

// Runs SQL on either backend.
const sql = (db, text) => (db.startsWith('sqlite:') ? sqlite3(sqlitePath(db), text) : psql(db, text));

async function territorySlugs(db) {
  const out = await sql(db, 'SELECT slug FROM territories ORDER BY slug');
  return out.split('\n').filter(Boolean);
}

describe('aide', () => {
  test('passerelle --help et --help de chaque sous-commande : code 0', async () => {
    const root = await runCli(['--help']);
    assert.equal(root.code, 0, root.stderr);
    assert.match(root.stdout, /Passerelle, plateforme citoyenne des territoires/);
    for (const cmd of ['serve', 'migrate', 'seed-demo', 'territory', 'user', 'backup', 'restore']) assert.match(root.stdout, new RegExp(`\\b${cmd}\\b`));
    const expected = {
      serve: /Servir la plateforme en HTTP/,
      migrate: /Mettre le schéma de la base de données à jour/,
      'seed-demo': /Charger les données de démonstration/,
      territory: /Gérer les territoires/,
      'territory add': /--insee/,
      user: /Gérer les comptes/,
      'user add': /--email/,
      backup: /--out/,
      restore: /--from/,
    };
    for (const [cmd, pattern] of Object.entries(expected)) {
      const r = await runCli([...cmd.split(' '), '--help']);
      assert.equal(r.code, 0, `${cmd} --help : ${r.stderr}`);
      assert.match(r.stdout, pattern, `${cmd} --help`);
    }
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
  });

  test('sans sous-commande ou avec une sous-commande inconnue : échec', async () => {
    assert.notEqual((await runCli([])).code, 0);
    assert.notEqual((await runCli(['inconnue'])).code, 0);
  });
});

for (const kind of ['sqlite', 'postgres']) {
  describe(`base ${kind}`, { skip: kind === 'postgres' && NO_PG }, () => {
    test('migrate deux fois : idempotent', async () => {
      const db = kind === 'sqlite' ? newSqliteUrl('migrer') : await newPostgresUrl('migrer');
      const first = await cli(['migrate', '--db', db]);
      assert.match(first.stdout, /version 0 → version [1-9]\d*\./);
      const to = /→ version (\d+)/.exec(first.stdout)[1];
      const applied = await sql(db, 'SELECT count(*), max(version) FROM schema_migrations');
      const second = await cli(['migrate', '--db', db]);
      assert.match(second.stdout, new RegExp(`version ${to} → version ${to}\\.`));
      // Versions may have gaps while branches land (0010 before 0009): the same rows, up to `to`.
      const versions = await sql(db, 'SELECT count(*), max(version) FROM schema_migrations');
      assert.equal(versions.trim(), applied.trim());
      assert.equal(versions.trim().split('|')[1], to);
    });

    test('un serveur refuse une base pas encore migrée', async () => {
      const db = kind === 'sqlite' ? newSqliteUrl('vide') : await newPostgresUrl('vide');
      const r = await runCli(['serve', '--db', db, '--listen', '127.0.0.1:0'], { timeoutMs: 20000 });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /lancez d'abord « passerelle migrate »/);
    });

    test('territory add : code INSEE invalide → message en français qui nomme le champ, rien de créé', async () => {
      const db = await freshDb(kind, 'territoire');
      const bad = await runCli(['territory', 'add', '--db', db, '--slug', 'val-de-test', '--name', 'Val de Test', '--insee', '16015 1601X']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /insee/);
      assert.match(bad.stderr, /« 1601X » n'est pas un code INSEE de commune/);
      assert.equal(bad.stdout, '');
      assert.deepEqual(await territorySlugs(db), []);

      const slug = await runCli(['territory', 'add', '--db', db, '--slug', 'Pas Bon', '--name', 'X']);
      assert.equal(slug.code, 1);
      assert.match(slug.stderr, /slug : L'identifiant d'adresse doit contenir/);

      const ok = await cli(['territory', 'add', '--db', db, '--slug', 'val-de-test', '--name', 'Val de Test', '--insee', '16015, 2A004']);
      assert.match(ok.stdout, /Territoire « val-de-test » créé avec 2 commune\(s\)\./);
      assert.deepEqual(await territorySlugs(db), ['val-de-test']);
    });

    test('user add : mot de passe lu sur l’entrée standard, trop court refusé', async () => {
      const db = await freshDb(kind, 'comptes');
      const email = 'lecture-stdin@exemple.fr';
      const short = await runCli(['user', 'add', '--db', db, '--email', email, '--role', 'platform-admin'], { input: 'court\n' });
      assert.equal(short.code, 1);
      assert.match(short.stderr, /au moins 10 caractères/);
      assert.equal((await sql(db, 'SELECT count(*) FROM users')).trim(), '0');

      const bad = await runCli(['user', 'add', '--db', db, '--email', 'x@exemple.fr', '--role', 'chef'], { input: 'assez long pour passer\n' });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /rôle inconnu « chef »/);

      const password = 'une phrase lue sur stdin';
      const added = await addUser(db, email, password);
      assert.match(added.stdout, /lecture-stdin@exemple\.fr/);
      // The password really is the one from stdin: logging in with it works.
      const server = await startServer({ db });
      try {
        const wrong = await login(new Client(server.url), email, 'une autre phrase de passe');
        assert.equal(wrong.status, 401);
        const res = await login(new Client(server.url), email, password);
        assert.equal(res.status, 303);
        assert.equal(res.headers.get('location'), '/compte');
      } finally {
        await server.stop();
      }
    });

    test('schéma plus récent que le programme : serve et migrate refusent', async () => {
      const db = await freshDb(kind, 'futur');
      await sql(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_futur.sql', 0)");
      for (const args of [['migrate', '--db', db], ['serve', '--db', db, '--listen', '127.0.0.1:0'], ['seed-demo', '--db', db]]) {
        const r = await runCli(args, { timeoutMs: 20000 });
        assert.equal(r.code, 1, `${args[0]} doit échouer`);
        assert.match(r.stderr, /schéma 999, plus récent que ce programme/, `${args[0]} : ${r.stderr}`);
        assert.equal(r.stdout, '', `${args[0]} ne doit rien annoncer`);
      }
      const versions = await sql(db, 'SELECT max(version) FROM schema_migrations');
      assert.equal(versions.trim(), '999');
    });
  });
}

describe('sauvegarde et restauration SQLite', () => {
  let server, restored;
  after(() => {
    server?.kill();
    restored?.kill();
  });

  test('backup d’une base en service puis restore : la copie sert les mêmes territoires', async () => {
    const db = await freshDb('sqlite', 'vivante');
    for (const [slug, name, insee] of [['angouleme', 'Angoulême', '16015'], ['ajaccio', 'Ajaccio', '2A004'], ['grand-cognac', 'Grand Cognac', '16102 16089']])
      await cli(['territory', 'add', '--db', db, '--slug', slug, '--name', name, '--insee', insee]);
    server = await startServer({ db });
    const before = await (await fetch(server.url + '/api/v1/territories')).json();
    assert.equal(before.territoires.length, 3);

    // Requests keep the server busy while the backup copies the live file.
    let busy = true;
    const traffic = (async () => {
      let n = 0;
      while (busy) {
        const res = await fetch(server.url + '/api/v1/territories');
        assert.equal(res.status, 200);
        await res.text();
        n++;
      }
      return n;
    })();
    const out = path.join(scratchDir(), 'sauvegarde.db');
    const backup = await cli(['backup', '--db', db, '--out', out]);
    busy = false;
    assert.ok((await traffic) > 0);
    assert.match(backup.stdout, /^Sauvegarde écrite dans .*sauvegarde\.db/);

    const copy = newSqliteUrl('restauree');
    const restore = await cli(['restore', '--db', copy, '--from', out]);
    assert.match(restore.stdout, /^Base restaurée depuis .*sauvegarde\.db/);
    restored = await startServer({ db: copy });
    const after = await (await fetch(restored.url + '/api/v1/territories')).json();
    assert.deepEqual(after, before);
    const page = await (await fetch(restored.url + '/t/ajaccio/')).text();
    assert.match(page, /2A004/);
    await Promise.all([server.stop(), restored.stop()]);
  });

  test('restore refuse un fichier qui n’est pas une sauvegarde', async () => {
    const junk = path.join(scratchDir(), 'pas-une-base.db');
    writeFileSync(junk, 'ceci n’est pas une base SQLite, même de loin.\n'.repeat(20));
    const target = newSqliteUrl('cible');
    const r = await runCli(['restore', '--db', target, '--from', junk]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /n'est pas une sauvegarde SQLite lisible/);
  });

  test('backup d’une base PostgreSQL : refus explicite', { skip: NO_PG }, async () => {
    const db = await freshDb('postgres', 'sauvegarde');
    const r = await runCli(['backup', '--db', db, '--out', path.join(scratchDir(), 'pg.db')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^passerelle : pour PostgreSQL, utilisez pg_dump et pg_restore/);
  });
});

describe('adresse de base de données', () => {
  test('schéma inconnu : erreur claire, pour chaque commande', async () => {
    for (const args of [['migrate'], ['serve', '--listen', '127.0.0.1:0'], ['seed-demo'], ['backup', '--out', '/tmp/x.db']]) {
      const r = await runCli([...args, '--db', 'mysql://root@localhost/passerelle']);
      assert.equal(r.code, 1, `${args[0]} : ${r.stderr}`);
      assert.match(r.stderr, /adresse de base de données non reconnue : « mysql:\/\/root@localhost\/passerelle »/);
      assert.match(r.stderr, /sqlite:chemin\/fichier\.db ou postgresql:\/\//);
    }
  });

  test('PostgreSQL injoignable : erreur claire, sans mot de passe affiché', async () => {
    const r = await runCli(['migrate', '--db', 'postgresql://moi:secret@127.0.0.1:1/rien']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /connexion PostgreSQL impossible/);
    assert.doesNotMatch(r.stderr, /secret/);
  });

  test('fichier de configuration absent ou clé inconnue : refus avec le nom', async () => {
    const missing = await runCli(['migrate', '--config', '/nonexistent/passerelle.conf']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /\/nonexistent\/passerelle\.conf/);
    const conf = path.join(scratchDir(), 'mauvais.conf');
    writeFileSync(conf, '# essai\nport_inconnu = 3\n');
    const unknown = await runCli(['migrate', '--config', conf, '--db', newSqliteUrl('conf')]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /port_inconnu/);
  });
});
