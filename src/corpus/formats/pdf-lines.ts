/**
 * Text items of a PDF page → lines: items on one baseline, read left to right, with the pieces
 * ("segments") that gaps wider than a space split them into — the cells of a table row. Pure.
 */

export interface PdfTextItem {
  str: string;
  /** Baseline origin in PDF units (y grows upwards). */
  x: number;
  y: number;
  width: number;
  /** Font size (height of the text matrix); 0 for some whitespace items. */
  size: number;
}

export interface PdfPageText {
  /** Page height in PDF units, to tell the top and bottom margins. */
  height: number;
  items: PdfTextItem[];
}

/** A run of a line with no wide gap inside. */
export interface Segment {
  x0: number;
  x1: number;
  text: string;
}

export interface PdfLine {
  page: number;
  /** Baseline. */
  y: number;
  /** Left end of the first glyph and right end of the last (whitespace items not counted). */
  x0: number;
  x1: number;
  size: number;
  text: string;
  segments: Segment[];
  /** Width of the first unbreakable piece of the line (a character with the punctuation that may not start a line, a number, a word). */
  leadWidth: number;
}

/** A gap wider than this (in font sizes) between two items separates cells, not characters. */
const CELL_GAP = 0.6;
/** A gap wider than this, with no space character, reads as a space. */
const WORD_GAP = 0.3;

/** The first piece a line breaker cannot split: opening brackets, then a number or word, or one character, then closing punctuation. */
const LEAD = /^[（(〔［\[【《\u3008\u2329「『“‘]*(?:[A-Za-z0-9０-９.．%％\-]+|.)[）)〕］\]】》\u3009\u232a」』”’，,。．、；;：:！!？?…]*/su;

/** Full-width characters: one em each in CJK fonts. */
const FULL_WIDTH = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** Estimated widths of an item's characters: full-width ones one em, the others sharing the rest. */
function charWidths(item: PdfTextItem): number[] {
  const chars = [...item.str];
  const full = chars.filter((c) => FULL_WIDTH.test(c)).length;
  const em = full > 0 && full < chars.length ? Math.min(item.size, item.width / full) : item.width / Math.max(chars.length, 1);
  const other = chars.length > full ? Math.max(0, item.width - full * em) / (chars.length - full) : 0;
  return chars.map((c) => (full > 0 && full < chars.length ? (FULL_WIDTH.test(c) ? em : other) : em));
}

function leadWidth(items: readonly PdfTextItem[], text: string): number {
  const lead = [...(LEAD.exec(text)?.[0] ?? 'x')].length;
  let taken = 0;
  let width = 0;
  for (const item of items) {
    const widths = charWidths(item);
    const chars = [...item.str];
    for (let k = 0; k < chars.length && taken < lead; k++) {
      if (taken === 0 && /\s/u.test(chars[k]!)) continue;
      width += widths[k]!;
      taken++;
    }
    if (taken >= lead) break;
  }
  return width;
}

/** Groups a page's items into lines, top to bottom. */
export function pageLines(page: PdfPageText, pageNo: number): PdfLine[] {
  const items = page.items.filter((i) => i.str.length > 0).sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: PdfTextItem[][] = [];
  let current: PdfTextItem[] = [];
  let baseline = Number.NaN;
  let size = 0;
  for (const item of items) {
    const tolerance = Math.max(size, item.size, 1) * 0.4;
    if (current.length > 0 && Math.abs(item.y - baseline) <= tolerance) {
      current.push(item);
      if (item.str.trim()) size = Math.max(size, item.size);
      continue;
    }
    if (current.length > 0) groups.push(current);
    current = [item];
    baseline = item.y;
    size = item.str.trim() ? item.size : 0;
  }
  if (current.length > 0) groups.push(current);

  const lines: PdfLine[] = [];
  for (const group of groups) {
    group.sort((a, b) => a.x - b.x);
    const visible = group.filter((i) => i.str.trim());
    if (visible.length === 0) continue;
    const lineSize = Math.max(...visible.map((i) => i.size)) || 1;
    const segments: Segment[] = [];
    let segment: Segment | null = null;
    // Gaps are measured between glyphs: pdfjs fills a wide gap with a whitespace item as wide as it.
    let end = Number.NEGATIVE_INFINITY;
    for (const item of group) {
      const blank = !item.str.trim();
      if (blank) {
        if (segment) segment.text += item.str;
        continue;
      }
      const gap = item.x - end;
      if (!segment || gap > lineSize * CELL_GAP) {
        segment = { x0: item.x, x1: item.x + item.width, text: item.str.replace(/^\s+/, '') };
        segments.push(segment);
      } else {
        // Glyphs placed apart with no space character between them: a gap the reader sees as one.
        if (gap > lineSize * WORD_GAP && !/\s$/.test(segment.text) && !/^\s/.test(item.str)) segment.text += ' ';
        segment.text += item.str;
        segment.x1 = item.x + item.width;
      }
      end = Math.max(end, item.x + item.width);
    }
    for (const s of segments) s.text = s.text.trim();
    const text = segments.map((s) => s.text).join(' ');
    lines.push({
      page: pageNo,
      y: group[0]!.y,
      x0: segments[0]!.x0,
      x1: segments[segments.length - 1]!.x1,
      size: lineSize,
      text,
      segments,
      leadWidth: leadWidth(visible, text),
    });
  }
  return lines;
}
