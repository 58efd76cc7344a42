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

/**
 * The one paragraph of a region's seed notice containing some words, named `地区：词`
 * (e.g. `天台县：加强权力配置信息公开`); throws when there is none or several.
 */
export function seedClause(docs: readonly PolicyDocument[], name: string): PolicyDocument['paragraphs'][number] {
  const [region, words] = name.split('：') as [string, string];
  const doc = docs.find((d) => d.meta.region === region);
  if (!doc) throw new Error(`no notice for ${region}`);
  const found = doc.paragraphs.filter((p) => p.text.includes(words));
  if (found.length !== 1) throw new Error(`${name}: ${found.length} paragraphs`);
  return found[0]!;
}
