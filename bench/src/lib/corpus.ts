/**
 * Where the benchmark's corpus comes from: a directory given with --corpus, or the laws tarball
 * beside the clone (`../shared/corpus/laws-zh.tar.xz`) unpacked once into a cache directory that
 * later runs reuse. The cache is filled in a temporary directory and renamed when complete, so an
 * interrupted unpack is never mistaken for a corpus.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is bench/src/lib/corpus.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The scale corpus, beside the clone. */
export const LAWS_TARBALL = resolve(REPO_ROOT, '..', 'shared', 'corpus', 'laws-zh.tar.xz');

/** Default cache of the unpacked laws corpus. */
export const LAWS_CACHE = join(tmpdir(), 'policy-search-laws');

export interface CorpusSource {
  dir: string;
  /** How the directory was obtained, for the report. */
  origin: 'given' | 'unpacked' | 'cached';
  tarball?: string;
}

/** Identifies a tarball version: the cache is reused only for the same size and mtime. */
function stampOf(tarball: string): string {
  const s = statSync(tarball);
  return `${s.size}-${Math.round(s.mtimeMs)}`;
}

/**
 * Unpacks `tarball` into `cacheDir` unless a complete unpack of the same tarball is there.
 * The completion stamp lives beside the directory (`<cacheDir>.complete`), not inside the corpus.
 */
export function unpackTarball(tarball: string, cacheDir: string, log: (m: string) => void = () => {}): CorpusSource {
  if (!existsSync(tarball)) {
    throw new Error(`the laws corpus ${tarball} is missing: pass --corpus DIR, or place ../shared/corpus/laws-zh.tar.xz beside the clone`);
  }
  const stampFile = `${cacheDir}.complete`;
  const stamp = stampOf(tarball);
  if (existsSync(cacheDir) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
    return { dir: cacheDir, origin: 'cached', tarball };
  }
  log(`unpacking ${tarball} into ${cacheDir} …`);
  const partial = `${cacheDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    execFileSync('tar', ['-xJf', tarball, '-C', partial], { stdio: ['ignore', 'ignore', 'pipe'] });
    rmSync(cacheDir, { recursive: true, force: true });
    rmSync(stampFile, { force: true });
    renameSync(partial, cacheDir);
    writeFileSync(stampFile, stamp + '\n');
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
  return { dir: cacheDir, origin: 'unpacked', tarball };
}

/** The corpus directory: --corpus when given (it must exist), else the cached laws corpus. */
export function resolveCorpus(given: string | undefined, log: (m: string) => void = () => {}): CorpusSource {
  if (given) {
    const dir = resolve(given);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`--corpus ${dir} is not a directory`);
    return { dir, origin: 'given' };
  }
  return unpackTarball(LAWS_TARBALL, LAWS_CACHE, log);
}

/**
 * The corpus and index a server benchmark runs on, from its --laws, --corpus and --index flags:
 * the laws corpus (unpacked once), else --corpus, else CORPUS_DIR; --index, else INDEX_DIR.
 */
export function servedCorpus(
  flags: { laws?: boolean; corpus?: string; index?: string },
  config: { corpusDir: string; indexDir: string },
  log: (m: string) => void,
): { corpusDir: string; indexDir: string } {
  const corpusDir = flags.laws ? resolveCorpus(undefined, log).dir : flags.corpus ? resolve(flags.corpus) : config.corpusDir;
  return { corpusDir, indexDir: flags.index ? resolve(flags.index) : config.indexDir };
}
