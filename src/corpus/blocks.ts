/**
 * Groups source lines into blocks, one block per paragraph: lines split mid-sentence by a page
 * break or a hard wrap are joined, and tab-flattened tables become one block per row.
 *
 * A line is continued by the next one when it does not end a sentence (no 。；：！？… or closing
 * bracket at its end), is not complete in itself (a heading, a title, an organ name, a date),
 * and the next line does not start something new (a numbered item, a 责任单位 line, a date…).
 * Across a single line break (no blank line) a join also needs a sign that the line was wrapped:
 * it ends with ，、 or a connective, or is long — files that separate paragraphs by single line
 * breaks put each short heading or table cell on a line of its own.
 *
 * A numbered clause whose text was cut at a sentence end, the rest following as a paragraph of
 * its own before the next clause, is joined too (see `joinClauseContinuations`).
 */
import { labelOrdinal, parseLabel, type Label, type LabelType } from './labels.js';
import {
  hasSentencePunct,
  isAttachmentLine,
  isCaptionLine,
  isDateLine,
  isDocNumberLine,
  isFooterLine,
  isOrganLine,
  isUnitsLine,
  looksLikeTitle,
} from './cues.js';
import type { SourceLine } from './lines.js';

export interface Block {
  lines: SourceLine[];
  /** Table blocks: each line is a cell. */
  table: 'header' | 'row' | null;
  /** A structural marker line (`<!-- INFO END -->`): no paragraph, but the structure sees it. */
  marker: boolean;
}

/** Characters that end a sentence or a complete line. */
const TERMINAL = new Set([...'。；;：:！!？?…）)】〕」』>〉']);
/** A line ending with one of these was cut mid-sentence for sure. */
const SOFT_PUNCT = new Set([...'，,、']);
/** A line ending with one of these was cut mid-phrase, unless it is a complete heading ("（一）编制目的"). */
const SOFT_WORD = new Set([...'及和与或的']);
/** Below this length a line that does not end with a soft character is taken as complete. */
const MIN_CUT_LINE = 10;
/** Across a single line break, a line this long that stops mid-sentence was wrapped. */
const MIN_WRAPPED_LINE = 20;
/** A labelled line this short without sentence punctuation is a heading, complete as it is. */
export const MAX_HEADING = 50;

const HEADING_BREAKERS = /[。！？；!?;：:]/;

/** A labelled line that is a heading: short, no sentence inside. */
export function isHeadingText(text: string, bodyStart: number): boolean {
  const body = text.slice(bodyStart);
  return text.length <= MAX_HEADING && !HEADING_BREAKERS.test(body) && !/[，、,]$/.test(body);
}

function endsComplete(text: string): boolean {
  const last = text[text.length - 1]!;
  if (TERMINAL.has(last)) return true;
  // A closing quote ends a sentence only after sentence punctuation: “…。”
  if (last === '”' || last === '’' || last === '"') {
    const before = text[text.length - 2];
    return before !== undefined && TERMINAL.has(before);
  }
  return false;
}

/** A paragraph that is whole as it stands, whatever its last character. */
function isStandalone(text: string): boolean {
  const label = parseLabel(text);
  if (label && (label.type === 'chapter' || label.type === 'section' || label.type === 'part')) return true;
  if (label && label.type !== 'article' && isHeadingText(text, label.bodyStart)) return true;
  return (
    isDateLine(text) ||
    isDocNumberLine(text) ||
    isCaptionLine(text) ||
    isOrganLine(text) ||
    isUnitsLine(text) ||
    (!label && looksLikeTitle(text)) ||
    (isAttachmentLine(text) && !/[，,、]$/.test(text))
  );
}

/** A line opening with a short term and a colon: "副组长：…", "联系人：…", "专家组：". */
const LEAD_TERM = /^[\u4e00-\u9fff]{1,6}[：:]/;

/** A line that opens a paragraph of its own, whatever came before it. */
function startsNew(line: SourceLine): boolean {
  const t = line.text;
  return (
    line.mdLevel > 0 ||
    line.tabbed ||
    parseLabel(t) !== null ||
    isUnitsLine(t) ||
    isFooterLine(t) ||
    isAttachmentLine(t) ||
    isDateLine(t) ||
    isDocNumberLine(t) ||
    isCaptionLine(t) ||
    LEAD_TERM.test(t)
  );
}

/**
 * A title broken over two lines: together they make a title the metadata announces (or the
 * start of one), or a title-shaped line that neither half is on its own
 * ("关于进一步加强本区城市公共消防" / "安全工作的实施意见").
 */
