/**
 * Keyword queries of several clauses find their full matches from the smallest clause that only
 * text matches, checking the others by cursor seeks and document metadata (engine.ts
 * fullMatches), instead of listing and marking every clause's paragraphs and context. The answer
 * must be the general path's, match for match and score for score: checked on queries drawn at
 * random (fixed seed) from the seeds and notices-dev — words of one paragraph (full matches),
 * of two paragraphs (often none: the partial answer), a title word with a body word (metadata
 * matches), OR and exclusions — with and without a filter, and the fast path must have answered
 * a good share of them.
 */
import { describe, expect, it, vi } from 'vitest';
import { wordsOfNormalized } from '../../src/analysis/analyzer.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { buildCorpusIndex } from '../../src/backends/postgres/index-corpus.js';
import type { BuiltIndex } from '../../src/indexing/build.js';
import { mulberry32 } from '../../bench/src/lib/queries.js';
import { ALLOW_ALL, Ranker, type RankedList } from '../../src/search/engine.js';
import { parseQuery } from '../../src/search/query.js';
import { seedIndex } from '../helpers/seeds.js';
import { missingData, NOTICES_DEV, suiteName } from '../helpers/shared-corpus.js';

const rows = (r: RankedList) => Array.from({ length: r.length }, (_, i) => r.at(i));

/** Queries of 2–3 clauses drawn from the index's own texts and titles. */
function drawQueries(built: BuiltIndex, count: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const texts = built.index.normalized;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const wordsOf = (text: string) => [...new Set(wordsOfNormalized(text).map((w) => w.text).filter((w) => w.length >= 2 && /\p{Script=Han}/u.test(w)))];
  const paragraphWords = () => {
    for (let tries = 0; tries < 50; tries++) {
      const words = wordsOf(texts[Math.floor(rand() * texts.length)]!);
      if (words.length >= 3) return words;
    }
    return ['公开', '工作'];
  };
  const out: string[] = [];
  while (out.length < count) {
    const kind = out.length % 5;
    const a = paragraphWords();
    if (kind === 0) out.push(`${pick(a)} ${pick(a)}`);
    else if (kind === 1) out.push(`${pick(a)} ${pick(a)} ${pick(a)}`);
    else if (kind === 2) out.push(`${pick(a)} ${pick(paragraphWords())}`);
    else if (kind === 3) {
      const title = wordsOf(pick(built.docs).meta.title ?? '');
      out.push(`${title.length ? pick(title) : pick(a)} ${pick(a)}`);
    } else out.push(`${pick(a)} OR ${pick(paragraphWords())} ${pick(a)} -${pick(paragraphWords())}`);
  }
  return out;
}

function compareOn(load: () => Promise<BuiltIndex>, seed: number): void {
  it('ranks every drawn query exactly as the general path, with and without a filter', async () => {
    const built = await load();
    const fast = new Ranker(built);
    const general = new Ranker(built, { fastPaths: false });
    const taken = vi.spyOn(fast as unknown as { fullMatches: (...args: unknown[]) => Uint32Array | null }, 'fullMatches');
    const everyThird = (n: number) => n % 3 !== 0;
    const queries = drawQueries(built, 150, seed);
    let answered = 0;
    for (const q of queries) {
      const parsed = parseQuery(q, DEFAULT_LIMITS.maxQueryTerms);
      for (const filter of [ALLOW_ALL, everyThird]) {
        const a = rows(fast.rank(parsed, filter));
        const b = rows(general.rank(parsed, filter));
        expect(a.map((x) => [x.n, x.tier, x.exact]), q).toEqual(b.map((x) => [x.n, x.tier, x.exact]));
        a.forEach((x, i) => expect(x.score, q).toBeCloseTo(b[i]!.score, 9));
      }
    }
    for (const r of taken.mock.results) if (r.type === 'return' && r.value) answered++;
    // The fast path must actually answer, not fall back every time.
    expect(answered).toBeGreaterThan(queries.length / 3);
  }, 120_000);
}

describe('Ranker full matches from the smallest clause: the seeds', () => {
  compareOn(async () => (await seedIndex()).built, 7);
});

const skip = missingData(NOTICES_DEV, '../shared/corpus/notices-dev');
describe.skipIf(skip !== null)(suiteName('Ranker full matches from the smallest clause: notices-dev', skip), () => {
  compareOn(async () => (await buildCorpusIndex({ corpusDir: NOTICES_DEV, maxFileBytes: DEFAULT_LIMITS.maxFileBytes })).built, 11);
});
