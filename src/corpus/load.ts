/**
 * The corpus I/O edge: walks a directory, reads every `.txt` / `.md` file, detects its encoding and
 * decodes it. One bad file never stops the load: it is returned in `skipped` with a code and a
 * reason (nothing is dropped silently, nothing is logged here — the caller logs). Only a corpus
 * directory that does not exist or is not a directory throws (AppError E_UNREADABLE).
 *
 * Decisions:
 * - Files named README.md (any case) are skipped by default with code IGNORED: a corpus folder's
 *   README describes the corpus, it is not a document (notices-dev has one). `ignore` replaces
 *   the default list.
 * - Files with other extensions (.pdf, .docx…) are listed as skipped UNSUPPORTED_EXTENSION, so a
 *   user who drops a PDF in the corpus learns why it is not searchable.
 * - Hidden entries (name starting with '.') are skipped as IGNORED and hidden folders are not
 *   entered (.git would otherwise flood the report).
 * - Skip codes that are failures use the error catalog (E_EMPTY_FILE, E_BINARY_FILE,
 *   E_BAD_ENCODING, E_FILE_TOO_LARGE, E_UNREADABLE); IGNORED and UNSUPPORTED_EXTENSION are not
 *   failures and have no catalog entry.
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
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { AppError } from '../domain/errors.js';
import type { IngestWarning, SkippedFile } from '../domain/types.js';
import type { DecodedFile } from './document.js';

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;
export const DEFAULT_EXTENSIONS = ['.txt', '.md'];
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
  /** Extensions indexed, lower case with the dot. Default .txt and .md. */
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
    for (const name of names) {
      const childAbs = join(abs, name);
      const childRel = rel ? posix.join(rel, name) : name;
      if (name.startsWith('.')) {
        skipped.push({ file: childRel, code: 'IGNORED', reason: 'hidden file or folder' });
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
      const dot = name.lastIndexOf('.');
      const ext = dot > 0 ? name.slice(dot).toLowerCase() : '';
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
// Decoding (pure)

/** The outcome of decoding one file's bytes. */
export type DecodeResult =
  | { ok: true; text: string; encoding: string; warnings: string[] }
  | { ok: false; code: 'E_EMPTY_FILE' | 'E_BINARY_FILE' | 'E_BAD_ENCODING'; reason: string };

/** C0 controls other than tab, line feed, vertical tab, form feed, carriage return and escape. */
function isControlByte(b: number): boolean {
  return b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b;
}

/** UTF-16 without a BOM shows NULs in every other byte (ASCII and most punctuation). */
function sniffUtf16(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const half = n / 2;
  if (oddNul > half * 0.3 && evenNul < half * 0.02) return 'UTF-16LE';
  if (evenNul > half * 0.3 && oddNul < half * 0.02) return 'UTF-16BE';
  return null;
}

/** Why a decoded text does not look like text, or null when it does. */
function textProblem(text: string): string | null {
  let replacement = 0;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'contains NUL characters';
    if (c === 0xfffd) replacement++;
    else if (c < 0x20 && isControlByte(c)) control++;
  }
  if (replacement > Math.max(2, text.length * 0.001)) return `${replacement} undecodable byte sequences`;
  if (control > Math.max(2, text.length * 0.01)) return `${control} control characters`;
  return null;
}

function countReplacements(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === '\uFFFD') n++;
  return n;
}

/** chardet names → iconv-lite names; GBK is read as its superset GB18030. */
const CHARDET_TO_ICONV: Record<string, string> = { GB18030: 'GB18030', GBK: 'GB18030', 'GB2312': 'GB18030' };
const CHINESE = new Set(['GB18030', 'Big5']);
const MULTIBYTE_CJK = new Set(['GB18030', 'Big5', 'EUC-JP', 'EUC-KR', 'Shift_JIS', 'ISO-2022-CN', 'ISO-2022-JP']);

/**
 * Decodes a file's bytes: UTF-8 (with or without BOM), UTF-16 with a BOM (or with the NUL pattern
 * of UTF-16 text), else the legacy encoding chardet proposes (GB18030/GBK, Big5…), checked to
 * decode into text. Returns the text without BOM, or why it cannot be read.
 */
