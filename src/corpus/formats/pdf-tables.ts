/**
 * Tables in a PDF's lines → the seeds' flattened tables (each cell on a tab-indented line of its
 * own, a blank line after each row), so the parser reads header and rows as it does for text
 * files. Without this, the cells of a row interleave line by line ("1对照法律…县委编办、2020年11").
 * Pure.
 *
 * - A table is a run of lines on one page that are split into cells by wide gaps, together with
 *   the single-cell lines aligned with one of its columns (a long cell wrapping alone).
 * - Columns start where at least two cells start (a centred header cell is placed in the column
 *   it falls into); a table has at least two columns, and three columns or three rows (two organs
 *   signing side by side are not a table).
 * - A row ends where the space between lines grows (cell padding and border, more than 1.1 line
 *   steps).
 * - A table running over a page break is one table: the header row the next page repeats is
 *   dropped, and a first row with an empty first column continues the last row of the page before.
 */
import type { PdfLine, Segment } from './pdf-lines.js';

export interface TableBlock {
  /** Indices into the lines: the table spans first..last. */
  first: number;
  last: number;
  /** The flattened table; empty for a part merged into the table before it. */
  text: string;
}

interface Region {
  first: number;
  last: number;
  page: number;
  rows: string[][];
}

const ALIGN = 4;

function glue(a: string, b: string): string {
  if (!a) return b;
  return /[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? `${a} ${b}` : a + b;
}

function alignsWith(x: number, starts: readonly number[]): boolean {
  return starts.some((s) => Math.abs(s - x) <= ALIGN);
}

/** Column starts: x positions where at least two cells start, clustered. */
function columnStarts(segments: readonly Segment[]): number[] {
  const xs = segments.map((s) => s.x0).sort((a, b) => a - b);
  const starts: number[] = [];
  let i = 0;
  while (i < xs.length) {
    let j = i + 1;
    while (j < xs.length && xs[j]! - xs[j - 1]! <= ALIGN) j++;
    if (j - i >= 2) starts.push(xs[i]!);
    i = j;
  }
  return starts;
}

function columnOf(x: number, starts: readonly number[]): number {
  let col = 0;
  for (let k = 0; k < starts.length; k++) if (starts[k]! <= x + ALIGN) col = k;
  return col;
}

/** Reads a run of lines as a table, or null when they are not one. */
function readRegion(lines: readonly PdfLine[], first: number, last: number, step: number): Region | null {
  const run = lines.slice(first, last + 1);
  const starts = columnStarts(run.flatMap((l) => l.segments));
  if (starts.length < 2) return null;
  const rows: string[][] = [];
  let row: string[] | null = null;
  run.forEach((line, k) => {
    const gap = k > 0 ? run[k - 1]!.y - line.y : Infinity;
    if (!row || gap > step * 1.1) {
      row = starts.map(() => '');
      rows.push(row);
    }
    for (const s of line.segments) {
      const col = columnOf(s.x0, starts);
      row[col] = glue(row[col]!, s.text);
    }
  });
  if (rows.length < 2 || (starts.length < 3 && rows.length < 3)) return null;
  return { first, last, page: run[0]!.page, rows };
}

/** Finds the tables among a document's lines. `step` is the body's line spacing. */
export function findTables(lines: readonly PdfLine[], step: number): TableBlock[] {
  const regions: Region[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.segments.length < 2) {
      i++;
      continue;
    }
    const starts = lines[i]!.segments.map((s) => s.x0);
    let j = i;
    while (j + 1 < lines.length) {
      const next = lines[j + 1]!;
      const prev = lines[j]!;
      if (next.page !== prev.page || prev.y - next.y > step * 2.5) break;
      if (next.segments.length < 2 && !alignsWith(next.x0, starts)) break;
      starts.push(...next.segments.map((s) => s.x0));
      j++;
    }
    const region = j > i ? readRegion(lines, i, j, step) : null;
    if (region) regions.push(region);
    i = j + 1;
  }
  return mergeAcrossPages(regions);
}

/** The seeds' layout: each cell on a tab-indented line, a blank line after each row. */
function flatten(rows: readonly string[][]): string {
  return rows.map((r) => r.map((c) => `\t${c}`).join('\n')).join('\n\n');
}

/** Joins the parts of a table split by page breaks, and flattens every table. */
function mergeAcrossPages(regions: readonly Region[]): TableBlock[] {
  const blocks: TableBlock[] = [];
  let table: { rows: string[][]; header: string[]; page: number; last: number; block: TableBlock } | null = null;
  const finish = (): void => {
    if (table) table.block.text = flatten(table.rows);
  };
  for (const region of regions) {
    const columns = region.rows[0]!.length;
    // The next page's part: nothing between the two but the page break, the same columns.
    if (table && region.page === table.page + 1 && region.first === table.last + 1 && columns === table.header.length) {
      const rows = region.rows.map((r) => [...r]);
      if (rows[0]!.join('\u0000') === table.header.join('\u0000')) rows.shift();
      const head = rows[0];
      const tail = table.rows[table.rows.length - 1]!;
      if (head && head[0] === '' && head.some((c) => c !== '')) {
        head.forEach((cell, k) => (tail[k] = glue(tail[k]!, cell)));
        rows.shift();
      }
      table.rows.push(...rows);
      table.page = region.page;
      table.last = region.last;
      blocks.push({ first: region.first, last: region.last, text: '' });
      continue;
    }
    finish();
    const block: TableBlock = { first: region.first, last: region.last, text: '' };
    blocks.push(block);
    table = { rows: region.rows.map((r) => [...r]), header: [...region.rows[0]!], page: region.page, last: region.last, block };
  }
  finish();
  return blocks;
}
