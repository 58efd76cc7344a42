/**
 * Citations: 《title》（文号）一、（五）— ready to paste into a memo.
 */
import type { Citation, Paragraph, PolicyDocument } from '../domain/types.js';

/** The label path of a paragraph: enclosing section labels, then its own label. */
export function labelPath(p: Paragraph): string[] {
  const own = p.label ? (p.kind === 'table-row' ? `第${p.label}项` : p.label) : null;
  return own ? [...p.sectionLabels, own] : [...p.sectionLabels];
}

/** Builds the citation of a paragraph; documents without a title are cited by file name. */
export function renderCitation(doc: PolicyDocument, p: Paragraph): Citation {
  const title = doc.meta.title;
  const path = labelPath(p);
  const text = `《${title ?? doc.file}》${doc.meta.docNumber ? `（${doc.meta.docNumber}）` : ''}${path.join('')}`;
  return { title, docNumber: doc.meta.docNumber, path, text };
}
