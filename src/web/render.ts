/**
 * View helpers that turn offsets into data the templates can print safely.
 *
 * Nothing here produces HTML: a paragraph becomes a list of plain-text segments, each flagged
 * as highlighted or repaired; the templates escape each segment with `<%= %>` and wrap it in
 * `<mark>` / `<span class="repair">` themselves (escape at render, once).
 */
import type { Repair, Span } from '../domain/types.js';
import { normalizeSpans } from '../search/snippet.js';

export interface Segment {
  /** Plain text of the segment (may contain `<`, `&`… — the template escapes it). */
  text: string;
  /** Inside a highlight. */
  mark: boolean;
  /** Inside a repaired span: what the source file said instead. */
  repair: { kind: Repair['kind']; original: string } | null;
  /**
   * A zero-width repair (the repair removed characters and put nothing in their place, e.g. a
   * PDF line break inside a sentence). `text` is '' and the template draws a small marker.
   */
  gap: boolean;
}

/** Splits `text` at the given highlights: `[{ text, mark }]` covering the whole text in order. */
export function markSegments(text: string, highlights: readonly Span[]): Array<{ text: string; mark: boolean }> {
  return buildSegments(text, highlights).map(({ text: t, mark }) => ({ text: t, mark }));
}

/**
 * Splits `text` at every highlight and repair edge. Overlapping highlights merge; repairs with
 * start === end become `gap` segments at their position. Concatenating the non-gap segment
 * texts gives back `text` exactly.
 */
export function buildSegments(text: string, highlights: readonly Span[], repairs: readonly Repair[] = []): Segment[] {
  const marks = normalizeSpans(highlights, text.length);
  const spans = repairs
    .filter((r) => r.end > r.start && r.start >= 0 && r.end <= text.length)
    .sort((a, b) => a.start - b.start);
  const gaps = repairs
    .filter((r) => r.end === r.start && r.start >= 0 && r.start <= text.length)
    .sort((a, b) => a.start - b.start);

  const cuts = new Set<number>([0, text.length]);
  for (const [s, e] of marks) cuts.add(s).add(e);
  for (const r of spans) cuts.add(r.start).add(r.end);
  for (const g of gaps) cuts.add(g.start);
  const points = [...cuts].sort((a, b) => a - b);

  const inMark = (at: number) => marks.some(([s, e]) => at >= s && at < e);
  const repairAt = (at: number) => spans.find((r) => at >= r.start && at < r.end) ?? null;

  const out: Segment[] = [];
  for (let i = 0; i < points.length; i++) {
    const at = points[i]!;
    for (const g of gaps) {
      if (g.start === at) out.push({ text: '', mark: false, repair: { kind: g.kind, original: g.original }, gap: true });
    }
    const next = points[i + 1];
    if (next === undefined || next === at) continue;
    const r = repairAt(at);
    out.push({
      text: text.slice(at, next),
      mark: inMark(at),
      repair: r ? { kind: r.kind, original: r.original } : null,
      gap: false,
    });
  }
  return out;
}

/**
 * Splits segments into table cells at tab characters (a flattened table row stores its cells
 * joined by '\t'), keeping highlights and repairs on the pieces. Empty cells are kept.
 */
export function splitCells(segments: readonly Segment[]): Segment[][] {
  const cells: Segment[][] = [[]];
  for (const seg of segments) {
    if (seg.gap || !seg.text.includes('\t')) {
      cells[cells.length - 1]!.push(seg);
      continue;
    }
    const pieces = seg.text.split('\t');
    pieces.forEach((piece, k) => {
      if (k > 0) cells.push([]);
      if (piece) cells[cells.length - 1]!.push({ ...seg, text: piece });
    });
  }
  return cells;
}

/** Hover text explaining what a repair changed, in Chinese. */
export function repairTitle(repair: { kind: Repair['kind']; original: string }): string {
  if (/\n/.test(repair.original) && repair.original.trim() === '') return '原文此处换行';
  if (repair.original.trim() === '') return '原文此处有空格';
  return `原文：'${repair.original}'`;
}

/** Symbol drawn for a zero-width repair. */
export function gapSymbol(repair: { original: string }): string {
  return /\n/.test(repair.original) ? '⏎' : '␣';
}

/** `2020-08-14` → `2020年8月14日`; anything else is returned unchanged; null → ''. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** A section path for display: `一、强化权力监督… › （一）…`, each heading cut to `maxEach` chars. */
export function sectionPath(section: readonly string[], maxEach = 40): string {
  return section.map((s) => truncate(s, maxEach)).join(' › ');
}

/** Cuts `text` to at most `max` code points, adding '…' when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
