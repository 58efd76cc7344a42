/**
 * Atomic hot re-indexing.
 *
 * 1. The reloader on its own, with injected loaders: a failed load or build keeps the old index
 *    serving and is recorded; bursts of triggers coalesce; start-up builds a missing index.
 * 2. Under load: the real server (src/server.ts, a child process) over a copy of the seeds, while
 *    8 clients send requests on loopback without pause. The index is rebuilt and swapped twice —
 *    once by the index CLI run beside the server (as an administrator's `npm run index` would;
 *    the server sees the new generation through INDEX_DIR/CURRENT), once by SIGHUP (the server
 *    builds in a child process) — and then a build fails because the corpus folder is gone.
 *    Corpus A is the seeds, B adds a marker notice, C is B without one seed. Every response must
 *    be a 200 and must match, exactly, what an index of A, B or C answers (computed beforehand
 *    from separate in-process indexes): never a mix, never a half-built index.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { AppError } from '../../src/domain/errors.js';
import type { SearchResponse } from '../../src/domain/types.js';
import type { IndexManifest } from '../../src/indexing/store.js';
import { currentGeneration } from '../../src/indexing/store.js';
import type { DocListItem, SearchServiceApi } from '../../src/search/api.js';
import { createLiveService } from '../../src/search/live-service.js';
import { corpusChecksum, IndexReloader, type LoadedIndex } from '../../src/search/reloader.js';
import { openSearchService } from '../../src/search/service.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SEEDS = join(ROOT, 'seeds');
const MARKER = '热重载标记条款';
const CLIENTS = 8;
const MIN_REQUESTS = 2_000;

// ---------------------------------------------------------------------------------------------
// 1. The reloader with injected loaders

function fakeIndex(generation: string, documents: number): LoadedIndex {
  const manifest = {
    counts: { documents, paragraphs: documents * 10 },
    files: Array.from({ length: documents }, (_, i) => ({ file: `${i}.txt`, size: 1, checksum: `c${i}` })),
    skipped: [],
    warnings: [],
    builtAt: '2024-01-01T00:00:00.000Z',
    buildMs: 1,
  } as unknown as IndexManifest;
  const service = { stats: () => ({ documents, paragraphs: documents * 10, builtAt: manifest.builtAt, skipped: [] }), generation: () => generation };
  return { service: service as unknown as SearchServiceApi, manifest, generation };
}

describe('IndexReloader (injected loaders)', () => {
  it('swaps to a new generation, and a failed load keeps the old one serving, recorded', async () => {
    const live = createLiveService();
    let onDisk = 'gen-a';
    let fail: Error | null = null;
    const released: string[] = [];
    const reloader = new IndexReloader({
      live,
      load: async () => {
        if (fail) throw fail;
        return fakeIndex(onDisk, onDisk === 'gen-a' ? 5 : 6);
      },
      currentGeneration: () => onDisk,
      release: (_old, g) => released.push(String(g)),
    });
    expect(() => live.service.stats()).toThrow(AppError);
    expect((await reloader.reload('start')).ok).toBe(true);
    expect(live.service.stats().documents).toBe(5);
    expect(reloader.snapshot()!.corpusChecksum).toBe(corpusChecksum(fakeIndex('x', 5).manifest.files));

    onDisk = 'gen-b';
    const swapped = await reloader.checkPointer();
    expect(swapped).toMatchObject({ ok: true, trigger: 'pointer', generation: 'gen-b' });
    expect(live.service.stats().documents).toBe(6);
    expect(released).toEqual(['gen-a']);
    expect(reloader.checkPointer()).toBeNull(); // nothing new on disk

    onDisk = 'gen-c';
    fail = new AppError('E_INDEX_STALE', 'corpus changed');
    const failed = await reloader.checkPointer();
    expect(failed).toMatchObject({ ok: false, code: 'E_INDEX_STALE', generation: 'gen-b' });
    expect(failed!.message).toContain('still serving gen-b');
    expect(live.service.stats().documents).toBe(6);
    expect(reloader.snapshot()!.generation).toBe('gen-b');
    expect(reloader.lastReload()).toBe(failed);
  });

  it('a failed build keeps the old index; no builder → a clear failure', async () => {
    const live = createLiveService();
    const reloader = new IndexReloader({
      live,
      load: async () => fakeIndex('gen-a', 5),
      build: async () => {
        throw new AppError('E_REINDEX_FAILED', 'corpus unreadable');
      },
      currentGeneration: () => 'gen-a',
    });
    await reloader.reload('start');
    const r = await reloader.rebuild('signal');
    expect(r).toMatchObject({ ok: false, kind: 'rebuild', code: 'E_REINDEX_FAILED', generation: 'gen-a' });
    expect(live.service.stats().documents).toBe(5);
    const bare = new IndexReloader({ live: createLiveService(), load: async () => fakeIndex('g', 1), currentGeneration: () => 'g' });
    expect(await bare.rebuild('signal')).toMatchObject({ ok: false, message: 'no index builder configured' });
  });

  it('runs one attempt at a time; a burst of triggers while one runs costs one more run', async () => {
    const live = createLiveService();
    let loads = 0;
    let running = 0;
    let maxRunning = 0;
    let gen = 0;
    const reloader = new IndexReloader({
      live,
      load: async () => {
        loads++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return fakeIndex(`gen-${++gen}`, gen);
      },
      currentGeneration: () => `gen-${gen + 1}`,
    });
    const first = reloader.reload('start');
    await new Promise((r) => setTimeout(r, 5)); // the first load is running now
    expect(reloader.busy()).toBe(true);
    const burst = [reloader.reload('signal'), reloader.reload('signal'), reloader.reload('corpus')];
    const all = await Promise.all([first, ...burst]);
    expect(maxRunning).toBe(1);
    expect(loads).toBe(2);
    expect(all[1]).toBe(all[2]);
    expect(all[2]).toBe(all[3]);
    expect(all[0]!.generation).toBe('gen-1');
    expect(all[3]!.generation).toBe('gen-2');
    // Triggers before anything started share that one run.
    const joined = [reloader.reload('signal'), reloader.reload('signal')];
    expect(joined[0]).toBe(joined[1]);
    await Promise.all(joined);
    expect(loads).toBe(3);
  });

  it('at start-up, a missing index is built first when a builder is given', async () => {
    const live = createLiveService();
    let built = false;
    const reloader = new IndexReloader({
      live,
      load: async () => {
        if (!built) throw new AppError('E_INDEX_MISSING');
        return fakeIndex('gen-1', 3);
      },
      build: async () => {
        built = true;
      },
      currentGeneration: () => (built ? 'gen-1' : null),
    });
    expect(await reloader.reload('start')).toMatchObject({ ok: true, generation: 'gen-1' });
    expect(live.service.stats().documents).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. The real server under load

/** A notice laid out like the seeds, found by MARKER and by 政务公开. */
const MARKER_NOTICE = `标记县人民政府办公室文件

标政办〔2021〕7号

标记县人民政府办公室关于印发2021年标记县政务公开工作要点的通知

各乡镇人民政府，县政府各部门：

《2021年标记县政务公开工作要点》已经县政府同意，现印发给你们，请认真贯彻执行。

标记县人民政府办公室

2021年3月1日

2021年标记县政务公开工作要点

一、深化政务公开

（一）${MARKER}：全面推进政务公开标准化规范化，2021年6月底前完成目录编制。（责任单位：县政府办公室）
`;

