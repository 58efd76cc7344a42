/**
 * What a match is worth: BM25F over a paragraph's fields (its own text, its heading path, its
 * document's title), metadata boosts, coverage and proximity, and a weight by paragraph kind.
 * Pure functions and constants; the ranker (engine.ts) decides which paragraphs to score.
 */
import { normalizeForMatch } from '../analysis/normalize.js';
import type { ParagraphKind, PolicyDocument } from '../domain/types.js';
import { canonicalDocNumber, type QueryTerm } from './query.js';

export const K1 = 1.2;
export const B = 0.75;
/** Added per word of a multi-word term when the whole term occurs verbatim. */
export const PHRASE_BOOST = 0.6;
/** At most this much for terms close together (span 0), decaying with the span in characters. */
export const PROXIMITY_BOOST = 1.0;
/** A question's paragraphs get up to this much for covering its content words (idf-weighted). */
export const COVERAGE_BOOST = 3.0;
/** Metadata a term names: region, year, 文号 (flat boosts; titles are a BM25F field below). */
export const META_BOOST = { region: 2.0, year: 1.5, docNumber: 4.0 } as const;
/** Substring occurrences inside a longer jieba word count less than whole-word occurrences. */
export const PARTIAL_WORD_WEIGHT = 0.6;
/**
 * BM25F field weights: a term in an enclosing heading (or 第X条 lead-in) counts as this many
 * occurrences in the paragraph; a term in the document's title likewise. One occurrence in the
 * paragraph's own text outweighs either.
 */
export const FIELD_WEIGHT = { context: 0.3, title: 0.4 } as const;

export const KIND_WEIGHT: Record<ParagraphKind, number> = {
  title: 1.15,
  heading: 1.2,
  clause: 1.2,
  'table-row': 1.2,
  'table-header': 0.6,
  units: 0.8,
  text: 1.0,
  docnumber: 0.6,
  addressee: 0.5,
  signature: 0.4,
  attachment: 0.6,
  footer: 0.3,
};
export const MAX_KIND_WEIGHT = Math.max(...Object.values(KIND_WEIGHT));

/** Per-document values prepared once for metadata matching and filters. */
export interface DocFacts {
  regionNames: string[];
  year: string | null;
  docNumber: string | null;
  title: string;
  region: string | null;
  city: string | null;
  province: string | null;
  date: string;
}

function shortName(name: string): string | null {
  const m = /^(.{2,})(?:自治县|自治州|县|区|市|省|自治区)$/u.exec(name);
  return m ? m[1]! : null;
}

export function docFacts(doc: PolicyDocument): DocFacts {
  const m = doc.meta;
  const names = new Set<string>();
  for (const n of [m.region, m.city, m.province]) {
    if (!n) continue;
    names.add(normalizeForMatch(n));
    const s = shortName(n);
    if (s) names.add(normalizeForMatch(s));
  }
  const dn = m.docNumberParts ? canonicalDocNumber(m.docNumberParts.agency, m.docNumberParts.year, m.docNumberParts.serial) : m.docNumber;
  return {
    regionNames: [...names],
    year: m.year === null ? null : String(m.year),
    docNumber: dn ? normalizeForMatch(dn) : null,
    title: normalizeForMatch(m.title ?? ''),
    region: m.region,
    city: m.city,
    province: m.province,
    date: m.issuedDate ?? m.printedDate ?? (m.year ? `${m.year}` : ''),
  };
}

/** How strongly a term names a document by region, year or 文号 (0 = not at all). */
export function metadataBoost(f: DocFacts, t: QueryTerm): number {
  if (t.phrase || t.field) return 0;
  const q = t.norm;
  if (f.docNumber && f.docNumber === q) return META_BOOST.docNumber;
  if (f.year && (q === f.year || q === `${f.year}年`)) return META_BOOST.year;
  if (q.length >= 2 && f.regionNames.some((n) => n === q || n.startsWith(q))) return META_BOOST.region;
  return 0;
}

/** Whether a term occurs in a document's title (the title field of BM25F). */
export function inTitle(f: DocFacts, t: QueryTerm): boolean {
  return !t.phrase && !t.field && t.norm.length >= 2 && f.title.includes(t.norm);
}

/** BM25's length normalization of a paragraph of `len` words. */
export function lengthNorm(len: number, avgLen: number): number {
  return K1 * (1 - B + (B * (len || 1)) / (avgLen || 1));
}

/** BM25 of one word given its (field-weighted) frequency and the paragraph's `lengthNorm`. */
export function bm25(tf: number, idf: number, norm: number): number {
  return tf > 0 ? (idf * tf * (K1 + 1)) / (tf + norm) : 0;
}

/**
 * What one occurrence count of a single term gives a paragraph, before the term's idf: the score
 * of a query of that term alone (no title or metadata match) is `idf · termImpact(…)`. The
 * index keeps the paragraphs of highest impact of its longest gram lists (indexing/impacts.ts),
 * so that such a query scores those only.
 */
export function termImpact(tf: number, whole: boolean, norm: number, kindWeight: number): number {
  const t = whole ? tf : tf * PARTIAL_WORD_WEIGHT;
  return t > 0 ? ((t * (K1 + 1)) / (t + norm)) * kindWeight : 0;
}

/** The constants termImpact depends on: impacts saved under other values are not used. */
export const IMPACT_FINGERPRINT = JSON.stringify({ K1, B, PARTIAL_WORD_WEIGHT, KIND_WEIGHT });

/** The most `bm25` can give for a word of this idf, whatever the frequency and length. */
export function bm25Bound(idf: number): number {
  return idf * (K1 + 1);
}

/** Proximity boost for terms whose first occurrences span `span` characters. */
export function proximity(span: number): number {
  return PROXIMITY_BOOST / (1 + span / 20);
}

/** Coverage boost: the share of a question's (idf-weighted) content found in a paragraph. */
export function coverage(matchedIdf: number, totalIdf: number): number {
  return totalIdf > 0 ? COVERAGE_BOOST * (matchedIdf / totalIdf) ** 2 : 0;
}
