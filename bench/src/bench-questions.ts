/**
 * `npm run bench:questions -- [options]` — retrieval quality on natural-language questions (see
 * USAGE, and README "Performance").
 *
 * A program, not a test: it loads (or builds, when missing or stale) our index of the laws
 * corpus, maps every paragraph to its article (`民法典第五十四条`), builds a plain jieba-BM25
 * over the same articles as the baseline, then asks both engines the STARD training questions,
 * interleaved question by question after a warm-up, and scores their article rankings against
 * the judged articles. It prints Markdown tables and writes JSON + Markdown to bench/results/;
 * the questions ours misses go to a file in the system temp directory. It never asserts a figure.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { isAppError } from '../../src/domain/errors.js';
import type { SearchResponse } from '../../src/domain/types.js';
import { ensureIndex } from '../../src/indexing/pipeline.js';
import { SearchService } from '../../src/search/service.js';
import { REPO_ROOT, resolveCorpus } from './lib/corpus.js';
import { buildArticleMap, judgedKey, type ArticleMap } from './lib/questions-articles.js';
import { ArticleBm25 } from './lib/questions-bm25.js';
import { loadQuestions, STARD_TRAIN, type JudgedQuestion } from './lib/questions-data.js';
import {
  buildQuestionsReport,
  firstJudgedRank,
  renderQuestionsMarkdown,
  writeQuestionsResults,
  type QuestionOutcome,
  type QuestionsReport,
} from './lib/questions-report.js';

const DEFAULT_INDEX = join(tmpdir(), 'policy-search-bench', 'ours');
/** Questions run through both engines before measuring, not counted. */
const WARMUP = 20;
/** Articles the baseline returns per question (enough for Recall@100). */
const BASELINE_DEPTH = 100;

const USAGE = `usage: npm run bench:questions -- [options]

  --corpus DIR      corpus directory (default: ../shared/corpus/laws-zh.tar.xz unpacked once into
                    ${join(tmpdir(), 'policy-search-laws')})
  --index DIR       our index directory; built when missing, rebuilt when stale
                    (default ${DEFAULT_INDEX}, the scale benchmark's)
  --questions N     measure the first N questions (default: all of ${STARD_TRAIN})
  --limit L         paragraphs our search returns per question (default 100)
  --out DIR         results directory (default bench/results)
  -h, --help        this text`;

const log = (m: string) => console.error(m);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Options {
  corpus?: string;
  indexDir: string;
  questions: number | null;
  limit: number;
  out: string;
}

