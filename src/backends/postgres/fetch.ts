/**
 * Fills a QueryScope from the database: what a query touches, and nothing else.
 *
 * Exact lookup, as ParagraphIndex computes it (paragraph-index.ts), split between the server
 * and the database:
 * - a term of one or two characters is one gram: its postings and occurrence counts are the
 *   answer (counts null for two equal characters, whose bigram count may overlap);
 * - a longer term: the postings of its rarest bigrams (up to RAREST, chosen by df in SQL) are
 *   intersected here, and the candidates are verified in SQL with strpos on the normalized text,
 *   which also counts the non-overlapping occurrences (what ranking uses; saturating at 255).
 * Every occurrence contains all of the term's bigrams, so no paragraph is missed, and
 * verification removes the rest: the answer is the exact set, as in the embedded engine (the
 * number of bigrams intersected only changes how many candidates SQL verifies).
 */
import { queryGramKeys } from '../../analysis/analyzer.js';
import { intersectAscending } from '../../indexing/gram-postings.js';
import { int4ArrayLiteral, type DbQuery } from './db.js';
import { StaleGenerationError, type QueryScope, type TermAnswer } from './generation.js';

/** Bigram posting lists fetched per term longer than two characters (the rarest ones). */
const RAREST = 4;
const EMPTY_LIST = new Uint32Array(0);
const EMPTY: TermAnswer = { list: EMPTY_LIST, tfs: null };

const toBytes = (v: Uint8Array | Buffer | null): Uint8Array | null => (v === null ? null : v instanceof Uint8Array ? v : new Uint8Array(v));

/** Exact lookups of `terms` (normalized) in generation g, into scope.terms. */
export async function fetchTerms(db: DbQuery, g: number, scope: QueryScope, terms: Iterable<string>): Promise<void> {
  const todo = [...new Set(terms)].filter((t) => !scope.terms.has(t));
  if (!todo.length) return;
  // One query for every term's grams: short terms take their gram whole (postings and counts),
  // longer ones the postings of their RAREST rarest bigrams and every bigram's df.
  const qTerm: number[] = [];
  const qKey: number[] = [];
  const qWhole: boolean[] = [];
  const plans = todo.map((t, i) => {
    const chars = Array.from(t);
    const keys = queryGramKeys(t);
    const whole = chars.length <= 2;
    for (const k of keys) {
      qTerm.push(i);
      qKey.push(k);
      qWhole.push(whole);
    }
    return { term: t, chars, keys, whole };
  });
  type Row = { t: number; key: number; df: number; postings: Uint32Array | null; tfs: Uint8Array | null };
  const { rows } = qKey.length
    ? await db.query<Row>(
        `SELECT u.t, u.key, g.df,
                CASE WHEN u.whole OR row_number() OVER (PARTITION BY u.t ORDER BY g.df, u.key) <= ${RAREST} THEN g.postings END AS postings,
                CASE WHEN u.whole THEN g.tfs END AS tfs
         FROM unnest($2::int[], $3::bigint[], $4::bool[]) AS u(t, key, whole)
         JOIN gram_postings g ON g.generation = $1 AND g.key = u.key`,
        [g, qTerm, qKey, qWhole],
      )
    : { rows: [] as Row[] };
  const byTerm = new Map<number, Row[]>();
  for (const r of rows) {
    const list = byTerm.get(r.t);
    if (list) list.push(r);
    else byTerm.set(r.t, [r]);
  }
  const verify: Array<Promise<void>> = [];
  plans.forEach((p, i) => {
    const got = byTerm.get(i) ?? [];
    if (p.keys.length === 0 || got.length < p.keys.length) {
      // No gram, or a gram that occurs nowhere: nothing contains the term.
      scope.terms.set(p.term, EMPTY);
      return;
    }
    if (p.whole) {
      const r = got[0]!;
      const equalPair = p.chars.length === 2 && p.chars[0] === p.chars[1];
      const tfs = toBytes(r.tfs);
      scope.terms.set(p.term, { list: r.postings ?? EMPTY_LIST, tfs: equalPair ? null : tfs && tfs.length === r.postings?.length ? tfs : null });
      return;
    }
    const lists = got.filter((r) => r.postings).map((r) => r.postings!).sort((a, b) => a.length - b.length);
    let candidates = lists[0]!;
    for (let k = 1; k < lists.length && candidates.length > 64; k++) candidates = intersectAscending(candidates, lists[k]!);
    if (candidates.length === 0) {
      scope.terms.set(p.term, EMPTY);
      return;
    }
    verify.push(
      db
        .query<{ n: number; c: number }>(
          `SELECT n, (length(normalized) - length(replace(normalized, $3, ''))) / length($3) AS c
           FROM paragraphs
           WHERE generation = $1 AND n = ANY($2::int[]) AND strpos(normalized, $3) > 0
           ORDER BY n`,
          [g, int4ArrayLiteral(candidates), p.term],
        )
        .then(({ rows: hits }) => {
          const list = new Uint32Array(hits.length);
          const tfs = new Uint8Array(hits.length);
          hits.forEach((h, j) => {
            list[j] = h.n;
            tfs[j] = Math.min(255, h.c);
          });
          scope.terms.set(p.term, { list, tfs });
        }),
    );
  });
  await Promise.all(verify);
}

