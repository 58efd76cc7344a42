/** Shared fixtures: the seed corpus parsed and indexed in memory (once per test file). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDocument } from '../../src/corpus/document.js';
import { loadCorpus } from '../../src/corpus/load.js';
import type { PolicyDocument } from '../../src/domain/types.js';
import { buildParagraphIndex, type BuiltIndex } from '../../src/indexing/build.js';

export const SEEDS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../seeds');

let cached: { docs: PolicyDocument[]; built: BuiltIndex } | null = null;

export async function seedIndex(): Promise<{ docs: PolicyDocument[]; built: BuiltIndex }> {
  if (cached) return cached;
  const loaded = await loadCorpus(SEEDS_DIR, { maxFileBytes: 20 * 1024 * 1024 });
  const docs = loaded.files.map(buildDocument);
  cached = { docs, built: buildParagraphIndex(docs) };
  return cached;
}
