/**
 * HTTP load test: starts the server (src/server.ts) as a child process on the given corpus and
 * index with the rate limit off, waits for /healthz, and drives it with autocannon over a fixed
 * mixed list of requests (JSON searches of every query class, HTML search pages, document JSON).
 * The client runs in this process, on the same machine: its CPU use competes with the server's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { normalizeForMatch } from '../../../src/analysis/normalize.js';
import { REPO_ROOT } from './corpus.js';
import { serviceRequest } from './measure.js';
import { drawQueries, mulberry32, type BenchQuery } from './queries.js';
import { fmtMB, fmtMs } from './report.js';
import { summarize } from './stats.js';
import { freePort, rssOf } from './process.js';

export interface HttpBenchOptions {
  corpusDir: string;
  indexDir: string;
  durationSec: number;
  connections: number;
  seed: number;
  /** Distinct request paths in the mix. */
  requests: number;
  /** Queries to use; drawn from documents fetched from the server when absent. */
  queries?: readonly BenchQuery[];
  port?: number;
  /** The server's RESULT_CACHE_SIZE; 0 (the default here) computes every response. */
  resultCache?: number;
  log?: (m: string) => void;
}

export interface HttpBenchResult {
  durationSec: number;
  connections: number;
  distinctRequests: number;
  resultCache: number;
  mix: { apiSearch: number; pages: number; docs: number };
  requestsPerSec: { average: number; min: number; max: number };
  latencyMs: { p50: number; p90: number; p99: number; max: number; average: number };
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** From spawning the server to /healthz answering: index load (or build) included. */
  serverReadyMs: number;
  /** Server RSS after the load test (Linux /proc), bytes. */
  serverRss: number | null;
  /** One request at a time after the load test, per kind of request: where the time goes. */
  byKind: KindLatency[];
}

export interface KindLatency {
  kind: string;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  meanBytes: number;
}

/** The kind of a request path, for the per-kind figures. */
function kindOf(path: string): string {
  if (path.startsWith('/api/docs/')) return 'GET /api/docs/:id';
  if (path.startsWith('/?')) return 'GET /?q= (HTML page)';
  return path.startsWith('/api/search?q=%22') ? 'GET /api/search "phrase"' : 'GET /api/search words';
}

/** Sequential requests, up to `perKind` of each kind: latency without queueing behind others. */
async function latencyByKind(base: string, paths: readonly string[], perKind: number): Promise<KindLatency[]> {
  const groups = new Map<string, string[]>();
  for (const p of paths) {
    const list = groups.get(kindOf(p)) ?? [];
    if (list.length < perKind) list.push(p);
    groups.set(kindOf(p), list);
  }
  const out: KindLatency[] = [];
  for (const [kind, list] of groups) {
    const times: number[] = [];
    let bytes = 0;
    for (const p of list) {
      const t0 = performance.now();
      const res = await fetch(base + p);
      bytes += (await res.arrayBuffer()).byteLength;
      times.push(performance.now() - t0);
    }
    const s = summarize(times);
    out.push({ kind, requests: s.n, p50: s.p50, p99: s.p99, max: s.max, meanBytes: bytes / Math.max(1, s.n) });
  }
  return out;
}

interface RunningServer {
  child: ChildProcess;
  base: string;
  readyMs: number;
  stop(): Promise<void>;
}

/**
 * Starts `src/server.ts` with the TypeScript loader of this process (so the child is the server
 * itself, not a wrapper) and waits until /readyz says an index is loaded (a build on start is
 * waited for too); a server without /readyz is ready when /healthz answers.
 */
