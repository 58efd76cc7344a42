/**
 * Writes a built index into PostgreSQL as a new generation, atomically.
 *
 * One transaction inserts the generation row, its documents, paragraphs, gram and word postings,
 * the per-generation tables servers keep in memory and the commitment records, then points
 * `current_generation` at it; readers see the switch at commit. Any failure (an error, the
 * connection dropping, the process dying) rolls the whole transaction back: the old generation
 * stays current and nothing of the new one remains. After commit, generations other than the
 * new one and the previous one are deleted (the previous one is kept because a server may have
 * resolved it just before the switch and still be reading it, as the embedded store keeps the
 * previous generation directory).
 *
 * Bulk loading uses multi-row `INSERT … SELECT FROM unnest($1::type[], …)`: one statement per
 * batch, one array parameter per column, the same on node-postgres and PGlite (COPY would need
 * pg-copy-streams, a further dependency).
 */
import { performance } from 'node:perf_hooks';
import { ANALYZER_CONFIG } from '../../analysis/analyzer.js';
import { PARSER_VERSION } from '../../corpus/version.js';
import type { Paragraph, PolicyDocument } from '../../domain/types.js';
import type { BuiltIndex } from '../../indexing/build.js';
import { FORMAT_VERSION, type IndexManifest } from '../../indexing/store.js';
import { extractCommitments } from '../../search/commitments.js';
import { corpusChecksum } from '../../search/reloader.js';
import { int4ArrayLiteral, type Db, type DbQuery } from './db.js';
import { GENERATION_TABLES, migrate } from './migrations.js';

export type WriteStage = 'documents' | 'paragraphs' | 'grams' | 'words' | 'tables' | 'commitments' | 'switch';

export interface WriteOptions {
  /** Progress per stage; a throw from it aborts the write (tests use that to fail mid-write). */
  onProgress?: (stage: WriteStage, done: number, total: number) => void;
  /** Rows per INSERT for paragraphs (default 2000). */
  batchRows?: number;
  /** Postings per INSERT for gram postings (default 400,000). */
  batchPostings?: number;
}

export interface WriteResult {
  generation: number;
  previous: number | null;
  /** Generations deleted after the switch. */
  retired: number[];
  ms: number;
  counts: { documents: number; paragraphs: number; grams: number; gramPostings: number; words: number; commitments: number };
}

/** Serializes writers (a second build waits for the first to commit or roll back). */
const WRITE_LOCK = 7_401_130_002;

/** Stored document: everything but the paragraphs (as docs.json of the embedded store). */
export type StoredDocument = Omit<PolicyDocument, 'paragraphs'>;

/** PostgreSQL text cannot hold NUL, and a lone surrogate would silently become U+FFFD in UTF-8. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

function checkStorable(what: string, s: string): void {
  if (UNSTORABLE.test(s)) throw new Error(`${what}: text with NUL or a lone surrogate cannot be stored in PostgreSQL text`);
}

/** The 《…》 spans ranking reads to count citations between documents (engine.ts citedBy), joined. */
export function citeSpans(normalized: string): string {
  if (!normalized.includes('《')) return '';
  let out = '';
  for (const m of normalized.matchAll(/《([^《》]{2,80})》/gu)) out += `《${m[1]}》`;
  return out;
}

