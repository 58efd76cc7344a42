/**
 * The PostgreSQL schema, as versioned migrations: an ordered list, each applied once, in its own
 * transaction, and recorded in `schema_migrations`. `migrate` is idempotent (a second run applies
 * nothing) and safe to run from several processes at once (an advisory lock serializes them).
 * Never edit a migration that has shipped: append a new one.
 *
 * Layout. Everything an index holds is keyed by a generation id. A build writes a whole new
 * generation in one transaction and points the one-row `current_generation` at it at commit, so
 * a reader sees the old generation or the new one, never a mix, and a failed build leaves no
 * trace. Readers resolve `current_generation` and then read only rows of that generation.
 *
 * - `generations`: one row per build (counts, corpus checksum, manifest, state).
 * - `documents`: one row per document: metadata as jsonb (for SQL), plus the columns filters and
 *   facets read (region, year, issuer, doc type, dates), its paragraph range, and the stored
 *   document as json (key order kept: servers load it, and responses stay byte-identical).
 * - `paragraphs`: one row per paragraph, keyed (generation, n) with n the paragraph number:
 *   kind, parent, word count, units, stored text, normalized text (exact-match verification
 *   runs in SQL with strpos on it), and the Paragraph as json (json, not jsonb: key order kept,
 *   so API responses are byte-identical to the embedded engine's).
 * - `gram_postings`: character unigram/bigram key → ascending paragraph numbers (int4[]) and
 *   occurrence counts (bytea, one byte each, saturating at 255), with df for choosing the rarest.
 * - `word_postings`: jieba word → ascending paragraph numbers (int4[]).
 * - `generation_blobs`: per-generation tables every server keeps in memory (paragraph kinds,
 *   parents, word counts, units…), packed, so a stateless server loads them with one query.
 * - `commitments`: the commitment records of the generation (extracted at build time).
 */
import type { Db, DbQuery } from './db.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'generations, documents, paragraphs, postings',
    sql: `
CREATE TABLE generations (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  built_at        timestamptz NOT NULL,
  written_at      timestamptz NOT NULL DEFAULT now(),
  corpus_checksum text NOT NULL,
  documents       integer NOT NULL,
  paragraphs      integer NOT NULL,
  grams           integer NOT NULL DEFAULT 0,
  gram_postings   bigint  NOT NULL DEFAULT 0,
  words           integer NOT NULL DEFAULT 0,
  state           text NOT NULL CHECK (state IN ('building', 'ready')),
  format          jsonb NOT NULL,
  manifest        jsonb NOT NULL
);

CREATE TABLE current_generation (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation  bigint NOT NULL REFERENCES generations (id),
  previous    bigint,
  switched_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
  generation  bigint  NOT NULL,
  d           integer NOT NULL,
  id          text    NOT NULL,
  file        text    NOT NULL,
  title       text,
  doc_number  text,
  issuer      text,
  region      text,
  city        text,
  province    text,
  year        integer,
  issued_date text,
  doc_type    text,
  para_start  integer NOT NULL,
  para_count  integer NOT NULL,
  meta        jsonb   NOT NULL,
  doc         json    NOT NULL,
  PRIMARY KEY (generation, d)
);
CREATE UNIQUE INDEX documents_id ON documents (generation, id);
CREATE INDEX documents_region ON documents (generation, region);

CREATE TABLE paragraphs (
  generation bigint  NOT NULL,
  n          integer NOT NULL,
  d          integer NOT NULL,
  para       integer NOT NULL,
  kind       text    NOT NULL,
  parent     integer NOT NULL,
  word_count integer NOT NULL,
  units      jsonb   NOT NULL,
  text       text    NOT NULL,
  normalized text    NOT NULL,
  paragraph  json    NOT NULL,
  PRIMARY KEY (generation, n)
);
CREATE INDEX paragraphs_doc ON paragraphs (generation, d, para);

CREATE TABLE gram_postings (
  generation bigint  NOT NULL,
  key        bigint  NOT NULL,
  df         integer NOT NULL,
  postings   integer[] NOT NULL,
  tfs        bytea   NOT NULL,
  PRIMARY KEY (generation, key)
);

CREATE TABLE word_postings (
  generation bigint  NOT NULL,
  term       text    NOT NULL,
  df         integer NOT NULL,
  postings   integer[] NOT NULL,
  PRIMARY KEY (generation, term)
);

CREATE TABLE generation_blobs (
  generation bigint NOT NULL,
  name       text   NOT NULL,
  data       bytea  NOT NULL,
  PRIMARY KEY (generation, name)
);

CREATE TABLE commitments (
  generation bigint  NOT NULL,
  i          integer NOT NULL,
  record     json    NOT NULL,
  PRIMARY KEY (generation, i)
);
`,
  },
];

/** Big tables keyed by generation (deleted per generation when it is retired). */
export const GENERATION_TABLES = ['documents', 'paragraphs', 'gram_postings', 'word_postings', 'generation_blobs', 'commitments'] as const;

/** Arbitrary constant naming this schema's migration lock (pg_advisory_xact_lock). */
const MIGRATION_LOCK = 7_401_130_001;

/** Applies the migrations not yet recorded, each in its own transaction; returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    const done = await db.transaction(async (tx: DbQuery) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations WHERE version = $1', [m.version]);
      if (rows.length) return false;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/** The schema version of the database (0: none). */
export async function schemaVersion(db: DbQuery): Promise<number> {
  const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (!rows[0]?.t) return 0;
  const { rows: v } = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return v[0]?.v ?? 0;
}

/** The latest migration's version: what this code expects. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Statements of a migration (no semicolons inside statements in our migrations). */
function splitStatements(sql: string): string[] {
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}
