/**
 * `npm run bench:http -- [--corpus DIR] [--index DIR] [--duration S] [--connections N] …`
 *
 * HTTP load test on its own: starts the server on the corpus and index (building the index first
 * when it is missing or stale), drives it with autocannon over a mixed request list drawn with a
 * fixed seed from the served documents, prints requests/s, latency percentiles, non-2xx responses
 * and errors, and writes JSON to bench/results/. `npm run bench` runs the same test as its last stage.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { REPO_ROOT, servedCorpus } from './lib/corpus.js';
import { renderHttp, runHttpBench } from './lib/http.js';

const USAGE = `usage: npm run bench:http -- [options]

  --corpus DIR       corpus (default: CORPUS_DIR, else seeds/)
  --index DIR        index directory (default: INDEX_DIR, else index/)
  --laws             use the laws corpus unpacked from ../shared/corpus/laws-zh.tar.xz instead
  --duration S       seconds of load (default 20)
  --connections N    concurrent connections (default 10)
  --requests N       distinct request paths in the mix (default 500)
  --seed S           seed of the request mix (default 42)
  --port N           server port (default: a free one)
  --result-cache N   the server's RESULT_CACHE_SIZE (default 0: every response computed)
  --out DIR          results directory (default bench/results)
  -h, --help         this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      index: { type: 'string' },
      laws: { type: 'boolean', default: false },
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '10' },
      requests: { type: 'string', default: '500' },
      seed: { type: 'string', default: '42' },
      port: { type: 'string' },
      'result-cache': { type: 'string', default: '0' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  const log = (m: string) => console.error(m);
  const { corpusDir, indexDir } = servedCorpus(values, config, log);
  const positive = (name: string, raw: string) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
    return n;
  };
  log(`corpus ${corpusDir}, index ${indexDir}`);
  const result = await runHttpBench({
    corpusDir,
    indexDir,
    durationSec: positive('duration', values.duration),
    connections: positive('connections', values.connections),
    requests: positive('requests', values.requests),
    seed: Number(values.seed) || 0,
    port: values.port === undefined ? undefined : positive('port', values.port),
    resultCache: Math.max(0, Number(values['result-cache']) || 0),
    log,
  });
  console.log(renderHttp(result));
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = JSON.stringify({ date: new Date().toISOString(), corpusDir, indexDir, ...result }, null, 1) + '\n';
  await writeFile(join(out, `http-${stamp}.json`), json);
  await writeFile(join(out, 'http-latest.json'), json);
  log(`results: ${join(out, `http-${stamp}.json`)}`);
  process.exit(result.errors > 0 || result.non2xx > 0 ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
