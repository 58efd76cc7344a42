/**
 * `npm run bench:postgres -- [--corpus DIR] [--database-url URL | --pglite] [--queries N]`
 *
 * The PostgreSQL backend against the embedded engine on one corpus: build time of each (the
 * embedded build from the files; the PostgreSQL write of the same built index), size on disk
 * (the embedded generation's files; pg_total_relation_size of every table, indexes and TOAST
 * included), and latency p50/p95/p99 per query class of the full search as the API calls it
 * (bench.ts's query generator and requests: random substrings of 1 … 16 characters quoted,
 * 1–3 words as typed, heavy queries; a page of 20), each answer compared with the embedded
 * engine's: total, hit ids, and the whole response.
 *
 * The database: --database-url (or DATABASE_URL), else a throwaway server started from Debian's
 * binaries (test/backends/pg-server.ts) and stopped at the end, else PGlite in process
 * (--pglite forces it). Corpus: --corpus, else the laws corpus (../shared/corpus/laws-zh.tar.xz,
 * unpacked once, as `npm run bench` does). Exits 1 when an answer differs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openBackend } from '../../src/backends/backend.js';
import { openPgDb, pgliteDb, type Db } from '../../src/backends/postgres/db.js';
import { writeToPostgres } from '../../src/backends/postgres/writer.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { SearchResponse } from '../../src/domain/types.js';
import { buildAndSave } from '../../src/indexing/pipeline.js';
import { indexSize } from '../../src/indexing/store.js';
import { SearchService } from '../../src/search/service.js';
import { findPostgres, startPostgres, type PgServer } from '../../test/backends/pg-server.js';
import { resolveCorpus } from './lib/corpus.js';
import { drawQueries, QUERY_CLASSES, type BenchQuery, type QueryClassId } from './lib/queries.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    'database-url': { type: 'string' },
    pglite: { type: 'boolean' },
    queries: { type: 'string', default: '1200' },
    seed: { type: 'string', default: '42' },
    warmup: { type: 'string', default: '30' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('usage: npm run bench:postgres -- [--corpus DIR] [--database-url URL | --pglite] [--queries N] [--seed N] [--warmup N]');
  process.exit(0);
}

const corpusDir = resolveCorpus(values.corpus, (m) => console.error(m)).dir;
const limits = { ...DEFAULT_LIMITS, resultCacheSize: 0 };
const log = (m: string) => console.error(m);

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

async function openDatabase(): Promise<{ db: Db; label: string; server: PgServer | null }> {
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (url && !values.pglite) return { db: await openPgDb(url, { max: 4 }), label: `PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')}`, server: null };
  const found = values.pglite ? 'PGlite requested' : findPostgres();
  if (typeof found !== 'string') {
    const server = await startPostgres(found);
    return { db: await openPgDb(server.url, { max: 4 }), label: `PostgreSQL (throwaway server from ${found.bin}, fsync off)`, server };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  return { db: pgliteDb(await PGlite.create()), label: `PGlite in process (${found})`, server: null };
}

async function main(): Promise<void> {
  log(`corpus: ${corpusDir}`);
  const indexDir = mkdtempSync(join(tmpdir(), 'bench-postgres-index-'));
  const { db, label, server } = await openDatabase();
  try {
    // Build: embedded (files → index on disk), then the same built index written to PostgreSQL.
    let t = performance.now();
    const { built, manifest } = await buildAndSave({ corpusDir, indexDir, maxFileBytes: limits.maxFileBytes, log });
    const embeddedBuildMs = performance.now() - t;
    const embeddedBytes = await indexSize(indexDir);
    t = performance.now();
    const write = await writeToPostgres(db, built, manifest, {
      onProgress: (stage, done, total) => {
        if (done === total) log(`postgres write: ${stage} ${done}/${total} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
      },
    });
    const pgWriteMs = performance.now() - t;
    const { rows: sizes } = await db.query<{ relname: string; bytes: number }>(
      `SELECT c.relname, pg_total_relation_size(c.oid)::bigint AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 2 DESC`,
    );
    const pgBytes = sizes.reduce((s, r) => s + Number(r.bytes), 0);

    const embedded = new SearchService(built, limits, manifest);
    embedded.warm();
    t = performance.now();
    const backend = await openBackend('postgres', { db, limits, pollMs: 1000 });
    const pgOpenMs = performance.now() - t;

    const queries = drawQueries(built.index.normalized, Number(values.queries), Number(values.seed));
    const request = (q: BenchQuery) => ({ q: q.cls !== 'and' ? `"${q.q}"` : q.q, limit: 20, offset: 0, sort: 'relevance' as const, today: '2026-12-01' });
    for (const q of queries.slice(0, Number(values.warmup))) {
      embedded.search(request(q));
      await backend.search(request(q));
    }
    const lat: Record<'embedded' | 'postgres', Map<QueryClassId, number[]>> = { embedded: new Map(), postgres: new Map() };
    const exact = new Map<QueryClassId, { n: number; totals: number; hits: number; responses: number }>();
    const bad: string[] = [];
    const strip = (r: SearchResponse) => JSON.stringify({ ...r, tookMs: 0 });
    for (const [i, q] of queries.entries()) {
      const req = request(q);
      let s = performance.now();
      const a = embedded.search(req);
      const ta = performance.now() - s;
      s = performance.now();
      const b = await backend.search(req);
      const tb = performance.now() - s;
      for (const [k, v] of [['embedded', ta], ['postgres', tb]] as const) {
        const list = lat[k].get(q.cls) ?? [];
        list.push(v);
        lat[k].set(q.cls, list);
      }
      const e = exact.get(q.cls) ?? { n: 0, totals: 0, hits: 0, responses: 0 };
      e.n++;
      if (a.total === b.total) e.totals++;
      if (a.hits.map((h) => h.id).join() === b.hits.map((h) => h.id).join()) e.hits++;
      if (strip(a) === strip(b)) e.responses++;
      else bad.push(`${q.cls} ${req.q}: totals ${a.total}/${b.total}`);
      exact.set(q.cls, e);
      if ((i + 1) % 200 === 0) log(`queries: ${i + 1}/${queries.length}`);
    }
    const info = await backend.generationInfo();

    const lines: string[] = [];
    lines.push(`## PostgreSQL backend vs embedded`, '');
    lines.push(`**Corpus** ${corpusDir} (${built.docs.length} documents, ${built.refs.length} paragraphs) · **database** ${label} · **queries** ${queries.length} (seed ${values.seed}) · ${cpus()[0]?.model ?? ''}, ${cpus().length} cores · node ${process.version} · ${new Date().toISOString()}`, '');
    lines.push('| | build | on disk | open |', '| --- | ---: | ---: | ---: |');
    lines.push(`| embedded | ${(embeddedBuildMs / 1000).toFixed(2)} s (files → index on disk) | ${mb(embeddedBytes)} | – |`);
    lines.push(`| postgres | + ${(pgWriteMs / 1000).toFixed(2)} s (write of the built index, generation ${write.generation}) | ${mb(pgBytes)} | ${fmt(pgOpenMs)} ms (per-generation tables) |`, '');
    lines.push(`Write: ${write.counts.paragraphs} paragraphs, ${write.counts.grams} grams (${write.counts.gramPostings} postings), ${write.counts.words} words, ${write.counts.commitments} commitments. Tables: ${sizes.filter((r) => Number(r.bytes) > 65536).map((r) => `${r.relname} ${mb(Number(r.bytes))}`).join(', ')}.`, '');
    lines.push('Full search (a page of 20), ms, p50 / p95 / p99, and exactness against the embedded engine:', '');
    lines.push('| class | queries | embedded p50 / p95 / p99 | postgres p50 / p95 / p99 | equal totals | equal hits (page) | identical responses |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const all = { embedded: [] as number[], postgres: [] as number[] };
    let tot = { n: 0, totals: 0, hits: 0, responses: 0 };
    for (const c of QUERY_CLASSES) {
      const e = exact.get(c.id);
      if (!e) continue;
      const A = [...lat.embedded.get(c.id)!].sort((x, y) => x - y);
      const B = [...lat.postgres.get(c.id)!].sort((x, y) => x - y);
      all.embedded.push(...A);
      all.postgres.push(...B);
      tot = { n: tot.n + e.n, totals: tot.totals + e.totals, hits: tot.hits + e.hits, responses: tot.responses + e.responses };
      lines.push(`| ${c.label} | ${e.n} | ${fmt(pct(A, 50))} / ${fmt(pct(A, 95))} / ${fmt(pct(A, 99))} | ${fmt(pct(B, 50))} / ${fmt(pct(B, 95))} / ${fmt(pct(B, 99))} | ${e.totals}/${e.n} | ${e.hits}/${e.n} | ${e.responses}/${e.n} |`);
    }
    all.embedded.sort((x, y) => x - y);
    all.postgres.sort((x, y) => x - y);
    lines.push(`| **all** | ${tot.n} | ${fmt(pct(all.embedded, 50))} / ${fmt(pct(all.embedded, 95))} / ${fmt(pct(all.embedded, 99))} | ${fmt(pct(all.postgres, 50))} / ${fmt(pct(all.postgres, 95))} / ${fmt(pct(all.postgres, 99))} | ${tot.totals}/${tot.n} | ${tot.hits}/${tot.n} | ${tot.responses}/${tot.n} |`, '');
    lines.push(`Served generation ${info.generation}, built ${info.builtAt}, corpus checksum ${info.corpusChecksum.slice(0, 12)}…`);
    if (bad.length) lines.push('', `Differences (${bad.length}):`, ...bad.slice(0, 20).map((b) => `- ${b}`));
    console.log(lines.join('\n'));
    await backend.close();
    if (bad.length) process.exitCode = 1;
  } finally {
    await db.close().catch(() => {});
    server?.stop();
    rmSync(indexDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