function readOptions(maxLimit: number): Options | null {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      index: { type: 'string' },
      questions: { type: 'string' },
      limit: { type: 'string', default: '100' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  const int = (name: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in ${min}…${max}, got "${raw}"`);
    return n;
  };
  return {
    corpus: values.corpus,
    indexDir: resolve(values.index ?? DEFAULT_INDEX),
    questions: values.questions === undefined ? null : int('questions', values.questions, 1),
    limit: int('limit', values.limit, 1, maxLimit),
    out: resolve(values.out),
  };
}

/** Distinct article keys of a response's hits in rank order; paragraphs outside articles dropped. */
function articlesOf(res: SearchResponse, docIndex: ReadonlyMap<string, number>, docStart: Uint32Array, articles: ArticleMap): string[] {
  const seen = new Set<number>();
  const out: string[] = [];
  for (const hit of res.hits) {
    const d = docIndex.get(hit.docId);
    const m = /-p(\d+)$/u.exec(hit.id);
    if (d === undefined || !m) continue;
    const key = articles.keyOf[docStart[d]! + Number(m[1])] ?? -1;
    if (key < 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(articles.keys[key]!);
  }
  return out;
}

/** The response's `mode` (how the question was read) when the service reports one. */
function modeOf(res: SearchResponse): string | null {
  const mode = (res as Partial<Record<'mode', unknown>>).mode;
  return typeof mode === 'string' ? mode : null;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const opts = readOptions(config.limits.maxApiLimit);
  if (!opts) {
    console.log(USAGE);
    return;
  }
  // Every response computed, none taken from the result cache.
  const limits = { ...config.limits, resultCacheSize: 0 };
  const corpus = resolveCorpus(opts.corpus, log);
  log(`corpus ${corpus.dir} (${corpus.origin}); index ${opts.indexDir}`);

  // 1. Our index, rebuilt when missing or stale.
  let t0 = performance.now();
  let lastLog = 0;
  const ensured = await ensureIndex({
    corpusDir: corpus.dir,
    indexDir: opts.indexDir,
    maxFileBytes: limits.maxFileBytes,
    rebuild: 'auto',
    log: (m) => (m.startsWith('warning:') ? undefined : log(m)),
    onProgress: (stage, done, total) => {
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`  ${stage} ${done}/${total}`);
      }
    },
  });
  const ensureIndexMs = performance.now() - t0;
  const built = ensured.built;
  log(`index ${ensured.rebuilt ? 'built' : 'loaded'} in ${seconds(ensureIndexMs)}: ${built.docs.length} documents, ${built.refs.length} paragraphs (${ensured.generation})`);

  // 2. The questions and the article key of every paragraph.
  const all = loadQuestions();
  const questions = opts.questions === null ? all : all.slice(0, opts.questions);
  t0 = performance.now();
  const articles = buildArticleMap(built);
  const keyMapMs = performance.now() - t0;
  log(`article keys: ${articles.keys.length} articles (${articles.unitKey.length} of documents), ${articles.paragraphsInArticles} of ${built.refs.length} paragraphs, in ${seconds(keyMapMs)}`);

  const judgedKeys = [...new Set(questions.flatMap((q) => q.keys))];
  const notFound = judgedKeys.filter((k) => !articles.ids.has(k));
  const unparsedNames = [...new Set(questions.flatMap((q) => q.names.filter((n) => judgedKey(n) === null)))];
  const laws = [...new Set(questions.flatMap((q) => q.laws))];
  const lawsNotFound = laws.filter((t) => !articles.titles.has(t));
  const judged: QuestionsReport['judged'] = {
    distinct: judgedKeys.length,
    found: judgedKeys.length - notFound.length,
    notFound: notFound.length,
    notFoundExamples: notFound.slice(0, 20),
    questionsWithAllFound: questions.filter((q) => q.keys.length > 0 && q.keys.every((k) => articles.ids.has(k))).length,
    unparsedNames,
    laws: laws.length,
    lawsFound: laws.length - lawsNotFound.length,
    lawsNotFound,
  };
  log(`judged laws found in the corpus: ${judged.lawsFound} / ${judged.laws}${lawsNotFound.length ? ` (not found: ${lawsNotFound.slice(0, 8).join(', ')})` : ''}`);
  log(`judged articles found in the corpus: ${judged.found} / ${judged.distinct}; not found: ${judged.notFound}${notFound.length ? ` (e.g. ${notFound.slice(0, 8).join(', ')})` : ''}`);

  // 3. The baseline over the same articles.
  t0 = performance.now();
  const normalized = built.index.normalized;
  const bm25 = new ArticleBm25({
    units: articles.unitKey.length,
    text: (u) => Array.from(articles.unitParagraphs[u]!, (n) => normalized[n]!).join(''),
    key: (u) => articles.unitKey[u]!,
  });
  const baselineBuildMs = performance.now() - t0;
  log(`baseline BM25 built in ${seconds(baselineBuildMs)}: ${bm25.vocabularySize} terms, ${bm25.postings} postings`);

  // 4. Ours.
  t0 = performance.now();
  const service = new SearchService(built, limits, ensured.manifest);
  service.warm();
  const serviceMs = performance.now() - t0;
  const docIndex = new Map(built.docs.map((d, i) => [d.id, i] as const));

  const runOurs = (q: JudgedQuestion) => {
    const started = performance.now();
    try {
      const res = service.search({ q: q.question, limit: opts.limit, offset: 0, sort: 'relevance' });
      const wallMs = performance.now() - started;
      return { keys: articlesOf(res, docIndex, built.docStart, articles), hits: res.hits.length, tookMs: res.tookMs as number | null, wallMs, error: null, mode: modeOf(res) };
    } catch (e) {
      const wallMs = performance.now() - started;
      const error = isAppError(e) ? e.code : `${e instanceof Error ? e.name : 'Error'}: ${e instanceof Error ? e.message : String(e)}`;
      return { keys: [] as string[], hits: 0, tookMs: null, wallMs, error, mode: null };
    }
  };
  const runBaseline = (q: JudgedQuestion) => {
    const started = performance.now();
    const keys = bm25.search(q.question, BASELINE_DEPTH).map((k) => articles.keys[k]!);
    return { keys, wallMs: performance.now() - started };
  };

  // 5. Warm-up (not counted), then every question through both engines, order alternating.
  const warm = Math.min(WARMUP, questions.length);
  for (let i = 0; i < warm; i++) {
    const q = questions[Math.floor((i * questions.length) / warm)]!;
    runOurs(q);
    runBaseline(q);
  }
  log(`measuring ${questions.length} questions × 2 engines (warm-up ${warm}) …`);
  const outcomes: QuestionOutcome[] = [];
  let step = 0;
  questions.forEach((q, i) => {
    let ours: ReturnType<typeof runOurs>;
    let base: ReturnType<typeof runBaseline>;
    if (i % 2 === 0) {
      ours = runOurs(q);
      base = runBaseline(q);
    } else {
      base = runBaseline(q);
      ours = runOurs(q);
    }
    outcomes.push({
      id: q.id,
      question: q.question,
      judged: q.keys,
      ours: ours.keys,
      baseline: base.keys,
      oursHits: ours.hits,
      oursTookMs: ours.tookMs,
      oursWallMs: ours.wallMs,
      baselineWallMs: base.wallMs,
      error: ours.error,
      mode: ours.mode,
    });
    if ((i + 1) * 10 >= (step + 1) * questions.length) log(`  ${i + 1}/${questions.length} (${++step * 10}%)`);
  });

  // 6. Figures.
  const date = new Date().toISOString();
  const report = buildQuestionsReport(
    {
      date,
      node: process.version,
      cpu: cpus()[0]?.model.trim() ?? 'unknown cpu',
      cores: cpus().length,
      memoryBytes: totalmem(),
      corpusDir: corpus.dir,
      corpusOrigin: corpus.origin,
      indexDir: opts.indexDir,
      generation: ensured.generation,
      indexRebuilt: ensured.rebuilt,
      questionsFile: STARD_TRAIN,
      questionsInFile: all.length,
      questions: questions.length,
      warmup: warm,
      limit: opts.limit,
      documents: built.docs.length,
      paragraphs: built.refs.length,
    },
    { ensureIndexMs, keyMapMs, baselineBuildMs, serviceMs },
    {
      keys: articles.keys.length,
      units: articles.unitKey.length,
      paragraphsInArticles: articles.paragraphsInArticles,
      baselineVocabulary: bm25.vocabularySize,
      baselinePostings: bm25.postings,
    },
    judged,
    outcomes,
  );
  const markdown = renderQuestionsMarkdown(report);
  console.log(markdown);
  const stamp = date.replace(/[:.]/g, '-');
  const paths = await writeQuestionsResults(opts.out, stamp, report, markdown);

  // 7. For development: the questions none of whose judged articles are in our first 10.
  const misses = outcomes.filter((o) => firstJudgedRank(o.ours.slice(0, 10), o.judged) === null);
  const missFile = join(tmpdir(), `policy-search-question-misses-${stamp}.jsonl`);
  await writeFile(
    missFile,
    misses
      .map((o) =>
        JSON.stringify({
          id: o.id,
          question: o.question,
          judged: o.judged,
          ours: o.ours.slice(0, 5),
          baseline: o.baseline.slice(0, 5),
          oursFirstJudged: firstJudgedRank(o.ours, o.judged),
          baselineFirstJudged: firstJudgedRank(o.baseline, o.judged),
          oursHits: o.oursHits,
          error: o.error,
        }),
      )
      .join('\n') + (misses.length ? '\n' : ''),
  );
  log(`results: ${paths.join(', ')}`);
  log(`${misses.length} questions without a judged article in our first 10: ${missFile}`);
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
