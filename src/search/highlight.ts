/**
 * Highlights as offsets, never markup: `[start, end)` spans into the stored paragraph text, one per
 * occurrence of a query term (found in the normalized text and mapped back), merged when overlapping.
 */
import { findAll, normalizeWithMap, toOriginalSpan } from '../analysis/normalize.js';
import type { Span } from '../domain/types.js';

/** Merges overlapping spans (adjacent occurrences stay separate). */
export function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s[0] < last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

/**
 * Spans of every occurrence of each normalized needle in `text`. Needles are tried in order of
 * the groups given: within a group, the first needle list that occurs at all is used (a whole
 * phrase is preferred to its words).
 */
export function highlightSpans(text: string, groups: string[][][]): Span[] {
  const n = normalizeWithMap(text);
  const spans: Span[] = [];
  for (const alternatives of groups) {
    for (const needles of alternatives) {
      const found: Span[] = [];
      for (const needle of needles) {
        for (const at of findAll(n.text, needle)) found.push(toOriginalSpan(n, at, at + needle.length, text));
      }
      if (found.length) {
        spans.push(...found);
        break;
      }
    }
  }
  return mergeSpans(spans);
}
