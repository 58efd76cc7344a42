/**
 * What each paragraph is (title, heading, clause, 落款…) and where it sits: its label, heading
 * level and section path.
 *
 * Nesting: 编 > 章 > 节 > 条 have fixed ranks (a 第X条 always closes the previous article and
 * everything under it); list markers (一、 （一） 1. (1) ①) nest in the order a document first
 * uses them, so `一、 → （一） → 1.` and `一、 → 1.` both work, and a marker type already open
 * closes back to its sibling. Headings and clauses both open a level: a (1) under a （一）clause
 * has the clause in its path, and the unlabelled paragraphs after 第五条 belong to 第五条.
 *
 * A document title, a 落款, a 版记 line or an attachment line closes every level: the cover
 * letter, the work plan it announces and each attachment have their own structure. An
 * attachment ("附件" then its title) opens a root level labelled 附件 named by its title.
 */
import type { DocumentMeta, ParagraphKind } from '../domain/types.js';
import { parseLabel, STRUCTURAL_RANK, type LabelType } from './labels.js';
import { isHeadingText } from './blocks.js';
import {
  isAddresseeLine,
  isAttachmentLine,
  isAttachmentMarker,
  isDateLine,
  isDocNumberLine,
  isFooterLine,
  isOrganDateLine,
  isOrganLine,
  isPrintedLine,
  isUnitsLine,
  looksLikeTitle,
  titleCandidates,
} from './cues.js';

/** What the structure pass needs to know of a paragraph. */
export interface StructureInput {
  text: string;
  table: 'header' | 'row' | null;
  /** Markdown heading depth, 0 when none. */
  mdLevel: number;
  /** `<!-- INFO END -->`-style marker: not a paragraph. */
  marker: boolean;
}

export interface StructureInfo {
  kind: ParagraphKind;
  label: string | null;
  level: number | null;
  section: string[];
  sectionLabels: string[];
}

interface Entry {
  /** Label type, or 'md' for a markdown heading, 'root' for an attachment. */
  type: LabelType | 'md' | 'root';
  /** Fixed rank for structural entries, null for list markers. */
  rank: number | null;
  label: string;
  text: string;
}

/** Rank of an unlabelled markdown heading: "##" with the chapters (2), deeper with the sections (3). */
const MD_MAX_RANK = 3;

/** Longest section name taken from a clause: its lead phrase. */
const MAX_CLAUSE_HEAD = 40;

/** A clause's name in a section path: the label and its lead phrase, up to the first stop. */
function clauseHead(text: string): string {
  const stop = text.search(/[。；;：:！？!?]/);
  const head = stop > 0 ? text.slice(0, stop) : text;
  return head.length > MAX_CLAUSE_HEAD ? head.slice(0, MAX_CLAUSE_HEAD) : head;
}

/** Kinds after which a title-shaped line is the title of what follows. */
const BEFORE_TITLE: ReadonlySet<ParagraphKind> = new Set(['signature', 'footer', 'attachment', 'title', 'docnumber']);

/** Kinds that end whatever structure was open. */
const CLOSING: ReadonlySet<ParagraphKind> = new Set(['title', 'signature', 'footer', 'attachment']);

/**
 * The organ lines ending at a 落款 date (signature) or at a 印发 date (版记 footer), starting at
 * `i`: how many lines and which kind, or null when `i` is not such an organ line.
 */
function organRun(items: readonly StructureInput[], i: number): { kind: ParagraphKind } | null {
  let j = i;
  while (j < items.length && !items[j]!.marker && isOrganLine(items[j]!.text) && j - i < 6) j++;
  if (j === i || j >= items.length) return null;
  const next = items[j]!.text;
  if (isDateLine(next) || isOrganDateLine(next)) return { kind: 'signature' };
  if (isPrintedLine(next)) return { kind: 'footer' };
  return null;
}

interface ClassifyContext {
  candidates: ReadonlySet<string>;
  /** A markdown law: "# title", promulgation lines, then the marker. */
  markdown: boolean;
  firstMarker: number;
  inHeader: boolean;
  prevKind: ParagraphKind | null;
}

/** The kind of paragraph `i` (and its table-row label), from its own text and its neighbours. */
function classify(
  items: readonly StructureInput[],
  i: number,
  ctx: ClassifyContext,
): { kind: ParagraphKind; label: string | null } {
  const it = items[i]!;
  const t = it.text;
  if (it.table === 'header') return { kind: 'table-header', label: null };
  if (it.table === 'row') {
    const first = t.split('\t', 1)[0]!;
    return { kind: 'table-row', label: /^[0-9０-９]{1,4}$/.test(first) ? first : null };
  }
  if (it.mdLevel === 1) return { kind: 'title', label: null };
  // Promulgation lines between "# title" and <!-- INFO END -->.
  if (ctx.markdown && ctx.firstMarker > i) return { kind: 'signature', label: null };
  if (it.mdLevel > 1) return { kind: 'heading', label: null };
  if (isDocNumberLine(t)) return { kind: 'docnumber', label: null };
  if (isFooterLine(t)) return { kind: 'footer', label: null };
  if (isDateLine(t) || isOrganDateLine(t)) return { kind: 'signature', label: null };
  if (isAttachmentLine(t)) return { kind: 'attachment', label: null };
  if (isUnitsLine(t)) return { kind: 'units', label: null };
  const run = organRun(items, i);
  if (run) return { kind: run.kind, label: null };
  const lab = parseLabel(t);
  if (!lab) {
    const titleHere = ctx.inHeader || (ctx.prevKind !== null && BEFORE_TITLE.has(ctx.prevKind));
    if (ctx.candidates.has(t.replace(/\s+/g, '')) || (looksLikeTitle(t) && titleHere)) return { kind: 'title', label: null };
    if (ctx.inHeader && isAddresseeLine(t)) return { kind: 'addressee', label: null };
    return { kind: 'text', label: null };
  }
  const structural = STRUCTURAL_RANK[lab.type] !== undefined;
  const heading = lab.type !== 'article' && (structural || isHeadingText(t, lab.bodyStart));
  return { kind: heading ? 'heading' : 'clause', label: lab.text };
}

