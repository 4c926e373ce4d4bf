// Deep pages over HTTP equal what OFFSET gives, on SQLite and on PostgreSQL. The server reads a
// page by seeking to the nearest keyset anchor (one every 100 rows, src/platform/db/keyset.hpp);
// here 457 contributions, keys with ties, pages of 30 (not aligned on the anchors) read from
// the last to the first and back, for every sort, then again after a write moved the order.
//   PASSERELLE_BIN=… PASSERELLE_TEST_PG_URL=… node --test tests/integration/consultations_deep_pages.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { Client, PG_URL, prepareDatabase, sql, startServer } from './lib/server.mjs';

const ADDED = 450;
const PER_PAGE = 30;

for (const backend of ['sqlite', 'postgres']) {
  describe(`Pages profondes des contributions (${backend})`, { skip: backend === 'postgres' && !PG_URL ? 'PASSERELLE_TEST_PG_URL absent' : false }, () => {
    let db;
    let server;
    let processId;
    let published;

    // Every page of one sort, from the last to the first, then from the first to the last: both
    // passes must give the same rows (the second one reads from the anchors the first one left).
    async function allPages(query) {
      const client = new Client(server.url);
      const page = async (n) => {
        const r = await client.api('GET', `/api/v1/processes/${processId}/contributions?par_page=${PER_PAGE}&page=${n}${query}`);
        assert.equal(r.status, 200, r.body);
        return r.json();
      };
      const first = await page(1);
      const pages = Math.ceil(first.total / PER_PAGE);
      const backwards = [];
      for (let n = pages; n >= 1; --n) backwards[n - 1] = (await page(n)).contributions.map((c) => c.id);
      const forwards = [];
      for (let n = 1; n <= pages; ++n) forwards.push(...(await page(n)).contributions.map((c) => c.id));
      assert.deepEqual(backwards.flat(), forwards, `${query} : même suite dans les deux sens`);
      assert.equal(forwards.length, first.total);
      return forwards;
    }

    const ids = async (orderBy) =>
      (await sql(db, `SELECT id FROM contributions WHERE process_id = ${processId} AND status = 'published' ORDER BY ${orderBy}`))
        .split('\n').map(Number);

    before(async () => {
      db = await prepareDatabase(backend);
      server = await startServer(db);
      const list = await new Client(server.url).api('GET', '/api/v1/processes?territoire=besancon');
      processId = list.json().consultations[0].id;
      // Three contributions per second (ties on created_at), supports modulo 7 (ties on the
      // counter), shuffle keys scattered by a multiplicative hash; every tenth one pending.
      await sql(db, `INSERT INTO contributions (process_id, section, title, body, status, support_count, agree_count, comment_count, shuffle, created_at, updated_at)
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ADDED})
        SELECT ${processId}, '', 'Contribution ' || i, 'Texte ' || i, CASE WHEN i % 10 = 0 THEN 'pending' ELSE 'published' END,
               0, i % 7, i % 5, (CAST(i AS BIGINT) * 2654435761) % 2147483648, 1700000000 + i / 3, 1700000000 + i / 3 FROM n`);
      published = Number(await sql(db, `SELECT count(*) FROM contributions WHERE process_id = ${processId} AND status = 'published'`));
      assert.ok(published > 400, `${published} contributions publiées`);
    });

    after(async () => {
      if (server) await server.stop();
      if (db) await db.drop();
    });

    it('récentes, soutenues, débattues : chaque page est celle que donne OFFSET', async () => {
      assert.deepEqual(await allPages('&tri=recentes'), await ids('created_at DESC, id DESC'));
      assert.deepEqual(await allPages('&tri=soutenues'), await ids('support_count + agree_count DESC, id DESC'));
      assert.deepEqual(await allPages('&tri=debattues'), await ids('comment_count + for_count + against_count DESC, id DESC'));
    });

    it('aléatoire : une rotation de l’ordre des clés de mélange, la même pour la même graine, une autre pour une autre', async () => {
      const byShuffle = await ids('shuffle, id');
      const seeded = await allPages('&tri=aleatoire&graine=42');
      const start = byShuffle.indexOf(seeded[0]);
      assert.ok(start >= 0);
      assert.deepEqual(seeded, [...byShuffle.slice(start), ...byShuffle.slice(0, start)]);
      assert.deepEqual(await allPages('&tri=aleatoire&graine=42'), seeded);
      const other = await allPages('&tri=aleatoire&graine=7');
      assert.notDeepEqual(other, seeded);
      assert.deepEqual([...other].sort((a, b) => a - b), [...seeded].sort((a, b) => a - b));
    });

    it('après une écriture, les pages suivent le nouvel ordre (les ancres sont oubliées)', async () => {
      await allPages('&tri=soutenues');  // anchors of the old order
      const moved = (await ids('support_count + agree_count DESC, id DESC')).at(-1);
      await sql(db, `UPDATE contributions SET support_count = 1000 WHERE id = ${moved}`);
      const after = await allPages('&tri=soutenues');
      assert.equal(after[0], moved);
      assert.deepEqual(after, await ids('support_count + agree_count DESC, id DESC'));
    });
  });
}
