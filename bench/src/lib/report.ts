/**
 * The benchmark's report: figures gathered into one JSON-able object, rendered as Markdown tables
 * (printed, and written beside the JSON under bench/results/).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContestantId, Measurements, Mismatch } from './measure.js';
import { QUERY_CLASSES, type BenchQuery, type QueryClassId } from './queries.js';
import { Quality, quantile, summarize, type LatencySummary } from './stats.js';

export interface EngineFigures {
  id: ContestantId;
  label: string;
  how: string;
  /** Build (and save) time, ms; null when not built in this run. */
  buildMs: number | null;
  buildNote?: string;
  /** Fresh-process load, ms, and the first query after it. */
  loadMs: number | null;
  firstQueryMs: number | null;
  sizeBytes: number | null;
  /** RSS of a fresh process holding only this engine, after a forced GC. */
  rss: number | null;
  heapUsed: number | null;
  /** Paragraphs indexed (a prefix of the corpus). */
  coverage: number;
}

export interface RunInfo {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  memoryBytes: number;
  corpusDir: string;
  corpusOrigin: string;
  documents: number;
  paragraphs: number;
  seed: number;
  queries: number;
  indexDir: string;
  /** RSS of a fresh probe process that loads nothing. */
  emptyProcessRss: number | null;
  /** Our build split into stages, ms. */
  oursBuildStages?: Record<string, number>;
}

interface Figures {
  latency: LatencySummary;
  quality: ReturnType<Quality['toJSON']>;
}

export interface BenchReport {
  info: RunInfo;
  engines: EngineFigures[];
  classes: Array<{ id: QueryClassId; label: string; queries: number; hitsMedian: number; hitsMax: number }>;
  results: Record<string, { overall: Figures & { queriesPerSecond: number }; byClass: Record<string, Figures> }>;
  /** Queries all of whose terms have ≥ 3 characters: those FTS5 trigram answers by itself. */
  trigramAnswerable: { queries: number; p50: Record<string, number> };
  summaryLine: string;
  mismatchCount: number;
  mismatches: Mismatch[];
  serviceWords: Measurements['serviceWords'];
  /** Quoted full searches (every class but the word queries) whose total equals the naive count. */
  serviceQuoted: { queries: number; exact: number };
  http?: unknown;
  /** Question latency (bench.ts stage 3b), when the question file exists. */
  questions?: unknown;
}

function figures(ids: number[], latency: number[], m: Measurements, id: ContestantId): Figures {
  const q = new Quality();
  const judgements = m.judgements.get(id)!;
  for (const i of ids) q.add(judgements[i]!);
  return { latency: summarize(ids.map((i) => latency[i]!)), quality: q.toJSON() };
}

const ORDER: ContestantId[] = ['ours', 'service', 'naive', 'fts5', 'fts5-like', 'flex-cjk'];

