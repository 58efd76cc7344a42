/**
 * The measuring loop: every query goes through every engine, interleaved query by query with the
 * engine order rotated, so machine drift and GC pauses hit all engines alike. The naive scan's
 * answer is the truth each other answer is judged against. Timings are wall-clock per call.
 *
 * test/scale/laws-slice.test.ts imports this module from the root install: it must not import any
 * package of bench/package.json (nor engines.ts, which does).
 */
import { performance } from 'node:perf_hooks';
import type { SearchRequest } from '../../../src/domain/types.js';
import type { SearchService } from '../../../src/search/service.js';
import { naiveScan, type Engine } from './engine-core.js';
import type { BenchQuery, QueryClassId } from './queries.js';
import { judge, type Judgement } from './stats.js';

/** An engine's id, or `service`: our full search (quoted phrase, ranking, facets, highlights, page of 20). */
export type ContestantId = Engine['id'] | 'service';

export interface Mismatch {
  engine: ContestantId;
  cls: QueryClassId;
  q: string;
  expected: number;
  got: number;
  note?: string;
}

export interface Measurements {
  /** Contestants in the order they were run. */
  ids: ContestantId[];
  /** Latency in ms of each query (by index in the query set), per contestant. */
  latency: Map<ContestantId, number[]>;
  /** Each answer judged against the truth, per contestant (the service: on its total only). */
  judgements: Map<ContestantId, Judgement[]>;
  /** Number of hits (truth size) of each query. */
  truthSizes: number[];
  /** Wrong answers of our engine (lookups, or quoted-search totals). */
  mismatches: Mismatch[];
  /** How the service counts an unquoted multi-word query: as the AND or the OR of its words. */
  serviceWords: { queries: number; equalsAnd: number; equalsOr: number };
}

const QUOTED = (q: BenchQuery) => q.cls !== 'and';

/** The request a user's search box sends: the phrase quoted, words as typed. */
export function serviceRequest(q: BenchQuery): SearchRequest {
  return { q: QUOTED(q) ? `"${q.q}"` : q.q, limit: 20, offset: 0, sort: 'relevance' };
}

interface MeasureOptions {
  engines: Engine[];
  service: SearchService;
  /** The ground truth texts (the naive engine's). */
  texts: readonly string[];
  warmup: number;
  progress?: (done: number, total: number) => void;
}

type Answer = ArrayLike<number> | { total: number } | Error;

/** Runs the query set through every engine and the service; returns latencies and judgements. */
export function measure(queries: readonly BenchQuery[], opts: MeasureOptions): Measurements {
  if (!opts.engines.some((e) => e.id === 'naive')) throw new Error('the naive scan is the ground truth and must run');
  type Run = { id: ContestantId; call: (q: BenchQuery) => Answer };
  const runs: Run[] = [
    ...opts.engines.map((e) => ({ id: e.id, call: (q: BenchQuery) => e.query(q.terms) })),
    { id: 'service', call: (q: BenchQuery) => opts.service.search(serviceRequest(q)) },
  ];
  const coverage = new Map<ContestantId, number>(opts.engines.map((e) => [e.id, e.coverage]));
  const m: Measurements = {
    ids: runs.map((r) => r.id),
    latency: new Map(runs.map((r) => [r.id, []])),
    judgements: new Map(runs.map((r) => [r.id, []])),
    truthSizes: [],
    mismatches: [],
    serviceWords: { queries: 0, equalsAnd: 0, equalsOr: 0 },
  };

  // Warm-up, not counted: lets the JIT compile every engine's hot path.
  const warm = Math.min(opts.warmup, queries.length);
  for (let i = 0; i < warm; i++) {
    const q = queries[Math.floor((i * queries.length) / warm)]!;
    for (const r of runs) tryCall(r.call, q);
  }

  queries.forEach((q, i) => {
    const answers = new Map<ContestantId, Answer>();
    for (let k = 0; k < runs.length; k++) {
      const r = runs[(i + k) % runs.length]!;
      const t0 = performance.now();
      const answer = tryCall(r.call, q);
      const ms = performance.now() - t0;
      answers.set(r.id, answer);
      m.latency.get(r.id)!.push(ms);
    }
    const truth = Array.from(answers.get('naive') as ArrayLike<number>);
    m.truthSizes.push(truth.length);
    for (const r of runs) {
      const answer = answers.get(r.id)!;
      const judgements = m.judgements.get(r.id)!;
      if (r.id === 'service') {
        judgements.push(judgeService(m, q, answer, truth, opts.texts));
        continue;
      }
      if (answer instanceof Error || !('length' in answer)) {
        judgements.push({ hits: 0, answered: 0, expected: truth.length, exact: truth.length === 0 });
        if (r.id === 'ours') m.mismatches.push({ engine: 'ours', cls: q.cls, q: q.q, expected: truth.length, got: -1, note: String(answer) });
        continue;
      }
      const cov = coverage.get(r.id) ?? truth.length;
      const j = judge(answer, cov >= opts.texts.length ? truth : truth.filter((n) => n < cov));
      judgements.push(j);
      if (r.id === 'ours' && !j.exact) m.mismatches.push({ engine: 'ours', cls: q.cls, q: q.q, expected: truth.length, got: j.answered });
    }
    opts.progress?.(i + 1, queries.length);
  });
  return m;
}

function tryCall(call: (q: BenchQuery) => Answer, q: BenchQuery): Answer {
  try {
    return call(q);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/**
 * A quoted search must count exactly the truth. An unquoted multi-word search is ranked, not
 * filtered: its total is compared with both the AND and the OR of the words, for the report.
 * Only the count is known (the page holds 20 hits), so the judgement is on totals.
 */
function judgeService(m: Measurements, q: BenchQuery, answer: Answer, truth: number[], texts: readonly string[]): Judgement {
  if (answer instanceof Error || !('total' in answer)) {
    const note = answer instanceof Error ? answer.message : 'no total';
    m.mismatches.push({ engine: 'service', cls: q.cls, q: q.q, expected: truth.length, got: -1, note });
    return { hits: 0, answered: 0, expected: truth.length, exact: false };
  }
  const total = answer.total;
  const exact = total === truth.length;
  const j: Judgement = { hits: Math.min(total, truth.length), answered: total, expected: truth.length, exact };
  if (QUOTED(q)) {
    if (!exact) m.mismatches.push({ engine: 'service', cls: q.cls, q: `"${q.q}"`, expected: truth.length, got: total });
    return j;
  }
  if (q.terms.length < 2) return j;
  m.serviceWords.queries++;
  if (exact) m.serviceWords.equalsAnd++;
  const union = new Set<number>();
  for (const t of q.terms) for (const n of naiveScan(texts, [t])) union.add(n);
  if (total === union.size) m.serviceWords.equalsOr++;
  return j;
}
