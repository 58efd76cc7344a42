/**
 * The one analyzer used to build the index and to read queries, so they can never disagree:
 * normalize (see normalize.ts) → jieba words (segmenter.ts) → filters; and, for exact matching,
 * character unigrams and bigrams of the normalized text.
 */
import { normalizeWithMap, type NormalizedText } from './normalize.js';
import { cutSearchWords, cutWords, readDataLines, SEGMENTER_CONFIG } from './segmenter.js';

/** A word with offsets into the normalized text it came from. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

/** Bump when any analysis rule changes: the index manifest records it and rebuilds on mismatch. */
export const ANALYZER_VERSION = 3;

export const ANALYZER_CONFIG = {
  version: ANALYZER_VERSION,
  normalize: 'nfkc+lower+brackets/quotes+drop-whitespace',
  segmenter: SEGMENTER_CONFIG,
  grams: 'unigram+bigram',
  wordFilters: ['drop-punctuation', 'merge-ascii-runs', 'stopwords:data/stopwords.txt'],
} as const;

let stopwords: Set<string> | null = null;
function isStopword(w: string): boolean {
  stopwords ??= new Set(readDataLines('data/stopwords.txt'));
  return stopwords.has(w);
}

const WORDLIKE = /[\p{L}\p{N}]/u;
const ASCII_ALNUM = /^[a-z0-9]+$/;

/**
 * Segments already-normalized text into ranking words: jieba cut, ASCII letter/digit runs merged
 * (HMM-off jieba splits `2020` into digits), punctuation and stopwords dropped.
 */
export function wordsOfNormalized(norm: string): Token[] {
  const pieces = cutWords(norm);
  const out: Token[] = [];
  let pos = 0;
  let pending: Token | null = null;
  const flush = () => {
    if (pending && !isStopword(pending.text)) out.push(pending);
    pending = null;
  };
  for (const piece of pieces) {
    const start = pos;
    pos += piece.length;
    if (ASCII_ALNUM.test(piece)) {
      if (pending && ASCII_ALNUM.test(pending.text) && pending.end === start) {
        pending = { text: pending.text + piece, start: pending.start, end: pos };
        continue;
      }
      flush();
      pending = { text: piece, start, end: pos };
      continue;
    }
    flush();
    if (!WORDLIKE.test(piece)) continue;
    pending = { text: piece, start, end: pos };
  }
  flush();
  return out;
}

/**
 * The dictionary words inside a long word (`决策公开` → `决策`, `公开`), for partial matching of
 * query words against documents that phrase things differently. Empty when there are none.
 */
export function subWords(word: string): string[] {
  if (Array.from(word).length < 3) return [];
  const inner = [...new Set(cutSearchWords(word).filter((w) => w !== word && Array.from(w).length >= 2 && !isStopword(w)))];
  // Only when the inner words cover the whole word: `查阅点` → `查阅` alone would match too loosely.
  const covered = new Uint8Array(word.length);
  for (const w of inner) for (let at = word.indexOf(w); at !== -1; at = word.indexOf(w, at + 1)) covered.fill(1, at, at + w.length);
  return covered.every((c) => c === 1) ? inner : [];
}

/** Normalizes and segments text; tokens carry offsets into the normalized text. */
export function analyze(text: string): { normalized: NormalizedText; words: Token[] } {
  const normalized = normalizeWithMap(text);
  return { normalized, words: wordsOfNormalized(normalized.text) };
}

/** Distinct character unigrams and bigrams of normalized text: the exact-match index terms. */
export function charGrams(norm: string): string[] {
  const chars = Array.from(norm);
  const set = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    set.add(chars[i]!);
    if (i + 1 < chars.length) set.add(chars[i]! + chars[i + 1]!);
  }
  return [...set];
}

/**
 * Numeric gram keys, for typed-array postings: a unigram is its code point; a bigram is
 * (first code point + 1) · 2^21 + second code point, above every unigram and exact in a double
 * (below 2^43). Same grams as `charGrams`, distinct, in first-occurrence order.
 */
const BIGRAM_BASE = 0x200000;

/** The numeric key of one gram (one or two characters) as `charGrams` spells it. */
export function gramKey(gram: string): number {
  const cps = Array.from(gram, (ch) => ch.codePointAt(0)!);
  if (cps.length === 1) return cps[0]!;
  if (cps.length === 2) return (cps[0]! + 1) * BIGRAM_BASE + cps[1]!;
  throw new Error(`not a gram: ${JSON.stringify(gram)}`);
}

/** The gram (one or two characters) of a numeric key: the inverse of `gramKey`. */
export function gramOfKey(key: number): string {
  if (key < BIGRAM_BASE) return String.fromCodePoint(key);
  return String.fromCodePoint(Math.floor(key / BIGRAM_BASE) - 1, key % BIGRAM_BASE);
}

export function charGramKeys(norm: string): number[] {
  const set = new Set<number>();
  let prev = -1;
  for (const ch of norm) {
    const cp = ch.codePointAt(0)!;
    set.add(cp);
    if (prev !== -1) set.add((prev + 1) * BIGRAM_BASE + cp);
    prev = cp;
  }
  return [...set];
}

/** Occurrences of each gram key in `norm` (overlapping: `aaa` holds bigram `aa` twice). */
export function charGramKeyCounts(norm: string): Map<number, number> {
  const counts = new Map<number, number>();
  let prev = -1;
  for (const ch of norm) {
    const cp = ch.codePointAt(0)!;
    counts.set(cp, (counts.get(cp) ?? 0) + 1);
    if (prev !== -1) {
      const k = (prev + 1) * BIGRAM_BASE + cp;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    prev = cp;
  }
  return counts;
}

/** The gram keys a normalized query string needs (the keys of `queryGrams`). */
export function queryGramKeys(norm: string): number[] {
  const cps = Array.from(norm, (ch) => ch.codePointAt(0)!);
  if (cps.length <= 1) return cps;
  const set = new Set<number>();
  for (let i = 0; i + 1 < cps.length; i++) set.add((cps[i]! + 1) * BIGRAM_BASE + cps[i + 1]!);
  return [...set];
}

/**
 * The gram terms a normalized query string needs: its single character when it has one,
 * otherwise its distinct bigrams (every occurrence contains all of them).
 */
export function queryGrams(norm: string): string[] {
  const chars = Array.from(norm);
  if (chars.length === 0) return [];
  if (chars.length === 1) return [chars[0]!];
  const set = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) set.add(chars[i]! + chars[i + 1]!);
  return [...set];
}
