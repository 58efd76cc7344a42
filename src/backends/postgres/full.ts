/**
 * A whole generation read back from PostgreSQL into an in-memory BuiltIndex, the same the embedded
 * engine builds: every paragraph, normalized text, gram posting and word posting.
 *
 * Phase 1 uses it for what has no per-query form yet — parallel clauses (`similar`: its
 * ClauseSimilarity reads every paragraph's text when built and memoizes features) — loaded on the
 * first such request and kept for the generation's life, so that server holds the whole index in
 * memory like an embedded one. Tests use it to check that a generation round-trips.
 */
import type { Paragraph, PolicyDocument } from '../../domain/types.js';
import type { BuiltIndex } from '../../indexing/build.js';
import { GramPostings } from '../../indexing/gram-postings.js';
import { addParagraphWords, newWordIndex, ParagraphIndex } from '../../indexing/paragraph-index.js';
import type { DbQuery } from './db.js';
import type { PgGeneration } from './generation.js';

export async function loadFullIndex(db: DbQuery, gen: PgGeneration): Promise<BuiltIndex> {
  const g = gen.id;
  const size = gen.refs.length;
  const [{ rows: paras }, { rows: grams }, { rows: words }] = await Promise.all([
    db.query<{ n: number; normalized: string; paragraph: Paragraph }>('SELECT n, normalized, paragraph FROM paragraphs WHERE generation = $1 ORDER BY n', [g]),
    db.query<{ key: number; postings: Uint32Array; tfs: Uint8Array }>('SELECT key, postings, tfs FROM gram_postings WHERE generation = $1 ORDER BY key', [g]),
    db.query<{ term: string; postings: Uint32Array }>('SELECT term, postings FROM word_postings WHERE generation = $1', [g]),
  ]);
  if (paras.length !== size) throw new Error(`generation ${g}: ${paras.length} paragraphs, expected ${size}`);
  const normalized = paras.map((r) => r.normalized);
  const paragraphs = paras.map((r) => r.paragraph);
  const docs: PolicyDocument[] = gen.docs.map((d, i) => {
    const copy = { ...d } as PolicyDocument;
    copy.paragraphs = paragraphs.slice(gen.docStart[i]!, gen.docStart[i + 1]!);
    return copy;
  });
  let total = 0;
  for (const r of grams) total += r.postings.length;
  const keys = new Float64Array(grams.length);
  const offsets = new Uint32Array(grams.length + 1);
  const postings = new Uint32Array(total);
  const tf = new Uint8Array(total);
  let at = 0;
  grams.forEach((r, i) => {
    keys[i] = r.key;
    offsets[i] = at;
    postings.set(r.postings, at);
    tf.set(r.tfs, at);
    at += r.postings.length;
  });
  offsets[grams.length] = at;
  // The words index, rebuilt paragraph by paragraph from the inverted lists.
  const perParagraph: string[][] = Array.from({ length: size }, () => []);
  for (const r of words) for (const n of r.postings) perParagraph[n]!.push(r.term);
  const wordIndex = newWordIndex();
  perParagraph.forEach((list, n) => addParagraphWords(wordIndex, n, list));
  const wordCounts = gen.index.wordCounts;
  return {
    docs,
    refs: gen.refs,
    docStart: gen.docStart,
    kinds: gen.kinds,
    units: gen.units,
    parents: gen.built.parents,
    paragraph: (n) => paragraphs[n]!,
    index: new ParagraphIndex(new GramPostings(keys, offsets, postings, tf), wordIndex, normalized, wordCounts),
  };
}
