/**
 * The worker pool in this process (serve/serving.ts, as server.ts assembles it, listening on an
 * ephemeral port), where its threads can be killed:
 *
 * - two requests at once go to the two workers (the pooled answers of workers.test.ts rely on it);
 *   routing keys: a document's requests meet one worker, commitments always the same one;
 * - a killed worker: its requests in flight are answered 503, never left hanging; it is replaced,
 *   the replacement loads the generation being served and answers;
 * - a killed segmenter thread (the shared jieba dictionary): a new one starts, the workers are
 *   replaced, searches that segment work again;
 * - a worker that gives no answer within the request timeout: 503, and it is replaced.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Config } from '../../src/config.js';
import { ensureIndex } from '../../src/indexing/pipeline.js';
import { routeRequest, startWorkerServing, type WorkerServing } from '../../src/serve/serving.js';
import { createHttpServer } from '../../src/web/http-server.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { send, until } from './process.js';

const q = encodeURIComponent;
let indexDir: string;

beforeAll(async () => {
  indexDir = mkdtempSync(join(tmpdir(), 'worker-pool-'));
  await ensureIndex({ corpusDir: SEEDS_DIR, indexDir, maxFileBytes: DEFAULT_LIMITS.maxFileBytes });
}, 120_000);
afterAll(() => rmSync(indexDir, { recursive: true, force: true }));

interface Running {
  serving: WorkerServing;
  port: number;
  log: string[];
  close(): Promise<void>;
}

async function start(pool: { requestTimeoutMs?: number } = {}): Promise<Running> {
  const config: Config = { port: 0, corpusDir: SEEDS_DIR, indexDir, rateLimit: 0, limits: { ...DEFAULT_LIMITS } };
  const log: string[] = [];
  const logger = { info: (m: string) => log.push(m), error: (m: string) => log.push(m) };
  const serving = await startWorkerServing({ config, workers: 2, logger, log: (m) => log.push(m), pool });
  const first = await serving.reloader.reload('start');
  expect(first.ok).toBe(true);
  const server: Server = createHttpServer(serving.handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await until('both workers serving', () => serving.pool.counts().serving === 2);
  return {
    serving,
    port: (server.address() as AddressInfo).port,
    log,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await serving.close();
    },
  };
}

describe('worker pool', () => {
  let running: Running;
  beforeAll(async () => {
    running = await start();
  }, 120_000);
  afterAll(() => running?.close());

  const search = `/api/search?q=${q('政务公开')}`;

  it('two requests at once are answered by the two workers', async () => {
    const { pool } = running.serving;
    const heavy = `/?q=${q('公开')}&limit=100`;
    const pair = [send(running.port, heavy), send(running.port, heavy)];
    await until('both dispatched', () => pool.workers().reduce((n, w) => n + w.inflight, 0) === 2 || pool.workers().every((w) => w.inflight === 0), 10_000);
    const inflight = pool.workers().map((w) => w.inflight);
    const answers = await Promise.all(pair);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    // Both were still in flight at once (else they were too quick to see): one on each worker.
    if (inflight.reduce((a, b) => a + b, 0) === 2) expect(inflight).toEqual([1, 1]);
  });

  it('a killed worker: its requests in flight get 503 at once, and a replacement serves', async () => {
    const { pool } = running.serving;
    const before = pool.workers();
    expect(before.every((w) => w.serving !== null)).toBe(true);
    const heavy = `/?q=${q('公开')}&limit=100`;
    const answers = Array.from({ length: 12 }, () => send(running.port, heavy));
    // Kill a worker while it has requests queued: those not yet answered cannot be.
    await until('requests queued on a worker', () => pool.workers().some((w) => w.inflight >= 3), 10_000);
    const victim = pool.workers().find((w) => w.inflight >= 3)!;
    const started = Date.now();
    await pool.kill(victim.id);
    const statuses = (await Promise.all(answers)).map((a) => a.status);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    // The replacement loads the generation being served, then answers like the others.
    await until('a replacement serving', () => pool.counts().serving === 2 && !pool.workers().some((w) => w.id === victim.id), 60_000);
    const ids = pool.workers().map((w) => w.id);
    expect(ids).not.toContain(victim.id);
    expect(running.log.join('\n')).toMatch(new RegExp(`worker ${victim.id} exited .*replacing it`, 'u'));
    for (let i = 0; i < 4; i++) {
      const pair = await Promise.all([send(running.port, search), send(running.port, search)]);
      expect(pair.map((a) => a.status)).toEqual([200, 200]);
    }
    console.log(`killed worker ${victim.id} with requests in flight: ${statuses.filter((s) => s === 503).length} answered 503, ${statuses.filter((s) => s === 200).length} 200; replaced by worker ${ids.find((id) => !before.some((w) => w.id === id))}`);
  }, 90_000);

  it('a killed segmenter thread: a new one starts, the workers are replaced, searches segment again', async () => {
    const { pool } = running.serving;
    const before = pool.workers().map((w) => w.id);
    await pool.kill('segmenter');
    await until('new workers serving', () => pool.counts().serving === 2 && pool.workers().every((w) => !before.includes(w.id)), 60_000);
    // Unquoted words are segmented by jieba (the new segmenter thread).
    const words = await send(running.port, `/api/search?q=${q('加强政务公开工作')}`);
    expect(words.status).toBe(200);
    expect(JSON.parse(words.body).total).toBeGreaterThan(0);
    expect(running.log.join('\n')).toContain('segmenter thread exited');
  }, 90_000);
});

describe('routing', () => {
  it.each([
    ['/api/search?q=公开', '/api/search?q=公开', false],
    ['/?q=公开&offset=20', '/?q=公开&offset=20', false],
    ['/docs/abc', '/docs/abc', false],
    ['/docs/abc?today=2024-01-01', '/docs/abc', false],
    ['/api/docs/abc', '/docs/abc', false],
    ['/api/docs', '/api/docs', false],
    ['/commitments?status=upcoming', 'commitments', true],
    ['/api/commitments', 'commitments', true],
    ['/commitments.csv?unit=x', 'commitments', true],
    ['/commitments-x', '/commitments-x', false],
  ])('%s → key %s, sticky %s', (url, key, sticky) => {
    expect(routeRequest(url)).toEqual({ key, sticky });
  });
});

describe('worker pool: request timeout', () => {
  it('no answer within the request timeout: 503, and the worker is replaced', async () => {
    const running = await start({ requestTimeoutMs: 1 });
    try {
      const before = running.serving.pool.workers().map((w) => w.id);
      const answer = await send(running.port, `/?q=${q('公开')}&limit=100`);
      expect(answer.status).toBe(503);
      expect(answer.body).toContain('E_NOT_READY');
      expect(running.log.join('\n')).toMatch(/no answer to GET .* within 1 ms; replacing the worker/u);
      await until('a replacement', () => running.serving.pool.workers().some((w) => !before.includes(w.id)), 60_000);
    } finally {
      await running.close();
    }
  }, 120_000);
});