async function startServer(corpusDir: string, indexDir: string, port: number, resultCache: number, log: (m: string) => void): Promise<RunningServer> {
  const args = [...process.execArgv.filter((a) => !a.startsWith('--cpu-prof')), join(REPO_ROOT, 'src', 'server.ts'), '--corpus', corpusDir, '--index', indexDir, '--port', String(port)];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, RATE_LIMIT: '0', RESULT_CACHE_SIZE: String(resultCache) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) => child.on('exit', (code) => ((exited = code ?? -1), resolve())));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === null) child.kill('SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 10_000))]);
    if (exited === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 20 * 60_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the server exited with ${exited}: ${output.trim().split('\n').slice(-5).join(' | ')}`);
    try {
      let res = await fetch(`${base}/readyz`);
      if (res.status === 404) res = await fetch(`${base}/healthz`);
      if (res.ok) {
        const readyMs = performance.now() - t0;
        const body = (await res.json()) as { documents?: number; paragraphs?: number };
        log(`server ready in ${(readyMs / 1000).toFixed(1)} s: ${body.documents ?? '?'} documents, ${body.paragraphs ?? '?'} paragraphs`);
        return { child, base, readyMs, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error('the server did not become ready within 20 minutes');
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Queries drawn from the texts of a few documents fetched from the server (same classes and seed). */
async function queriesFromServer(base: string, docIds: string[], n: number, seed: number): Promise<BenchQuery[]> {
  const rand = mulberry32(seed ^ 0x5eed);
  const texts: string[] = [];
  for (let k = 0; k < Math.min(40, docIds.length); k++) {
    const id = docIds[Math.floor(rand() * docIds.length)]!;
    const doc = await getJson<{ paragraphs: Array<{ text: string }> }>(`${base}/api/docs/${encodeURIComponent(id)}`);
    for (const p of doc.paragraphs) texts.push(normalizeForMatch(p.text));
  }
  return drawQueries(texts, n, seed);
}

/** The request mix: 80% JSON searches, 10% HTML search pages, 10% document JSON. */
export function requestPaths(queries: readonly BenchQuery[], docIds: readonly string[], n: number, seed: number): string[] {
  const rand = mulberry32(seed ^ 0x7a11);
  const paths: string[] = [];
  for (let i = 0; i < n && queries.length; i++) {
    const q = queries[Math.floor(rand() * queries.length)]!;
    const typed = encodeURIComponent(serviceRequest(q).q);
    if (i % 10 === 3) paths.push(`/?q=${typed}`);
    else if (i % 10 === 7 && docIds.length) paths.push(`/api/docs/${encodeURIComponent(docIds[Math.floor(rand() * docIds.length)]!)}`);
    else paths.push(`/api/search?q=${typed}&limit=20`);
  }
  return paths;
}

/** Starts the server, runs autocannon for the configured duration, stops the server. */
export async function runHttpBench(opts: HttpBenchOptions): Promise<HttpBenchResult> {
  const log = opts.log ?? (() => {});
  const port = opts.port ?? (await freePort());
  const resultCache = opts.resultCache ?? 0;
  const server = await startServer(opts.corpusDir, opts.indexDir, port, resultCache, log);
  try {
    const { docs } = await getJson<{ docs: Array<{ id: string }> }>(`${server.base}/api/docs`);
    const docIds = docs.map((d) => d.id);
    const queries = opts.queries ?? (await queriesFromServer(server.base, docIds, Math.max(opts.requests, 100), opts.seed));
    const paths = requestPaths(queries, docIds, opts.requests, opts.seed);
    const mix = {
      apiSearch: paths.filter((p) => p.startsWith('/api/search')).length,
      pages: paths.filter((p) => p.startsWith('/?')).length,
      docs: paths.filter((p) => p.startsWith('/api/docs/')).length,
    };
    log(`autocannon: ${opts.connections} connections, ${opts.durationSec} s, ${paths.length} distinct requests …`);
    // One shared walk through the list: the connections take the next path in turn instead of
    // each repeating the same sequence in step with the others.
    let next = 0;
    const result = await autocannon({
      url: server.base,
      connections: opts.connections,
      duration: opts.durationSec,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
    });
    const byKind = await latencyByKind(server.base, paths, 40);
    return {
      durationSec: result.duration,
      connections: result.connections,
      distinctRequests: paths.length,
      resultCache,
      mix,
      requestsPerSec: { average: result.requests.average, min: result.requests.min, max: result.requests.max },
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, average: result.latency.average },
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      serverReadyMs: server.readyMs,
      serverRss: rssOf(server.child.pid),
      byKind,
    };
  } finally {
    await server.stop();
  }
}

/** The HTTP figures as a Markdown table. */
export function renderHttp(r: HttpBenchResult): string {
  const cache = r.resultCache > 0 ? `server result cache ${r.resultCache} entries` : 'server result cache off (every response computed)';
  const head = `HTTP load test: autocannon, ${r.connections} connections, ${r.durationSec.toFixed(0)} s, ${r.distinctRequests} distinct requests (${r.mix.apiSearch} /api/search, ${r.mix.pages} HTML search pages, ${r.mix.docs} /api/docs/:id), ${cache}, client and server on the same machine:`;
  const cells = [
    r.requestsPerSec.average.toFixed(0),
    fmtMs(r.latencyMs.p50),
    fmtMs(r.latencyMs.p99),
    fmtMs(r.latencyMs.max),
    String(r.requests),
    String(r.non2xx),
    String(r.errors),
    String(r.timeouts),
    `${(r.serverReadyMs / 1000).toFixed(1)} s`,
    fmtMB(r.serverRss),
  ];
  return [
    head,
    '',
    '| requests/s | p50 ms | p99 ms | max ms | requests | non-2xx | errors | timeouts | server start → ready | server RSS after |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${cells.join(' | ')} |`,
    '',
    'The same requests one at a time after the load (no queueing), per kind:',
    '',
    '| request | n | p50 ms | p99 ms | max ms | mean size |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...r.byKind.map((k) => `| ${k.kind} | ${k.requests} | ${fmtMs(k.p50)} | ${fmtMs(k.p99)} | ${fmtMs(k.max)} | ${(k.meanBytes / 1024).toFixed(0)} KB |`),
  ].join('\n');
}