/** Gathers every figure of the run. */
export function buildReport(info: RunInfo, engines: EngineFigures[], queries: readonly BenchQuery[], m: Measurements): BenchReport {
  const ids = ORDER.filter((id) => m.ids.includes(id));
  const byClass = new Map<QueryClassId, number[]>();
  queries.forEach((q, i) => byClass.set(q.cls, [...(byClass.get(q.cls) ?? []), i]));
  const all = queries.map((_, i) => i);
  const results: BenchReport['results'] = {};
  for (const id of ids) {
    const latency = m.latency.get(id)!;
    const overall = figures(all, latency, m, id);
    results[id] = {
      overall: { ...overall, queriesPerSecond: overall.latency.totalMs > 0 ? (queries.length * 1000) / overall.latency.totalMs : NaN },
      byClass: Object.fromEntries([...byClass].map(([cls, qs]) => [cls, figures(qs, latency, m, id)])),
    };
  }
  const trigramIds = all.filter((i) => queries[i]!.terms.every((t) => Array.from(t).length >= 3));
  const p50 = Object.fromEntries(ids.map((id) => [id, quantile(trigramIds.map((i) => m.latency.get(id)![i]!).sort((a, b) => a - b), 0.5)]));
  const classes = QUERY_CLASSES.filter((c) => byClass.has(c.id)).map((c) => {
    const sizes = byClass.get(c.id)!.map((i) => m.truthSizes[i]!).sort((a, b) => a - b);
    return { id: c.id, label: c.label, queries: sizes.length, hitsMedian: quantile(sizes, 0.5), hitsMax: sizes[sizes.length - 1] ?? 0 };
  });
  const report: BenchReport = {
    info,
    engines: ids.map((id) => engines.find((e) => e.id === id)!).filter(Boolean),
    classes,
    results,
    trigramAnswerable: { queries: trigramIds.length, p50 },
    summaryLine: '',
    mismatchCount: m.mismatches.length,
    mismatches: m.mismatches.slice(0, 50),
    serviceWords: m.serviceWords,
    serviceQuoted: { queries: 0, exact: 0 },
  };
  const serviceJudgements = m.judgements.get('service') ?? [];
  queries.forEach((q, i) => {
    if (q.cls === 'and' || !serviceJudgements[i]) return;
    report.serviceQuoted.queries++;
    if (serviceJudgements[i].exact) report.serviceQuoted.exact++;
  });
  report.summaryLine = summaryLine(report);
  return report;
}

// ---------------------------------------------------------------------------------------------
// Formatting

export const fmtMs = (x: number | null | undefined): string =>
  x === null || x === undefined || Number.isNaN(x) ? '–' : x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
const fmtSeconds = (ms: number | null) => (ms === null ? '–' : ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
export const fmtMB = (bytes: number | null) => (bytes === null ? '–' : `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`);
const fmtRatio = (x: number) => (Number.isNaN(x) ? '–' : x >= 1 ? (x >= 10 ? x.toFixed(0) : x.toFixed(1)) : x.toFixed(2));
const fmt3 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));

/** "6.0× faster" / "1.3× slower" from base ÷ ours. */
const speedWord = (ratio: number) => (ratio >= 1 ? `${fmtRatio(ratio)}× faster` : `${fmtRatio(1 / ratio)}× slower`);

const labelOf = (r: BenchReport, id: string) => r.engines.find((e) => e.id === id)?.label ?? id;