const SEARCHES = ['政务公开', MARKER, '重大行政决策'];

interface Fingerprint {
  total: number;
  hits: string[];
  facets: SearchResponse['facets'];
}
const fingerprint = (r: SearchResponse): Fingerprint => ({ total: r.total, hits: r.hits.map((h) => `${h.id} ${h.score}`), facets: r.facets });
const docsFingerprint = (docs: DocListItem[]) => docs.map((d) => `${d.id} ${d.paragraphCount}`).join('|');

/** What each corpus version answers, from its own in-process index. */
interface Expected {
  label: 'A' | 'B' | 'C';
  documents: number;
  searches: Map<string, string>;
  docs: string;
}

let tmp: string;
let corpus: string;
let indexDir: string;
let server: ChildProcess;
let base: string;
let serverLog = '';
const expected: Expected[] = [];
const removedSeed = '004_f2e2400d88e8894a.txt';

async function expectationsFor(label: Expected['label'], dir: string): Promise<Expected> {
  const service = await openSearchService({ corpusDir: dir, indexDir: mkdtempSync(join(tmp, `ref-${label}-`)), limits: DEFAULT_LIMITS });
  const searches = new Map(SEARCHES.map((q) => [q, JSON.stringify(fingerprint(service.search({ q, limit: 50, offset: 0, sort: 'relevance' })))]));
  return { label, documents: service.stats().documents, searches, docs: docsFingerprint(service.listDocs()) };
}

