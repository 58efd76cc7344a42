/**
 * Baseline: flexsearch 0.8 configured the way its documentation offers for Chinese,
 * `new Index({ encoder: Charset.CJK })` — what a newcomer tries first. The CJK encoder splits text
 * into single characters, so a query finds the paragraphs holding all of its characters in any
 * order (recall is complete for letters and digits, precision is not); punctuation is dropped.
 * One document per paragraph (id = paragraph number); queried with limit = all paragraphs.
 * The words of an AND query are joined without a space: the CJK encoder keeps a space as a term
 * of its own, so `人民 法院` would find nothing at all.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import FlexSearch from 'flexsearch';
import { pathSize } from './disk.js';
import type { BenchDirs, Engine, EngineSpec } from './engine-core.js';

const { Index, Charset } = FlexSearch;
type FlexIndex = InstanceType<typeof Index>;

const exportDir = (dirs: BenchDirs) => join(dirs.baselineDir, 'flex-cjk');

const newIndex = (): FlexIndex => new Index({ encoder: Charset.CJK });

async function buildFlexCjk(texts: readonly string[], dirs: BenchDirs): Promise<void> {
  const coverage = Math.min(texts.length, dirs.flexCap ?? texts.length);
  const index = newIndex();
  for (let n = 0; n < coverage; n++) index.add(n, texts[n]!);
  const dir = exportDir(dirs);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const keys: string[] = [];
  const writes: Promise<void>[] = [];
  await index.export((key: string | number, data: string | undefined) => {
    if (data === undefined || data === null) return;
    keys.push(String(key));
    writes.push(writeFile(join(dir, `${String(key)}.json`), data));
  });
  await Promise.all(writes);
  await writeFile(join(dir, 'keys.json'), JSON.stringify({ keys, coverage }));
}

async function loadFlexCjk(dirs: BenchDirs): Promise<Engine> {
  const dir = exportDir(dirs);
  const { keys, coverage } = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as { keys: string[]; coverage: number };
  const index = newIndex();
  for (const k of keys) index.import(k, await readFile(join(dir, `${k}.json`), 'utf8'));
  return {
    id: 'flex-cjk',
    coverage,
    query: (terms) => index.search(terms.join(''), { limit: Math.max(1, coverage) }) as number[],
    close: () => {},
  };
}

export const flexCjkSpec: EngineSpec = {
  id: 'flex-cjk',
  label: 'flexsearch Charset.CJK',
  how: "new Index({ encoder: Charset.CJK }), search(the terms joined, { limit: all })",
  build: buildFlexCjk,
  load: loadFlexCjk,
  sizeBytes: (dirs) => pathSize(exportDir(dirs)),
};
