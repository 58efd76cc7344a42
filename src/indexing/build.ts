/**
 * Builds the in-memory paragraph index from parsed documents. Pure (no I/O); progress is
 * reported through a callback so the CLI can draw a bar.
 */
import { normalizeForMatch } from '../analysis/normalize.js';
import { wordsOfNormalized } from '../analysis/analyzer.js';
import type { Paragraph, ParagraphKind, PolicyDocument } from '../domain/types.js';
import { GramPostings } from './gram-postings.js';
import { IMPACT_PARAMS, ImpactHeads, type ImpactParams } from './impacts.js';
import { addParagraphWords, newWordIndex, ParagraphIndex } from './paragraph-index.js';

/** A paragraph's address: paragraph numbers in the index map to (document, paragraph) pairs. */
export interface ParagraphRef {
  doc: number;
  para: number;
}

/**
 * The index as the search layer sees it. A loaded index parses a document's paragraphs only
 * when they are first read (`docs[d].paragraphs`); what ranking and filtering need for every
 * paragraph is kept apart in `kinds` and `units`, so a query never forces that parse.
 */
export interface BuiltIndex {
  docs: PolicyDocument[];
  refs: ParagraphRef[];
  /** Paragraph numbers of document d are docStart[d] … docStart[d + 1] - 1. */
  docStart: Uint32Array;
  /** Each paragraph's kind, by paragraph number. */
  kinds: ParagraphKind[];
  /** Each paragraph's responsible units (as written), by paragraph number. */
  units: ReadonlyArray<readonly string[]>;
  /**
   * Each paragraph's enclosing heading or clause (its nearest section parent: the 第X条 of an
   * item, the 一、 of a clause), as a paragraph number; -1 at the top level.
   */
  parents: Int32Array;
  /**
   * Paragraph number n as a Paragraph. Prefer it to `docs[d].paragraphs[p]` when one paragraph
   * is wanted: a loaded index then parses that paragraph alone, not its whole document.
   */
  paragraph(n: number): Paragraph;
  index: ParagraphIndex;
}

/** Paragraph numbering: documents in order, paragraphs in order. */
export function paragraphRefs(paragraphCounts: readonly number[]): { refs: ParagraphRef[]; docStart: Uint32Array } {
  const refs: ParagraphRef[] = [];
  const docStart = new Uint32Array(paragraphCounts.length + 1);
  paragraphCounts.forEach((count, doc) => {
    docStart[doc] = refs.length;
    for (let para = 0; para < count; para++) refs.push({ doc, para });
  });
  docStart[paragraphCounts.length] = refs.length;
  return { refs, docStart };
}

const NO_UNITS: readonly string[] = Object.freeze([]);

const pathKey = (labels: readonly string[]) => labels.join('\u0001');

/**
 * The section parent of each paragraph of one document (indexes into `paragraphs`, -1 for none):
 * the latest heading or clause whose own label path (its section labels plus its label) is the
 * paragraph's section label path, or failing that the nearest such enclosing path (a section
 * opened by an attachment marker has no paragraph of its own). Pure.
 */
export function sectionParents(paragraphs: readonly Paragraph[]): Int32Array {
  const out = new Int32Array(paragraphs.length).fill(-1);
  const latest = new Map<string, number>();
  paragraphs.forEach((p, i) => {
    for (let k = p.sectionLabels.length; k > 0; k--) {
      const at = latest.get(pathKey(p.sectionLabels.slice(0, k)));
      if (at !== undefined) {
        out[i] = at;
        break;
      }
    }
    if (p.kind === 'heading' || p.kind === 'clause') latest.set(pathKey([...p.sectionLabels, p.label ?? '']), i);
  });
  return out;
}

/**
 * Normalizes and segments every paragraph, fills the words index, then builds the gram postings
 * and their impact heads.
 */
export function buildParagraphIndex(
  docs: PolicyDocument[],
  onProgress?: (done: number, total: number) => void,
  impactParams: ImpactParams = IMPACT_PARAMS,
): BuiltIndex {
  const { refs, docStart } = paragraphRefs(docs.map((d) => d.paragraphs.length));
  const kinds: ParagraphKind[] = new Array(refs.length);
  const units: Array<readonly string[]> = new Array(refs.length);
  const words = newWordIndex();
  const normalized: string[] = new Array(refs.length);
  const wordCounts = new Uint32Array(refs.length);
  refs.forEach((ref, n) => {
    const p = docs[ref.doc]!.paragraphs[ref.para]!;
    const norm = normalizeForMatch(p.text);
    const list = wordsOfNormalized(norm).map((t) => t.text);
    normalized[n] = norm;
    wordCounts[n] = list.length;
    kinds[n] = p.kind;
    units[n] = p.units.length ? p.units : NO_UNITS;
    addParagraphWords(words, n, list);
    if (onProgress && (n % 500 === 0 || n === refs.length - 1)) onProgress(n + 1, refs.length);
  });
  const parents = new Int32Array(refs.length).fill(-1);
  docs.forEach((d, i) => {
    const local = sectionParents(d.paragraphs);
    local.forEach((p, j) => {
      if (p >= 0) parents[docStart[i]! + j] = docStart[i]! + p;
    });
  });
  const grams = GramPostings.build(refs.length, (n) => normalized[n]!);
  const paragraph = (n: number) => docs[refs[n]!.doc]!.paragraphs[refs[n]!.para]!;
  const index = new ParagraphIndex(grams, words, normalized, wordCounts);
  index.impacts = ImpactHeads.build(grams, normalized, kinds, wordCounts, (gram) => index.wordPostings(gram), impactParams);
  return { docs, refs, docStart, kinds, units, parents, paragraph, index };
}
