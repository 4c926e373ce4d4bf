// Durability under SIGKILL: CONCURRENCY loops send votes over the JSON API (each a new pair of
// voter and contribution) and note every acknowledged one (HTTP 200); after SECONDS the server is
// killed with SIGKILL. The acknowledged pairs are written as CSV (user_id,contribution_id) for the
// caller to compare with the database once the server is gone.
//
//   node kill_check.mjs URL SERVER_PID TOKENS_FILE CONTRIBUTIONS OUT.csv [SECONDS] [CONCURRENCY]
import { readFileSync, writeFileSync } from 'node:fs';

const [url, pid, tokensFile, n, out, seconds = '3', concurrency = '32'] = process.argv.slice(2);
const tokens = readFileSync(tokensFile, 'utf8').trim().split('\n').map((l) => l.split(' '));
const acked = [];
let sent = 0, stop = false, next = 1;

async function loop(worker) {
  while (!stop) {
    let target;
    do target = ((worker + 7) * 999983 + next++) % Number(n) + 1; while (target % 100 >= 97);
    const [token, userId] = tokens[(worker + next) % tokens.length];
    sent++;
    try {
      const res = await fetch(`${url}/api/v1/contributions/${target}/votes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"valeur":"agree"}',
      });
      await res.arrayBuffer();
      if (res.status === 200) acked.push(`${userId},${target}`);
    } catch {
      return; // the server is gone
    }
  }
}

const loops = Array.from({ length: Number(concurrency) }, (_, i) => loop(i));
setTimeout(() => { process.kill(Number(pid), 'SIGKILL'); stop = true; }, Number(seconds) * 1000);
await Promise.all(loops);
writeFileSync(out, acked.join('\n') + '\n');
console.log(JSON.stringify({ sent, acknowledged: acked.length }));
