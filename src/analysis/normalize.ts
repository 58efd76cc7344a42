/**
 * Matching normalization: the one definition of "the same text" for documents and queries.
 *
 * Stored text keeps its original characters; matching runs on a normalized copy that
 * - folds full-width/half-width and other compatibility forms (NFKC, per character),
 * - lower-cases Latin letters,
 * - unifies bracket and quote variants that PDF extraction mixes (〔〕［］【】 → [], “” → ", ‘’ → '),
 * - drops all whitespace (so `2020 年` and `2020年`, or a phrase typed with spaces, match).
 * Every normalized character keeps the index of the original character it came from, so a
 * match in the normalized copy maps back to a highlight in the stored text.
 */

/** Characters folded beyond NFKC (applied after NFKC). */
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  '〔': '[',
  '〕': ']',
  '【': '[',
  '】': ']',
  '［': '[',
  '］': ']',
  '〖': '[',
  '〗': ']',
  '“': '"',
  '”': '"',
  '„': '"',
  '‟': '"',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '‛': "'",
  '〝': '"',
  '〞': '"',
  '—': '-',
  '–': '-',
  '―': '-',
  '－': '-',
  '﹣': '-',
  '·': '·',
  '•': '·',
  '・': '·',
};

const WHITESPACE = /[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/u;

export interface NormalizedText {
  /** The normalized text. */
  text: string;
  /**
   * `map[i]` is the index in the original text of the character that produced normalized
   * character `i`; `map[text.length]` is the original length (so end offsets map too).
   */
  map: Int32Array;
}

const foldCache = new Map<string, string>();

/** Normalizes one code point (as a string); returns '' for whitespace. */
export function foldChar(ch: string): string {
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  let out: string;
  if (WHITESPACE.test(ch)) out = '';
  else {
    out = '';
    for (const c of ch.normalize('NFKC').toLowerCase()) {
      if (WHITESPACE.test(c)) continue;
      out += EXTRA_FOLDS[c] ?? c;
    }
  }
  if (foldCache.size < 100_000) foldCache.set(ch, out);
  return out;
}

/** Normalizes text for matching and keeps a map back to original offsets. */
export function normalizeWithMap(original: string): NormalizedText {
  const parts: string[] = [];
  const map: number[] = [];
  let i = 0;
  for (const ch of original) {
    const folded = foldChar(ch);
    for (let k = 0; k < folded.length; k++) map.push(i);
    parts.push(folded);
    i += ch.length;
  }
  map.push(original.length);
  return { text: parts.join(''), map: Int32Array.from(map) };
}

/** Normalizes text for matching (no map). */
export function normalizeForMatch(original: string): string {
  let out = '';
  for (const ch of original) out += foldChar(ch);
  return out;
}

/**
 * Maps a `[start, end)` span of the normalized text back to the original text.
 * The end maps to just after the original character that produced normalized char `end - 1`.
 */
export function toOriginalSpan(n: NormalizedText, start: number, end: number, original: string): [number, number] {
  const s = n.map[start]!;
  if (end <= start) return [s, s];
  const lastSrc = n.map[end - 1]!;
  const cp = original.codePointAt(lastSrc)!;
  return [s, lastSrc + (cp > 0xffff ? 2 : 1)];
}

/** All start offsets of `needle` in `haystack` (overlapping occurrences included). */
export function findAll(haystack: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  let at = haystack.indexOf(needle);
  while (at !== -1) {
    out.push(at);
    at = haystack.indexOf(needle, at + 1);
  }
  return out;
}