export function decodeBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, code: 'E_EMPTY_FILE', reason: 'empty file (0 bytes)' };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const finish = (text: string, encoding: string, warnings: string[] = []): DecodeResult => {
    const problem = textProblem(text);
    if (problem) return { ok: false, code: 'E_BAD_ENCODING', reason: `decoded as ${encoding} but ${problem}` };
    if (!text.replace(/^\uFEFF/, '').trim()) return { ok: false, code: 'E_EMPTY_FILE', reason: 'only whitespace' };
    const bad = countReplacements(text);
    if (bad > 0) warnings.push(`${bad} undecodable byte sequence(s) replaced by U+FFFD`);
    return { ok: true, text, encoding, warnings };
  };

  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return finish(buf.subarray(3).toString('utf8'), 'UTF-8 (BOM)');
  if (buf[0] === 0xff && buf[1] === 0xfe) return finish(iconv.decode(buf.subarray(2), 'utf-16le'), 'UTF-16LE');
  if (buf[0] === 0xfe && buf[1] === 0xff) return finish(iconv.decode(buf.subarray(2), 'utf-16be'), 'UTF-16BE');

  if (buf.includes(0)) {
    const utf16 = sniffUtf16(buf);
    if (utf16) return finish(iconv.decode(buf, utf16), utf16, [`${utf16} without BOM, detected from its byte pattern`]);
    return { ok: false, code: 'E_BINARY_FILE', reason: 'binary file (contains NUL bytes)' };
  }
  let controls = 0;
  for (const b of buf) if (isControlByte(b)) controls++;
  if (controls > Math.max(2, buf.length * 0.02)) {
    return { ok: false, code: 'E_BINARY_FILE', reason: `binary file (${controls} control bytes)` };
  }

  try {
    return finish(new TextDecoder('utf-8', { fatal: true }).decode(buf), 'UTF-8');
  } catch {
    // Not valid UTF-8: a legacy encoding.
  }

  // Candidates: chardet's Chinese guesses (GB18030 or Big5, in its order), then GB18030 — the
  // corpus is Chinese, and on short texts chardet often says EUC-JP for GBK bytes — then its
  // other multi-byte guesses, and single-byte encodings last, since they decode anything.
  const guesses = chardet
    .analyse(buf)
    .map((m) => CHARDET_TO_ICONV[m.name] ?? m.name)
    .filter((name) => iconv.encodingExists(name));
  const ordered = [
    ...guesses.filter((g) => CHINESE.has(g)),
    'GB18030',
    ...guesses.filter((g) => MULTIBYTE_CJK.has(g)),
    ...guesses.filter((g) => !MULTIBYTE_CJK.has(g)),
  ].filter((g, i, all) => all.indexOf(g) === i);
  let lastReason = 'no encoding candidate';
  for (const encoding of ordered) {
    const result = finish(iconv.decode(buf, encoding), encoding);
    if (result.ok) {
      if (!MULTIBYTE_CJK.has(encoding) && encoding !== 'UTF-8') {
        result.warnings.push(`encoding guessed as ${encoding} with low certainty`);
      }
      return result;
    }
    if (result.code === 'E_EMPTY_FILE') return result;
    lastReason = result.reason;
  }
  return { ok: false, code: 'E_BAD_ENCODING', reason: `not UTF-8 and no legacy encoding fits (${lastReason})` };
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
    const decoded = decodeBytes(bytes);
    if (!decoded.ok) {
      skipped.push({ file: c.file, code: decoded.code, reason: decoded.reason });
      continue;
    }
    for (const message of decoded.warnings) warnings.push({ file: c.file, message });
    if (decoded.encoding !== 'UTF-8' && !decoded.warnings.some((w) => w.includes(decoded.encoding))) {
      warnings.push({ file: c.file, message: `not plain UTF-8: read as ${decoded.encoding}` });
    }
    if (!HAN.test(decoded.text)) {
      warnings.push({ file: c.file, message: 'no Chinese characters: indexed, but probably not a policy document (or its encoding was misread)' });
    }
    files.push({ file: c.file, text: decoded.text, encoding: decoded.encoding, checksum: sha256(bytes), size: c.stats.size, mtimeMs: c.stats.mtimeMs });
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
