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
import { closeSync, existsSync, fstatSync, openSync, read as readFd, readFileSync, readSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ANALYZER_CONFIG } from '../analysis/analyzer.js';
import type { IngestWarning, Paragraph, ParagraphKind, PolicyDocument, SkippedFile } from '../domain/types.js';
import { PARSER_VERSION } from '../corpus/version.js';
import type { BuiltIndex } from './build.js';
import { paragraphRefs, type ParagraphRef } from './build.js';
import { GramPostings } from './gram-postings.js';
import { ImpactHeads } from './impacts.js';
import { IMPACT_FINGERPRINT } from '../search/scoring.js';
import { newWordIndex, ParagraphIndex, type FlexIndex } from './paragraph-index.js';

/** Bump when the on-disk layout changes. */
export const FORMAT_VERSION = 6;

export interface CorpusFileEntry {
  file: string;
  /** Size in bytes and modification time when indexed: lets a start-up skip re-hashing. */
  size: number;
  mtimeMs?: number;
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

async function exportFlex(index: FlexIndex, dir: string): Promise<void> {
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

async function importFlex(index: FlexIndex, dir: string): Promise<void> {
  const keys = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as string[];
  const files = await Promise.all(keys.map((k) => readIndexFile(join(dir, `${k}.json`))));
  keys.forEach((k, i) => index.import(k, files[i]!.toString('utf8')));
}

/** The files of an exported flexsearch index (see exportFlex), or none when it cannot be listed. */
function flexFiles(dir: string): string[] {
  try {
    return (JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as string[]).map((k) => join(dir, `${k}.json`));
  } catch {
    return [];
  }
}

/**
 * Reads a whole file with one thread-pool request: open and size synchronously (microseconds),
 * then a single `read` of every byte. fs.promises.readFile instead reads in 512 KiB chunks and
 * issues each next chunk from the main thread, so its reading stalls whenever the main thread is
 * busy — and the point of prefetchIndex is to read while the main thread loads jieba.
 */
const READ_CHUNK_MAX = 1 << 30;

/**
 * `shared`: the bytes go into a SharedArrayBuffer, which worker threads can be handed without a
 * copy (see readSharedIndexFiles).
 */
function readWhole(path: string, shared = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let fd: number;
    let buf: Buffer;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      reject(e);
      return;
    }
    try {
      const size = fstatSync(fd).size;
      buf = shared ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafeSlow(size);
    } catch (e) {
      closeSync(fd);
      reject(e);
      return;
    }
    const finish = (e: Error | null) => {
      try {
        closeSync(fd);
      } catch {
        // nothing to do: the bytes are read or the error is reported
      }
      if (e) reject(e);
      else resolve(buf);
    };
    const step = (at: number) => {
      if (at >= buf.length) return finish(null);
      // One request for the whole file (up to 1 GiB a request: fs.read's length limit is 2 GiB).
      readFd(fd, buf, at, Math.min(buf.length - at, READ_CHUNK_MAX), at, (e, n) => {
        if (e) finish(e);
        else if (n === 0) finish(new Error(`${path}: file shrank while being read`));
        else step(at + n);
      });
    };
    step(0);
  });
}

/** Index files read ahead by prefetchIndex, by path; loadIndex takes (and removes) them. */
const readAhead = new Map<string, Promise<Buffer>>();

/** A prefetched file's bytes (taken from the read-ahead table), else a fresh read. */
function readIndexFile(path: string): Promise<Buffer> {
  const ahead = readAhead.get(path);
  if (ahead) {
    readAhead.delete(path);
    return ahead;
  }
  return readFile(path);
}

/** Every file loadIndex reads from a generation directory. */
const INDEX_FILES = [
  'docs.json',
  'paragraphs.bin',
  'paragraphs.idx',
  'documents.idx',
  'paragraph-facts.json',
  'paragraph-kinds.bin',
  'paragraph-parents.bin',
  'normalized.u16',
  'normalized.idx',
  'word-counts.bin',
  'grams.keys',
  'grams.offsets',
  'grams.postings',
  'grams.tf',
  'impacts.json',
  'impacts.keys',
  'impacts.offsets',
  'impacts.positions',
  'impacts.bounds',
] as const;