/** Assigns kind, label, level and section path to every paragraph (null for markers). */
export function assignStructure(items: readonly StructureInput[], meta: DocumentMeta): Array<StructureInfo | null> {
  const candidates = titleCandidates(meta);
  const markdown = items[0]?.mdLevel === 1;
  const firstMarker = items.findIndex((it) => it.marker);
  const out: Array<StructureInfo | null> = [];
  let stack: Entry[] = [];
  let prevKind: ParagraphKind | null = null;
  /** No heading, clause or body text since the last title: still in a header zone. */
  let inHeader = true;
  let pendingAttachment: string | null = null;
  let organKind: ParagraphKind | null = null;
  let organLeft = 0;
  /** Outermost structural rank a labelled markdown heading has had at each `#` depth so far. */
  const mdRanks = new Map<number, number>();

  const path = (entries: readonly Entry[]): Pick<StructureInfo, 'section' | 'sectionLabels'> => ({
    section: entries.map((e) => e.text),
    sectionLabels: entries.map((e) => e.label),
  });
  const depth = (entries: readonly Entry[]): number => entries.filter((e) => e.type !== 'root').length;

  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.marker) {
      out.push(null);
      continue;
    }
    const t = it.text;
    let kind: ParagraphKind;
    let label: string | null = null;
    let level: number | null = null;
    let section = path(stack);

    if (organLeft > 0) {
      organLeft--;
      kind = organKind!;
    } else {
      ({ kind, label } = classify(items, i, { candidates, markdown, firstMarker, inHeader, prevKind }));
      if (kind === 'signature' || kind === 'footer') {
        // The rest of an organ run shares the kind; the date line is classified on its own.
        let j = i + 1;
        while (j < items.length && isOrganLine(items[j]!.text) && !isDateLine(items[j]!.text)) j++;
        organKind = kind;
        organLeft = j - i - 1;
      }
    }

    // Structure: close, open, and the paragraph's own place.
    if (CLOSING.has(kind)) {
      stack = [];
      section = path(stack);
    }
    if (kind === 'attachment' && isAttachmentMarker(t)) pendingAttachment = t.replace(/[\s:：]/g, '');
    else if (pendingAttachment !== null && kind !== 'attachment') {
      const root: Entry = { type: 'root', rank: -1, label: pendingAttachment, text: kind === 'title' ? t : pendingAttachment };
      pendingAttachment = null;
      stack = [root];
      if (kind !== 'title') section = path(stack);
    }

    if (kind === 'heading' || kind === 'clause') {
      const lab = parseLabel(t);
      label = lab?.text ?? null;
      const type: Entry['type'] = lab ? lab.type : 'md';
      // The label, not the number of #, gives the depth: the laws corpus has "### 第四章" over
      // "## 第一节". An unlabelled markdown heading stands with the labelled headings of its own
      // `#` depth ("## 附则" after "## 第二编" closes the 编), else with the chapters ("## 序言").
      const structuralRank = lab ? STRUCTURAL_RANK[lab.type] : undefined;
      if (structuralRank !== undefined && it.mdLevel > 0) {
        mdRanks.set(it.mdLevel, Math.min(mdRanks.get(it.mdLevel) ?? structuralRank, structuralRank));
      }
      const rank = lab ? (structuralRank ?? null) : (mdRanks.get(it.mdLevel) ?? Math.min(it.mdLevel, MD_MAX_RANK));
      stack = openLevel(stack, type, rank);
      section = path(stack);
      stack.push({ type, rank, label: label ?? '', text: kind === 'clause' ? clauseHead(t) : t });
      if (kind === 'heading') level = depth(stack);
    }
    if (kind === 'text') {
      // After the items of an article ("（五）…。" then plain text), the text is the article's
      // next paragraph (款), not part of its last item.
      const article = stack.findIndex((e) => e.type === 'article');
      if (article >= 0 && article < stack.length - 1) {
        stack = stack.slice(0, article + 1);
        section = path(stack);
      }
    }
    if (kind === 'heading' || kind === 'clause' || kind === 'text' || kind === 'table-row') inHeader = false;
    if (kind === 'title') inHeader = true;

    out.push({ kind, label, level, ...section });
    prevKind = kind;
  }
  return out;
}

/** The stack once a new entry of `type` opens: everything it closes is popped. */
function openLevel(stack: Entry[], type: Entry['type'], rank: number | null): Entry[] {
  if (rank !== null) {
    // Structural: close every list marker and every structural level at or below its rank.
    let k = stack.length;
    while (k > 0 && stack[k - 1]!.type !== 'root' && (stack[k - 1]!.rank === null || stack[k - 1]!.rank! >= rank)) k--;
    return stack.slice(0, k);
  }
  // A list marker: back to its sibling if that type is open, else one level deeper.
  const at = stack.findIndex((e) => e.type === type);
  return at >= 0 ? stack.slice(0, at) : stack;
}
