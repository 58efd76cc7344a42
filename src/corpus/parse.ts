/**
 * Turns the decoded text of one notice (or one Markdown law) into paragraphs with structure,
 * responsible units, time expressions and the repairs of PDF-extraction damage. Pure.
 *
 *   splitLines → groupLines (joins, tables) → stored text + repairs → assignStructure
 *     → units (own and from a following 责任单位 line) → deadlines
 */
import type { Deadline, DocumentMeta, Paragraph, ParagraphKind } from '../domain/types.js';
import { groupLines, type Block } from './blocks.js';
import { titleCandidates } from './cues.js';
import { extractDeadlines } from './deadlines.js';
import { parseLabel } from './labels.js';
import { applyEdits, inlineEdits, splitLines, type SourceEdit } from './lines.js';
import { assignStructure } from './structure.js';
import { extractUnits, splitUnits } from './units.js';

export { unrepair } from './lines.js';

/** Paragraph kinds whose dates are not deadlines (落款, 版记, 文号, titles, addressees). */
const NO_DEADLINES: ReadonlySet<ParagraphKind> = new Set([
  'title',
  'docnumber',
  'addressee',
  'signature',
  'footer',
  'attachment',
  'table-header',
]);
/** Paragraph kinds that can name responsible units. */
const UNIT_KINDS: ReadonlySet<ParagraphKind> = new Set(['clause', 'text', 'units', 'heading']);

const UNITS_COLUMN = /单位|部门|责任|牵头/;

/** Stored text and repairs of one block: joined lines, or table cells joined by '\t'. */
function blockText(source: string, block: Block): { text: string; repairs: Paragraph['repairs'] } {
  const { lines } = block;
  const edits: SourceEdit[] = [];
  const first = lines[0]!;
  const label = block.table ? null : parseLabel(first.text);
  const protectAt = label ? first.start + label.length : -1;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    edits.push(...inlineEdits(source, line.start, line.end, k === 0 ? protectAt : -1));
    if (k > 0) {
      edits.push({
        start: lines[k - 1]!.end,
        end: line.start,
        replacement: block.table ? '\t' : '',
        kind: 'line-join',
      });
    }
  }
  return applyEdits(source, first.start, lines[lines.length - 1]!.end, edits);
}

/**
 * Parses a decoded document into paragraphs. `meta.title` helps recognize title lines and
 * `meta.year` completes year-less deadlines (`年底前`).
 */
export function parseParagraphs(text: string, opts: { docId: string; meta: DocumentMeta }): Paragraph[] {
  const { docId, meta } = opts;
  const blocks = groupLines(splitLines(text), titleCandidates(meta));
  const built = blocks.map((b) => (b.marker ? { text: '', repairs: [] } : blockText(text, b)));
  const infos = assignStructure(
    blocks.map((b, i) => ({
      text: built[i]!.text,
      table: b.table,
      mdLevel: b.lines[0]!.mdLevel,
      marker: b.marker,
    })),
    meta,
  );

  const paragraphs: Paragraph[] = [];
  let unitsColumn = -1;
  for (let i = 0; i < blocks.length; i++) {
    const info = infos[i];
    if (!info) continue;
    const block = blocks[i]!;
    const { text: stored, repairs } = built[i]!;
    let units: string[] = [];
    if (info.kind === 'table-header') {
      unitsColumn = stored.split('\t').findIndex((c) => UNITS_COLUMN.test(c));
    } else if (info.kind === 'table-row') {
      const cell = unitsColumn >= 0 ? stored.split('\t')[unitsColumn] : undefined;
      units = cell ? splitUnits(cell) : [];
    } else if (UNIT_KINDS.has(info.kind)) {
      units = extractUnits(stored);
    }
    const deadlines: Deadline[] = NO_DEADLINES.has(info.kind) ? [] : extractDeadlines(stored, meta.year);
    const index = paragraphs.length;
    paragraphs.push({
      id: `${docId}-p${index}`,
      docId,
      index,
      text: stored,
      kind: info.kind,
      label: info.label,
      level: info.level,
      section: info.section,
      sectionLabels: info.sectionLabels,
      units,
      deadlines,
      repairs,
      lines: [block.lines[0]!.no, block.lines[block.lines.length - 1]!.no],
    });
  }
  attachUnitLines(paragraphs);
  return paragraphs;
}

/**
 * A 责任单位 line of its own names the units of the paragraph above it (seed 002: each clause
 * followed by "责任单位：…"): the clause is what a reader asks "who is responsible" of.
 */
function attachUnitLines(paragraphs: Paragraph[]): void {
  for (let i = 1; i < paragraphs.length; i++) {
    const p = paragraphs[i]!;
    if (p.kind !== 'units') continue;
    const prev = paragraphs[i - 1]!;
    if (prev.kind !== 'clause' && prev.kind !== 'text') continue;
    for (const u of p.units) if (!prev.units.includes(u)) prev.units.push(u);
  }
}
