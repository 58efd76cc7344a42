import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBytes, listCorpusFiles, loadCorpus, type LoadResult } from '../../src/corpus/load.js';
import { isAppError } from '../../src/domain/errors.js';

const SEED = readFileSync(resolve(__dirname, '../../seeds/000_77a096099b19bd9c.txt'), 'utf8');
const SHORT = '温州市鹿城区人民政府办公室关于印发2020年温州市鹿城区政务公开工作要点的通知\n';
const SUBDIR = '子目录 （全角）/第二 层';
const isRoot = process.getuid?.() === 0;

let dir: string;
let result: LoadResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corpus-load-'));
  const write = (rel: string, data: string | Uint8Array): void => writeFileSync(join(dir, rel), data);
  mkdirSync(join(dir, SUBDIR), { recursive: true });

  write('gbk.txt', iconv.encode(SEED, 'gbk'));
  write('big5.txt', iconv.encode('臺北市政府關於印發工作要點的通知\n各區公所：請認真貫徹執行。\n', 'big5'));
  write('utf8.txt', SHORT);
  write('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SHORT, 'utf8')]));
  write('utf16le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SHORT, 'utf16le')]));
  write('utf16be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(SHORT, 'utf16le').swap16()]));
  write('law.md', '# 中华人民共和国某某法\n\n第一条 为了……\n');
  write('empty.txt', '');
  write('blank.txt', ' \n\t\u3000\r\n  ');
  const binary = randomBytes(4096);
  binary[10] = 0;
  binary[100] = 0;
  write('binary.txt', binary);
  write('big.txt', 'x'.repeat(60_000));
  write('report.pdf', '%PDF-1.4 fake');
  write('notice.docx', 'PK fake');
  write('sheet.xls', 'fake');
  write('README.md', '# about this corpus\n');
  write(`${SUBDIR}/鹿城 通知（2020）.txt`, SHORT);
  // A dangling symbolic link stands for a file that cannot be read even by root.
  symlinkSync(join(dir, 'missing-target.txt'), join(dir, 'dangling.txt'));
  write('locked.txt', SHORT);
  chmodSync(join(dir, 'locked.txt'), 0o000);
  // A second way into a folder already scanned (not a loop): entered once, reported once.
  symlinkSync(join(dir, SUBDIR), join(dir, 'shortcut'));

  result = await loadCorpus(dir, { maxFileBytes: 50_000 });
});

afterAll(() => {
  chmodSync(join(dir, 'locked.txt'), 0o644);
  rmSync(dir, { recursive: true, force: true });
});

const loaded = (file: string) => result.files.find((f) => f.file === file);
const skippedAs = (file: string) => result.skipped.find((s) => s.file === file);

describe('loadCorpus: decodable files', () => {
  it.each([
    ['gbk.txt', 'GB18030', SEED],
    ['utf8.txt', 'UTF-8', SHORT],
    ['bom.txt', 'UTF-8 (BOM)', SHORT], // BOM stripped
    ['utf16le.txt', 'UTF-16LE', SHORT],
    ['utf16be.txt', 'UTF-16BE', SHORT],
    ['law.md', 'UTF-8', '# 中华人民共和国某某法\n\n第一条 为了……\n'],
    [`${SUBDIR}/鹿城 通知（2020）.txt`, 'UTF-8', SHORT],
  ])('%s is read as %s with the original text', (file, encoding, text) => {
    const f = loaded(file);
    expect(f, `${file} loaded`).toBeDefined();
    expect(f!.encoding).toBe(encoding);
    expect(f!.text).toBe(text);
  });

  it('reads Big5 text', () => {
    expect(loaded('big5.txt')?.encoding).toBe('Big5');
    expect(loaded('big5.txt')?.text).toContain('臺北市政府關於印發工作要點的通知');
  });

  it('checksums the bytes with sha256', () => {
    const bytes = readFileSync(join(dir, 'gbk.txt'));
    expect(loaded('gbk.txt')!.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('lists files in a deterministic order, with forward slashes', () => {
    const names = result.files.map((f) => f.file);
    expect(names).toEqual([...names].sort());
    expect(names.every((n) => !n.includes('\\'))).toBe(true);
  });
});

describe('loadCorpus: every file not loaded is reported with its reason', () => {
  it.each([
    ['empty.txt', 'E_EMPTY_FILE', /0 bytes/],
    ['blank.txt', 'E_EMPTY_FILE', /whitespace/],
    ['binary.txt', 'E_BINARY_FILE', /NUL/],
    ['big.txt', 'E_FILE_TOO_LARGE', /60000 bytes, limit 50000/],
    // PDFs and Word documents are read (test/corpus/formats*.test.ts); these two are damaged.
    ['report.pdf', 'E_CORRUPT_FILE', /truncated PDF/],
    ['notice.docx', 'E_CORRUPT_FILE', /damaged DOCX/],
    ['sheet.xls', 'UNSUPPORTED_EXTENSION', /\.xls/],
    ['README.md', 'IGNORED', /README/],
    ['dangling.txt', 'E_UNREADABLE', /ENOENT/],
  ])('%s → %s', (file, code, reason) => {
    const s = skippedAs(file);
    expect(s, `${file} skipped`).toBeDefined();
    expect(s!.code).toBe(code);
    expect(s!.reason).toMatch(reason);
    expect(loaded(file)).toBeUndefined();
  });

  // chmod 000 does not stop root from reading, so the assertion only holds for other users.
  it.skipIf(isRoot)('a file without read permission → E_UNREADABLE', () => {
    expect(skippedAs('locked.txt')?.code).toBe('E_UNREADABLE');
  });

  it('accounts for every entry of the folder', () => {
    const seen = new Set([...result.files.map((f) => f.file), ...result.skipped.map((s) => s.file)]);
    for (const name of ['gbk.txt', 'utf8.txt', 'empty.txt', 'binary.txt', 'README.md', 'locked.txt', 'dangling.txt']) {
      expect(seen.has(name), name).toBe(true);
    }
  });

  it('a second link to a folder already scanned is IGNORED, its files loaded once', () => {
    expect(skippedAs('shortcut')).toEqual({ file: 'shortcut', code: 'IGNORED', reason: `folder already scanned as ${SUBDIR} (symbolic link)` });
    expect(result.files.filter((f) => f.file.endsWith('鹿城 通知（2020）.txt')).map((f) => f.file)).toEqual([`${SUBDIR}/鹿城 通知（2020）.txt`]);
  });

  it('reasons name files relative to the corpus, never by absolute path', () => {
    expect(skippedAs('dangling.txt')!.reason).toContain("'./dangling.txt'");
    for (const s of result.skipped) expect(s.reason, s.file).not.toContain(dir);
  });

  it('indexes README.md when the ignore list is emptied', async () => {
    const all = await loadCorpus(dir, { maxFileBytes: 50_000, ignore: [] });
    expect(all.files.some((f) => f.file === 'README.md')).toBe(true);
  });
});

describe('loadCorpus: the corpus folder itself', () => {
  it('throws E_UNREADABLE when the folder does not exist', async () => {
    const missing = join(dir, 'no-such-folder');
    const error = await loadCorpus(missing).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('E_UNREADABLE');
    expect(isAppError(error) && error.detail).toContain(missing);
  });

  it('throws E_UNREADABLE when the path is a file', async () => {
    const error = await loadCorpus(join(dir, 'utf8.txt')).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('E_UNREADABLE');
  });
});

describe('listCorpusFiles', () => {
  it('lists the candidate files with size, mtime and the same checksum as loadCorpus', async () => {
    const entries = await listCorpusFiles(dir, { maxFileBytes: 50_000 });
    const gbk = entries.find((e) => e.file === 'gbk.txt');
    expect(gbk?.checksum).toBe(loaded('gbk.txt')!.checksum);
    expect(gbk?.size).toBe(readFileSync(join(dir, 'gbk.txt')).length);
    expect(gbk?.mtimeMs).toBeGreaterThan(0);
    expect(entries.some((e) => e.file === 'big.txt')).toBe(true); // too large to index, still tracked
    expect(entries.some((e) => e.file === 'README.md' || e.file === 'sheet.xls')).toBe(false);
  });
});

describe('decodeBytes', () => {
  it.each([
    ['UTF-16LE without BOM', Buffer.from(SHORT.replace(/[^\x00-\x7f]/g, 'a') + 'abc', 'utf16le'), 'UTF-16LE'],
    ['GB18030 four-byte sequences', iconv.encode('政务公开𠀀工作要点\n', 'gb18030'), 'GB18030'],
  ])('%s', (_name, bytes, encoding) => {
    const r = decodeBytes(bytes);
    expect(r.ok && r.encoding).toBe(encoding);
  });

  it('reports control-character noise as binary', () => {
    const r = decodeBytes(Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1 : 65))));
    expect(!r.ok && r.code).toBe('E_BINARY_FILE');
  });
});