/** Word postings (the words index) of `words`, into scope.words. */
export async function fetchWords(db: DbQuery, g: number, scope: QueryScope, words: Iterable<string>): Promise<void> {
  const todo = [...new Set(words)].filter((w) => !scope.words.has(w));
  if (!todo.length) return;
  const { rows } = await db.query<{ term: string; postings: Uint32Array }>(
    'SELECT term, postings FROM word_postings WHERE generation = $1 AND term = ANY($2::text[])',
    [g, todo],
  );
  for (const w of todo) scope.words.set(w, EMPTY_LIST);
  for (const r of rows) scope.words.set(r.term, r.postings);
}

/** Normalized texts of paragraphs `ns`, into scope.texts. */
export async function fetchTexts(db: DbQuery, g: number, scope: QueryScope, ns: Iterable<number>): Promise<void> {
  const todo = [...new Set(ns)].filter((n) => !scope.texts.has(n)).sort((a, b) => a - b);
  if (!todo.length) return;
  const { rows } = await db.query<{ n: number; normalized: string }>(
    'SELECT n, normalized FROM paragraphs WHERE generation = $1 AND n = ANY($2::int[])',
    [g, int4ArrayLiteral(todo)],
  );
  if (rows.length !== todo.length) throw new StaleGenerationError(g);
  for (const r of rows) scope.texts.set(r.n, r.normalized);
}

/** Paragraphs `ns` (the stored Paragraph objects), into scope.paragraphs. */
export async function fetchParagraphs(db: DbQuery, g: number, scope: QueryScope, ns: Iterable<number>): Promise<void> {
  const todo = [...new Set(ns)].filter((n) => !scope.paragraphs.has(n)).sort((a, b) => a - b);
  if (!todo.length) return;
  const { rows } = await db.query<{ n: number; paragraph: import('../../domain/types.js').Paragraph }>(
    'SELECT n, paragraph FROM paragraphs WHERE generation = $1 AND n = ANY($2::int[])',
    [g, int4ArrayLiteral(todo)],
  );
  if (rows.length !== todo.length) throw new StaleGenerationError(g);
  for (const r of rows) scope.paragraphs.set(r.n, r.paragraph);
}

/** Every paragraph of documents `ds`, into scope.docParagraphs. */
export async function fetchDocuments(db: DbQuery, g: number, scope: QueryScope, ds: Iterable<number>, docStart: Uint32Array): Promise<void> {
  const todo = [...new Set(ds)].filter((d) => !scope.docParagraphs.has(d));
  if (!todo.length) return;
  const { rows } = await db.query<{ d: number; para: number; paragraph: import('../../domain/types.js').Paragraph }>(
    'SELECT d, para, paragraph FROM paragraphs WHERE generation = $1 AND d = ANY($2::int[]) ORDER BY d, para',
    [g, todo],
  );
  const byDoc = new Map<number, import('../../domain/types.js').Paragraph[]>(todo.map((d) => [d, []]));
  for (const r of rows) byDoc.get(r.d)!.push(r.paragraph);
  for (const [d, list] of byDoc) {
    if (list.length !== docStart[d + 1]! - docStart[d]!) throw new StaleGenerationError(g);
    scope.docParagraphs.set(d, list);
  }
}

/** Fetches everything the last run missed, then clears the misses. */
export async function fetchMisses(db: DbQuery, g: number, scope: QueryScope, docStart: Uint32Array): Promise<void> {
  const terms = [...scope.missTerms];
  const words = [...scope.missWords];
  const texts = [...scope.missTexts];
  const paragraphs = [...scope.missParagraphs];
  const docs = [...scope.missDocs];
  scope.missTerms.clear();
  scope.missWords.clear();
  scope.missTexts.clear();
  scope.missParagraphs.clear();
  scope.missDocs.clear();
  await Promise.all([
    fetchTerms(db, g, scope, terms),
    fetchWords(db, g, scope, words),
    fetchTexts(db, g, scope, texts),
    fetchParagraphs(db, g, scope, paragraphs),
    fetchDocuments(db, g, scope, docs, docStart),
  ]);
}
