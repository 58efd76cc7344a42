/**
 * The PostgreSQL backend against a real PostgreSQL server, started by this file's set-up from
 * Debian's binaries (pg-server.ts) and stopped afterwards; skipped with a note when there is no
 * server binary. Checks the server version, the differential battery on the seeds through
 * node-postgres, and that readers running during a re-index see the old generation or the new
 * one, never a mix, while a failed re-index leaves the old one served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backends/backend.js';
import type { PostgresSearchBackend } from '../../src/backends/postgres/backend.js';
import { openPgDb, type Db } from '../../src/backends/postgres/db.js';
import { buildCorpusIndex, indexToPostgres } from '../../src/backends/postgres/index-corpus.js';
import { writeToPostgres } from '../../src/backends/postgres/writer.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { SearchRequest } from '../../src/domain/types.js';
import { buildParagraphIndex, type BuiltIndex } from '../../src/indexing/build.js';
import type { IndexManifest } from '../../src/indexing/store.js';
import { SearchService } from '../../src/search/service.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { suiteName } from '../helpers/shared-corpus.js';
import { battery, differential, TODAY } from './differential.js';
import { findPostgres, startPostgres, type PgServer } from './pg-server.js';

const found = findPostgres();
const skip = typeof found === 'string' ? found : null;
const limits = { ...DEFAULT_LIMITS, resultCacheSize: 0 };

describe.skipIf(skip !== null)(suiteName('postgres backend on a real PostgreSQL server', skip), () => {
  let server: PgServer | null = null;
  let db: Db;
  let built: BuiltIndex;
  let manifest: IndexManifest;
  let embedded: SearchService;
  let backend: PostgresSearchBackend;

  beforeAll(async () => {
    if (typeof found === 'string') return;
    server = await startPostgres(found);
    db = await openPgDb(server.url, { max: 4 });
    ({ built, manifest } = await buildCorpusIndex({ corpusDir: SEEDS_DIR, maxFileBytes: limits.maxFileBytes }));
    embedded = new SearchService(built, limits, manifest);
    await writeToPostgres(db, built, manifest);
    backend = await openBackend('postgres', { databaseUrl: server.url, limits, pollMs: 0 });
  });

  afterAll(async () => {
    await backend?.close();
    await db?.close();
    server?.stop();
  });

  it('runs PostgreSQL 15 or later', async () => {
    const { rows } = await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
    expect(Number(rows[0]!.v)).toBeGreaterThanOrEqual(150000);
  });

  it('differential on the seeds through node-postgres: identical totals, hit sets and responses', async () => {
    const { mismatches, compared, identicalResponses } = await differential(embedded, backend, battery(built.index.normalized), { fullResponses: true });
    expect(mismatches).toEqual([]);
    expect(identicalResponses).toBe(compared);
  });

  it('readers during a re-index see the old generation or the new one, never a mix; a failed one changes nothing', async () => {
    // The new generation: the seeds without their last document, so old and new answers differ.
    const fewer = built.docs.slice(0, -1);
    const built2 = buildParagraphIndex(fewer);
    const manifest2 = { ...manifest, builtAt: new Date().toISOString(), counts: { documents: fewer.length, paragraphs: built2.refs.length } };
    const embedded2 = new SearchService(built2, limits, manifest2);
    const reqs: SearchRequest[] = ['"公开"', '政务公开 目录', '政府信息公开申请怎么提交'].map((q) => ({ q, limit: 30, offset: 0, sort: 'relevance', today: TODAY }));
    const strip = (r: { tookMs: number }) => JSON.stringify({ ...r, tookMs: 0 });
    const oldAnswers = reqs.map((r) => strip(embedded.search(r)));
    const newAnswers = reqs.map((r) => strip(embedded2.search(r)));
    expect(oldAnswers).not.toEqual(newAnswers);

    // A failed write first: the old generation stays.
    await expect(
      writeToPostgres(db, built2, manifest2, {
        batchRows: 20,
        onProgress: (stage) => {
          if (stage === 'words') throw new Error('injected failure');
        },
      }),
    ).rejects.toThrow('injected failure');
    for (let i = 0; i < reqs.length; i++) expect(strip(await backend.search(reqs[i]!))).toBe(oldAnswers[i]);

    // Then a write that succeeds, with readers running throughout (small batches: a slow write).
    let done = false;
    const seen = { old: 0, new: 0 };
    const readers = Array.from({ length: 3 }, async (_, k) => {
      while (!done) {
        const i = k % reqs.length;
        const got = strip(await backend.search(reqs[i]!));
        if (got === oldAnswers[i]) seen.old++;
        else if (got === newAnswers[i]) seen.new++;
        else throw new Error(`a response matching neither generation for ${reqs[i]!.q}`);
      }
    });
    const write = writeToPostgres(db, built2, manifest2, { batchRows: 20, batchPostings: 2000 }).finally(() => (done = true));
    await Promise.all([write, ...readers]);
    expect(seen.old).toBeGreaterThan(0);
    for (let i = 0; i < reqs.length; i++) expect(strip(await backend.search(reqs[i]!))).toBe(newAnswers[i]);
  });

  it('indexes a corpus folder through DATABASE_URL (the npm run index path) and serves it', async () => {
    const before = (await backend.generationInfo()).generation;
    const { write } = await indexToPostgres({ corpusDir: SEEDS_DIR, databaseUrl: server!.url, maxFileBytes: limits.maxFileBytes });
    expect(write.previous).toBe(before);
    const info = await backend.generationInfo();
    expect(info.generation).toBe(write.generation);
    expect(info.paragraphs).toBe(built.refs.length);
    const req: SearchRequest = { q: '"政务公开"', limit: 20, offset: 0, sort: 'relevance', today: TODAY };
    expect({ ...(await backend.search(req)), tookMs: 0 }).toEqual({ ...embedded.search(req), tookMs: 0 });
  });
});
