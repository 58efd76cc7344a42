/**
 * The differential battery on notices-dev (60 Shanghai notices, ../shared/corpus/notices-dev),
 * embedded vs postgres on PGlite: identical totals and hit sets for every query, and identical
 * responses. Skipped with a note when the corpus is not beside the clone.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backends/backend.js';
import type { PostgresSearchBackend } from '../../src/backends/postgres/backend.js';
import { pgliteDb, type Db } from '../../src/backends/postgres/db.js';
import { buildCorpusIndex } from '../../src/backends/postgres/index-corpus.js';
import { writeToPostgres } from '../../src/backends/postgres/writer.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { BuiltIndex } from '../../src/indexing/build.js';
import { SearchService } from '../../src/search/service.js';
import { missingData, NOTICES_DEV, suiteName } from '../helpers/shared-corpus.js';
import { battery, differential, TODAY } from './differential.js';

const skip = missingData(NOTICES_DEV, '../shared/corpus/notices-dev');
const limits = { ...DEFAULT_LIMITS, resultCacheSize: 0 };

describe.skipIf(skip !== null)(suiteName('postgres backend on notices-dev (PGlite): differential', skip), () => {
  let db: Db;
  let built: BuiltIndex;
  let embedded: SearchService;
  let backend: PostgresSearchBackend;

  beforeAll(async () => {
    const { built: b, manifest } = await buildCorpusIndex({ corpusDir: NOTICES_DEV, maxFileBytes: limits.maxFileBytes });
    built = b;
    embedded = new SearchService(built, limits, manifest);
    db = pgliteDb(await PGlite.create());
    await writeToPostgres(db, built, manifest);
    backend = await openBackend('postgres', { db, limits, pollMs: 0 });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('gives identical totals, hit sets and responses for the whole battery', async () => {
    const queries = battery(built.index.normalized);
    const { mismatches, compared, identicalResponses } = await differential(embedded, backend, queries, { fullResponses: true });
    expect(mismatches).toEqual([]);
    expect(identicalResponses).toBe(compared);
    expect(compared).toBeGreaterThan(300);
  });

  it('serves every document page as the embedded engine does', async () => {
    for (const d of embedded.listDocs()) expect(JSON.stringify(await backend.getDoc(d.id, TODAY))).toBe(JSON.stringify(embedded.getDoc(d.id, TODAY)));
    const filter = { today: TODAY, sort: 'status' as const, offset: 0 };
    expect(JSON.stringify(await backend.commitments(filter))).toBe(JSON.stringify(embedded.commitments(filter)));
  });
});
