/**
 * The corpus I/O edge: walks a directory, reads every `.txt` / `.md` file, detects its encoding and
 * decodes it; saved web pages (.html, .htm), Word documents (.docx) and PDFs with a text layer are
 * converted to the text a `.txt` of them would hold (src/corpus/formats/), so everything downstream
 * reads them alike. One bad file never stops the load: it is returned in `skipped` with a code and
 * a reason (nothing is dropped silently, nothing is logged here — the caller logs). Only a corpus
 * directory that does not exist or is not a directory throws (AppError E_UNREADABLE).
 *
 * Decisions:
 * - Files named README.md (any case) are skipped by default with code IGNORED: a corpus folder's
 *   README describes the corpus, it is not a document (notices-dev has one). `ignore` replaces
 *   the default list.
 * - Files with other extensions (.doc, .xls…) are listed as skipped UNSUPPORTED_EXTENSION, so a
 *   user who drops one in the corpus learns why it is not searchable.
 * - A PDF without a usable text layer (a scan, fonts without a ToUnicode map) is skipped as
 *   E_NEEDS_OCR, never indexed as noise; a truncated PDF or a damaged .docx as E_CORRUPT_FILE.
 * - The folder of a web page saved "complete" (`通知_files/` beside `通知.html`) holds the page's
 *   images, scripts and embedded frames, not documents: it is skipped as IGNORED.
 * - Hidden entries (name starting with '.') are skipped as IGNORED and hidden folders are not
 *   entered (.git would otherwise flood the report).
 * - Skip codes that are failures use the error catalog (E_EMPTY_FILE, E_BINARY_FILE,
 *   E_BAD_ENCODING, E_FILE_TOO_LARGE, E_UNREADABLE, E_CORRUPT_FILE, E_NEEDS_OCR); IGNORED and
 *   UNSUPPORTED_EXTENSION are not failures and have no catalog entry.
 * - Paths are corpus-relative with forward slashes, sorted by code point of their NFC form, so
 *   every platform and every run lists the corpus in the same order.
 * - Symbolic links are followed. Folders reached through a link are entered after the real tree,
 *   so a folder's own path wins over a link to it. A link back to a folder above it (a loop) is
 *   skipped as E_SYMLINK_LOOP, as is a file link that loops (ELOOP); a second way into a folder
 *   already scanned is skipped as IGNORED. Either way the walk ends.
 * - A file that disappears between the folder listing and the read is skipped as E_UNREADABLE
 *   ("disappeared during the scan"); the rest of the corpus still loads.
 * - A file in another encoding (GB18030/GBK, Big5, UTF-16, UTF-8 with a BOM) is indexed with a
 *   warning naming the encoding it was read as, so whoever maintains the corpus can convert it.
 * - A file without a single Chinese character is indexed (its Latin text and numbers are still
 *   searchable, and dropping it would hide it) but gets a warning: it is probably not a policy
 *   document, or its encoding was misread.
 * - Reasons never contain the absolute corpus path (they are shown on the public /status page):
 *   it is written as `.`.
 * - All file-system access goes through `LoadOptions.fs` (default: node:fs), so tests can make
 *   a file vanish mid-scan without racing a real deletion.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { join, posix } from 'node:path';
import { AppError } from '../domain/errors.js';
import type { IngestWarning, SkippedFile } from '../domain/types.js';
import type { DecodedFile } from './document.js';
import { CONVERTED_EXTENSIONS, convertByExtension, isConvertedExtension } from './formats/convert.js';
import { decodeBytes } from './formats/text.js';

export { decodeBytes, type DecodeResult } from './formats/text.js';

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Plain text, then the formats converted to text (saved web pages, Word documents, PDFs). */
export const DEFAULT_EXTENSIONS = ['.txt', '.md', ...CONVERTED_EXTENSIONS];
/** Base names skipped by default (compared case-insensitively). */
export const DEFAULT_IGNORE = ['README.md'];

/** The file-system calls the loader makes (all of them), injectable for tests. */
export interface CorpusFs {
  stat(path: string): Promise<Stats>;
  lstat(path: string): Promise<Stats>;
  readdir(path: string): Promise<string[]>;
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Buffer>;
  createReadStream(path: string): Readable;
}

