/**
 * The backend interface between the web layer and an index, and the factory choosing one.
 *
 * - `embedded` (the default): today's engine, the index in this process's memory, loaded from
 *   INDEX_DIR (src/search/service.ts). Its methods return values.
 * - `postgres`: the same search served from PostgreSQL 15+ by stateless servers
 *   (src/backends/postgres/). Its methods return promises.
 *
 * The web layer calls `await backend.search(req)` etc.: awaiting a value is a no-op, so one code
 * path serves both, and the embedded SearchService satisfies `AsyncSearchServiceApi` unchanged.
 */
import type { Limits } from '../config.js';
import { openSearchService, SearchService, type OpenServiceOptions } from '../search/service.js';
import { openPgDb, type Db } from './postgres/db.js';
import { PostgresSearchBackend } from './postgres/backend.js';

import type { AsyncSearchServiceApi } from '../search/api.js';

export type Awaitable<T> = T | Promise<T>;

export type { AsyncSearchServiceApi } from '../search/api.js';

/** A search backend: the service methods, plus close() (release the database pool, …). */
export interface SearchBackend extends AsyncSearchServiceApi {
  close(): Awaitable<void>;
}

export type BackendKind = 'embedded' | 'postgres';

/** The kinds SEARCH_BACKEND may name. */
export const BACKEND_KINDS: readonly BackendKind[] = ['embedded', 'postgres'];

/** SEARCH_BACKEND as a kind (default embedded); throws on an unknown name. */
export function backendKindFromEnv(env: NodeJS.ProcessEnv = process.env): BackendKind {
  const raw = (env.SEARCH_BACKEND ?? '').trim() || 'embedded';
  if (!(BACKEND_KINDS as readonly string[]).includes(raw)) throw new Error(`SEARCH_BACKEND must be one of ${BACKEND_KINDS.join(', ')}, got "${raw}"`);
  return raw as BackendKind;
}

/** The embedded engine as a backend (close() has nothing to release). */
export class EmbeddedBackend implements SearchBackend {
  constructor(readonly service: SearchService) {}
  search(...args: Parameters<SearchService['search']>) {
    return this.service.search(...args);
  }
  listDocs() {
    return this.service.listDocs();
  }
  getDoc(...args: Parameters<SearchService['getDoc']>) {
    return this.service.getDoc(...args);
  }
  similar(...args: Parameters<SearchService['similar']>) {
    return this.service.similar(...args);
  }
  compare(...args: Parameters<SearchService['compare']>) {
    return this.service.compare(...args);
  }
  commitments(...args: Parameters<SearchService['commitments']>) {
    return this.service.commitments(...args);
  }
  stats() {
    return this.service.stats();
  }
  close(): void {}
}

export interface PostgresOpenOptions {
  limits: Limits;
  /** DATABASE_URL (postgres://…); or `db`, an open database (tests: PGlite). */
  databaseUrl?: string;
  db?: Db;
  /** See PostgresBackendOptions.pollMs. */
  pollMs?: number;
}

export function openBackend(kind: 'embedded', opts: OpenServiceOptions): Promise<EmbeddedBackend>;
export function openBackend(kind: 'postgres', opts: PostgresOpenOptions): Promise<PostgresSearchBackend>;
export function openBackend(kind: BackendKind, opts: OpenServiceOptions | PostgresOpenOptions): Promise<SearchBackend>;
export async function openBackend(kind: BackendKind, opts: OpenServiceOptions | PostgresOpenOptions): Promise<SearchBackend> {
  if (kind === 'embedded') return new EmbeddedBackend(await openSearchService(opts as OpenServiceOptions));
  const o = opts as PostgresOpenOptions;
  const db = o.db ?? (o.databaseUrl ? await openPgDb(o.databaseUrl) : null);
  if (!db) throw new Error('SEARCH_BACKEND=postgres needs DATABASE_URL (postgres://user:password@host:5432/database)');
  try {
    return await PostgresSearchBackend.open({ db, limits: o.limits, pollMs: o.pollMs, ownsDb: o.db === undefined });
  } catch (e) {
    if (o.db === undefined) await db.close();
    throw e;
  }
}
