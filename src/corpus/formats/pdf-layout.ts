/**
 * The lines of a PDF (see pdf-lines.ts) → the text a `.txt` of it would hold. Pure.
 *
 * Consecutive lines are
 * - joined, when the first was wrapped by the layout: the next line's first piece (a character
 *   with the punctuation that may not start a line, a number, a word) would not have fitted in
 *   the space left at its end, and the next line is not indented and has no extra space above it.
 *   No repair is recorded for these joins, as none is for the wrapping of a web page;
 * - separated by a blank line (a new paragraph), when the next line is indented (首行缩进, a
 *   centred title, a right-aligned 落款) or has extra space above it;
 * - otherwise separated by a single line break, which the parser's line joining reads as it reads
 *   a hard-wrapped text file.
 * A page break joins the last line of a page to the first of the next when the first was wrapped
 * and the second is not indented (a paragraph running on), else starts a paragraph. Tables become
 * the seeds' tab-indented cells (see pdf-tables.ts). Page numbers ("— 3 —", "第 3 页") at the top
 * or bottom of a page, and lines repeated at the top or bottom of most pages (running heads), are
 * dropped.
 */
import { pageLines, type PdfLine, type PdfPageText } from './pdf-lines.js';
import { findTables } from './pdf-tables.js';

export type { PdfPageText, PdfTextItem } from './pdf-lines.js';

const LATIN_END = /[A-Za-z0-9]$/;
const LATIN_START = /^[A-Za-z0-9]/;
const PAGE_NUMBER = /^[-－—–‒―\s]*(?:第\s*)?[0-9０-９]{1,4}(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?[0-9０-９]{1,4}\s*页?)?[-－—–‒―\s]*$/u;

/** Lines in the top or bottom 12% of their page. */
function inMargin(line: PdfLine, height: number): boolean {
  return height > 0 && (line.y > height * 0.88 || line.y < height * 0.12);
}

/** Drops page numbers and running heads (the same text in the margin of at least half the pages, 3 or more). */
function dropPageFurniture(lines: PdfLine[], pages: readonly PdfPageText[]): PdfLine[] {
  const key = (l: PdfLine) => l.text.replace(/[0-9０-９\s]/gu, '');
  const marginPages = new Map<string, Set<number>>();
  for (const l of lines) {
    if (!inMargin(l, pages[l.page]!.height) || !key(l)) continue;
    const set = marginPages.get(key(l)) ?? new Set<number>();
    set.add(l.page);
    marginPages.set(key(l), set);
  }
  const running = (l: PdfLine) => {
    const n = marginPages.get(key(l))?.size ?? 0;
    return n >= 3 && n >= pages.length / 2;
  };
  return lines.filter((l) => !inMargin(l, pages[l.page]!.height) || (!PAGE_NUMBER.test(l.text) && !running(l)));
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(p * (sorted.length - 1))]!;
}

/** Body font size, left and right edges of the text block, and line spacing. */
function bodyMetrics(lines: readonly PdfLine[]): { em: number; left: number; right: number; step: number } {
  const weight = new Map<number, number>();
  for (const l of lines) weight.set(Math.round(l.size), (weight.get(Math.round(l.size)) ?? 0) + l.text.length);
  const em = [...weight.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] || 12;
  const body = lines.filter((l) => Math.abs(l.size - em) <= 1 && l.segments.length === 1);
  const left = percentile(body.map((l) => l.x0), 0.1);
  // The right edge: the furthest line end that at least two lines reach (full lines do; an odd
  // line running into the margin does not move it).
  const ends = body.map((l) => l.x1).sort((a, b) => b - a);
  const right = ends.find((x, i) => ends[i + 1] !== undefined && x - ends[i + 1]! <= 3) ?? ends[0] ?? 0;
  const steps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const d = lines[i - 1]!.y - lines[i]!.y;
    if (lines[i]!.page === lines[i - 1]!.page && d > 0 && d < em * 3) steps.push(d);
  }
  return { em, left, right, step: percentile(steps, 0.5) || em * 1.5 };
}

/** The text of a PDF's pages, paragraphs rebuilt from the layout. */
export function layoutText(pages: readonly PdfPageText[]): string {
  const lines = dropPageFurniture(
    pages.flatMap((p, i) => pageLines(p, i)),
    pages,
  );
  if (lines.length === 0) return '';
  const { em, left, right, step } = bodyMetrics(lines);
  const tables = findTables(lines, step);
  const tableAt = new Map(tables.map((t) => [t.first, t]));

  let out = '';
  let prev: PdfLine | null = null;
  for (let i = 0; i < lines.length; i++) {
    const table = tableAt.get(i);
    if (table) {
      if (table.text) out += (out ? '\n\n' : '') + table.text;
      i = table.last;
      prev = null;
      continue;
    }
    const b = lines[i]!;
    if (!prev) {
      out += (out ? '\n\n' : '') + b.text;
      prev = b;
      continue;
    }
    const a = prev;
    const indented = b.x0 > left + em * 0.9;
    // Wrapped: the next line's first piece did not fit in the space left at the end of this one
    // (a quarter em of tolerance for the measured right edge); a deliberate break leaves room for it.
    const wrapped = a.x0 <= left + em * 2.5 && right - a.x1 < b.leadWidth + em * 0.25;
    let separator: string;
    if (a.page === b.page) {
      const gap = a.y - b.y;
      if (gap <= 0 || gap > step * 1.3 || indented) separator = '\n\n';
      else separator = wrapped ? '' : '\n';
    } else {
      separator = !indented && wrapped ? '' : '\n\n';
    }
    if (separator === '' && LATIN_END.test(out) && LATIN_START.test(b.text)) separator = ' ';
    out += separator + b.text;
    prev = b;
  }
  return out;
}
