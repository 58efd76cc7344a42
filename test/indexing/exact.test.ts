/**
 * Property test of exactness: for a fixed-seed sample of random substrings of the seed paragraphs
 * (lengths 1–20, with and without punctuation, some crossing repaired page breaks, some re-typed
 * with other character widths or spaces), the index returns exactly the paragraphs a naive
 * normalized `includes` scan returns, and every highlight covers exactly the query.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/analysis/normalize.js';
import type { BuiltIndex } from '../../src/indexing/build.js';
import { highlightSpans } from '../../src/search/highlight.js';
import { seedIndex } from '../helpers/seeds.js';

let built: BuiltIndex;
let texts: string[];

beforeAll(async () => {
  ({ built } = await seedIndex());
  texts = built.refs.map((r) => built.docs[r.doc]!.paragraphs[r.para]!.text);
});

function naive(norm: string): number[] {
  const out: number[] = [];
  built.index.normalized.forEach((t, n) => {
    if (t.includes(norm)) out.push(n);
  });
  return out;
}

/** Re-types a string as a user might: full-width ASCII ↔ half-width, stray spaces. */
function retype(s: string, mode: number): string {
  if (mode === 1) return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  if (mode === 2) return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (mode === 3) return Array.from(s).join(' ');
  return s;
}

interface Sample {
  query: string;
  source: string;
}

const PUNCT = /[，。、；：（）()《》“”"]/u;

function samples(): Sample[] {
  const out: Sample[] = [];
  const rng = fc.sample(
    fc.record({ p: fc.nat(), start: fc.nat(), len: fc.integer({ min: 1, max: 20 }), mode: fc.integer({ min: 0, max: 3 }) }),
    { seed: 20201102, numRuns: 2400 },
  );
  for (const r of rng) {
    const text = texts[r.p % texts.length]!;
    if (!text.length) continue;
    const start = r.start % text.length;
    const source = text.slice(start, start + r.len);
    out.push({ query: retype(source, r.mode), source });
  }
  // Substrings crossing every repaired span (page-break joins, removed spaces, and → 和).
  built.docs.forEach((d) =>
    d.paragraphs.forEach((p) =>
      p.repairs.forEach((rep) => {
        for (const [before, after] of [[3, 3], [1, 5], [6, 2]] as const) {
          const s = Math.max(0, rep.start - before);
          const source = p.text.slice(s, rep.end + after);
          out.push({ query: source, source });
        }
      }),
    ),
  );
  return out;
}

describe('exact substring search over the seeds', () => {
  it('returns exactly the paragraphs a naive scan returns, for ≥2,000 random substrings', () => {
    const all = samples();
    expect(all.length).toBeGreaterThanOrEqual(2000);
    let withPunct = 0;
    let crossing = 0;
    for (const s of all) {
      const norm = normalizeForMatch(s.query);
      if (!norm) continue;
      if (PUNCT.test(s.source)) withPunct++;
      const got = built.index.containing(norm);
      const want = naive(norm);
      expect(got, `query ${JSON.stringify(s.query)}`).toEqual(want);
      expect(want.length, `source substring ${JSON.stringify(s.source)} must be found`).toBeGreaterThan(0);
    }
    built.docs.forEach((d) => d.paragraphs.forEach((p) => (crossing += p.repairs.length)));
    expect(withPunct).toBeGreaterThan(200);
    expect(crossing).toBeGreaterThan(10);
  });

  it('every highlight covers exactly the normalized query, one per occurrence', () => {
    const all = samples().slice(0, 600);
    for (const s of all) {
      const norm = normalizeForMatch(s.query);
      if (!norm) continue;
      for (const n of built.index.containing(norm)) {
        const text = texts[n]!;
        const spans = highlightSpans(text, [[[norm]]]);
        expect(spans.length).toBeGreaterThan(0);
        for (const [a, b] of spans) {
          // Overlapping occurrences merge into one span that starts and ends with the query.
          const covered = normalizeForMatch(text.slice(a, b));
          expect(covered.startsWith(norm) && covered.endsWith(norm), `${JSON.stringify(text.slice(a, b))} vs ${norm}`).toBe(true);
          if (covered.length === norm.length) expect(covered).toBe(norm);
        }
      }
    }
  });

  it('finds nothing for strings that are not in the corpus', () => {
    for (const q of ['量子纠缠', 'zzzz', '鹿城区天台县', '〔2099〕']) {
      const norm = normalizeForMatch(q);
      expect(built.index.containing(norm)).toEqual(naive(norm));
      expect(built.index.containing(norm)).toEqual([]);
    }
  });
});

describe('containingCounts', () => {
  it('finds what containingList finds, with each paragraph’s non-overlapping count', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 8 }), fc.nat(), (pick, len, at) => {
        const text = built.index.normalized[pick % built.index.normalized.length]!;
        if (!text) return;
        const start = at % text.length;
        const term = text.slice(start, start + len);
        const { list, tfs } = built.index.containingCounts(term);
        expect([...list]).toEqual([...built.index.containingList(term)]);
        if (!tfs) return;
        expect(tfs.length).toBe(list.length);
        list.forEach((n, i) => expect(tfs[i]).toBe(Math.min(255, built.index.termFrequency(n, term))));
      }),
      { seed: 11, numRuns: 400 },
    );
  });

  it.each(['公开', '政务公开', '2020年', '"', '的'])('%s', (term) => {
    const norm = normalizeForMatch(term);
    const { list, tfs } = built.index.containingCounts(norm);
    expect([...list]).toEqual(naive(norm));
    if (tfs) list.forEach((n, i) => expect(tfs[i]).toBe(Math.min(255, built.index.termFrequency(n, norm))));
  });
});

describe('containingAll', () => {
  /** Naive: the paragraphs whose text includes every term. */
  const naiveAll = (terms: string[]) => built.index.normalized.flatMap((t, n) => (terms.every((w) => t.includes(w)) ? [n] : []));

  it('finds the paragraphs holding every term, as a scan does (terms of 1–5 characters from one paragraph or two)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 5 }), fc.nat()), { minLength: 1, maxLength: 5 }), fc.boolean(), (picks, sameParagraph) => {
        const base = picks[0]![0];
        const terms = picks
          .map(([pick, len, at]) => {
            const text = built.index.normalized[(sameParagraph ? base : pick) % built.index.normalized.length]!;
            const start = text.length ? at % text.length : 0;
            return text.slice(start, start + len);
          })
          .filter((t) => t.length > 0);
        if (!terms.length) return;
        expect([...built.index.containingAll(terms)]).toEqual(naiveAll(terms));
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it.each([[['政务', '公开', '目录']], [['第一', '解读人']], [['公', '开']], [['公开', '量子']], [['2020', '年']]])('%j', (terms) => {
    expect([...built.index.containingAll(terms)]).toEqual(naiveAll(terms));
  });
});