/**
 * The index files whose bytes a loaded index keeps for its whole life and reads on every query —
 * the gram postings and the other typed arrays, about 150 MB of the laws corpus's 400 — as opposed
 * to the files it decodes into JavaScript values and then drops (docs.json, the normalized texts,
 * the kinds, the words index), and to paragraphs.bin (160 MB), of which a query reads a few
 * paragraphs. Threads loading the same generation share one copy of the resident files
 * (readSharedIndexFiles) and read paragraphs.bin through one open file; each reads and decodes the
 * others for itself, since the strings and objects made of them cannot be shared.
 */
export const RESIDENT_INDEX_FILES = [
  'paragraphs.idx',
  'documents.idx',
  'paragraph-parents.bin',
  'word-counts.bin',
  'grams.keys',
  'grams.offsets',
  'grams.postings',
  'grams.tf',
  'impacts.keys',
  'impacts.offsets',
  'impacts.positions',
  'impacts.bounds',
] as const satisfies ReadonlyArray<(typeof INDEX_FILES)[number]>;

/** Files a thread that is given SharedIndexFiles does not read itself. */
export const SHARED_INDEX_FILES: readonly string[] = [...RESIDENT_INDEX_FILES, 'paragraphs.bin'];

/**
 * One generation as threads share it: its resident files in SharedArrayBuffers, and paragraphs.bin
 * as an open file descriptor (file descriptors belong to the process: every thread can read
 * through it, and it keeps the file readable even once a later build deletes the generation).
 * Posting this to a worker thread shares the memory instead of copying it; `loadIndex(…, { shared
 * })` builds its typed arrays over these bytes and reads paragraphs through the descriptor, when
 * first needed (the operating system's page cache then holds the one copy of those bytes, outside
 * every process's heap). Read-only by convention: nothing in a loaded index writes to its arrays.
 * The descriptor stays open until closeSharedIndexFiles: the caller closes it once no thread
 * uses the generation any more.
 */
export interface SharedIndexFiles {
  generation: string;
  buffers: Record<(typeof RESIDENT_INDEX_FILES)[number], SharedArrayBuffer>;
  paragraphsFd: number;
}

/** Reads a generation's resident files into SharedArrayBuffers and opens its paragraphs.bin. */
export async function readSharedIndexFiles(indexDir: string, generation: string): Promise<SharedIndexFiles> {
  const dir = generationDir(indexDir, generation)!;
  const bufs = await Promise.all(RESIDENT_INDEX_FILES.map((name) => readWhole(join(dir, name), true)));
  const buffers = Object.fromEntries(RESIDENT_INDEX_FILES.map((name, i) => [name, bufs[i]!.buffer as SharedArrayBuffer])) as SharedIndexFiles['buffers'];
  return { generation, buffers, paragraphsFd: openSync(join(dir, 'paragraphs.bin'), 'r') };
}

/** Closes what readSharedIndexFiles opened; a thread still reading paragraphs through it then fails. */
export function closeSharedIndexFiles(shared: SharedIndexFiles): void {
  closeSync(shared.paragraphsFd);
}

/**
 * Starts reading the files of a generation (by default the current one) in the thread pool and
 * returns at once, so the caller can do synchronous work meanwhile (the server loads jieba's
 * dictionary: ~0.8 s of main-thread work that the reads, ~390 MB on the laws corpus, hide behind). A later
 * loadIndex of the same generation takes the bytes instead of reading again. `release()` drops
 * what loadIndex did not take (a stale index, a different generation, a failed check), so the
 * buffers can be collected. Nothing here throws: a missing or unreadable file is read (and its
 * error reported) by loadIndex as usual. `opts.skip`: files not to read (a worker thread gets
 * SHARED_INDEX_FILES from the main thread).
 */
export function prefetchIndex(indexDir: string, generation: string | null = currentGeneration(indexDir), opts: { skip?: readonly string[] } = {}): { release(): void } {
  const dir = generationDir(indexDir, generation);
  const paths: string[] = [];
  const skip: ReadonlySet<string> = new Set(opts.skip ?? []);
  const names = INDEX_FILES.filter((name) => !skip.has(name));
  if (dir && existsSync(join(dir, 'manifest.json'))) paths.push(...names.map((name) => join(dir, name)), ...flexFiles(join(dir, 'words')));
  for (const path of paths) {
    const pending = readWhole(path);
    pending.catch(() => {}); // read again, and reported, by loadIndex; never an unhandled rejection
    readAhead.set(path, pending);
  }
  return {
    release() {
      for (const path of paths) readAhead.delete(path);
    },
  };
}

