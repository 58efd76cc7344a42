/**
 * The server with worker threads (WORKERS=2: serve/) against the same server on one thread
 * (WORKERS=1), both real processes (src/server.ts) on the same index:
 *
 * 1. Identical answers: a fixed battery of requests — searches with filters, facets, pages and
 *    quoted phrases, questions, documents, parallel clauses, comparisons, commitments, the HTML
 *    pages, probes, static files, 404s, 400s, 405/413/414 — gets the same status and, once what
 *    legitimately differs is masked (tookMs, request ids, load times, the worker count), the same
 *    body byte for byte and the same headers. Each request is sent to the pooled server twice at
 *    once, so both workers answer it (the second goes to the idle worker). On the seeds, and on
 *    ../shared/corpus/notices-dev when present.
 * 2. The rate limit is one for the whole server: RATE_LIMIT=5 lets exactly 5 of 9 concurrent
 *    requests through, whatever worker answers them, and the 429 is the single-thread server's.
 * 3. Readiness: /healthz answers while the index is built and loaded, /readyz says 503 with the
 *    worker count until a worker serves the index, then 200 with workers.serving rising to 2.
 * 4. Hot re-index: a generation written by the index CLI is served by every worker.
 * 5. Shutdown: SIGTERM with requests in flight on both workers: all answered, exit 0.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingData, NOTICES_DEV, suiteName } from '../helpers/shared-corpus.js';
import { getJson, ROOT, send, startServer, until, type Answer, type ServerProcess } from './process.js';

const run = promisify(execFile);
const q = encodeURIComponent;

interface Readyz {
  ready: boolean;
  generation?: string;
  workers?: { count: number; serving: number };
}

/** Headers whose values must agree (the others: date, etag of masked bodies, keep-alive…). */
const COMPARED_HEADERS = [
  'content-type',
  'content-disposition',
  'cache-control',
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'strict-transport-security',
  'allow',
  'retry-after',
  'ratelimit-policy',
  'connection',
];

/** A JSON body with what legitimately differs between two servers replaced by a placeholder. */
function maskJson(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => maskJson(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'workers') continue; // only the pooled server reports its workers
      out[k] = k === 'tookMs' || k === 'requestId' || k === 'loadedAt' || (key === 'lastReload' && k === 'at') ? '<masked>' : maskJson(v, k);
    }
    return out;
  }
  return value;
}

function masked(a: Answer): { status: number; headers: Record<string, unknown>; body: string; requestId: boolean } {
  const type = String(a.headers['content-type'] ?? '');
  // The two servers listen on different ports (absolute links: the CSV export).
  let body = a.body.replace(/127\.0\.0\.1:\d+/gu, '127.0.0.1:<port>');
  if (type.startsWith('application/json')) body = JSON.stringify(maskJson(JSON.parse(body)));
  else {
    body = body
      .replace(/<code class="request-id">[0-9a-f]{12}<\/code>/gu, '<code class="request-id">…</code>')
      .replace(/\(([0-9a-f]{12})\)$/u, '(…)')
      // Load times on /status (Beijing time); both servers serve the same build.
      .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/gu, '<time>')
      // The seconds left before the rate limit resets, on the 429 page.
      .replace(/请在 \d+ 秒后重试/gu, '请在 … 秒后重试');
  }
  const headers = Object.fromEntries(COMPARED_HEADERS.map((h) => [h, a.headers[h]]));
  return { status: a.status, headers, body, requestId: /^[0-9a-f]{12}$/u.test(String(a.headers['x-request-id'] ?? '')) };
}