/** The real file system. */
export const nodeCorpusFs: CorpusFs = {
  stat: (p) => stat(p),
  lstat: (p) => lstat(p),
  readdir: (p) => readdir(p),
  realpath: (p) => realpath(p),
  readFile: (p) => readFile(p),
  createReadStream: (p) => createReadStream(p),
};

export interface LoadOptions {
  /** Files larger than this are skipped with E_FILE_TOO_LARGE. Default 20 MB. */
  maxFileBytes?: number;
  /**
   * Entries to skip as IGNORED: a string matches a base name case-insensitively, a RegExp is
   * tested against the corpus-relative path. Default: README.md.
   */
  ignore?: (string | RegExp)[];
  /** Extensions indexed, lower case with the dot. Default DEFAULT_EXTENSIONS. */
  extensions?: string[];
  /** File-system access; default node:fs. */
  fs?: CorpusFs;
  /**
   * Checksums already known (from the index manifest), by corpus-relative path. A file whose
   * size and modification time both equal the known entry's is not read again; any other file
   * is hashed. The same trade as git's index: a content change that keeps the exact size and
   * mtime goes unnoticed; `npm run index` always reads everything.
   */
  knownChecksums?: ReadonlyMap<string, { size: number; mtimeMs: number; checksum: string }>;
}

export interface LoadResult {
  files: DecodedFile[];
  skipped: SkippedFile[];
  warnings: IngestWarning[];
}

/** One corpus file as the index manifest records it. */
export interface CorpusEntry {
  /** Corpus-relative path, forward slashes. */
  file: string;
  size: number;
  mtimeMs: number;
  /** sha256 of the bytes, hex. */
  checksum: string;
}

interface Candidate {
  file: string;
  abs: string;
  stats: Stats;
}

function sortKey(file: string): string {
  return file.normalize('NFC');
}