function titleSplit(text: string, next: string, titles: ReadonlySet<string>): boolean {
  if (text.length > 60 || next.length > 60 || hasSentencePunct(text) || hasSentencePunct(next)) return false;
  if (parseLabel(text) || isOrganLine(text)) return false;
  const bare = (text + next).replace(/\s+/g, '');
  if (titles.has(bare)) return true;
  const head = text.replace(/\s+/g, '');
  if (!titles.has(head) && bare.length >= 6) {
    for (const t of titles) if (t.startsWith(bare)) return true;
  }
  return !looksLikeTitle(text) && !looksLikeTitle(next) && looksLikeTitle(text + next);
}

/** Whether `next` continues the paragraph `text` (built so far, ending with line `prev`). */
function continues(text: string, prev: SourceLine, next: SourceLine, titles: ReadonlySet<string>): boolean {
  if (prev.marker || next.marker || prev.tabbed || prev.mdLevel > 0) return false;
  // A year cut from its month and day: "2015" / "年5月21日".
  if (/\d$/.test(text) && /^[年月日号]/.test(next.text)) return true;
  if (endsComplete(text) || startsNew(next)) return false;
  if (titleSplit(text, next.text, titles)) return true;
  // A line ending with ，、 was cut for sure; otherwise it may be complete as it stands.
  const last = text[text.length - 1]!;
  if (SOFT_PUNCT.has(last)) return true;
  if (isStandalone(text)) return false;
  if (SOFT_WORD.has(last)) return true;
  if (prev.text.length < MIN_CUT_LINE || looksLikeTitle(next.text)) return false;
  // A short line with no sentence punctuation at all is a name, a heading or a cell; a paragraph
  // cut by a page break has already said something ("…。对目录所列决策").
  if (text.length <= MAX_HEADING && !hasSentencePunct(text)) return false;
  // A short line that does not end a sentence either is a cell or a label, not a paragraph's tail.
  if (next.text.length < MIN_CUT_LINE && !endsComplete(next.text)) return false;
  const blankBetween = next.no - prev.no > 1;
  return blankBetween || prev.text.length >= MIN_WRAPPED_LINE;
}

/**
 * Groups lines into paragraph blocks (tables first, then line joins). `titles` are the titles the
 * metadata announces (compared without whitespace), to rejoin a title broken over lines.
 */
export function groupLines(lines: readonly SourceLine[], titles: ReadonlySet<string> = new Set()): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.marker) {
      blocks.push({ lines: [line], table: null, marker: true });
      i++;
      continue;
    }
    if (line.tabbed) {
      const table = readTable(lines, i);
      if (table) {
        blocks.push(...table.blocks);
        i = table.next;
        continue;
      }
    }
    const group = [line];
    let text = line.text;
    let j = i + 1;
    while (j < lines.length && continues(text, lines[j - 1]!, lines[j]!, titles)) {
      group.push(lines[j]!);
      text += lines[j]!.text;
      j++;
    }
    blocks.push({ lines: group, table: null, marker: false });
    i = j;
  }
  return joinClauseContinuations(blocks);
}

// ---------------------------------------------------------------------------------------------
// Tab-flattened tables: every cell on a tab-indented line of its own, rows separated by blank
// lines, the header row first ("\t序号" "\t重点任务" "\t责任单位" "\t时间要求").

/** Consecutive tab-indented lines with no blank line between them. */
function cellRun(lines: readonly SourceLine[], from: number): number {
  let j = from + 1;
  while (j < lines.length && lines[j]!.tabbed && lines[j]!.no === lines[j - 1]!.no + 1) j++;
  return j;
}

const HEADER_CELL = /^[^。，；：,;:]{1,12}$/;

/**
 * Reads a table starting at a tab-indented line: a header run of n ≥ 2 short cells, then runs
 * of n cells (or multiples of n, rows not separated by blank lines). Returns null when the
 * tab-indented lines do not make such a table; they are then read as ordinary lines.
 */
function readTable(lines: readonly SourceLine[], from: number): { blocks: Block[]; next: number } | null {
  const headerEnd = cellRun(lines, from);
  const header = lines.slice(from, headerEnd);
  const n = header.length;
  if (n < 2 || !header.every((c) => HEADER_CELL.test(c.text))) return null;
  const blocks: Block[] = [{ lines: header, table: 'header', marker: false }];
  let i = headerEnd;
  while (i < lines.length && lines[i]!.tabbed) {
    const end = cellRun(lines, i);
    const size = end - i;
    if (size % n !== 0) break;
    for (let k = i; k < end; k += n) blocks.push({ lines: lines.slice(k, k + n), table: 'row', marker: false });
    i = end;
  }
  if (blocks.length < 2) return null;
  return { blocks, next: i };
}

