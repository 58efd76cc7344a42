/**
 * Figures of the question benchmark: retrieval quality of each engine against the judged
 * articles (Recall@10, Recall@100, MRR@10, questions without any result), latency, and the
 * rendering as Markdown and JSON.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fmtMB, fmtMs } from './report.js';
import { summarize, type LatencySummary } from './stats.js';

/** What one question got from both engines. */
export interface QuestionOutcome {
  id: number;
  question: string;
  /** Judged article keys (distinct). */
  judged: string[];
  /** Distinct article keys in rank order. */
  ours: string[];
  baseline: string[];
  /** Paragraphs our search returned (before mapping to articles). */
  oursHits: number;
  /** Server-side time our response reports; null when the search threw. */
  oursTookMs: number | null;
  oursWallMs: number;
  baselineWallMs: number;
  /** The error code (or message) when our search threw. */
  error: string | null;
  /** How our search read the question (`question` / `keywords`), when the response says. */
  mode: string | null;
}

export interface QualityFigures {
  questions: number;
  recallAt10: number;
  recallAt100: number;
  mrrAt10: number;
  /** Share of questions with no article at all (a thrown search included). */
  noResult: number;
  /** Mean number of distinct articles returned. */
  meanArticles: number;
}

/** Fraction of `judged` among the first `k` of `ranked`. */
export function recallAt(ranked: readonly string[], judged: readonly string[], k: number): number {
  if (judged.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return judged.filter((j) => top.has(j)).length / judged.length;
}

/** 1 / rank of the first judged article within the first `k`, else 0. */
export function reciprocalRankAt(ranked: readonly string[], judged: readonly string[], k: number): number {
  const set = new Set(judged);
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (set.has(ranked[i]!)) return 1 / (i + 1);
  return 0;
}

/** 1-based rank of the first judged article in `ranked`, or null. */
export function firstJudgedRank(ranked: readonly string[], judged: readonly string[]): number | null {
  const set = new Set(judged);
  const i = ranked.findIndex((k) => set.has(k));
  return i === -1 ? null : i + 1;
}

export function quality(outcomes: readonly QuestionOutcome[], pick: (o: QuestionOutcome) => string[]): QualityFigures {
  const n = outcomes.length;
  const mean = (f: (o: QuestionOutcome) => number) => (n ? outcomes.reduce((s, o) => s + f(o), 0) / n : NaN);
  return {
    questions: n,
    recallAt10: mean((o) => recallAt(pick(o), o.judged, 10)),
    recallAt100: mean((o) => recallAt(pick(o), o.judged, 100)),
    mrrAt10: mean((o) => reciprocalRankAt(pick(o), o.judged, 10)),
    noResult: mean((o) => (pick(o).length === 0 ? 1 : 0)),
    meanArticles: mean((o) => pick(o).length),
  };
}

export interface QuestionsReport {
  info: {
    date: string;
    node: string;
    cpu: string;
    cores: number;
    memoryBytes: number;
    corpusDir: string;
    corpusOrigin: string;
    indexDir: string;
    generation: string;
    /** Whether this run rebuilt the index (missing or stale). */
    indexRebuilt: boolean;
    questionsFile: string;
    questionsInFile: number;
    questions: number;
    warmup: number;
    limit: number;
    documents: number;
    paragraphs: number;
  };
  /** Preparation times, ms. */
  setup: { ensureIndexMs: number; keyMapMs: number; baselineBuildMs: number; serviceMs: number };
  articles: {
    /** Distinct article keys in the corpus, and the per-document articles behind them. */
    keys: number;
    units: number;
    paragraphsInArticles: number;
    baselineVocabulary: number;
    baselinePostings: number;
  };
  /** Judged articles (distinct keys over the questions measured) found in the corpus. */
  judged: {
    distinct: number;
    found: number;
    notFound: number;
    notFoundExamples: string[];
    questionsWithAllFound: number;
    /** Judged names that name no article (no trailing 第…条). */
    unparsedNames: string[];
    /** Distinct judged laws (titles), and those with a document of that title in the corpus. */
    laws: number;
    lawsFound: number;
    lawsNotFound: string[];
  };
  quality: { ours: QualityFigures; baseline: QualityFigures; ratio: { recallAt10: number; recallAt100: number; mrrAt10: number } };
  latency: { oursTookMs: LatencySummary; oursWallMs: LatencySummary; baselineWallMs: LatencySummary };
  /** Our searches that threw, by error code. */
  errors: Record<string, number>;
  /** How our search read the questions (response `mode`), when it says. */
  modes: Record<string, number>;
}

const countBy = (values: Array<string | null>) => {
  const out: Record<string, number> = {};
  for (const v of values) if (v !== null) out[v] = (out[v] ?? 0) + 1;
  return out;
};

export function buildQuestionsReport(
  info: QuestionsReport['info'],
  setup: QuestionsReport['setup'],
  articles: QuestionsReport['articles'],
  judged: QuestionsReport['judged'],
  outcomes: readonly QuestionOutcome[],
): QuestionsReport {
  const ours = quality(outcomes, (o) => o.ours);
  const baseline = quality(outcomes, (o) => o.baseline);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
  return {
    info,
    setup,
    articles,
    judged,
    quality: {
      ours,
      baseline,
      ratio: {
        recallAt10: ratio(ours.recallAt10, baseline.recallAt10),
        recallAt100: ratio(ours.recallAt100, baseline.recallAt100),
        mrrAt10: ratio(ours.mrrAt10, baseline.mrrAt10),
      },
    },
    latency: {
      oursTookMs: summarize(outcomes.flatMap((o) => (o.oursTookMs === null ? [] : [o.oursTookMs]))),
      oursWallMs: summarize(outcomes.map((o) => o.oursWallMs)),
      baselineWallMs: summarize(outcomes.map((o) => o.baselineWallMs)),
    },
    errors: countBy(outcomes.map((o) => o.error)),
    modes: countBy(outcomes.map((o) => o.mode)),
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting

const fmt3 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));
const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

export function renderQuestionsMarkdown(r: QuestionsReport): string {
  const i = r.info;
  const q = r.quality;
  const out: string[] = [];
  out.push(
    `**Questions** ${i.questions} of ${i.questionsInFile} (STARD training split; warm-up ${i.warmup}) · **corpus** ${i.corpusDir} ` +
      `(${i.documents} documents, ${i.paragraphs} paragraphs, ${r.articles.keys} articles) · ours: ${i.limit} paragraphs per question · ` +
      `${i.cpu}, ${i.cores} cores, ${fmtMB(i.memoryBytes)} RAM · node ${i.node} · ${i.date}`,
  );
  out.push('');
  out.push(
    `Judged laws found in the corpus: ${r.judged.lawsFound} of ${r.judged.laws}` +
      `${r.judged.lawsNotFound.length ? ` (not found: ${r.judged.lawsNotFound.slice(0, 5).join('、')})` : ''}. ` +
      `Judged articles found: ${r.judged.found} of ${r.judged.distinct} distinct (${r.judged.notFound} not found` +
      `${r.judged.notFoundExamples.length ? `, e.g. ${r.judged.notFoundExamples.slice(0, 5).join('、')}` : ''}); ` +
      `questions all of whose judged articles are in the corpus: ${r.judged.questionsWithAllFound} of ${i.questions}.`,
  );
  out.push('');
  out.push(
    table(
      ['engine', 'Recall@10', 'Recall@100', 'MRR@10', 'no result', 'articles returned (mean)'],
      [
        ['ours (SearchService, relevance)', fmt3(q.ours.recallAt10), fmt3(q.ours.recallAt100), fmt3(q.ours.mrrAt10), pct(q.ours.noResult), q.ours.meanArticles.toFixed(1)],
        ['baseline (jieba BM25 over articles)', fmt3(q.baseline.recallAt10), fmt3(q.baseline.recallAt100), fmt3(q.baseline.mrrAt10), pct(q.baseline.noResult), q.baseline.meanArticles.toFixed(1)],
        ['ours / baseline', fmt3(q.ratio.recallAt10), fmt3(q.ratio.recallAt100), fmt3(q.ratio.mrrAt10), '', ''],
      ],
    ),
  );
  out.push('');
  const l = r.latency;
  const row = (name: string, s: LatencySummary) => [name, String(s.n), fmtMs(s.p50), fmtMs(s.p95), fmtMs(s.p99), fmtMs(s.max), fmtMs(s.mean)];
  out.push('Latency per question, ms:');
  out.push('');
  out.push(
    table(
      ['', 'questions', 'p50', 'p95', 'p99', 'max', 'mean'],
      [row('ours: tookMs (server-side)', l.oursTookMs), row('ours: wall time of search()', l.oursWallMs), row('baseline: wall time (analysis + scoring + top 100)', l.baselineWallMs)],
    ),
  );
  out.push('');
  const errors = Object.entries(r.errors);
  out.push(`Our searches that threw (counted as no result): ${errors.length ? errors.map(([c, n]) => `${c} × ${n}`).join(', ') : 'none'}.`);
  const modes = Object.entries(r.modes);
  if (modes.length) out.push(`How our search read the questions: ${modes.map(([m, n]) => `${m} ${n}`).join(', ')}.`);
  const s = r.setup;
  out.push(
    `Setup: index ${i.indexRebuilt ? 'rebuilt' : 'loaded'} in ${secs(s.ensureIndexMs)}, article keys of every paragraph ${secs(s.keyMapMs)}, ` +
      `baseline built in ${secs(s.baselineBuildMs)} (${r.articles.units} articles of documents, ${r.articles.baselineVocabulary} terms, ` +
      `${r.articles.baselinePostings} postings), SearchService ${secs(s.serviceMs)}.`,
  );
  return out.join('\n');
}

/** Writes `questions-<stamp>.json`, `questions-<stamp>.md` and `questions-latest.json`; returns the paths. */
export async function writeQuestionsResults(outDir: string, stamp: string, report: QuestionsReport, markdown: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const json = JSON.stringify(report, null, 1) + '\n';
  const paths = [join(outDir, `questions-${stamp}.json`), join(outDir, `questions-${stamp}.md`), join(outDir, 'questions-latest.json')];
  await writeFile(paths[0]!, json);
  await writeFile(paths[1]!, markdown + '\n');
  await writeFile(paths[2]!, json);
  return paths;
}
