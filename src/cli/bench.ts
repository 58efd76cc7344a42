/**
 * `npm run bench -- [--corpus DIR] [--index DIR] [--queries N] [--seed S]`
 *
 * A benchmark program, not a test: it prints figures (build stages, index size, memory, query
 * latency medians/p95/max) and ratios against a naive scan measured in the same run, on the same
 * queries, interleaved query by query so machine drift hits both sides alike. It never asserts a
 * timing. It does assert exactness: every phrase lookup must return exactly the naive scan's set;
 * any mismatch is printed and the process exits with status 1.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { wordsOfNormalized } from '../analysis/analyzer.js';
import { normalizeForMatch } from '../analysis/normalize.js';
import { loadConfig } from '../config.js';
import { listCorpusFiles } from '../corpus/load.js';
import { ensureIndex } from '../indexing/pipeline.js';
import { currentGeneration, indexSize } from '../indexing/store.js';
import { compareScored, Ranker } from '../search/engine.js';
import { parseQuery } from '../search/query.js';
import { SearchService } from '../search/service.js';

/** mulberry32: a tiny seeded PRNG, so every run draws the same queries. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A forced full GC makes heap figures comparable; --expose-gc is set at run time for that. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ms = (t0: number) => performance.now() - t0;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
function memory(label: string): void {
  gc();
  const m = process.memoryUsage();
  console.log(`memory ${label}: heapUsed ${mb(m.heapUsed)}, rss ${mb(m.rss)}`);
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, ms(t0)];
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? sorted[0]!;
}

const fmt = (x: number) => (Number.isNaN(x) ? '-' : x < 10 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));

/** One table row: median, p95 and max of ours and of the baseline, and the median ratio. */
function row(label: string, ours: number[], base: number[] | null): string {
  const a = [...ours].sort((x, y) => x - y);
  const b = base ? [...base].sort((x, y) => x - y) : [];
  const cells = [label.padEnd(30), String(a.length).padStart(4)];
  for (const s of [a, b]) for (const q of [0.5, 0.95, 1]) cells.push(fmt(quantile(s, q)).padStart(9));
  cells.push((base ? `${(quantile(b, 0.5) / quantile(a, 0.5)).toFixed(1)}×` : '-').padStart(9));
  return cells.join(' ');
}
const HEADER = `${'kind'.padEnd(30)} ${'n'.padStart(4)} ${['med', 'p95', 'max'].map((s) => s.padStart(9)).join(' ')} ${['base med', 'base p95', 'base max'].map((s) => s.padStart(9)).join(' ')} ${'base/ours'.padStart(9)}`;

/** The baseline: scan every normalized paragraph with `includes`. */
function naiveScan(normalized: readonly string[], needle: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < normalized.length; i++) if (normalized[i]!.includes(needle)) out.push(i);
  return out;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Sizes of the index files, grouped by top-level entry, to show what the load has to read. */
function sizesByEntry(dir: string): string {
  const walk = (p: string): number => (statSync(p).isDirectory() ? readdirSync(p).reduce((s, e) => s + walk(join(p, e)), 0) : statSync(p).size);
  return readdirSync(dir).map((e) => `${e} ${mb(walk(join(dir, e)))}`).join(', ');
}

