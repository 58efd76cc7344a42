/**
 * Source lines and the repairs of PDF-extraction damage inside them.
 *
 * A paragraph is stored as a span of the source with edits applied: the gaps between joined
 * lines removed (or turned into '\t' between table cells), spaces inside Chinese text removed,
 * a stray Latin " and " turned into 和. Every edit becomes a `Repair`, so `unrepair` gives back
 * the source span character for character — the stored text can always be shown as written.
 */
import type { Repair } from '../domain/types.js';

/** One non-blank source line, trimmed. */
export interface SourceLine {
  /** 1-based line number. */
  no: number;
  /** `[start, end)` of the trimmed content in the source text. */
  start: number;
  end: number;
  text: string;
  /** The raw line starts with a tab: a cell of a tab-flattened table. */
  tabbed: boolean;
  /** Markdown heading depth (`## …` → 2), 0 when not a markdown heading. */
  mdLevel: number;
  /** A structural marker that is not content (`<!-- INFO END -->`): never a paragraph. */
  marker: boolean;
}

/** An edit of the source, in source offsets; `replacement` is what the stored text holds. */
export interface SourceEdit {
  start: number;
  end: number;
  replacement: string;
  kind: Repair['kind'];
}

/** Whitespace that trimming and space removal treat alike (ASCII, NBSP, ideographic, BOM…). */
export function isSpaceCode(c: number): boolean {
  return (
    c === 0x20 ||
    c === 0x09 ||
    c === 0x0d ||
    c === 0xa0 ||
    c === 0x3000 ||
    c === 0xfeff ||
    c === 0x202f ||
    (c >= 0x2000 && c <= 0x200b)
  );
}

/** Han characters, CJK and full-width punctuation, curly quotes: text where spaces mean nothing. */
export function isCjkCode(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xd800 && c <= 0xdfff) || // surrogate halves: Han extension planes
    (c > 0x3000 && c <= 0x303f) ||
    (c >= 0xff00 && c <= 0xffef) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0x2018 && c <= 0x201d) ||
    c === 0x2026 ||
    c === 0x2014 ||
    c === 0x00b7 ||
    (c >= 0x2460 && c <= 0x24ff) // ①②…
  );
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const HTML_COMMENT = /^<!--.*-->$/;

/** Splits the source into trimmed non-blank lines with their offsets. Linear in the text. */
export function splitLines(source: string): SourceLine[] {
  const out: SourceLine[] = [];
  let lineStart = 0;
  let no = 0;
  while (lineStart <= source.length) {
    let lineEnd = source.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = source.length;
    no++;
    let s = lineStart;
    let e = lineEnd;
    while (s < e && isSpaceCode(source.charCodeAt(s))) s++;
    while (e > s && isSpaceCode(source.charCodeAt(e - 1))) e--;
    if (e > s) {
      const tabbed = source.charCodeAt(lineStart) === 0x09;
      let text = source.slice(s, e);
      let mdLevel = 0;
      const marker = HTML_COMMENT.test(text);
      if (!marker && text.charCodeAt(0) === 0x23 /* # */) {
        const m = /^(#{1,6})[ \t\u3000]+(?=\S)/.exec(text);
        if (m) {
          // The heading marks are structure, not content: the paragraph starts after them.
          mdLevel = m[1]!.length;
          s += m[0].length;
          text = text.slice(m[0].length);
        }
      }
      out.push({ no, start: s, end: e, text, tabbed, mdLevel, marker });
    }
    if (lineEnd === source.length) break;
    lineStart = lineEnd + 1;
  }
  return out;
}

/**
 * The in-line repairs of one line's content `[start, end)`: " and " between Chinese → 和, then
 * runs of spaces inside Chinese text or between a digit and Chinese (`2020 年`, `17 号`) removed.
 * Spaces between Latin words, between two numbers, or right after a leading label
 * (`第一条　…`, `1. …`, `(一) …`) carry meaning and are kept. `protectAt` is the offset right after
 * the leading label (-1 when none).
 */
export function inlineEdits(source: string, start: number, end: number, protectAt: number): SourceEdit[] {
  const edits: SourceEdit[] = [];
  let i = start;
  while (i < end) {
    const c = source.charCodeAt(i);
    if (!isSpaceCode(c)) {
      i++;
      continue;
    }
    // " and " between Chinese: a stray translation artefact for 和.
    if (c === 0x20 && source.startsWith(' and ', i) && i > start && i + 5 < end) {
      const left = source.charCodeAt(i - 1);
      const right = source.charCodeAt(i + 5);
      if (isCjkCode(left) && isCjkCode(right)) {
        edits.push({ start: i, end: i + 5, replacement: '和', kind: 'and-to-he' });
        i += 5;
        continue;
      }
    }
    let j = i;
    while (j < end && isSpaceCode(source.charCodeAt(j)) && source.charCodeAt(j) !== 0x09) j++;
    if (j === i) {
      i++; // a tab inside a line: structure, keep
      continue;
    }
    if (i > start && j < end && i !== protectAt) {
      const left = source.charCodeAt(i - 1);
      const right = source.charCodeAt(j);
      const leftCjk = isCjkCode(left);
      const rightCjk = isCjkCode(right);
      if ((leftCjk && (rightCjk || isDigitCode(right))) || (rightCjk && isDigitCode(left))) {
        edits.push({ start: i, end: j, replacement: '', kind: 'space-removed' });
      }
    }
    i = j;
  }
  return edits;
}

/** Stored text of a source span with its edits applied, and the repairs that undo them. */
export function applyEdits(
  source: string,
  start: number,
  end: number,
  edits: SourceEdit[],
): { text: string; repairs: Repair[] } {
  const sorted = edits.slice().sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  const repairs: Repair[] = [];
  let pos = start;
  let outLen = 0;
  for (const e of sorted) {
    if (e.start < pos) continue; // overlapping edits cannot happen; be safe anyway
    const kept = source.slice(pos, e.start);
    parts.push(kept, e.replacement);
    outLen += kept.length;
    repairs.push({
      kind: e.kind,
      start: outLen,
      end: outLen + e.replacement.length,
      original: source.slice(e.start, e.end),
    });
    outLen += e.replacement.length;
    pos = e.end;
  }
  parts.push(source.slice(pos, end));
  return { text: parts.join(''), repairs };
}

/** Undoes the repairs of a stored text: the exact source span it was made from. */
export function unrepair(p: { text: string; repairs: readonly Repair[] }): string {
  const sorted = p.repairs.slice().sort((a, b) => b.start - a.start);
  let text = p.text;
  for (const r of sorted) text = text.slice(0, r.start) + r.original + text.slice(r.end);
  return text;
}
