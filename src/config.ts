/**
 * Configuration from environment variables (documented in README.md). Read once at the edges
 * (server, CLI) and passed down as values.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';

export interface Limits {
  /** Longest accepted query, in characters. */
  maxQueryLength: number;
  /** Most terms (words, phrases, field filters) in one query. */
  maxQueryTerms: number;
  /** Largest `limit` for HTML pages. */
  maxPageLimit: number;
  /** Largest `limit` for the JSON API. */
  maxApiLimit: number;
  /** Largest `offset`. */
  maxOffset: number;
  /** Largest corpus file accepted, in bytes. */
  maxFileBytes: number;
  /** Most quoted phrases ("…", “…”, 「…」) in one query. */
  maxQuotedPhrases: number;
  /** Longest request URL (path and query string), in bytes; longer → 414. */
  maxUrlLength: number;
  /** Search responses kept for repeated identical requests (per index generation); 0 = none. */
  resultCacheSize: number;
}

export interface Config {
  port: number;
  corpusDir: string;
  indexDir: string;
  /** Requests per minute per IP; 0 turns the limit off. */
  rateLimit: number;
  limits: Limits;
}

export const DEFAULT_LIMITS: Limits = {
  maxQueryLength: 200,
  maxQueryTerms: 16,
  maxPageLimit: 100,
  maxApiLimit: 1000,
  maxOffset: 10_000,
  maxFileBytes: 20 * 1024 * 1024,
  maxQuotedPhrases: 8,
  maxUrlLength: 8192,
  resultCacheSize: 512,
};

/** How the server runs, beyond what the app needs: reloading and shutdown (server.ts only). */
export interface OperationsConfig {
  /** After SIGTERM/SIGINT, in-flight requests get this long before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Rebuild the index (in a child process) when the corpus changes. */
  watchCorpus: boolean;
  /** How often INDEX_DIR/CURRENT is polled for a new generation, in milliseconds. */
  reloadPollMs: number;
  /**
   * Worker threads answering requests (each runs the whole app over one shared copy of the
   * index, see serve/pool.ts); 0 or 1 = everything on the main thread, as before workers.
   */
  workers: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`Environment variable ${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return n;
}

/**
 * The index folder for `--corpus DIR` / `--index DIR` flags over the configured pair. A corpus other
 * than the configured one, given without `--index`, gets its own folder under the configured index
 * (`index/corpora/<name>-<hash of its path>`), so it never replaces the index a server of the
 * configured corpus is serving.
 */
export function resolveIndexDir(config: Pick<Config, 'corpusDir' | 'indexDir'>, corpusFlag: string | undefined, indexFlag: string | undefined): { corpusDir: string; indexDir: string } {
  const corpusDir = corpusFlag ? resolve(corpusFlag) : config.corpusDir;
  if (indexFlag) return { corpusDir, indexDir: resolve(indexFlag) };
  if (corpusDir === config.corpusDir) return { corpusDir, indexDir: config.indexDir };
  const tag = createHash('sha256').update(corpusDir).digest('hex').slice(0, 8);
  const name = basename(corpusDir).replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'corpus';
  return { corpusDir, indexDir: resolve(config.indexDir, 'corpora', `${name}-${tag}`) };
}

/** Reads the configuration from environment variables, with defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: intFromEnv(env, 'PORT', 3000),
    corpusDir: resolve(env.CORPUS_DIR || 'seeds'),
    indexDir: resolve(env.INDEX_DIR || 'index'),
    rateLimit: intFromEnv(env, 'RATE_LIMIT', 120),
    limits: {
      maxQueryLength: intFromEnv(env, 'MAX_QUERY_LENGTH', DEFAULT_LIMITS.maxQueryLength, 1),
      maxQueryTerms: intFromEnv(env, 'MAX_QUERY_TERMS', DEFAULT_LIMITS.maxQueryTerms, 1),
      maxPageLimit: intFromEnv(env, 'MAX_PAGE_LIMIT', DEFAULT_LIMITS.maxPageLimit, 1),
      maxApiLimit: intFromEnv(env, 'MAX_API_LIMIT', DEFAULT_LIMITS.maxApiLimit, 1),
      maxOffset: intFromEnv(env, 'MAX_OFFSET', DEFAULT_LIMITS.maxOffset, 0),
      maxFileBytes: intFromEnv(env, 'MAX_FILE_BYTES', DEFAULT_LIMITS.maxFileBytes, 1),
      maxQuotedPhrases: intFromEnv(env, 'MAX_QUOTED_PHRASES', DEFAULT_LIMITS.maxQuotedPhrases, 0),
      maxUrlLength: intFromEnv(env, 'MAX_URL_LENGTH', DEFAULT_LIMITS.maxUrlLength, 256),
      resultCacheSize: intFromEnv(env, 'RESULT_CACHE_SIZE', DEFAULT_LIMITS.resultCacheSize, 0),
    },
  };
}

/** Reads the server's operational settings from environment variables, with defaults. */
export function loadOperationsConfig(env: NodeJS.ProcessEnv = process.env): OperationsConfig {
  const watch = (env.WATCH_CORPUS ?? '').trim();
  if (watch !== '' && watch !== '0' && watch !== '1') {
    throw new Error(`Environment variable WATCH_CORPUS must be 0 or 1, got "${watch}"`);
  }
  return {
    shutdownTimeoutMs: intFromEnv(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0),
    watchCorpus: watch === '1',
    reloadPollMs: intFromEnv(env, 'RELOAD_POLL_MS', 1000, 50),
    workers: intFromEnv(env, 'WORKERS', availableParallelism(), 0),
  };
}
