/**
 * A tiny database interface over node-postgres (`pg.Pool`, a real PostgreSQL server) and PGlite
 * (PostgreSQL compiled to WebAssembly, in process: the tests). Only what the backend needs:
 * parameterized queries and a transaction that commits when its callback resolves and rolls back
 * when it throws.
 *
 * Type parsing is the same on both: `int4[]` (postings) comes back as a Uint32Array (a fast
 * parser: a posting list of 250,000 paragraph numbers is one string scan, no array of boxed
 * numbers), `int8` as a number (gram keys stay below 2^53), `bytea` as a Uint8Array/Buffer,
 * `json`/`jsonb` parsed.
 */
import type pg from 'pg';

export interface QueryResult<R> {
  rows: R[];
}

/** What a transaction callback gets: queries on the transaction's connection. */
export interface DbQuery {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

export interface Db extends DbQuery {
  /** Runs `fn` in one transaction (BEGIN … COMMIT; ROLLBACK when it throws, and rethrows). */
  transaction<T>(fn: (tx: DbQuery) => Promise<T>): Promise<T>;
  /** Closes the pool / database. */
  close(): Promise<void>;
  readonly kind: 'pg' | 'pglite';
}

const OID_INT8 = 20;
const OID_INT4_ARRAY = 1007;

/** `{1,2,3}` → Uint32Array [1, 2, 3]; non-negative integers only (paragraph numbers). */
export function parseUint32Array(s: string): Uint32Array {
  if (s.length <= 2) return new Uint32Array(0);
  let count = 1;
  for (let i = 1; i < s.length - 1; i++) if (s.charCodeAt(i) === 44) count++;
  const out = new Uint32Array(count);
  let v = 0;
  let k = 0;
  for (let i = 1; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c === 44) {
      out[k++] = v;
      v = 0;
    } else v = v * 10 + (c - 48);
  }
  out[k] = v;
  return out;
}

/** A posting list as an `int4[]` literal parameter (`{1,2,3}`): one string, not one array element per posting. */
export function int4ArrayLiteral(list: ArrayLike<number>): string {
  let s = '{';
  for (let i = 0; i < list.length; i++) s += (i ? ',' : '') + list[i];
  return s + '}';
}

// --- node-postgres ---

type PgParser = (value: string) => unknown;

/** Per-query type parsers for node-postgres (so a pool created elsewhere needs no global setup). */
function pgTypes(base: typeof pg.types): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (format !== 'binary') {
        if (oid === OID_INT4_ARRAY) return parseUint32Array as PgParser;
        if (oid === OID_INT8) return Number as PgParser;
      }
      return base.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

interface PgQueryable {
  query(config: pg.QueryConfig): Promise<pg.QueryResult>;
}

function pgQuery(client: PgQueryable, types: pg.CustomTypesConfig): DbQuery['query'] {
  return async <R>(text: string, values: unknown[] = []) => {
    const res = await client.query({ text, values, types });
    return { rows: res.rows as R[] };
  };
}

/** A Db over a node-postgres pool (`new pg.Pool({ connectionString: DATABASE_URL })`). */
export function pgPoolDb(pool: pg.Pool, pgModule: typeof pg): Db {
  const types = pgTypes(pgModule.types);
  return {
    kind: 'pg',
    query: pgQuery(pool, types),
    async transaction<T>(fn: (tx: DbQuery) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: pgQuery(client, types) });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        try {
          await client.query('ROLLBACK');
        } catch {
          // the connection is broken: the server rolls back the transaction with it
        }
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Opens a pool on `connectionString` (DATABASE_URL) as a Db. */
export async function openPgDb(connectionString: string, opts: { max?: number } = {}): Promise<Db> {
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({ connectionString, max: opts.max ?? 10 });
  // An idle client's error (the server restarted) must not crash the process: the pool drops it.
  pool.on('error', () => {});
  return pgPoolDb(pool, pgModule);
}

// --- PGlite ---

/** The part of PGlite's interface used here (PGlite and its Transaction both have it). */
interface PGliteLike {
  query<T>(query: string, params?: unknown[], options?: { parsers?: Record<number, (value: string, typeId: number) => unknown> }): Promise<{ rows: T[] }>;
}

interface PGliteDatabase extends PGliteLike {
  transaction<T>(callback: (tx: PGliteLike) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const PGLITE_PARSERS = {
  [OID_INT4_ARRAY]: (v: string) => parseUint32Array(v),
  [OID_INT8]: (v: string) => Number(v),
};

function pgliteQuery(db: PGliteLike): DbQuery['query'] {
  return async <R>(sql: string, params: unknown[] = []) => {
    const res = await db.query<R>(sql, params, { parsers: PGLITE_PARSERS });
    return { rows: res.rows };
  };
}

/** A Db over a PGlite instance (`new PGlite()` from @electric-sql/pglite). */
export function pgliteDb(db: PGliteDatabase): Db {
  return {
    kind: 'pglite',
    query: pgliteQuery(db),
    transaction: (fn) => db.transaction((tx) => fn({ query: pgliteQuery(tx) })),
    close: () => db.close(),
  };
}