// ---------------------------------------------------------------------------------------------
// Clauses cut at a sentence end: "16. 提高依申请公开办理质效。…工作质量。" / (page break) /
// "完善我区依申请公开网上受理系统，…。（责任单位：…）" / "17. …". Nothing at the cut says the
// clause goes on, so the line joining above leaves it; the neighbours do.

/** List markers: the labels of a notice's clauses. 第X条 is left out: the paragraphs after an article are its 款. */
const LIST_TYPES: ReadonlySet<LabelType> = new Set<LabelType>(['cn', 'paren-cn', 'num', 'paren-num', 'circled']);
/** A clause that opens with a heading sentence and goes on: "提高依申请公开办理质效。以完善…". */
const HEAD_AND_BODY = /^[^。！？；;：:!?，,]{2,40}。./su;
/** Ends a sentence of body text (not a lead-in ending with ：, not an item ending with ；). */
const SENTENCE_END = /[。！？!?]$/u;

function joinedText(block: Block): string {
  return block.lines.map((l) => l.text).join('');
}

/** A list-marker clause with a heading sentence and a body, cut right after a sentence: its label. */
function cutClause(block: Block): Label | null {
  const first = block.lines[0]!;
  if (block.table || block.marker || first.mdLevel > 0) return null;
  const label = parseLabel(first.text);
  if (!label || !LIST_TYPES.has(label.type)) return null;
  const text = joinedText(block);
  return HEAD_AND_BODY.test(text.slice(label.bodyStart)) && SENTENCE_END.test(text) ? label : null;
}

/** A paragraph of plain body text: no label or other start of its own, whole sentences. */
function isBodyText(block: Block): boolean {
  const first = block.lines[0]!;
  if (block.table || block.marker || startsNew(first)) return false;
  const text = joinedText(block);
  return /[。！？!?]/u.test(text) && endsComplete(text) && !/[：:；;]$/u.test(text) && !isStandalone(text);
}

function isUnitsBlock(block: Block): boolean {
  return !block.table && !block.marker && isUnitsLine(block.lines[0]!.text);
}

/** Whether `block` is the clause that follows `label` (`16.` → `17.`), a headed clause too. */
function isNextSibling(block: Block, label: Label): boolean {
  const first = block.lines[0]!;
  if (block.table || block.marker || first.mdLevel > 0) return false;
  const next = parseLabel(first.text);
  const n = labelOrdinal(label);
  if (next === null || next.type !== label.type || n === null || labelOrdinal(next) !== n + 1) return false;
  return HEAD_AND_BODY.test(joinedText(block).slice(next.bodyStart));
}

/**
 * Joins a clause and the one paragraph of body text between it and its next sibling when the
 * clause was cut right after a sentence. It applies to lists of headed clauses, where each task
 * is one paragraph ("16. 提高依申请公开办理质效。以完善…" … "17. 推进…建设。以依法服务…"):
 * - the clause has a list-marker label, a heading sentence (no comma, at most 40 characters) and
 *   a body, and ends a sentence (。！？) — not with the 责任单位 or 时限 parenthetical that
 *   closes a task, nor with a lead-in ：;
 * - the paragraph has no label or other start of its own and ends a sentence;
 * - the next paragraph (after a 责任单位 line, if any) is the next clause of the same list,
 *   headed as well (16. → 17.).
 * The paragraph is then the clause's rest: its 责任单位 and deadlines are the clause's, and the
 * join is a line-join repair like any other. A paragraph after the last clause of a list (closing
 * remarks before 抄送 or 附件) is left alone, and so is anything inside a 第X条, where an unlabelled
 * paragraph after the items is the article's next 款.
 */
function joinClauseContinuations(blocks: Block[]): Block[] {
  const out: Block[] = [];
  let inArticle = false;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const first = block.lines[0]!;
    const type = block.table || block.marker ? null : (parseLabel(first.text)?.type ?? null);
    if (type === 'article') inArticle = true;
    else if (type === 'part' || type === 'chapter' || type === 'section' || first.mdLevel > 0 || isAttachmentLine(first.text)) {
      inArticle = false;
    }
    const label = inArticle ? null : cutClause(block);
    const rest = blocks[i + 1];
    // The clause's 责任单位 line may stand between the rest and the next clause (seed 002 layout).
    let k = i + 2;
    if (blocks[k] && isUnitsBlock(blocks[k]!)) k++;
    const next = blocks[k];
    if (label && rest && next && isBodyText(rest) && isNextSibling(next, label)) {
      out.push({ ...block, lines: [...block.lines, ...rest.lines] });
      i++;
      continue;
    }
    out.push(block);
  }
  return out;
}
