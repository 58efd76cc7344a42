/**
 * The benchmark's query set: drawn once from the corpus with a fixed seed, so every run and every
 * engine answers the same questions. Every query is a list of normalized strings; the answer is
 * the set of paragraphs containing all of them (one string: an exact phrase).
 *
 * test/scale/laws-slice.test.ts imports this module from the root install: it must not import any
 * package of bench/package.json.
 */
import { wordsOfNormalized } from '../../../src/analysis/analyzer.js';
import { normalizeForMatch } from '../../../src/analysis/normalize.js';

/** mulberry32: a tiny seeded PRNG, so every run draws the same queries. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type QueryClassId = 'len1' | 'len2' | 'len3-4' | 'len5-8' | 'len9-16' | 'and' | 'heavy';

export interface QueryClass {
  id: QueryClassId;
  label: string;
  /** Share of the query set. */
  weight: number;
}

export const QUERY_CLASSES: readonly QueryClass[] = [
  { id: 'len1', label: '1 char', weight: 0.12 },
  { id: 'len2', label: '2 chars', weight: 0.12 },
  { id: 'len3-4', label: '3–4 chars', weight: 0.14 },
  { id: 'len5-8', label: '5–8 chars', weight: 0.14 },
  { id: 'len9-16', label: '9–16 chars', weight: 0.14 },
  { id: 'and', label: '1–3 words (AND)', weight: 0.22 },
  { id: 'heavy', label: 'heavy (very many hits)', weight: 0.12 },
];

const LENGTHS: Partial<Record<QueryClassId, [number, number]>> = {
  len1: [1, 1],
  len2: [2, 2],
  'len3-4': [3, 4],
  'len5-8': [5, 8],
  'len9-16': [9, 16],
};

/**
 * Queries that match a large share of the paragraphs of Chinese laws and policy documents: the
 * worst cases for candidate lists, counting and ranking.
 */
export const HEAVY_QUERIES: readonly string[] = [
  '的',
  '应当',
  '规定',
  '国家',
  '第一条',
  '人民政府',
  '有关部门',
  '本条例',
  '本法',
  '管理',
  '或者',
  '依法',
  '县级以上',
  '单位',
  '进行',
  '法律',
  '责任',
  '违反',
  '工作',
  '按照',
];

export interface BenchQuery {
  cls: QueryClassId;
  /** The query as a user would type it: the phrase, or the words separated by spaces. */
  q: string;
  /** Normalized strings that must all occur in a paragraph. */
  terms: string[];
}

/** Quotes end a quoted query, so no phrase query may contain one. */
const QUOTE = /["'“”‘’「」『』]/u;
/** A query of punctuation only is not a search anyone types. */
const WORDLIKE = /[\p{L}\p{N}]/u;

/** How many queries of each class make up `total`. */
export function classQuotas(total: number): Map<QueryClassId, number> {
  const quotas = new Map<QueryClassId, number>();
  let left = total;
  QUERY_CLASSES.forEach((c, i) => {
    const n = i === QUERY_CLASSES.length - 1 ? left : Math.round(total * c.weight);
    quotas.set(c.id, n);
    left -= n;
  });
  return quotas;
}

/**
 * Draws `total` queries from the normalized paragraph texts with the given seed:
 * - random substrings of random paragraphs, per length class (code points), containing a letter
 *   or digit and no quote character;
 * - 1–3 distinct jieba words of one random paragraph (words as the analyzer cuts them);
 * - the heavy queries, in turn, as often as their share asks.
 */
export function drawQueries(normalized: readonly string[], total: number, seed: number): BenchQuery[] {
  const rand = mulberry32(seed);
  const pickIndex = (n: number) => Math.floor(rand() * n);
  const out: BenchQuery[] = [];
  for (const [cls, quota] of classQuotas(total)) {
    const lengths = LENGTHS[cls];
    let got = 0;
    for (let tries = 0; got < quota && tries < quota * 1000; tries++) {
      const text = normalized[pickIndex(normalized.length)];
      if (!text) continue;
      if (lengths) {
        const chars = Array.from(text);
        const [lo, hi] = lengths;
        const len = lo + pickIndex(hi - lo + 1);
        if (chars.length < len) continue;
        const at = pickIndex(chars.length - len + 1);
        const q = chars.slice(at, at + len).join('');
        if (QUOTE.test(q) || !WORDLIKE.test(q) || normalizeForMatch(q) !== q) continue;
        out.push({ cls, q, terms: [q] });
      } else if (cls === 'and') {
        const words = [...new Set(wordsOfNormalized(text).map((w) => w.text))].filter(
          (w) => WORDLIKE.test(w) && !QUOTE.test(w) && normalizeForMatch(w) === w,
        );
        const k = 1 + pickIndex(3);
        if (words.length < k) continue;
        const chosen: string[] = [];
        while (chosen.length < k) {
          const w = words.splice(pickIndex(words.length), 1)[0]!;
          chosen.push(w);
        }
        out.push({ cls, q: chosen.join(' '), terms: chosen });
      } else {
        const q = HEAVY_QUERIES[got % HEAVY_QUERIES.length]!;
        out.push({ cls, q, terms: [normalizeForMatch(q)] });
      }
      got++;
    }
  }
  return out;
}
