/**
 * `npx tsx bench/src/bench-workers.ts -- [--corpus DIR] [--index DIR] [--workers 1,2] [--rounds N] …`
 *
 * The HTTP load test of bench:http (lib/http.ts: the server started as `npm start` runs it, 10
 * connections, the same fixed request mix, result cache off) for several WORKERS settings in one
 * run, the settings alternating round by round so drift of the machine (other load, thermal)
 * affects all alike. Per setting: requests/s, latency, errors, start → ready, and the server's RSS
 * after the load (one process: every worker thread's memory included). Prints a table of every
 * round and the medians; writes bench/results/workers-<date>.json and workers-latest.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { REPO_ROOT, servedCorpus } from './lib/corpus.js';
import { runHttpBench, type HttpBenchResult } from './lib/http.js';

const USAGE = `usage: npx tsx bench/src/bench-workers.ts [options]

  --corpus DIR       corpus (default: CORPUS_DIR, else seeds/)
  --index DIR        index directory (default: INDEX_DIR, else index/)
  --laws             use the laws corpus unpacked from ../shared/corpus/laws-zh.tar.xz instead
  --workers LIST     WORKERS settings to compare, comma-separated (default 1,2)
  --rounds N         load tests per setting (default 2)
  --duration S       seconds of load per test (default 20)
  --connections N    concurrent connections (default 10)
  --out DIR          results directory (default bench/results)
  -h, --help         this text`;

interface Round {
  workers: number;
  result: HttpBenchResult;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const mb = (bytes: number | null) => (bytes === null ? '–' : `${Math.round(bytes / 1048576)} MB`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      index: { type: 'string' },
      laws: { type: 'boolean', default: false },
      workers: { type: 'string', default: '1,2' },
      rounds: { type: 'string', default: '2' },
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '10' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const log = (m: string) => console.error(m);
  const config = loadConfig();
  const { corpusDir, indexDir } = servedCorpus(values, config, log);
  const settings = values.workers.split(',').map((w) => Number(w.trim()));
  if (settings.some((w) => !Number.isInteger(w) || w < 0)) throw new Error(`--workers must list integers ≥ 0, got "${values.workers}"`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got "${values.rounds}"`);

  const all: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate the order, so no setting always runs right after another.
    const order = round % 2 ? [...settings].reverse() : settings;
    for (const workers of order) {
      log(`round ${round + 1}/${rounds}: WORKERS=${workers}`);
      // lib/http.ts starts the server with this process's environment.
      process.env.WORKERS = String(workers);
      const result = await runHttpBench({
        corpusDir,
        indexDir,
        durationSec: Number(values.duration),
        connections: Number(values.connections),
        requests: 500,
        seed: 42,
        resultCache: 0,
        log,
      });
      all.push({ workers, result });
      log(
        `  ${result.requestsPerSec.average.toFixed(0)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
          `${result.non2xx} non-2xx, ${result.errors} errors, ready ${(result.serverReadyMs / 1000).toFixed(2)} s, RSS after ${mb(result.serverRss)}`,
      );
    }
  }

  const lines = [
    `HTTP load test by WORKERS (${corpusDir}; autocannon, ${values.connections} connections, ${values.duration} s, 500 distinct requests, result cache off, client on the same machine), ${rounds} round(s) each, medians:`,
    '',
    '| WORKERS | requests/s | p50 ms | p99 ms | non-2xx | errors | start → ready | RSS after the load |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const workers of settings) {
    const rs = all.filter((r) => r.workers === workers).map((r) => r.result);
    const rss = rs.map((r) => r.serverRss).filter((x): x is number => x !== null);
    lines.push(
      `| ${workers} | ${median(rs.map((r) => r.requestsPerSec.average)).toFixed(0)} | ${median(rs.map((r) => r.latencyMs.p50)).toFixed(1)} | ${median(rs.map((r) => r.latencyMs.p99)).toFixed(0)} | ` +
        `${rs.reduce((n, r) => n + r.non2xx, 0)} | ${rs.reduce((n, r) => n + r.errors, 0)} | ${(median(rs.map((r) => r.serverReadyMs)) / 1000).toFixed(2)} s | ${rss.length ? mb(median(rss)) : '–'} |`,
    );
  }
  console.log(lines.join('\n'));

  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = JSON.stringify({ date: new Date().toISOString(), corpusDir, indexDir, rounds: all }, null, 1) + '\n';
  await writeFile(join(out, `workers-${stamp}.json`), json);
  await writeFile(join(out, 'workers-latest.json'), json);
  log(`results: ${join(out, `workers-${stamp}.json`)}`);
  process.exit(all.some((r) => r.result.errors > 0 || r.result.non2xx > 0) ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
