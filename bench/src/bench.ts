/**
 * `npm run bench -- [options]` — the scale benchmark (see USAGE, and README "Performance").
 *
 * A program, not a test: it builds (or reuses) our index and the baselines' indexes from the same
 * normalized paragraphs, loads each engine in a fresh child process for its load time and RSS,
 * then runs one fixed-seed query set through every engine in this process, interleaved query by
 * query, and judges every answer against the naive scan. It prints Markdown tables and writes
 * JSON + Markdown to bench/results/. It never asserts a timing; it exits 1 when our engine
 * returns a wrong answer (a lookup, or the total of a quoted search).
 */
import { writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../../src/config.js';
import { REPO_ROOT, resolveCorpus } from './lib/corpus.js';
import type { BenchDirs, Engine, EngineId } from './lib/engine-core.js';
import { engineSpec, oursEngine } from './lib/engines.js';
import { renderHttp, runHttpBench } from './lib/http.js';
import { measure } from './lib/measure.js';
import { measureQuestions, renderQuestionLatency } from './lib/question-latency.js';
import { probeEngine } from './lib/memory.js';
import { prepareBaselines, prepareOurs } from './lib/prepare.js';
import { drawQueries } from './lib/queries.js';
import { buildReport, renderMarkdown, writeResults, type EngineFigures } from './lib/report.js';

const USAGE = `usage: npm run bench -- [options]

  --corpus DIR      corpus directory (default: ../shared/corpus/laws-zh.tar.xz unpacked once into
                    ${join(tmpdir(), 'policy-search-laws')})
  --index DIR       where our index (DIR/ours) and the baselines (DIR/baselines) are kept
                    (default ${join(tmpdir(), 'policy-search-bench')})
  --skip-build      reuse the indexes saved by an earlier run (rebuilds a baseline whose source differs)
  --queries N       queries in all (default 1200; at least 1,000 for the published figures)
  --seed S          query seed (default 42)
  --engines LIST    comma-separated subset of ours,naive,fts5,fts5-like,flex-cjk (ours and naive always run)
  --flex-cap N      index only the first N paragraphs in flexsearch-CJK (default: all)
  --warmup N        queries run through every engine before measuring (default 50)
  --out DIR         results directory (default bench/results)
  --no-http         skip the HTTP load test (it runs last by default)
  --duration S      HTTP load test duration in seconds (default 20)
  --connections N   HTTP connections (default 10)
  --result-cache N  the server's RESULT_CACHE_SIZE in the HTTP test (default 0: every response computed)
  -h, --help        this text`;

const ALL_ENGINES: EngineId[] = ['ours', 'naive', 'fts5', 'fts5-like', 'flex-cjk'];

/** A forced full GC before memory figures and large allocations; --expose-gc is set at run time. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const log = (m: string) => console.error(m);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Options {
  corpus?: string;
  indexRoot: string;
  skipBuild: boolean;
  queries: number;
  seed: number;
  engines: EngineId[];
  flexCap?: number;
  warmup: number;
  out: string;
  http: boolean;
  duration: number;
  connections: number;
  resultCache: number;
}

function readOptions(): Options | null {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      index: { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
      queries: { type: 'string', default: '1200' },
      seed: { type: 'string', default: '42' },
      engines: { type: 'string', default: ALL_ENGINES.join(',') },
      'flex-cap': { type: 'string' },
      warmup: { type: 'string', default: '50' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results') },
      http: { type: 'boolean', default: true },
      'no-http': { type: 'boolean', default: false },
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '10' },
      'result-cache': { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  const int = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
    return n;
  };
  const engines = values.engines.split(',').map((s) => s.trim()).filter(Boolean) as EngineId[];
  for (const e of engines) if (!ALL_ENGINES.includes(e)) throw new Error(`unknown engine "${e}" (known: ${ALL_ENGINES.join(', ')})`);
  return {
    corpus: values.corpus,
    indexRoot: resolve(values.index ?? join(tmpdir(), 'policy-search-bench')),
    skipBuild: values['skip-build'],
    queries: int('queries', values.queries, 10),
    seed: int('seed', values.seed, 0),
    engines: ALL_ENGINES.filter((e) => e === 'ours' || e === 'naive' || engines.includes(e)),
    flexCap: values['flex-cap'] === undefined ? undefined : int('flex-cap', values['flex-cap'], 1),
    warmup: int('warmup', values.warmup, 0),
    out: resolve(values.out),
    http: values.http && !values['no-http'],
    duration: int('duration', values.duration, 1),
    connections: int('connections', values.connections, 1),
    resultCache: int('result-cache', values['result-cache'], 0),
  };
}

async function main(): Promise<void> {
  const opts = readOptions();
  if (!opts) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  const corpus = resolveCorpus(opts.corpus, log);
  const base = {
    corpusDir: corpus.dir,
    indexDir: join(opts.indexRoot, 'ours'),
    baselineDir: join(opts.indexRoot, 'baselines'),
    // The full-search row measures a search, not a lookup in the service's result cache.
    limits: { ...config.limits, resultCacheSize: 0 },
    flexCap: opts.flexCap,
  };
  log(`corpus ${corpus.dir} (${corpus.origin}); indexes under ${opts.indexRoot}`);

  // 1. Build or load.
  const prep = { ...opts, log, gc };
  const ours = await prepareOurs(prep, base);
  const dirs: BenchDirs = { ...base, paragraphs: ours.built.index.normalized.length };
  const baselineMeta = await prepareBaselines(prep, dirs, ours.built, ours.generation);

  // 2. Load time and RSS of each engine, each in a fresh process.
  const firstQuery = ['人民政府'];
  gc();
  const empty = await probeEngine('none', dirs, firstQuery);
  const figures: EngineFigures[] = [];
  for (const id of opts.engines) {
    const spec = engineSpec(id);
    log(`probing ${spec.label} in a fresh process …`);
    const p = await probeEngine(id, dirs, firstQuery);
    log(`  load ${seconds(p.loadMs)}, first query ${p.firstQueryMs.toFixed(2)} ms, rss ${(p.rss / 1048576).toFixed(0)} MB`);
    const buildMs = id === 'ours' ? ours.buildMs : (baselineMeta.buildMs[id] ?? baselineMeta.buildMs[id === 'fts5-like' ? 'fts5' : id] ?? null);
    figures.push({
      id,
      label: spec.label,
      how: spec.how,
      buildMs,
      buildNote: id === 'fts5-like' ? '(same db)' : id === 'ours' ? ours.buildNote : undefined,
      loadMs: p.loadMs,
      firstQueryMs: p.firstQueryMs,
      sizeBytes: await spec.sizeBytes(dirs),
      rss: p.rss,
      heapUsed: p.heapUsed,
      coverage: id === 'flex-cjk' ? Math.min(dirs.paragraphs, opts.flexCap ?? dirs.paragraphs) : dirs.paragraphs,
    });
  }
  figures.push({
    id: 'service',
    label: 'ours: full search',
    how: 'SearchService.search: quoted phrase (words as typed for AND), ranking, facets, highlights, page of 20',
    buildMs: null,
    loadMs: null,
    firstQueryMs: null,
    sizeBytes: null,
    rss: null,
    heapUsed: null,
    coverage: dirs.paragraphs,
  });

  // 3. Load the baselines here too, then measure.
  const engines: Engine[] = [oursEngine(ours.built)];
  for (const id of opts.engines) if (id !== 'ours') engines.push(await engineSpec(id).load(dirs));
  const texts = ours.built.index.normalized;
  const queries = drawQueries(texts, opts.queries, opts.seed);
  log(`measuring ${queries.length} queries × ${engines.length + 1} contestants (warm-up ${opts.warmup}) …`);
  gc();
  let step = 0;
  const m = measure(queries, {
    engines,
    service: ours.service,
    texts,
    warmup: opts.warmup,
    progress: (done, total) => {
      if (done * 10 >= (step + 1) * total) log(`  ${done}/${total} (${++step * 10}%)`);
    },
  });

  const report = buildReport(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model.trim() ?? 'unknown cpu',
      cores: cpus().length,
      memoryBytes: totalmem(),
      corpusDir: corpus.dir,
      corpusOrigin: corpus.origin,
      documents: ours.built.docs.length,
      paragraphs: dirs.paragraphs,
      seed: opts.seed,
      queries: queries.length,
      indexDir: opts.indexRoot,
      emptyProcessRss: empty.rss,
      oursBuildStages: ours.stages,
    },
    figures,
    queries,
    m,
  );
  let markdown = renderMarkdown(report);
  // 3b. Questions as people type them, through the same service (skipped without the question
  // file), once the baselines are closed: their indexes (flexsearch's alone is ~400 MB of small
  // objects) would otherwise make every garbage collection of this process slower.
  for (const e of engines) e.close();
  engines.length = 0;
  gc();
  log('timing the STARD questions through the full search …');
  const questions = measureQuestions(ours.service, opts.warmup);
  if (questions) {
    report.questions = questions;
    markdown = markdown.replace(report.summaryLine, `${renderQuestionLatency(questions)}\n\n${report.summaryLine}`);
  } else log('  no question file: skipped');
  const stamp = report.info.date.replace(/[:.]/g, '-');
  console.log(markdown);
  for (const mm of report.mismatches.slice(0, 10)) log(`MISMATCH ${mm.engine} ${mm.cls} ${JSON.stringify(mm.q)}: expected ${mm.expected}, got ${mm.got}${mm.note ? ` (${mm.note})` : ''}`);
  let paths = await writeResults(opts.out, stamp, report, markdown);

  // 4. HTTP load test against the server on the same index.
  if (opts.http) {
    gc();
    const http = await runHttpBench({
      corpusDir: corpus.dir,
      indexDir: dirs.indexDir,
      durationSec: opts.duration,
      connections: opts.connections,
      seed: opts.seed,
      requests: 500,
      resultCache: opts.resultCache,
      queries,
      log,
    });
    report.http = http;
    const httpMd = renderHttp(http);
    console.log(`\n${httpMd}`);
    // The summary line stays the last line of the Markdown file.
    markdown = markdown.replace(report.summaryLine, `${httpMd}\n\n${report.summaryLine}`);
    paths = await writeResults(opts.out, stamp, report, markdown);
    await writeFile(join(opts.out, 'http-latest.json'), JSON.stringify(http, null, 1) + '\n');
  }
  log(`results: ${paths.join(', ')}`);
  if (report.mismatchCount > 0) {
    log(`${report.mismatchCount} wrong answers from our engine`);
    process.exit(1);
  }
  // Child processes and sockets are closed; exit without waiting for stray handles.
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
