/**
 * Saves and loads the index under INDEX_DIR/data with a manifest (format version, analyzer and
 * parser configuration, corpus files with checksums, skipped files, build time). Writes are atomic:
 * everything goes to a temporary sibling directory which is then renamed into place.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ANALYZER_CONFIG } from '../analysis/analyzer.js';
import type { IngestWarning, PolicyDocument, SkippedFile } from '../domain/types.js';
import { PARSER_VERSION } from '../corpus/version.js';
import type { BuiltIndex } from './build.js';
import { paragraphRefs } from './build.js';
import { ParagraphIndex } from './paragraph-index.js';

/** Bump when the on-disk layout changes. */
export const FORMAT_VERSION = 1;

export interface CorpusFileEntry {
  file: string;
  size: number;
  checksum: string;
}

export interface IndexManifest {
  formatVersion: number;
  analyzer: unknown;
  parserVersion: number;
  corpusDir: string;
  files: CorpusFileEntry[];
  skipped: SkippedFile[];
  warnings: IngestWarning[];
  builtAt: string;
  buildMs: number;
  counts: { documents: number; paragraphs: number };
}

/** Why an index on disk cannot be used, or null when it matches. */
export function manifestMismatch(m: IndexManifest, files: CorpusFileEntry[]): string | null {
  if (m.formatVersion !== FORMAT_VERSION) return `index format ${m.formatVersion} ≠ ${FORMAT_VERSION}`;
  if (JSON.stringify(m.analyzer) !== JSON.stringify(ANALYZER_CONFIG)) return 'analyzer configuration changed';
  if (m.parserVersion !== PARSER_VERSION) return `parser version ${m.parserVersion} ≠ ${PARSER_VERSION}`;
  const key = (f: CorpusFileEntry) => `${f.file}\u0000${f.checksum}`;
  const indexed = new Set([...m.files.map(key), ...m.skipped.map((s) => `${s.file}\u0000skipped`)]);
  const now = new Set(files.map(key));
  for (const f of files) {
    if (!indexed.has(key(f)) && !m.skipped.some((s) => s.file === f.file)) return `corpus file changed or added: ${f.file}`;
  }
  for (const f of m.files) if (!now.has(key(f))) return `corpus file changed or removed: ${f.file}`;
  return null;
}

const dataDir = (indexDir: string) => join(indexDir, 'data');

async function exportFlex(index: ParagraphIndex['grams'], dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const keys: string[] = [];
  const writes: Promise<void>[] = [];
  await index.export((key: string | number, data: string | undefined) => {
    if (data === undefined || data === null) return;
    const k = String(key);
    keys.push(k);
    writes.push(writeFile(join(dir, `${k}.json`), data));
  });
  await Promise.all(writes);
  await writeFile(join(dir, 'keys.json'), JSON.stringify(keys));
}

async function importFlex(index: ParagraphIndex['grams'], dir: string): Promise<void> {
  const keys = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as string[];
  for (const k of keys) index.import(k, await readFile(join(dir, `${k}.json`), 'utf8'));
}

/** Writes the built index and its manifest atomically into `indexDir/data`. */
export async function saveIndex(indexDir: string, built: BuiltIndex, manifest: IndexManifest): Promise<void> {
  await mkdir(indexDir, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = join(indexDir, `data.tmp-${stamp}`);
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(join(tmp, 'docs.json'), JSON.stringify(built.docs));
    await writeFile(join(tmp, 'normalized.json'), JSON.stringify(built.index.normalized));
    await writeFile(join(tmp, 'word-counts.bin'), Buffer.from(built.index.wordCounts.buffer));
    await exportFlex(built.index.grams, join(tmp, 'grams'));
    await exportFlex(built.index.words, join(tmp, 'words'));
    // The manifest goes last: a directory without one is never loaded.
    await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
    const target = dataDir(indexDir);
    const old = join(indexDir, `data.old-${stamp}`);
    if (existsSync(target)) await rename(target, old);
    await rename(tmp, target);
    await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Reads the manifest, or null when there is no complete index. */
export async function readManifest(indexDir: string): Promise<IndexManifest | null> {
  const file = join(dataDir(indexDir), 'manifest.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as IndexManifest;
  } catch {
    return null;
  }
}

/** Loads a saved index (the caller has checked the manifest). */
export async function loadIndex(indexDir: string): Promise<BuiltIndex> {
  const dir = dataDir(indexDir);
  const docs = JSON.parse(await readFile(join(dir, 'docs.json'), 'utf8')) as PolicyDocument[];
  const normalized = JSON.parse(await readFile(join(dir, 'normalized.json'), 'utf8')) as string[];
  const buf = await readFile(join(dir, 'word-counts.bin'));
  const wordCounts = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const flex = ParagraphIndex.empty();
  await importFlex(flex.grams, join(dir, 'grams'));
  await importFlex(flex.words, join(dir, 'words'));
  const refs = paragraphRefs(docs);
  if (refs.length !== normalized.length || refs.length !== wordCounts.length) {
    throw new Error('index files disagree on the paragraph count');
  }
  return { docs, refs, index: new ParagraphIndex(flex.grams, flex.words, normalized, wordCounts) };
}

/** Total size in bytes of the saved index. */
export async function indexSize(indexDir: string): Promise<number> {
  async function walk(d: string): Promise<number> {
    let total = 0;
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      total += e.isDirectory() ? await walk(p) : (await stat(p)).size;
    }
    return total;
  }
  const dir = dataDir(indexDir);
  return existsSync(dir) ? walk(dir) : 0;
}