type TypedArray = Uint8Array | Uint32Array | Float64Array | Int32Array;

/** The bytes of a typed array, without copying (files are in the machine's byte order: little-endian). */
const bytesOf = (a: TypedArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A typed array over a file's bytes; copied only when the buffer is misaligned for the type. */
function typedView<T extends TypedArray>(buf: Buffer, Ctor: { new (b: ArrayBufferLike, o: number, l: number): T; BYTES_PER_ELEMENT: number }): T {
  const size = Ctor.BYTES_PER_ELEMENT;
  if (buf.byteLength % size !== 0) throw new Error('index file has a truncated array');
  if (buf.byteOffset % size === 0) return new Ctor(buf.buffer, buf.byteOffset, buf.byteLength / size);
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Ctor(copy.buffer, 0, buf.byteLength / size);
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** Stored document: everything but the paragraphs, which live in paragraphs.bin. */
type StoredDocument = Omit<PolicyDocument, 'paragraphs'> & { paragraphCount: number };

/** Writes every index file except the manifest into `dir`. */
async function writeIndexFiles(dir: string, built: BuiltIndex): Promise<void> {
  const { docs, index } = built;
  // Documents: metadata in docs.json; their paragraphs in paragraphs.bin, each document's as
  // one JSON array, with the byte offset of every paragraph (and of each array's brackets) in
  // paragraphs.idx. A loaded index parses one paragraph, or one document, when first read.
  const stored: StoredDocument[] = [];
  const chunks: Buffer[] = [];
  const byteStart = new Float64Array(built.refs.length + 1);
  const docByteStart = new Float64Array(docs.length + 1);
  let bytes = 0;
  const push = (chunk: Buffer) => {
    chunks.push(chunk);
    bytes += chunk.length;
  };
  let n = 0;
  docs.forEach((d, i) => {
    const { paragraphs, ...rest } = d;
    stored.push({ ...rest, paragraphCount: paragraphs.length });
    docByteStart[i] = bytes;
    push(OPEN);
    paragraphs.forEach((p, j) => {
      if (j > 0) push(COMMA);
      byteStart[n++] = bytes;
      push(Buffer.from(JSON.stringify(p), 'utf8'));
    });
    push(CLOSE);
  });
  byteStart[n] = bytes;
  docByteStart[docs.length] = bytes;
  await writeFile(join(dir, 'docs.json'), JSON.stringify(stored));
  await writeFile(join(dir, 'paragraphs.bin'), Buffer.concat(chunks, bytes));
  await writeFile(join(dir, 'paragraphs.idx'), bytesOf(byteStart));
  await writeFile(join(dir, 'documents.idx'), bytesOf(docByteStart));
  // Per-paragraph facts every query may read.
  const kindTable = [...new Set(built.kinds)];
  const kindCodes = Uint8Array.from(built.kinds, (k) => kindTable.indexOf(k));
  const units: Array<[number, readonly string[]]> = [];
  built.units.forEach((u, n) => {
    if (u.length) units.push([n, u]);
  });
  await writeFile(join(dir, 'paragraph-facts.json'), JSON.stringify({ kindTable, units }));
  await writeFile(join(dir, 'paragraph-kinds.bin'), bytesOf(kindCodes));
  await writeFile(join(dir, 'paragraph-parents.bin'), bytesOf(built.parents));
  // Normalized texts as one UTF-16 blob with code-unit offsets: loading is one decode, and
  // each paragraph is a slice of it (no JSON parsing, lone surrogates survive byte for byte).
  const textStart = new Uint32Array(index.normalized.length + 1);
  let units16 = 0;
  index.normalized.forEach((t, n) => {
    textStart[n] = units16;
    units16 += t.length;
  });
  textStart[index.normalized.length] = units16;
  await writeFile(join(dir, 'normalized.u16'), Buffer.from(index.normalized.join(''), 'utf16le'));
  await writeFile(join(dir, 'normalized.idx'), bytesOf(textStart));
  await writeFile(join(dir, 'word-counts.bin'), bytesOf(index.wordCounts));
  await writeFile(join(dir, 'grams.keys'), bytesOf(index.grams.keys));
  await writeFile(join(dir, 'grams.offsets'), bytesOf(index.grams.offsets));
  await writeFile(join(dir, 'grams.postings'), bytesOf(index.grams.postings));
  await writeFile(join(dir, 'grams.tf'), bytesOf(index.grams.tf));
  // The impact heads hold for the scoring constants they were computed with (loadIndex checks).
  await writeFile(join(dir, 'impacts.json'), JSON.stringify({ fingerprint: IMPACT_FINGERPRINT, heads: index.impacts.size }));
  await writeFile(join(dir, 'impacts.keys'), bytesOf(index.impacts.keys));
  await writeFile(join(dir, 'impacts.offsets'), bytesOf(index.impacts.offsets));
  await writeFile(join(dir, 'impacts.positions'), bytesOf(index.impacts.positions));
  await writeFile(join(dir, 'impacts.bounds'), bytesOf(index.impacts.bounds));
  await exportFlex(index.words, join(dir, 'words'));
}

/** The bytes of paragraphs.bin: in memory, or read from an open file for each range. */
interface ParagraphBytes {
  readonly size: number;
  /** Bytes [start, end) as UTF-8 text. */
  text(start: number, end: number): string;
}

function bufferBytes(blob: Buffer): ParagraphBytes {
  return { size: blob.length, text: (start, end) => blob.toString('utf8', start, end) };
}

/** A range is one pread (a paragraph: a few hundred bytes; a document: its whole array). */
function fileBytes(fd: number): ParagraphBytes {
  return {
    size: fstatSync(fd).size,
    text(start, end) {
      const buf = Buffer.allocUnsafe(end - start);
      for (let at = 0; at < buf.length; ) {
        const n = readSync(fd, buf, at, buf.length - at, start + at);
        if (n === 0) throw new Error('paragraphs.bin: shorter than its index');
        at += n;
      }
      return buf.toString('utf8');
    },
  };
}

/**
 * Paragraphs read from paragraphs.bin on demand: a document's whole array on first read of
 * `doc.paragraphs` (then kept), or one paragraph for `paragraph(n)` (kept in a small cache
 * unless its document is already parsed).
 */
class LazyParagraphs {
  private readonly recent = new Map<number, Paragraph>();
  private readonly parsed: Array<Paragraph[] | undefined>;

  constructor(
    private readonly blob: ParagraphBytes,
    private readonly byteStart: Float64Array,
    private readonly docByteStart: Float64Array,
    private readonly refs: ParagraphRef[],
    private readonly docStart: Uint32Array,
  ) {
    this.parsed = new Array(docByteStart.length - 1);
  }

  document(d: number): Paragraph[] {
    let list = this.parsed[d];
    if (!list) {
      list = JSON.parse(this.blob.text(this.docByteStart[d]!, this.docByteStart[d + 1]!)) as Paragraph[];
      this.parsed[d] = list;
      for (let n = this.docStart[d]!; n < this.docStart[d + 1]!; n++) this.recent.delete(n);
    }
    return list;
  }

  paragraph(n: number): Paragraph {
    const ref = this.refs[n]!;
    const list = this.parsed[ref.doc];
    if (list) return list[ref.para]!;
    let p = this.recent.get(n);
    if (!p) {
      // A paragraph ends before the comma that follows it, or before its document's ']'.
      const last = n === this.docStart[ref.doc + 1]! - 1;
      const end = (last ? this.docByteStart[ref.doc + 1]! : this.byteStart[n + 1]!) - 1;
      p = JSON.parse(this.blob.text(this.byteStart[n]!, end)) as Paragraph;
      if (this.recent.size >= 4096) this.recent.delete(this.recent.keys().next().value!);
      this.recent.set(n, p);
    }
    return p;
  }

  /** Makes `doc.paragraphs` parse document d on first read. */
  attach(doc: PolicyDocument, d: number): void {
    Object.defineProperty(doc, 'paragraphs', {
      enumerable: true,
      configurable: true,
      get: () => this.document(d),
      set: (value: Paragraph[]) => {
        this.parsed[d] = value;
      },
    });
  }
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

export interface LoadIndexOptions {
  /**
   * The same generation's shared files (readSharedIndexFiles, possibly in another thread): the
   * typed arrays are views of those SharedArrayBuffers and paragraphs are read through its file
   * descriptor (kept open by the caller while this index is used) instead of a copy of
   * paragraphs.bin in this thread's memory. The other files are read as usual.
   */
  shared?: SharedIndexFiles;
}

/** Loads a saved index (the caller has checked the manifest). */
export async function loadIndex(indexDir: string, generation: string | null = currentGeneration(indexDir), opts: LoadIndexOptions = {}): Promise<BuiltIndex> {
  const dir = generationDir(indexDir, generation);
  if (!dir) throw new Error('no index generation');
  const { shared } = opts;
  if (shared && shared.generation !== generation) throw new Error(`shared index files of ${shared.generation}, not ${generation}`);
  const sharedBuffers: Partial<Record<string, SharedArrayBuffer>> = shared?.buffers ?? {};
  const [docsJson, paraBlob, paraIdx, docIdx, factsJson, kindBytes, parentBytes, textBlob, textIdx, countBytes, gramKeys, gramOffsets, gramPostings, gramTf, impactJson, impactKeys, impactOffsets, impactPositions, impactBounds] =
    await Promise.all(
      INDEX_FILES.map((name) => {
        if (shared && name === 'paragraphs.bin') return null;
        const sab = sharedBuffers[name];
        return sab ? Buffer.from(sab) : readIndexFile(join(dir, name));
      }),
    );
  const paragraphBytes = shared ? fileBytes(shared.paragraphsFd) : bufferBytes(paraBlob!);
  const stored = JSON.parse(docsJson!.toString('utf8')) as StoredDocument[];
  const byteStart = typedView(paraIdx!, Float64Array);
  const docByteStart = typedView(docIdx!, Float64Array);
  const { refs, docStart } = paragraphRefs(stored.map((d) => d.paragraphCount));
  if (docByteStart.length !== stored.length + 1 || docByteStart[stored.length] !== paragraphBytes.size || byteStart.length !== refs.length + 1) {
    throw new Error('paragraphs.bin does not match docs.json');
  }
  const lazy = new LazyParagraphs(paragraphBytes, byteStart, docByteStart, refs, docStart);
  const docs = stored.map((d, i) => {
    const { paragraphCount: _count, ...doc } = d;
    const full = doc as PolicyDocument;
    lazy.attach(full, i);
    return full;
  });

  const facts = JSON.parse(factsJson!.toString('utf8')) as { kindTable: ParagraphKind[]; units: Array<[number, string[]]> };
  const kindCodes = typedView(kindBytes!, Uint8Array);
  const kinds = Array.from(kindCodes, (c) => facts.kindTable[c]!);
  const units: Array<readonly string[]> = new Array(refs.length).fill(NO_UNITS);
  for (const [n, u] of facts.units) units[n] = u;

  const normalized = slices(textBlob!.toString('utf16le'), typedView(textIdx!, Uint32Array));

  const wordCounts = typedView(countBytes!, Uint32Array);
  const grams = new GramPostings(typedView(gramKeys!, Float64Array), typedView(gramOffsets!, Uint32Array), typedView(gramPostings!, Uint32Array), typedView(gramTf!, Uint8Array));
  const words = newWordIndex();
  await importFlex(words, join(dir, 'words'));
  const parents = typedView(parentBytes!, Int32Array);
  if (refs.length !== normalized.length || refs.length !== wordCounts.length || refs.length !== kinds.length || refs.length !== parents.length) {
    throw new Error('index files disagree on the paragraph count');
  }
  const index = new ParagraphIndex(grams, words, normalized, wordCounts);
  // Heads computed under other scoring constants could drop results: the ranker then scores every match.
  if ((JSON.parse(impactJson!.toString('utf8')) as { fingerprint?: string }).fingerprint === IMPACT_FINGERPRINT) {
    index.impacts = new ImpactHeads(typedView(impactKeys!, Float64Array), typedView(impactOffsets!, Uint32Array), typedView(impactPositions!, Uint32Array), typedView(impactBounds!, Float64Array));
  }
  const paragraph = (n: number) => lazy.paragraph(n);
  return { docs, refs, docStart, kinds, units, parents, paragraph, index };
}

const NO_UNITS: readonly string[] = Object.freeze([]);

/** The strings `text[start[i]] … text[start[i + 1]]`: one blob decoded once, each piece a slice of it. */
function slices(text: string, start: Uint32Array): string[] {
  if (start.length === 0 || start[start.length - 1] !== text.length) throw new Error('index file offsets do not match its text');
  const out: string[] = new Array(start.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = text.slice(start[i]!, start[i + 1]!);
  return out;
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