const BUCKETS: Array<[string, number, number]> = [
  ['1 char', 1, 1],
  ['2 chars', 2, 2],
  ['3 chars', 3, 3],
  ['4–8 chars', 4, 8],
  ['9–20 chars', 9, 20],
];
const FIXED = ['人民政府', '违反本法规定', '国务院有关部门', '的', '应当依法', '责任单位', '年底前'];
/** Characters that would change the meaning of a quoted query (quotes end it). */
const UNQUOTABLE = /["'「」“”]/u;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      index: { type: 'string' },
      queries: { type: 'string', default: '300' },
      seed: { type: 'string', default: '42' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: npm run bench -- [--corpus DIR] [--index DIR] [--queries N] [--seed S]');
    return;
  }
  const config = loadConfig();
  const corpusDir = values.corpus ? resolve(values.corpus) : config.corpusDir;
  const tempIndex = !values.index;
  const indexDir = values.index ? resolve(values.index) : mkdtempSync(join(tmpdir(), 'bench-index-'));
  const nQueries = Math.max(5, Number(values.queries) || 300);
  const seed = Number(values.seed) || 42;
  const opts = { corpusDir, indexDir, maxFileBytes: config.limits.maxFileBytes };
  console.log(`corpus ${corpusDir}\nindex  ${indexDir}\nqueries ${nQueries}, seed ${seed}, node ${process.version}\n`);

  // 1. Build. Stage boundaries come from the progress callback: loading ends when the first
  // document is parsed, indexing ends at the last paragraph, and the rest is saving.
  memory('at start');
  const marks: Record<string, number> = {};
  const t0 = performance.now();
  const build = await ensureIndex({
    ...opts,
    rebuild: 'always',
    onProgress: (stage, done, total) => {
      if (done === 1) marks[`${stage}Start`] ??= performance.now();
      if (done === total) marks[`${stage}End`] = performance.now();
    },
  });
  const tEnd = performance.now();
  const paragraphs = build.manifest.counts.paragraphs;
  const stage = (a: number | undefined, b: number | undefined) => (a && b ? `${((b - a) / 1000).toFixed(2)} s` : '-');
  console.log(`build: ${build.manifest.counts.documents} documents, ${paragraphs} paragraphs, total ${((tEnd - t0) / 1000).toFixed(2)} s`);
  console.log(`  load files ${stage(t0, marks.parseStart)} | parse ${stage(marks.parseStart, marks.parseEnd)} | index ${stage(marks.parseEnd, marks.indexEnd)} (first paragraph loads jieba) | save ${stage(marks.indexEnd, tEnd)}`);
  console.log(`index on disk: ${mb(await indexSize(indexDir))} (${sizesByEntry(join(indexDir, currentGeneration(indexDir) ?? 'missing'))})`);
  memory('after build');
  build.built.docs.length = 0; // drop the build's copy so the load's memory stands alone
  (build as { built: unknown }).built = null;
  gc(); // a server starts with an empty heap; don't let the dropped build slow the load's GCs

  // Cold load as a server start does it: manifest + corpus checksums, read the files, build the service.
  const tc0 = performance.now();
  await listCorpusFiles(corpusDir);
  const tList = ms(tc0);
  const tl0 = performance.now();
  const loaded = await ensureIndex({ ...opts, rebuild: 'auto' });
  const tLoad = ms(tl0);
  if (loaded.rebuilt) console.log('warning: the saved index was not reused (rebuilt on load)');
  const [service, tService] = time(() => new SearchService(loaded.built, config.limits, loaded.manifest));
  console.log(`cold load: ensureIndex ${fmt(tLoad)} ms (of which corpus listing + checksums ≈ ${fmt(tList)} ms), SearchService constructor ${fmt(tService)} ms`);
  memory('after load');

  const { index, docs, refs } = loaded.built;
  const normalized = index.normalized;
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const req = (q: string) => ({ q, limit: 20, offset: 0, sort: 'relevance' as const });

  // First query on a fresh service (jieba is already loaded here by the build in this process).
  const [, tFirst] = time(() => service.search(req('人民政府 工作')));
  console.log(`first query after load: ${fmt(tFirst)} ms\n`);

  // 2. Draw the phrase queries: substrings of random paragraphs' normalized text, per length bucket.
  const phrases: Array<{ bucket: string; q: string }> = [];
  const perBucket = Math.ceil(nQueries / BUCKETS.length);
  for (const [bucket, lo, hi] of BUCKETS) {
    for (let got = 0, tries = 0; got < perBucket && tries < perBucket * 200; tries++) {
      const chars = Array.from(pick(normalized));
      const len = lo + Math.floor(rand() * (hi - lo + 1));
      if (chars.length < len) continue;
      const at = Math.floor(rand() * (chars.length - len + 1));
      const q = chars.slice(at, at + len).join('');
      if (UNQUOTABLE.test(q) || normalizeForMatch(q) !== q) continue;
      phrases.push({ bucket, q });
      got++;
    }
  }
  // Two-word queries: two distinct CJK jieba words of one random paragraph.
  const wordQueries: string[] = [];
  for (let tries = 0; wordQueries.length < perBucket && tries < perBucket * 200; tries++) {
    const words = [...new Set(wordsOfNormalized(pick(normalized)).map((w) => w.text))].filter((w) => /^[\u4e00-\u9fff]{2,}$/u.test(w));
    if (words.length < 2) continue;
    const a = pick(words);
    const b = pick(words.filter((w) => w !== a));
    wordQueries.push(`${a} ${b}`);
  }

  // Warm-up (not counted): lets the JIT compile both hot loops before anything is measured.
  for (let i = 0; i < 20; i++) {
    const { q } = pick(phrases);
    index.containing(q);
    naiveScan(normalized, q);
  }

  // 3 + 4. Measure interleaved, alternating which side runs first; check exactness on every query.
  const lat: Record<string, { ours: number[]; base: number[] }> = {};
  const add = (k: string, ours: number, base: number) => {
    lat[k] ??= { ours: [], base: [] };
    lat[k].ours.push(ours);
    lat[k].base.push(base);
  };
  let mismatches = 0;
  let totalMismatches = 0;
  let queryErrors = 0;
  phrases.forEach(({ bucket, q }, i) => {
    let ours: number[];
    let base: number[];
    let tOurs: number;
    let tBase: number;
    if (i % 2 === 0) {
      [ours, tOurs] = time(() => index.containing(normalizeForMatch(q)));
      [base, tBase] = time(() => naiveScan(normalized, normalizeForMatch(q)));
    } else {
      [base, tBase] = time(() => naiveScan(normalized, normalizeForMatch(q)));
      [ours, tOurs] = time(() => index.containing(normalizeForMatch(q)));
    }
    add(`(a) containing ${bucket}`, tOurs, tBase);
    if (!sameList(ours, base)) {
      mismatches++;
      if (mismatches <= 10) console.log(`MISMATCH containing(${JSON.stringify(q)}): ours ${ours.length}, naive ${base.length}`);
    }
    try {
      const [res, tSearch] = time(() => service.search(req(`"${q}"`)));
      add(`(b) "phrase" search ${bucket}`, tSearch, tBase);
      // The service reports a quoted phrase's total: it should be the naive count too.
      if (res.total !== base.length) {
        totalMismatches++;
        if (totalMismatches <= 5) console.log(`note: search("${q}") total ${res.total} ≠ naive ${base.length}`);
      }
    } catch (e) {
      queryErrors++;
      if (queryErrors <= 5) console.log(`note: search("${q}") threw ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  for (const [i, q] of wordQueries.entries()) {
    const [a, b] = q.split(' ') as [string, string];
    const scan = () => normalized.reduce((c, t) => c + (t.includes(a) || t.includes(b) ? 1 : 0), 0);
    let tOurs: number;
    let tBase: number;
    if (i % 2 === 0) {
      tOurs = time(() => service.search(req(q)))[1];
      tBase = time(scan)[1];
    } else {
      tBase = time(scan)[1];
      tOurs = time(() => service.search(req(q)))[1];
    }
    add('(c) 2-word search', tOurs, tBase);
  }

  console.log(`latency in ms; base = naive includes() scan over ${normalized.length} paragraphs, same query, interleaved`);
  console.log(HEADER);
  for (const [k, v] of Object.entries(lat).sort(([x], [y]) => x.localeCompare(y))) console.log(row(k, v.ours, v.base));

  // (d) Fixed realistic queries, with a breakdown of where a search spends its time:
  // rank = Ranker.rank (matching + scoring), sort, and the rest (hits: highlights + citations; facets),
  // a difference of medians, so it can come out slightly negative for sub-millisecond queries.
  const ranker = new Ranker(loaded.built);
  const REPS = 3;
  console.log(`\n(d) fixed queries, median of ${REPS} runs, ms`);
  console.log(['query'.padEnd(16), 'hits', 'contain', 'naive', 'base/ours', '"search"', 'search', 'rank', 'sort', 'rest'].map((s, i) => (i ? s.padStart(9) : s)).join(' '));
  for (const q of FIXED) {
    const runs = (f: () => unknown) => {
      const ts = Array.from({ length: REPS }, () => time(f)[1]).sort((x, y) => x - y);
      return ts[Math.floor(REPS / 2)]!;
    };
    const norm = normalizeForMatch(q);
    const hits = index.containing(norm);
    if (!sameList(hits, naiveScan(normalized, norm))) {
      mismatches++;
      console.log(`MISMATCH containing(${JSON.stringify(q)})`);
    }
    const tC = runs(() => index.containing(norm));
    const tN = runs(() => naiveScan(normalized, norm));
    const tQ = runs(() => service.search(req(`"${q}"`)));
    const tS = runs(() => service.search(req(q)));
    const parsed = parseQuery(q, config.limits.maxQueryTerms);
    const ranked = ranker.rank(parsed, () => true);
    const tR = runs(() => ranker.rank(parsed, () => true));
    const tSort = runs(() => [...ranked].sort(compareScored));
    const cells = [hits.length, tC, tN, tN / tC, tQ, tS, tR, tSort, tS - tR - tSort].map((x, i) =>
      (i === 0 ? String(x) : i === 3 ? `${x.toFixed(0)}×` : fmt(x)).padStart(9),
    );
    console.log([q.padEnd(16 - q.length), ...cells].join(' '));
  }

  console.log(`\nexactness: ${phrases.length + FIXED.length} phrase lookups, ${mismatches} mismatches with the naive scan`);
  console.log(`search totals for quoted phrases ≠ naive count: ${totalMismatches}; queries that threw: ${queryErrors}`);
  console.log(`(${docs.length} documents, ${refs.length} paragraphs in the loaded index)`);
  if (tempIndex) rmSync(indexDir, { recursive: true, force: true });
  if (mismatches > 0) process.exit(1);
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
