/**
 * Snippets: cut a long paragraph down to the part around its highlights, for a result list.
 *
 * Pure. Cuts land only where a word cannot continue: just after Chinese (or ASCII) clause
 * punctuation — 。；，、：！？ — or, when a clause is too long to keep, exactly at a highlight's
 * edge (a highlight is a matched word, so its edges are word boundaries). Never inside a
 * surrogate pair, never inside a highlight. Highlights are re-based onto the snippet so
 * `snippet.text.slice(s, e)` is the same string as `text.slice(s + start, e + start)`.
 */
import type { Span } from '../domain/types.js';

export interface Snippet {
  /** The snippet's text: `original.slice(start, end)`. */
  text: string;
  /** Highlights inside the snippet, re-based to the snippet's text. */
  highlights: Span[];
  /** Where the snippet starts and ends in the original text. */
  start: number;
  end: number;
  /** True when text was cut before the snippet (show a leading ellipsis). */
  leadingEllipsis: boolean;
  /** True when text was cut after the snippet (show a trailing ellipsis). */
  trailingEllipsis: boolean;
}

export interface SnippetOptions {
  /** Longest snippet wanted, in UTF-16 units (default 160). */
  maxLength?: number;
  /**
   * Most context kept before the first highlight (default maxLength / 2). A clause starting
   * further back is cut at the highlight itself.
   */
  maxBefore?: number;
}

/** Characters after which a snippet may start or end. */
const CLAUSE_PUNCTUATION = new Set(['。', '；', '，', '、', '：', '！', '？', ';', ',', ':', '!', '?']);
/** Closing marks that belong to the clause before a cut (`。”`, `；）`). */
const CLOSERS = new Set(['”', '’', '）', ')', '」', '』', '】', '〕', '》', '〉', '>', '"', "'"]);
const LEADING_SPACE = /\s/u;

/**
 * Offsets where a cut may fall: 0, text.length, and just after each clause punctuation mark
 * (after any closing brackets or quotes that follow it). Ascending, unique.
 */
export function clauseBoundaries(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    if (!CLAUSE_PUNCTUATION.has(text[i]!)) continue;
    let b = i + 1;
    while (b < text.length && CLOSERS.has(text[b]!)) b++;
    if (b > out[out.length - 1]!) out.push(b);
  }
  if (out[out.length - 1] !== text.length) out.push(text.length);
  return out;
}

/** Sorts, clamps to the text and merges overlapping spans; drops empty ones. */
export function normalizeSpans(spans: readonly Span[], length: number): Span[] {
  const valid = spans
    .map(([s, e]): Span => [Math.max(0, Math.min(s, length)), Math.max(0, Math.min(e, length))])
    .filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e) && e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Span[] = [];
  for (const span of valid) {
    const last = out[out.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else out.push([span[0], span[1]]);
  }
  return out;
}

/** Moves an offset off the low half of a surrogate pair (towards `dir`). */
function avoidSurrogateSplit(text: string, at: number, dir: -1 | 1): number {
  const code = text.charCodeAt(at);
  if (at > 0 && at < text.length && code >= 0xdc00 && code <= 0xdfff) return at + dir;
  return at;
}

/**
 * Cuts `text` to a snippet around its first highlight: from the start of the clause holding the
 * first highlight to the last clause end that keeps the snippet within `maxLength`.
 */
export function cutSnippet(text: string, highlights: readonly Span[], options: SnippetOptions = {}): Snippet {
  const maxLength = Math.max(1, options.maxLength ?? 160);
  const maxBefore = options.maxBefore ?? Math.floor(maxLength / 2);
  const spans = normalizeSpans(highlights, text.length);
  if (text.length <= maxLength) return makeSnippet(text, spans, 0, text.length);

  const bounds = clauseBoundaries(text);
  const first = spans[0];
  let start: number;
  if (!first) {
    start = 0;
  } else {
    // The start of the clause holding the first highlight, unless that is too far back.
    const clauseStart = lastAtMost(bounds, first[0]);
    start = first[0] - clauseStart <= maxBefore ? clauseStart : first[0];
  }
  while (start < (first?.[0] ?? text.length) && LEADING_SPACE.test(text[start]!)) start++;

  const minEnd = first ? first[1] : start;
  let end = lastAtMost(bounds, start + maxLength);
  if (end < minEnd || end <= start) {
    // The clause after the highlight runs past maxLength: allow one long clause up to 1.5×,
    // otherwise stop at the end of the last highlight that fits (at least the first one).
    const next = bounds.find((b) => b >= minEnd && b > start) ?? text.length;
    if (next - start <= Math.floor(maxLength * 1.5)) end = next;
    else end = lastHighlightEndWithin(spans, start + maxLength) ?? minEnd;
    if (end <= start) end = avoidSurrogateSplit(text, Math.min(text.length, start + maxLength), 1);
  }
  return makeSnippet(text, spans, avoidSurrogateSplit(text, start, -1), end);
}

function lastAtMost(sorted: readonly number[], limit: number): number {
  let best = sorted[0] ?? 0;
  for (const b of sorted) {
    if (b > limit) break;
    best = b;
  }
  return best;
}

function lastHighlightEndWithin(spans: readonly Span[], limit: number): number | null {
  let best: number | null = null;
  for (const [, e] of spans) if (e <= limit) best = e;
  return best;
}

function makeSnippet(text: string, spans: readonly Span[], start: number, end: number): Snippet {
  const rebased: Span[] = [];
  for (const [s, e] of spans) {
    const cs = Math.max(s, start);
    const ce = Math.min(e, end);
    if (ce > cs) rebased.push([cs - start, ce - start]);
  }
  return {
    text: text.slice(start, end),
    highlights: rebased,
    start,
    end,
    leadingEllipsis: start > 0,
    trailingEllipsis: end < text.length,
  };
}