/** "ours p50 = 0.07 ms: 180× faster than naive scan, 1.4× faster than …". */
function summaryLine(r: BenchReport): string {
  const ours = r.results.ours?.overall.latency.p50 ?? NaN;
  const parts = Object.keys(r.results)
    .filter((id) => id !== 'ours' && id !== 'service')
    .map((id) => {
      const ratio = r.results[id]!.overall.latency.p50 / ours;
      const name = labelOf(r, id).replace(/ \(ground truth\)$/, '') + (id === 'fts5' ? ' (whose empty answers to 1–2-character terms count too)' : '');
      return `${speedWord(ratio)} than ${name}`;
    });
  return `ours p50 = ${fmtMs(ours)} ms over all ${r.info.queries} queries: ${parts.join(', ')}`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** The report as Markdown: engines, quality per class, latency per class, the summary line last. */
export function renderMarkdown(r: BenchReport): string {
  const i = r.info;
  const ids = Object.keys(r.results);
  const out: string[] = [];
  out.push(
    `**Corpus** ${i.corpusDir} (${i.documents} documents, ${i.paragraphs} paragraphs) · **queries** ${i.queries} (seed ${i.seed}) · ` +
      `${i.cpu}, ${i.cores} cores, ${fmtMB(i.memoryBytes)} RAM · node ${i.node} · ${i.date}`,
  );
  out.push('');
  const emptyRss = i.emptyProcessRss;
  out.push(
    table(
      ['engine', 'build', 'load + 1st query', 'on disk', `RSS after load${emptyRss ? ` (empty process ${fmtMB(emptyRss)})` : ''}`, 'recall', 'precision', 'exact answers', 'p50 ms', 'p95 ms', 'p99 ms', 'queries/s'],
      ids.map((id) => {
        const e = r.engines.find((x) => x.id === id);
        const o = r.results[id]!.overall;
        const service = id === 'service';
        const exact = service ? `${r.serviceQuoted.exact}/${r.serviceQuoted.queries} quoted totals` : `${o.quality.exact}/${o.quality.queries}`;
        return [
          e?.label ?? id,
          service ? '(= ours)' : e?.buildMs != null ? fmtSeconds(e.buildMs) + (e.buildNote ? ` ${e.buildNote}` : '') : '–',
          service ? '(= ours)' : e?.loadMs != null ? `${fmtSeconds(e.loadMs)} + ${fmtMs(e.firstQueryMs)} ms` : '–',
          service ? '(= ours)' : fmtMB(e?.sizeBytes ?? null),
          service ? '(= ours)' : fmtMB(e?.rss ?? null),
          service ? '–' : fmt3(o.quality.recall),
          service ? '–' : fmt3(o.quality.precision),
          exact,
          fmtMs(o.latency.p50),
          fmtMs(o.latency.p95),
          fmtMs(o.latency.p99),
          o.queriesPerSecond >= 100 ? o.queriesPerSecond.toFixed(0) : o.queriesPerSecond.toFixed(1),
        ];
      }),
    ),
  );
  out.push('');
  const engineIds = ids.filter((id) => id !== 'service');
  out.push('Recall / precision against the naive scan, per query class (mean per query; – : every answer was empty):');
  out.push('');
  out.push(
    table(
      ['class', 'queries', 'hits median / max', ...engineIds.map((id) => labelOf(r, id))],
      r.classes.map((c) => [
        c.label,
        String(c.queries),
        `${c.hitsMedian} / ${c.hitsMax}`,
        ...engineIds.map((id) => {
          const q = r.results[id]!.byClass[c.id]!.quality;
          return `${fmt3(q.recall)} / ${fmt3(q.precision)}`;
        }),
      ]),
    ),
  );
  out.push('');
  out.push('Latency per query class, ms, p50 / p99 (the full search: quoted phrase, or the words as typed; ranking, facets, highlights, a page of 20):');
  out.push('');
  out.push(
    table(
      ['class', ...ids.map((id) => labelOf(r, id))],
      r.classes.map((c) => [c.label, ...ids.map((id) => {
        const l = r.results[id]!.byClass[c.id]!.latency;
        return `${fmtMs(l.p50)} / ${fmtMs(l.p99)}`;
      })]),
    ),
  );
  out.push('');
  const t = r.trigramAnswerable;
  if (t.p50.fts5 !== undefined && t.p50.ours !== undefined) {
    out.push(
      `On the ${t.queries} queries FTS5 trigram answers by itself (every term ≥ 3 characters): p50 ours ${fmtMs(t.p50.ours)} ms, ` +
        `FTS5 trigram ${fmtMs(t.p50.fts5)} ms: ours ${speedWord(t.p50.fts5! / t.p50.ours!)}.`,
    );
  }
  const w = r.serviceWords;
  if (w.queries) {
    out.push(
      `Full search of 2–3 unquoted words ranks paragraphs matching any of them: its total equals the OR count in ${w.equalsOr}/${w.queries} ` +
        `queries and the AND count in ${w.equalsAnd}/${w.queries}.`,
    );
  }
  out.push(`Exactness of ours (lookups and quoted-search totals against the naive scan): ${r.mismatchCount} mismatches.`);
  out.push('');
  out.push(r.summaryLine);
  return out.join('\n');
}

/** Writes `<stamp>.json`, `<stamp>.md` and `latest.json` into `outDir`; returns the paths. */
export async function writeResults(outDir: string, stamp: string, report: BenchReport, markdown: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const json = JSON.stringify(report, null, 1);
  const paths = [join(outDir, `${stamp}.json`), join(outDir, `${stamp}.md`), join(outDir, 'latest.json')];
  await writeFile(paths[0]!, json + '\n');
  await writeFile(paths[1]!, markdown + '\n');
  await writeFile(paths[2]!, json + '\n');
  return paths;
}
