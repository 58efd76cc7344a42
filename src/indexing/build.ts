/**
 * Builds the in-memory paragraph index from parsed documents. Pure (no I/O); progress is
 * reported through a callback so the CLI can draw a bar.
 */
import { normalizeForMatch } from '../analysis/normalize.js';
import { wordsOfNormalized } from '../analysis/analyzer.js';
import type { PolicyDocument } from '../domain/types.js';
import { ParagraphIndex } from './paragraph-index.js';

/** A paragraph's address: paragraph numbers in the index map to (document, paragraph) pairs. */
export interface ParagraphRef {
  doc: number;
  para: number;
}

export interface BuiltIndex {
  docs: PolicyDocument[];
  refs: ParagraphRef[];
  index: ParagraphIndex;
}

/** Paragraph numbering: documents in order, paragraphs in order. */
export function paragraphRefs(docs: PolicyDocument[]): ParagraphRef[] {
  const refs: ParagraphRef[] = [];
  docs.forEach((d, doc) => d.paragraphs.forEach((_, para) => refs.push({ doc, para })));
  return refs;
}

/** Normalizes and segments every paragraph and fills both flexsearch indexes. */
export function buildParagraphIndex(
  docs: PolicyDocument[],
  onProgress?: (done: number, total: number) => void,
): BuiltIndex {
  const refs = paragraphRefs(docs);
  const target = ParagraphIndex.empty();
  const normalized: string[] = new Array(refs.length);
  const wordCounts = new Uint32Array(refs.length);
  refs.forEach((ref, n) => {
    const p = docs[ref.doc]!.paragraphs[ref.para]!;
    const norm = normalizeForMatch(p.text);
    const words = wordsOfNormalized(norm).map((t) => t.text);
    normalized[n] = norm;
    wordCounts[n] = words.length;
    ParagraphIndex.addParagraph(target, n, norm, words);
    if (onProgress && (n % 500 === 0 || n === refs.length - 1)) onProgress(n + 1, refs.length);
  });
  return { docs, refs, index: new ParagraphIndex(target.grams, target.words, normalized, wordCounts) };
}
