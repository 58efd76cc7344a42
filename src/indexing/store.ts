/**
 * Saves and loads the index under INDEX_DIR with a manifest (format version, analyzer and
 * parser configuration, corpus files with checksums, skipped files, build time).
 *
 * Generations: each build writes a complete directory `INDEX_DIR/gen-<stamp>/` (manifest last),
 * then atomically replaces the pointer file `INDEX_DIR/CURRENT` (temp file + rename) with that
 * directory's name. A reader resolves the pointer once and reads only that generation, so it
 * never sees a half-written or mixed index; the previous generation is kept (a server may be
 * loading it at that moment) and older ones are deleted.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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

const POINTER = 'CURRENT';
const GENERATION = /^gen-[0-9a-z-]+$/;

/** The current generation's directory name, or null when no complete index was saved yet. */
export function currentGeneration(indexDir: string): string | null {
  try {
    const name = readFileSync(join(indexDir, POINTER), 'utf8').trim();
    return GENERATION.test(name) ? name : null;
  } catch {
    return null;
  }
}

function generationDir(indexDir: string, generation: string | null): string | null {
  return generation ? join(indexDir, generation) : null;
}

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

/** Writes every index file except the manifest into `dir`. */
async function writeIndexFiles(dir: string, built: BuiltIndex): Promise<void> {
  await writeFile(join(dir, 'docs.json'), JSON.stringify(built.docs));
  await writeFile(join(dir, 'normalized.json'), JSON.stringify(built.index.normalized));
  await writeFile(join(dir, 'word-counts.bin'), Buffer.from(built.index.wordCounts.buffer));
  await exportFlex(built.index.grams, join(dir, 'grams'));
  await exportFlex(built.index.words, join(dir, 'words'));
}

/**
 * Writes the built index and its manifest as a new generation, then points CURRENT at it.
 * Returns the generation's name.
 */
export async function saveIndex(indexDir: string, built: BuiltIndex, manifest: IndexManifest): Promise<string> {
  await mkdir(indexDir, { recursive: true });
  const generation = `gen-${Date.now().toString(36)}-${process.pid.toString(36)}-${randomBytes(3).toString('hex')}`;
  const dir = join(indexDir, generation);
  await mkdir(dir, { recursive: true });
  try {
    await writeIndexFiles(dir, built);
    // The manifest goes last: a directory without one is never loaded.
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
    const previous = currentGeneration(indexDir);
    const pointerTmp = join(indexDir, `${POINTER}.tmp-${generation}`);
    await writeFile(pointerTmp, generation + '\n');
    await rename(pointerTmp, join(indexDir, POINTER));
    await removeOldGenerations(indexDir, new Set([generation, previous ?? '']));
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return generation;
}

/** Deletes generations other than `keep`, and the layout of earlier versions (`data/`). */
async function removeOldGenerations(indexDir: string, keep: Set<string>): Promise<void> {
  for (const e of await readdir(indexDir, { withFileTypes: true })) {
    if (!e.isDirectory() || keep.has(e.name)) continue;
    if (GENERATION.test(e.name) || e.name === 'data' || e.name.startsWith('data.tmp-') || e.name.startsWith('data.old-')) {
      await rm(join(indexDir, e.name), { recursive: true, force: true });
    }
  }
}

/** Reads the manifest, or null when there is no complete index. */
export async function readManifest(
  indexDir: string,
  generation: string | null = currentGeneration(indexDir),
): Promise<IndexManifest | null> {
  const dir = generationDir(indexDir, generation);
  if (!dir) return null;
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as IndexManifest;
  } catch {
    return null;
  }
}

/** Loads a saved index (the caller has checked the manifest). */
export async function loadIndex(indexDir: string, generation: string | null = currentGeneration(indexDir)): Promise<BuiltIndex> {
  const dir = generationDir(indexDir, generation);
  if (!dir) throw new Error('no index generation');
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
  const dir = generationDir(indexDir, currentGeneration(indexDir));
  return dir && existsSync(dir) ? walk(dir) : 0;
}