const le32 = (a: Uint32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The vocabulary of the words index: every term flexsearch holds (its postings come from `postings()`). */
function vocabulary(built: BuiltIndex): string[] {
  const map = (built.index.words as unknown as { map?: Map<string, unknown> }).map;
  if (map instanceof Map) return [...map.keys()];
  throw new Error('words index: cannot enumerate its terms (flexsearch internals changed)');
}

/**
 * Writes `built` as a new generation and makes it current (see the module comment). Applies the
 * schema migrations first.
 */
export async function writeToPostgres(db: Db, built: BuiltIndex, manifest: IndexManifest, opts: WriteOptions = {}): Promise<WriteResult> {
  const started = performance.now();
  await migrate(db);
  const progress = opts.onProgress ?? (() => {});
  const batchRows = opts.batchRows ?? 2000;
  const batchPostings = opts.batchPostings ?? 400_000;
  const { docs, docStart, index } = built;
  const size = built.refs.length;
  const vocab = vocabulary(built);
  // Commitments are extracted before the transaction (pure, reads every paragraph).
  const commitments = extractCommitments(docs);

  const result = await db.transaction(async (tx: DbQuery) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const { rows: prev } = await tx.query<{ generation: number }>('SELECT generation FROM current_generation FOR UPDATE');
    const previous = prev[0]?.generation ?? null;
    const { rows: gen } = await tx.query<{ id: number }>(
      `INSERT INTO generations (built_at, corpus_checksum, documents, paragraphs, grams, gram_postings, words, state, format, manifest)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'building', $8, $9) RETURNING id`,
      [
        manifest.builtAt,
        corpusChecksum(manifest.files),
        docs.length,
        size,
        index.grams.keys.length,
        index.grams.postings.length,
        vocab.length,
        JSON.stringify({ formatVersion: FORMAT_VERSION, analyzer: ANALYZER_CONFIG, parserVersion: PARSER_VERSION }),
        JSON.stringify(manifest),
      ],
    );
    const g = Number(gen[0]!.id);

    // Documents.
    {
      const cols = { d: [] as number[], id: [] as string[], file: [] as string[], title: [] as (string | null)[], docNumber: [] as (string | null)[], issuer: [] as (string | null)[], region: [] as (string | null)[], city: [] as (string | null)[], province: [] as (string | null)[], year: [] as (number | null)[], issued: [] as (string | null)[], docType: [] as (string | null)[], start: [] as number[], count: [] as number[], meta: [] as string[] };
      docs.forEach((doc, d) => {
        const { paragraphs: _p, ...rest } = doc;
        const stored: StoredDocument = rest;
        const json = JSON.stringify(stored);
        checkStorable(`document ${doc.id}`, json);
        const m = doc.meta;
        cols.d.push(d);
        cols.id.push(doc.id);
        cols.file.push(doc.file);
        cols.title.push(m.title);
        cols.docNumber.push(m.docNumber);
        cols.issuer.push(m.issuer);
        cols.region.push(m.region);
        cols.city.push(m.city);
        cols.province.push(m.province);
        cols.year.push(m.year);
        cols.issued.push(m.issuedDate);
        cols.docType.push(m.docType ?? null);
        cols.start.push(docStart[d]!);
        cols.count.push(docStart[d + 1]! - docStart[d]!);
        cols.meta.push(json);
      });
      for (let at = 0; at < docs.length; at += batchRows) {
        const slice = <T>(a: T[]) => a.slice(at, at + batchRows);
        await tx.query(
          `INSERT INTO documents (generation, d, id, file, title, doc_number, issuer, region, city, province, year, issued_date, doc_type, para_start, para_count, meta, doc)
           SELECT $1, d, id, file, title, dn, issuer, region, city, province, year, issued, dt, ps, pc, meta, m::json FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[], $13::text[], $14::int[], $15::int[], $16::jsonb[], $17::text[]) AS u(d, id, file, title, dn, issuer, region, city, province, year, issued, dt, ps, pc, meta, m)`,
          [g, slice(cols.d), slice(cols.id), slice(cols.file), slice(cols.title), slice(cols.docNumber), slice(cols.issuer), slice(cols.region), slice(cols.city), slice(cols.province), slice(cols.year), slice(cols.issued), slice(cols.docType), slice(cols.start), slice(cols.count), slice(cols.meta), slice(cols.meta)],
        );
        progress('documents', Math.min(at + batchRows, docs.length), docs.length);
      }
      if (docs.length === 0) progress('documents', 0, 0);
    }

    // Paragraphs.
    for (let at = 0; at < size; at += batchRows) {
      const end = Math.min(size, at + batchRows);
      const n: number[] = [];
      const d: number[] = [];
      const para: number[] = [];
      const kind: string[] = [];
      const parent: number[] = [];
      const words: number[] = [];
      const units: string[] = [];
      const text: string[] = [];
      const norm: string[] = [];
      const json: string[] = [];
      for (let i = at; i < end; i++) {
        const ref = built.refs[i]!;
        const p: Paragraph = built.paragraph(i);
        const pj = JSON.stringify(p);
        checkStorable(`paragraph ${p.id}`, pj);
        checkStorable(`paragraph ${p.id} (normalized)`, index.normalized[i]!);
        n.push(i);
        d.push(ref.doc);
        para.push(ref.para);
        kind.push(built.kinds[i]!);
        parent.push(built.parents[i]!);
        words.push(index.wordCounts[i]!);
        units.push(JSON.stringify(built.units[i] ?? []));
        text.push(p.text);
        norm.push(index.normalized[i]!);
        json.push(pj);
      }
      await tx.query(
        `INSERT INTO paragraphs (generation, n, d, para, kind, parent, word_count, units, text, normalized, paragraph)
         SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::int[], $7::int[], $8::jsonb[], $9::text[], $10::text[], $11::json[])`,
        [g, n, d, para, kind, parent, words, units, text, norm, json],
      );
      progress('paragraphs', end, size);
    }

    // Gram postings: key → int4[] paragraph numbers (literal strings: one parameter element per
    // key, not per posting) and a bytea of occurrence counts (hex).
    {
      const { keys, offsets, postings, tf } = index.grams;
      let i = 0;
      while (i < keys.length) {
        const k: number[] = [];
        const df: number[] = [];
        const lists: string[] = [];
        const tfs: string[] = [];
        let volume = 0;
        for (; i < keys.length && (volume < batchPostings || k.length === 0) && k.length < 20_000; i++) {
          const from = offsets[i]!;
          const to = offsets[i + 1]!;
          k.push(keys[i]!);
          df.push(to - from);
          lists.push(int4ArrayLiteral(postings.subarray(from, to)));
          tfs.push(Buffer.from(tf.buffer, tf.byteOffset + from, to - from).toString('hex'));
          volume += to - from;
        }
        await tx.query(
          `INSERT INTO gram_postings (generation, key, df, postings, tfs)
           SELECT $1, k, df, p::int[], decode(t, 'hex') FROM unnest($2::bigint[], $3::int[], $4::text[], $5::text[]) AS u(k, df, p, t)`,
          [g, k, df, lists, tfs],
        );
        progress('grams', i, keys.length);
      }
    }

    // Word postings: the words index's own answers (ParagraphIndex.postings), term by term.
    for (let at = 0; at < vocab.length; at += 5000) {
      const terms = vocab.slice(at, at + 5000);
      const lists = terms.map((w) => index.postings(w));
      terms.forEach((w) => checkStorable(`word ${JSON.stringify(w)}`, w));
      await tx.query(
        `INSERT INTO word_postings (generation, term, df, postings)
         SELECT $1, t, df, p::int[] FROM unnest($2::text[], $3::int[], $4::text[]) AS u(t, df, p)`,
        [g, terms, lists.map((l) => l.length), lists.map(int4ArrayLiteral)],
      );
      progress('words', Math.min(at + 5000, vocab.length), vocab.length);
    }

    // Per-generation tables every server keeps in memory (generation.ts loads them).
    {
      const kindTable = [...new Set(built.kinds)];
      const kindCodes = Uint8Array.from(built.kinds, (k) => kindTable.indexOf(k));
      const units: Array<[number, readonly string[]]> = [];
      const cites: Array<[number, string]> = [];
      const titles: Array<[number, Paragraph]> = [];
      for (let i = 0; i < size; i++) {
        if (built.units[i]!.length) units.push([i, built.units[i]!]);
        const c = citeSpans(index.normalized[i]!);
        if (c) cites.push([i, c]);
        if (built.kinds[i] === 'title') titles.push([i, built.paragraph(i)]);
      }
      const blobs: Array<[string, Buffer]> = [
        ['kinds', Buffer.from(kindCodes)],
        ['kindTable', Buffer.from(JSON.stringify(kindTable))],
        ['parents', le32(built.parents)],
        ['wordCounts', le32(index.wordCounts)],
        ['units', Buffer.from(JSON.stringify(units))],
        ['citeSpans', Buffer.from(JSON.stringify(cites))],
        ['titleParagraphs', Buffer.from(JSON.stringify(titles))],
      ];
      for (const [name, data] of blobs) {
        await tx.query(`INSERT INTO generation_blobs (generation, name, data) VALUES ($1, $2, decode($3, 'hex'))`, [g, name, data.toString('hex')]);
      }
      progress('tables', blobs.length, blobs.length);
    }

    // Commitment records (queried per request by filter, like the embedded service's).
    for (let at = 0; at < commitments.length; at += batchRows) {
      const slice = commitments.slice(at, at + batchRows);
      await tx.query(`INSERT INTO commitments (generation, i, record) SELECT $1, * FROM unnest($2::int[], $3::json[])`, [
        g,
        slice.map((_, j) => at + j),
        slice.map((r) => JSON.stringify(r)),
      ]);
      progress('commitments', at + slice.length, commitments.length);
    }

    // The switch: visible to readers when this transaction commits.
    await tx.query(`UPDATE generations SET state = 'ready' WHERE id = $1`, [g]);
    await tx.query(
      `INSERT INTO current_generation (singleton, generation, previous) VALUES (true, $1, $2)
       ON CONFLICT (singleton) DO UPDATE SET generation = EXCLUDED.generation, previous = EXCLUDED.previous, switched_at = now()`,
      [g, previous],
    );
    progress('switch', 1, 1);
    return { generation: g, previous: previous === null ? null : Number(previous) };
  });

  const retired = await retireGenerations(db);
  return {
    ...result,
    retired,
    ms: Math.round(performance.now() - started),
    counts: {
      documents: docs.length,
      paragraphs: size,
      grams: index.grams.keys.length,
      gramPostings: index.grams.postings.length,
      words: vocab.length,
      commitments: commitments.length,
    },
  };
}

/** Deletes every generation but the current and the previous one; returns their ids. */
export async function retireGenerations(db: Db): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const { rows } = await tx.query<{ id: number }>(
      `SELECT id FROM generations g
       WHERE NOT EXISTS (SELECT 1 FROM current_generation c WHERE c.generation = g.id OR c.previous = g.id)
       ORDER BY id`,
    );
    const ids = rows.map((r) => Number(r.id));
    if (ids.length) {
      for (const t of GENERATION_TABLES) await tx.query(`DELETE FROM ${t} WHERE generation = ANY($1::bigint[])`, [ids]);
      await tx.query('DELETE FROM generations WHERE id = ANY($1::bigint[])', [ids]);
    }
    return ids;
  });
}