async function readyz(): Promise<{ ready: boolean; documents: number; generation: string; lastReload: { ok: boolean; trigger: string; kind: string; code: string | null } | null }> {
  return (await fetch(`${base}/readyz`)).json() as never;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function runIndexCli(): Promise<number | null> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/build-index.ts', '--corpus', corpus, '--index', indexDir], { cwd: ROOT, stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', done);
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'reindex-'));
  const variant = (name: string, marker: boolean, removed: boolean) => {
    const dir = join(tmp, name);
    cpSync(SEEDS, dir, { recursive: true });
    if (marker) writeFileSync(join(dir, 'marker.txt'), MARKER_NOTICE);
    if (removed) unlinkSync(join(dir, removedSeed));
    return dir;
  };
  expected.push(await expectationsFor('A', variant('ref-a', false, false)));
  expected.push(await expectationsFor('B', variant('ref-b', true, false)));
  expected.push(await expectationsFor('C', variant('ref-c', true, true)));
  // The three versions really differ, in what they find and in their documents.
  expect(new Set(expected.map((e) => e.searches.get('政务公开'))).size).toBe(3);
  expect(new Set(expected.map((e) => e.docs)).size).toBe(3);

  corpus = variant('corpus', false, false);
  indexDir = join(tmp, 'index');
  server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', CORPUS_DIR: corpus, INDEX_DIR: indexDir, RATE_LIMIT: '0', RELOAD_POLL_MS: '100', WATCH_CORPUS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.setEncoding('utf8').on('data', (c: string) => (serverLog += c));
  server.stderr!.setEncoding('utf8').on('data', (c: string) => (serverLog += c));
  const port = await waitFor('the server to listen', async () => /localhost:(\d+)\//.exec(serverLog)?.[1]);
  base = `http://127.0.0.1:${port}`;
  await waitFor('the first index', async () => (await readyz()).ready);
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe('re-indexing under load', () => {
  it('serves every request from a complete index (A, B or C) while the index is rebuilt and swapped twice, and survives a failed build', async () => {
    const failures: string[] = [];
    const seen: Record<Expected['label'], number> = { A: 0, B: 0, C: 0 };
    let requests = 0;
    let phasesDone = false;

    /** Which corpus version a response belongs to, or null if none (a mixed or partial index). */
    const versionOf = (field: 'search' | 'docs', body: string, q?: string): Expected['label'] | null => {
      const matches = expected.filter((e) => (field === 'docs' ? e.docs === body : e.searches.get(q!) === body));
      return matches.length === 1 ? matches[0]!.label : null;
    };

    const client = async (k: number) => {
      for (let i = k; !phasesDone || requests < MIN_REQUESTS; i += CLIENTS) {
        requests++;
        const kind = i % 5;
        try {
          if (kind < 3) {
            const q = SEARCHES[kind]!;
            const res = await fetch(`${base}/api/search?q=${encodeURIComponent(q)}&limit=50`);
            if (res.status !== 200) throw new Error(`status ${res.status}`);
            const label = versionOf('search', JSON.stringify(fingerprint((await res.json()) as SearchResponse)), q);
            if (!label) throw new Error(`search "${q}" matches no complete index`);
            seen[label]++;
          } else if (kind === 3) {
            const res = await fetch(`${base}/api/docs`);
            if (res.status !== 200) throw new Error(`status ${res.status}`);
            const label = versionOf('docs', docsFingerprint(((await res.json()) as { docs: DocListItem[] }).docs));
            if (!label) throw new Error('document list matches no complete index');
            seen[label]++;
          } else {
            const res = await fetch(`${base}/?q=${encodeURIComponent(MARKER)}`);
            if (res.status !== 200) throw new Error(`page status ${res.status}`);
            await res.text();
          }
        } catch (e) {
          failures.push(`${kind}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    };

    const started = Date.now();
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
    const first = await readyz();
    expect(first.documents).toBe(expected[0]!.documents);

    // Swap 1: the marker notice is added and the index CLI runs beside the server.
    writeFileSync(join(corpus, 'marker.txt'), MARKER_NOTICE);
    expect(await runIndexCli()).toBe(0);
    const genB = currentGeneration(indexDir)!;
    expect(genB).not.toBe(first.generation);
    const afterB = await waitFor('the server to serve B', async () => {
      const r = await readyz();
      return r.generation === genB && r;
    });
    expect(afterB.documents).toBe(expected[1]!.documents);
    expect(afterB.lastReload).toMatchObject({ ok: true, trigger: 'pointer', kind: 'reload' });

    // Swap 2: a seed is removed and the server is told to rebuild (SIGHUP).
    unlinkSync(join(corpus, removedSeed));
    server.kill('SIGHUP');
    const afterC = await waitFor('the server to serve C', async () => {
      const r = await readyz();
      return r.generation !== genB && r.lastReload?.kind === 'rebuild' && r;
    });
    expect(afterC.documents).toBe(expected[2]!.documents);
    expect(afterC.lastReload).toMatchObject({ ok: true, trigger: 'signal', kind: 'rebuild' });
    expect(afterC.generation).toBe(currentGeneration(indexDir));

    // A failed build: the corpus folder is gone. The server keeps serving C and says so.
    renameSync(corpus, `${corpus}.away`);
    server.kill('SIGHUP');
    const afterFail = await waitFor('the failed rebuild to be reported', async () => {
      const r = await readyz();
      return r.lastReload?.ok === false && r;
    });
    expect(afterFail).toMatchObject({ ready: true, documents: expected[2]!.documents, generation: afterC.generation });
    expect(afterFail.lastReload).toMatchObject({ ok: false, kind: 'rebuild', trigger: 'signal', code: 'E_REINDEX_FAILED' });
    const status = await (await fetch(`${base}/status`)).text();
    expect(status).toContain('重建索引失败');
    expect(status).toContain('仍在使用原索引');
    expect(status).not.toContain(corpus); // no server paths on the page
    renameSync(`${corpus}.away`, corpus);

    phasesDone = true;
    await load;
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `re-index under load: ${requests} requests in ${seconds.toFixed(1)} s by ${CLIENTS} clients, ${failures.length} failed; ` +
        `responses by index version: ${JSON.stringify(seen)}; generations ${first.generation} → ${genB} → ${afterC.generation}; failed build kept ${afterFail.generation}`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
    // The load really spanned the swaps: answers from all three versions.
    expect(seen.A).toBeGreaterThan(0);
    expect(seen.B).toBeGreaterThan(0);
    expect(seen.C).toBeGreaterThan(0);
  }, 180_000);
});
