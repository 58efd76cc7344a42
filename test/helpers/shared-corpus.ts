/**
 * The data corpora that live beside the repository, in ../shared/corpus/ (on CI), not in it.
 * A fresh clone elsewhere may not have them: the tests that read them skip with a note naming the
 * missing data instead of failing, so a green run never hides that they did not run.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** ../shared/corpus/, beside the clone. */
export const SHARED_CORPUS = resolve(REPO_ROOT, '..', 'shared', 'corpus');
/** The 60 Shanghai notices with their published metadata (meta.json). */
export const NOTICES_DEV = resolve(SHARED_CORPUS, 'notices-dev');
/** The scale corpus of 3,475 laws, one Markdown file each, packed. */
export const LAWS_TARBALL = resolve(SHARED_CORPUS, 'laws-zh.tar.xz');

/** Why a suite cannot run, e.g. `../shared/corpus/notices-dev not found`; null when `path` exists. */
export function missingData(path: string, shown: string): string | null {
  return existsSync(path) ? null : `${shown} not found`;
}

/**
 * A suite's name, with ` (skipped: reason)` appended when it cannot run. The default reporter
 * lists a fully skipped file without its suite names, so the note is also printed to stderr,
 * which vitest shows under the file's name.
 */
export function suiteName(name: string, skipReason: string | null): string {
  if (skipReason === null) return name;
  const full = `${name} (skipped: ${skipReason})`;
  console.warn(full);
  return full;
}