function byPath<T extends { file: string }>(a: T, b: T): number {
  const x = sortKey(a.file);
  const y = sortKey(b.file);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `.pdf` for `a/通知.PDF`; '' without an extension (a leading dot does not start one). */
function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/** An fs error as text, with the corpus folder's absolute path written as `.`. */
function errorText(e: unknown, roots: readonly string[] = []): string {
  const err = e as NodeJS.ErrnoException;
  let text = err?.code ? (err.message.startsWith(`${err.code}:`) ? err.message : `${err.code}: ${err.message}`) : String(e);
  for (const root of roots) if (root.length > 1) text = text.split(root).join('.');
  return text;
}

/** Throws E_UNREADABLE unless `dir` is an existing directory. */
async function assertDirectory(dir: string, fs: CorpusFs): Promise<void> {
  let s: Stats;
  try {
    s = await fs.stat(dir);
  } catch (e) {
    throw new AppError('E_UNREADABLE', `语料目录不存在或无法访问：${dir}（${errorText(e)}）`);
  }
  if (!s.isDirectory()) throw new AppError('E_UNREADABLE', `语料路径不是目录：${dir}`);
}

/**
 * The saved web page whose files a folder holds: browsers save `通知.html` with its images,
 * scripts and frames in `通知_files/` (`通知.files/` in some versions), or null.
 */
function savedPageOf(folder: string, lowerNames: ReadonlySet<string>): string | null {
  const m = /^(.+)(?:_files|\.files)$/i.exec(folder);
  if (!m) return null;
  for (const ext of ['.html', '.htm']) if (lowerNames.has(`${m[1]!}${ext}`.toLowerCase())) return `${m[1]!}${ext}`;
  return null;
}

/**
 * Walks `root` recursively, following symbolic links (a folder reached twice through links is
 * entered once). Returns the files to read and the entries skipped on the way.
 */
async function walk(root: string, opts: LoadOptions, roots: string[]): Promise<{ candidates: Candidate[]; skipped: SkippedFile[] }> {
  const fs = opts.fs ?? nodeCorpusFs;
  const extensions = (opts.extensions ?? DEFAULT_EXTENSIONS).map((e) => e.toLowerCase());
  const ignore = opts.ignore ?? DEFAULT_IGNORE;
  const candidates: Candidate[] = [];
  const skipped: SkippedFile[] = [];
  /** Real path of every folder entered → its corpus-relative path. */
  const visited = new Map<string, string>();
  /** Folders reached through a symbolic link, entered after the real tree (so real paths win). */
  const linked: Array<[abs: string, rel: string, ancestors: ReadonlySet<string>]> = [];

  const ignored = (name: string, rel: string): boolean =>
    ignore.some((p) => (typeof p === 'string' ? p.toLowerCase() === name.toLowerCase() : p.test(rel)));

  /** `ancestors`: real paths of the folders on the way down to this one (loop detection). */
  async function visit(abs: string, rel: string, ancestors: ReadonlySet<string>): Promise<void> {
    let real: string;
    try {
      real = await fs.realpath(abs);
    } catch (e) {
      const loop = errnoOf(e) === 'ELOOP';
      skipped.push({ file: rel || '.', code: loop ? 'E_SYMLINK_LOOP' : 'E_UNREADABLE', reason: `folder cannot be resolved (${errorText(e, roots)})` });
      return;
    }
    if (ancestors.has(real)) {
      skipped.push({ file: rel, code: 'E_SYMLINK_LOOP', reason: `symbolic link loop: leads back to ${visited.get(real) || '.'}` });
      return;
    }
    if (visited.has(real)) {
      skipped.push({ file: rel, code: 'IGNORED', reason: `folder already scanned as ${visited.get(real) || '.'} (symbolic link)` });
      return;
    }
    visited.set(real, rel);
    const down = new Set(ancestors).add(real);
    let names: string[];
    try {
      names = await fs.readdir(abs);
    } catch (e) {
      skipped.push({ file: rel || '.', code: 'E_UNREADABLE', reason: `folder cannot be listed (${errorText(e, roots)})` });
      return;
    }
    const lowerNames = new Set(names.map((n) => n.toLowerCase()));
    for (const name of names) {
      const childAbs = join(abs, name);
      const childRel = rel ? posix.join(rel, name) : name;
      if (name.startsWith('.')) {
        skipped.push({ file: childRel, code: 'IGNORED', reason: 'hidden file or folder' });
        continue;
      }
      const page = savedPageOf(name, lowerNames);
      if (page) {
        skipped.push({ file: childRel, code: 'IGNORED', reason: `files of the saved web page ${page}` });
        continue;
      }
      let s: Stats;
      try {
        s = await fs.stat(childAbs); // follows symbolic links
      } catch (e) {
        const loop = errnoOf(e) === 'ELOOP';
        skipped.push({
          file: childRel,
          code: loop ? 'E_SYMLINK_LOOP' : 'E_UNREADABLE',
          reason: loop ? `symbolic link loop (${errorText(e, roots)})` : `cannot be read (${errorText(e, roots)})`,
        });
        continue;
      }
      if (s.isDirectory()) {
        const viaLink = (await fs.lstat(childAbs).catch(() => null))?.isSymbolicLink() ?? false;
        if (viaLink) linked.push([childAbs, childRel, down]);
        else await visit(childAbs, childRel, down);
        continue;
      }
      const ext = extensionOf(name);
      if (ignored(name, childRel)) {
        const readme = /^readme\./i.test(name);
        skipped.push({ file: childRel, code: 'IGNORED', reason: readme ? 'not a document (README)' : 'matches the ignore list' });
      } else if (!extensions.includes(ext)) {
        skipped.push({
          file: childRel,
          code: 'UNSUPPORTED_EXTENSION',
          reason: `not a ${extensions.join(' or ')} file${ext ? ` (${ext})` : ''}`,
        });
      } else if (!s.isFile()) {
        skipped.push({ file: childRel, code: 'E_UNREADABLE', reason: 'not a regular file (device, pipe or socket)' });
      } else {
        candidates.push({ file: childRel, abs: childAbs, stats: s });
      }
    }
  }

  await visit(root, '', new Set());
  for (let i = 0; i < linked.length; i++) await visit(...linked[i]!);
  return { candidates: candidates.sort(byPath), skipped };
}

// ---------------------------------------------------------------------------------------------

/** Any Han character (CJK ideographs of every block). */
const HAN = /\p{Script=Han}/u;

/** The corpus folder as given and as resolved, longest first: hidden from reasons. */
async function corpusRoots(dir: string, fs: CorpusFs): Promise<string[]> {
  const real = await fs.realpath(dir).catch(() => dir);
  return [...new Set([real, dir])].sort((a, b) => b.length - a.length);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function hashFile(abs: string, fs: CorpusFs): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    fs.createReadStream(abs)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Loads every document of the corpus under `dir`: decoded text, encoding and checksum per file,
 * in a deterministic order, with the files that could not be loaded and why.
 */
export async function loadCorpus(dir: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const fs = opts.fs ?? nodeCorpusFs;
  await assertDirectory(dir, fs);
  const roots = await corpusRoots(dir, fs);
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { candidates, skipped } = await walk(dir, opts, roots);
  const files: DecodedFile[] = [];
  const warnings: IngestWarning[] = [];
  for (const c of candidates) {
    if (c.stats.size > maxFileBytes) {
      skipped.push({
        file: c.file,
        code: 'E_FILE_TOO_LARGE',
        reason: `file too large (${c.stats.size} bytes, limit ${maxFileBytes})`,
      });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(c.abs);
    } catch (e) {
      const gone = errnoOf(e) === 'ENOENT';
      const reason = gone ? `disappeared during the scan (${errorText(e, roots)})` : `cannot be read (${errorText(e, roots)})`;
      skipped.push({ file: c.file, code: 'E_UNREADABLE', reason });
      continue;
    }
    const ext = extensionOf(c.file);
    let file: DecodedFile;
    if (isConvertedExtension(ext)) {
      const converted = await convertByExtension(ext, bytes);
      if (!converted.ok) {
        skipped.push({ file: c.file, code: converted.code, reason: converted.reason });
        continue;
      }
      for (const message of converted.warnings) warnings.push({ file: c.file, message });
      file = { file: c.file, text: converted.text, encoding: converted.encoding, checksum: sha256(bytes), size: c.stats.size, mtimeMs: c.stats.mtimeMs };
      if (Object.keys(converted.hints).length > 0) file.hints = converted.hints;
    } else {
      const decoded = decodeBytes(bytes);
      if (!decoded.ok) {
        skipped.push({ file: c.file, code: decoded.code, reason: decoded.reason });
        continue;
      }
      for (const message of decoded.warnings) warnings.push({ file: c.file, message });
      if (decoded.encoding !== 'UTF-8' && !decoded.warnings.some((w) => w.includes(decoded.encoding))) {
        warnings.push({ file: c.file, message: `not plain UTF-8: read as ${decoded.encoding}` });
      }
      file = { file: c.file, text: decoded.text, encoding: decoded.encoding, checksum: sha256(bytes), size: c.stats.size, mtimeMs: c.stats.mtimeMs };
    }
    if (!HAN.test(file.text)) {
      warnings.push({ file: c.file, message: 'no Chinese characters: indexed, but probably not a policy document (or its encoding was misread)' });
    }
    files.push(file);
  }
  return { files, skipped: skipped.sort(byPath), warnings };
}

/**
 * The files `loadCorpus` would read, with size, mtime and sha256 — without decoding — so the
 * index manifest can tell whether the corpus changed. Unreadable files are left out (loadCorpus
 * reports them); too-large files are listed, since their change matters too.
 */
export async function listCorpusFiles(dir: string, opts: LoadOptions = {}): Promise<CorpusEntry[]> {
  const fs = opts.fs ?? nodeCorpusFs;
  await assertDirectory(dir, fs);
  const { candidates } = await walk(dir, opts, await corpusRoots(dir, fs));
  const entries: Array<CorpusEntry | null> = new Array(candidates.length).fill(null);
  // Hash several files at once: most of the time is waiting on the disk, not hashing.
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < candidates.length; i = next++) {
      const c = candidates[i]!;
      const known = opts.knownChecksums?.get(c.file);
      if (known && known.size === c.stats.size && known.mtimeMs === c.stats.mtimeMs) {
        entries[i] = { file: c.file, size: c.stats.size, mtimeMs: c.stats.mtimeMs, checksum: known.checksum };
        continue;
      }
      try {
        entries[i] = { file: c.file, size: c.stats.size, mtimeMs: c.stats.mtimeMs, checksum: await hashFile(c.abs, fs) };
      } catch {
        // Reported by loadCorpus as E_UNREADABLE; the manifest lists what can be read.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, candidates.length) }, worker));
  return entries.filter((e): e is CorpusEntry => e !== null);
}