interface Req {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The battery, from what the corpus holds (read from the single-thread server). */
async function battery(port: number): Promise<Req[]> {
  const { docs } = await getJson<{ docs: Array<{ id: string }> }>(port, '/api/docs');
  const doc = await getJson<{ id: string; paragraphs: Array<{ id: string; kind: string }> }>(port, `/api/docs/${q(docs[0]!.id)}`);
  const other = await getJson<{ paragraphs: Array<{ id: string; kind: string }> }>(port, `/api/docs/${q(docs[docs.length - 1]!.id)}`);
  const clause = (d: typeof doc) => (d.paragraphs.find((p) => p.kind === 'clause' || p.kind === 'item') ?? d.paragraphs[1] ?? d.paragraphs[0]!).id;
  const [pa, pb] = [clause(doc), clause(other as typeof doc)];
  const search = await getJson<{ facets: Record<string, Array<{ value: string }>> }>(port, `/api/search?q=${q('公开')}`);
  const facet = (name: string) => search.facets[name]?.[0]?.value ?? '';
  const today = '2024-06-01';
  const paths = [
    `/api/search?q=${q('政务公开')}`,
    `/api/search?q=${q('政务公开')}&limit=5&offset=5`,
    `/api/search?q=${q('公开')}&limit=50`,
    `/api/search?q=${q('"政务公开工作要点"')}`,
    `/api/search?q=${q('“主动公开” 平台')}`,
    `/api/search?q=${q('公开')}&region=${q(facet('region'))}`,
    `/api/search?q=${q('公开')}&year=${q(facet('year'))}`,
    `/api/search?q=${q('公开')}&unit=${q(facet('unit'))}`,
    `/api/search?q=${q('公开')}&docType=${q(facet('docType'))}`,
    `/api/search?q=${q('公开')}&from=2020-01&to=2022-12`,
    `/api/search?q=${q('如何申请政府信息公开？')}`,
    `/api/search?q=${q('年份:2021 公开')}`,
    `/api/search?q=${q('不存在的词语组合甲乙丙')}`,
    `/api/search?q=`,
    `/api/search?q=${q('公开')}&limit=100000`,
    `/api/search?q=a&q=b`,
    `/api/search?q=${q('公开')}&from=2022-13`,
    '/api/docs',
    `/api/docs/${q(doc.id)}`,
    `/api/docs/${q(doc.id)}?today=${today}`,
    '/api/docs/no-such-document',
    `/api/similar/${q(pa)}`,
    `/api/similar/${q(pa)}?limit=3`,
    '/api/similar/no-such-paragraph',
    `/api/compare?a=${q(pa)}&b=${q(pb)}`,
    `/api/compare?a=${q(pa)}`,
    `/api/commitments?today=${today}`,
    `/api/commitments?today=${today}&status=upcoming&sort=due`,
    `/api/commitments?today=${today}&region=${q(facet('region'))}&limit=5`,
    `/commitments?today=${today}`,
    `/commitments.csv?today=${today}`,
    '/',
    `/?q=${q('政务公开')}`,
    `/?q=${q('政务公开')}&offset=20`,
    `/?q=${q('"公开"')}&region=${q(facet('region'))}`,
    `/?q=${q('a'.repeat(300))}`,
    '/docs',
    `/docs/${q(doc.id)}`,
    '/docs/no-such-document',
    '/help',
    `/similar/${q(pa)}`,
    `/compare?a=${q(pa)}&b=${q(pb)}`,
    '/status',
    '/no-such-page',
    '/api/no-such-endpoint',
    '/api/../help',
    '/%E4%B8%AD%E6%96%87',
    '/%zz',
    '/static/style.css',
    '/static/app.js',
    '/static/no-such-file.css',
    '/healthz',
    '/readyz',
    `/${'x'.repeat(9000)}`,
  ];
  return [
    ...paths.map((path) => ({ path })),
    { path: `/?q=${q('政务公开')}`, method: 'HEAD' },
    { path: '/', method: 'POST' },
    { path: '/api/search', method: 'DELETE' },
    { path: `/api/search?q=${q('公开')}`, headers: { 'content-type': 'text/plain', 'content-length': '6' }, body: 'a body' },
  ];
}

async function compareAnswers(single: ServerProcess, pooled: ServerProcess): Promise<{ compared: number; statuses: Set<number> }> {
  const requests = await battery(single.port);
  let compared = 0;
  const statuses = new Set<number>();
  for (const r of requests) {
    const expected = masked(await send(single.port, r.path, r));
    statuses.add(expected.status);
    // Twice at once: the second goes to the other worker (the first is busy with its twin).
    const answers = await Promise.all([send(pooled.port, r.path, r), send(pooled.port, r.path, r)]);
    for (const a of answers) {
      expect(masked(a), `${r.method ?? 'GET'} ${r.path.slice(0, 120)}`).toEqual(expected);
      compared++;
    }
  }
  return { compared, statuses };
}

function corpusSuite(name: string, corpusDir: string, skip: string | null) {
  describe.skipIf(skip !== null)(suiteName(`workers answer as one thread does: ${name}`, skip), () => {
    let indexDir: string;
    let single: ServerProcess;
    let pooled: ServerProcess;

    beforeAll(async () => {
      indexDir = mkdtempSync(join(tmpdir(), 'workers-index-'));
      // The single-thread server builds the index; the pooled one loads the same generation.
      single = await startServer({ WORKERS: '1', CORPUS_DIR: corpusDir, INDEX_DIR: indexDir }, { timeoutMs: 180_000 });
      pooled = await startServer({ WORKERS: '2', CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
      await until('both workers serving', async () => (await getJson<Readyz>(pooled.port, '/readyz')).workers?.serving === 2);
    }, 240_000);

    afterAll(async () => {
      await Promise.all([single?.stop(), pooled?.stop()]);
      rmSync(indexDir, { recursive: true, force: true });
    });

    it('every request of the battery: same status, headers and (masked) body from both workers', async () => {
      const { compared, statuses } = await compareAnswers(single, pooled);
      console.log(`workers (${name}): ${compared} pooled answers identical to the single-thread server's (statuses ${[...statuses].sort().join(', ')})`);
      expect(compared).toBeGreaterThan(100);
      // The battery reaches every kind of answer.
      for (const status of [200, 400, 404, 405, 413, 414]) expect(statuses).toContain(status);
      // The probes: the pooled /readyz also says how many workers serve.
      const ready = await getJson<Readyz>(pooled.port, '/readyz');
      expect(ready.workers).toEqual({ count: 2, serving: 2 });
    }, 240_000);
  });
}

corpusSuite('seeds', join(ROOT, 'seeds'), null);
corpusSuite('notices-dev', NOTICES_DEV, missingData(NOTICES_DEV, '../shared/corpus/notices-dev'));

describe('worker threads: operations', () => {
  let work: string;
  let corpus: string;
  let indexDir: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'workers-ops-'));
    corpus = join(work, 'corpus');
    indexDir = join(work, 'index');
    cpSync(join(ROOT, 'seeds'), corpus, { recursive: true });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('readiness: /healthz answers during the first build and load, /readyz reports the workers', async () => {
    // No index yet: the server builds one in a child process first.
    const server = await startServer({ WORKERS: '2', CORPUS_DIR: corpus, INDEX_DIR: indexDir }, { waitFor: 'listening' });
    try {
      const early = await send(server.port, '/readyz');
      const health = await send(server.port, '/healthz');
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ ok: true });
      if (early.status === 503) {
        const body = JSON.parse(early.body) as Readyz & { code: string };
        expect(body).toMatchObject({ ready: false, code: 'E_NOT_READY', workers: { count: 2, serving: 0 } });
        expect((await send(server.port, `/api/search?q=${q('公开')}`)).status).toBe(503);
      }
      await until('ready', async () => (await send(server.port, '/readyz')).status === 200);
      const ready = await getJson<Readyz>(server.port, '/readyz');
      expect(ready.ready).toBe(true);
      expect(ready.workers!.count).toBe(2);
      expect(ready.workers!.serving).toBeGreaterThanOrEqual(1);
      await until('both workers serving', async () => (await getJson<Readyz>(server.port, '/readyz')).workers?.serving === 2);
      console.log(`readiness: /readyz was ${early.status} while loading, then 200 with workers ${JSON.stringify(ready.workers)}, then 2 serving`);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 180_000);

  it('the rate limit counts every request of an address, whatever worker answers it', async () => {
    const pooled = await startServer({ WORKERS: '2', CORPUS_DIR: corpus, INDEX_DIR: indexDir, RATE_LIMIT: '5' });
    const single = await startServer({ WORKERS: '1', CORPUS_DIR: corpus, INDEX_DIR: indexDir, RATE_LIMIT: '5' });
    try {
      await until('both workers serving', async () => JSON.parse((await send(pooled.port, '/readyz')).body).workers?.serving === 2);
      const path = `/api/search?q=${q('政务公开')}`;
      const answers = await Promise.all(Array.from({ length: 9 }, () => send(pooled.port, path)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429]);
      // Probes and static files stay outside the limit.
      expect((await send(pooled.port, '/healthz')).status).toBe(200);
      expect((await send(pooled.port, '/readyz')).status).toBe(200);
      expect((await send(pooled.port, '/static/style.css')).status).toBe(200);
      // The 429s, JSON and HTML, are the single-thread server's.
      for (let i = 0; i < 5; i++) await send(single.port, path);
      for (const p of [path, `/?q=${q('政务公开')}`]) {
        const expected = masked(await send(single.port, p));
        const got = masked(await send(pooled.port, p));
        expect(got.status).toBe(429);
        expect({ ...got, headers: { ...got.headers, 'retry-after': 'n' } }).toEqual({ ...expected, headers: { ...expected.headers, 'retry-after': 'n' } });
      }
      // Rate-limit headers on an answer that went through: the server-wide count.
      expect(answers.find((a) => a.status === 200)!.headers['ratelimit-policy']).toBe('5;w=60');
    } finally {
      await Promise.all([pooled.stop(), single.stop()]);
    }
  }, 180_000);

  it('hot re-index: a new generation is served by every worker', async () => {
    const server = await startServer({ WORKERS: '2', CORPUS_DIR: corpus, INDEX_DIR: indexDir, RELOAD_POLL_MS: '100' });
    try {
      await until('both workers serving', async () => (await getJson<Readyz>(server.port, '/readyz')).workers?.serving === 2);
      const before = (await getJson<Readyz>(server.port, '/readyz')).generation;
      const marker = '多线程热重载标记条款';
      writeFileSync(join(corpus, 'marker.txt'), `关于热重载的通知\n\n一、${marker}由各单位负责。\n`);
      // What an administrator's `npm run index` does beside the running server.
      await run(process.execPath, ['--import', 'tsx', 'src/cli/build-index.ts', '--corpus', corpus, '--index', indexDir], { cwd: ROOT });
      await until('the new generation served by both workers', async () => {
        const r = await getJson<Readyz>(server.port, '/readyz');
        return r.generation !== before && r.workers?.serving === 2;
      });
      // Pairs of concurrent requests reach both workers: all find the marker.
      const path = `/api/search?q=${q(`"${marker}"`)}`;
      for (let i = 0; i < 5; i++) {
        const pair = await Promise.all([send(server.port, path), send(server.port, path)]);
        for (const a of pair) expect(JSON.parse(a.body).total).toBe(1);
      }
      expect(server.log()).toMatch(/reload \(pointer\) ok/u);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 180_000);

  it('SIGTERM with requests in flight on both workers: all answered in full, exit 0', async () => {
    const server = await startServer({ WORKERS: '2', CORPUS_DIR: corpus, INDEX_DIR: indexDir });
    await until('both workers serving', async () => (await getJson<Readyz>(server.port, '/readyz')).workers?.serving === 2);
    const heavy = `/?q=${q('公开')}&limit=100`;
    let signalled = false;
    const inFlight = Array.from({ length: 16 }, () =>
      send(server.port, heavy).then((a) => {
        if (!signalled) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
        return a;
      }),
    );
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
    for (const a of answers) expect(a.body.trimEnd().endsWith('</html>')).toBe(true);
    expect(await server.exit).toBe(0);
    expect(server.log()).toContain('all requests finished');
  }, 120_000);
});
