/**
 * The PostgreSQL backend in process, on PGlite: schema and migrations, the writer, atomic
 * re-indexing, and the differential battery on the seeds (embedded vs postgres: identical totals,
 * hit sets and responses).
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backends/backend.js';
import { pgliteDb, type Db } from '../../src/backends/postgres/db.js';
import { loadFullIndex } from '../../src/backends/postgres/full.js';
import { PgGeneration } from '../../src/backends/postgres/generation.js';
import { buildCorpusIndex } from '../../src/backends/postgres/index-corpus.js';
import { migrate, MIGRATIONS, schemaVersion, SCHEMA_VERSION } from '../../src/backends/postgres/migrations.js';
import type { PostgresSearchBackend } from '../../src/backends/postgres/backend.js';
import { writeToPostgres } from '../../src/backends/postgres/writer.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { CommitmentFilter } from '../../src/domain/types.js';
import type { BuiltIndex } from '../../src/indexing/build.js';
import type { IndexManifest } from '../../src/indexing/store.js';
import { SearchService } from '../../src/search/service.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { battery, differential, TODAY } from './differential.js';

const limits = { ...DEFAULT_LIMITS, resultCacheSize: 0 };
let db: Db;
let built: BuiltIndex;
let manifest: IndexManifest;
let embedded: SearchService;
let backend: PostgresSearchBackend;

beforeAll(async () => {
  ({ built, manifest } = await buildCorpusIndex({ corpusDir: SEEDS_DIR, maxFileBytes: limits.maxFileBytes }));
  embedded = new SearchService(built, limits, manifest);
  db = pgliteDb(await PGlite.create());
});

afterAll(async () => {
  await db?.close();
});

const currentGeneration = async () => Number((await db.query<{ generation: number }>('SELECT generation FROM current_generation')).rows[0]!.generation);

describe('postgres backend on PGlite (in process)', () => {
  it('applies versioned migrations once and records them', async () => {
    expect(await schemaVersion(db)).toBe(0);
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    expect(await schemaVersion(db)).toBe(SCHEMA_VERSION);
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('refuses to serve before the first index', async () => {
    await expect(openBackend('postgres', { db, limits })).rejects.toMatchObject({ code: 'E_INDEX_MISSING' });
  });

  it('writes a generation that reads back as the same index', async () => {
    const res = await writeToPostgres(db, built, manifest);
    expect(res.previous).toBeNull();
    expect(res.counts.paragraphs).toBe(built.refs.length);
    expect(await currentGeneration()).toBe(res.generation);
    backend = await openBackend('postgres', { db, limits, pollMs: 0 });
    const gen = await PgGeneration.load(db, res.generation, limits);
    const full = await loadFullIndex(db, gen);
    expect(full.index.normalized).toEqual(built.index.normalized);
    expect(Array.from(full.index.grams.keys)).toEqual(Array.from(built.index.grams.keys));
    expect(Buffer.from(full.index.grams.postings.buffer).equals(Buffer.from(built.index.grams.postings.buffer))).toBe(true);
    expect(Buffer.from(full.index.grams.tf.buffer).equals(Buffer.from(built.index.grams.tf.buffer))).toBe(true);
    expect(Array.from(gen.built.parents)).toEqual(Array.from(built.parents));
    expect(gen.kinds).toEqual(built.kinds);
    for (const w of ['政务公开', '目录', '公开', '的']) expect(Array.from(full.index.postings(w))).toEqual(Array.from(built.index.postings(w)));
    expect(JSON.stringify(full.docs)).toBe(JSON.stringify(built.docs));
  });

  it('differential on the seeds: relevance table, random substrings of every length, word queries', async () => {
    const queries = battery(built.index.normalized);
    expect(queries.filter((q) => q.kind === 'relevance').length).toBeGreaterThanOrEqual(20);
    expect(queries.filter((q) => q.kind.startsWith('len')).length).toBeGreaterThanOrEqual(190);
    const { mismatches, compared, identicalResponses } = await differential(embedded, backend, queries, { fullResponses: true });
    expect(mismatches).toEqual([]);
    expect(identicalResponses).toBe(compared);
  });

  it('serves documents, comparisons, parallel clauses, commitments, the list and stats as the embedded engine does', async () => {
    expect(JSON.stringify(await backend.listDocs())).toBe(JSON.stringify(embedded.listDocs()));
    for (const d of embedded.listDocs()) expect(JSON.stringify(await backend.getDoc(d.id, TODAY))).toBe(JSON.stringify(embedded.getDoc(d.id, TODAY)));
    await expect(backend.getDoc('no-such-doc')).rejects.toMatchObject({ code: 'E_DOC_NOT_FOUND' });
    const docs = embedded.listDocs();
    const a = embedded.getDoc(docs[0]!.id).paragraphs[6]!.id;
    const b = embedded.getDoc(docs[2]!.id).paragraphs[9]!.id;
    expect(await backend.compare(a, b)).toEqual(embedded.compare(a, b));
    expect(await backend.similar(a, 5)).toEqual(embedded.similar(a, 5));
    await expect(backend.similar('x-p999999')).rejects.toMatchObject({ code: 'E_PARAGRAPH_NOT_FOUND' });
    const filters: CommitmentFilter[] = [
      { today: TODAY, sort: 'status', offset: 0 },
      { today: TODAY, q: '公开', sort: 'document', offset: 0, limit: 10 },
      { today: TODAY, status: 'passed', sort: 'deadline', offset: 2, limit: 5 },
    ];
    for (const filter of filters) {
      expect(JSON.stringify(await backend.commitments(filter))).toBe(JSON.stringify(embedded.commitments(filter)));
    }
    expect(await backend.stats()).toEqual(embedded.stats());
    await expect(backend.search({ q: 'x'.repeat(500), limit: 10, offset: 0, sort: 'relevance' })).rejects.toMatchObject({ code: 'E_QUERY_TOO_LONG' });
  });

  it('a failed re-index leaves the old generation current and served, and leaves nothing behind', async () => {
    const before = await currentGeneration();
    const count = async (t: string) => Number((await db.query<{ c: number }>(`SELECT count(*)::int AS c FROM ${t}`)).rows[0]!.c);
    const rowsBefore = { generations: await count('generations'), paragraphs: await count('paragraphs'), grams: await count('gram_postings') };
    for (const failAt of ['paragraphs', 'grams', 'switch'] as const) {
      await expect(
        writeToPostgres(db, built, manifest, {
          batchRows: 50,
          onProgress: (stage) => {
            if (stage === failAt) throw new Error(`injected failure at ${stage}`);
          },
        }),
      ).rejects.toThrow(`injected failure at ${failAt}`);
      expect(await currentGeneration()).toBe(before);
      expect({ generations: await count('generations'), paragraphs: await count('paragraphs'), grams: await count('gram_postings') }).toEqual(rowsBefore);
    }
    const req = { q: '"政务公开"', limit: 50, offset: 0, sort: 'relevance' as const, today: TODAY };
    expect((await backend.search(req)).total).toBe(embedded.search(req).total);
  });

  it('a second write switches atomically to the new generation and retires older ones', async () => {
    const first = await currentGeneration();
    const second = await writeToPostgres(db, built, manifest);
    expect(second.previous).toBe(first);
    expect(second.retired).toEqual([]);
    expect((await backend.generationInfo()).generation).toBe(second.generation);
    const third = await writeToPostgres(db, built, manifest);
    expect(third.retired).toEqual([first]);
    const { rows } = await db.query<{ id: number }>('SELECT id FROM generations ORDER BY id');
    expect(rows.map((r) => Number(r.id))).toEqual([second.generation, third.generation]);
    const { rows: leftovers } = await db.query<{ c: number }>('SELECT count(*)::int AS c FROM paragraphs WHERE generation = $1', [first]);
    expect(leftovers[0]!.c).toBe(0);
    const req = { q: '公开 目录', limit: 20, offset: 0, sort: 'relevance' as const, today: TODAY };
    expect({ ...(await backend.search(req)), tookMs: 0 }).toEqual({ ...embedded.search(req), tookMs: 0 });
    expect((await backend.generationInfo()).generation).toBe(third.generation);
    expect(backend.snapshot()).toMatchObject({ generation: `pg-${third.generation}`, manifest: { counts: manifest.counts } });
    expect(backend.lastReload()).toMatchObject({ ok: true, trigger: 'pointer', generation: `pg-${third.generation}` });
  });
});
