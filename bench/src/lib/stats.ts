/**
 * Latency percentiles and answer quality against the ground truth, accumulated per engine and
 * query class.
 */

/** The q-quantile of ascending `sorted` (nearest rank); NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** Sum of all latencies, ms. */
  totalMs: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const s = [...samples].sort((a, b) => a - b);
  const totalMs = s.reduce((a, b) => a + b, 0);
  return {
    n: s.length,
    p50: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    p99: quantile(s, 0.99),
    max: s.length ? s[s.length - 1]! : NaN,
    mean: s.length ? totalMs / s.length : NaN,
    totalMs,
  };
}

/** How one answer compares with the truth. */
export interface Judgement {
  /** Paragraphs both in the answer and in the truth. */
  hits: number;
  answered: number;
  expected: number;
  exact: boolean;
}

/**
 * Compares an answer with the truth (ascending, already restricted to the engine's coverage) as
 * sets. Paragraph numbers outside the coverage in the answer count as wrong.
 */
export function judge(answer: ArrayLike<number>, truth: readonly number[]): Judgement {
  const truthSet = new Set(truth);
  const seen = new Set<number>();
  let hits = 0;
  for (let i = 0; i < answer.length; i++) {
    const n = Number(answer[i]);
    if (seen.has(n)) continue;
    seen.add(n);
    if (truthSet.has(n)) hits++;
  }
  return { hits, answered: seen.size, expected: truth.length, exact: hits === truth.length && seen.size === truth.length };
}

/** Quality over a set of queries: per-query recall and precision averaged (macro), exact answers. */
export class Quality {
  private recallSum = 0;
  private precisionSum = 0;
  private precisionN = 0;
  queries = 0;
  exact = 0;
  /** Queries answered with nothing although the truth was not empty. */
  empty = 0;

  add(j: Judgement): void {
    this.queries++;
    if (j.exact) this.exact++;
    this.recallSum += j.expected ? j.hits / j.expected : 1;
    if (j.answered) {
      this.precisionSum += j.hits / j.answered;
      this.precisionN++;
    } else if (j.expected) this.empty++;
  }

  /** Mean recall per query (a query with an empty truth has recall 1). */
  get recall(): number {
    return this.queries ? this.recallSum / this.queries : NaN;
  }

  /** Mean precision over the queries that returned something; NaN when none did. */
  get precision(): number {
    return this.precisionN ? this.precisionSum / this.precisionN : NaN;
  }

  toJSON() {
    return { queries: this.queries, recall: this.recall, precision: this.precision, exact: this.exact, empty: this.empty };
  }
}
