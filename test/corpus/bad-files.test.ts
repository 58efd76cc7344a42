/**
 * A corpus folder as other offices deliver it: seed notices in GBK, UTF-16 and UTF-8 with a BOM
 * beside good UTF-8 ones, an empty file, a binary file, a 50 MB file, a file with no Chinese, a
 * symbolic link loop (a folder link back to the corpus root, and a file link to itself), and a
 * file that disappears mid-scan. Built through the real pipeline and the real CLI: the good files
 * are indexed (and searchable), each bad one is reported with a reason in the manifest, the CLI
 * summary and on the /status page, and nothing crashes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detailZh } from '../../src/web/routes/status.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { loadCorpus, nodeCorpusFs, type CorpusFs } from '../../src/corpus/load.js';
import { buildAndSave, type BuildResult } from '../../src/indexing/pipeline.js';
import { createLiveService } from '../../src/search/live-service.js';
import { IndexReloader, loadCurrentIndex } from '../../src/search/reloader.js';
import { createApp } from '../../src/web/app.js';
import { listen, memoryLogger, testConfig, type Running } from '../web/harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SEEDS = join(ROOT, 'seeds');
const seedFiles = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort();
const seed = (i: number) => readFileSync(join(SEEDS, seedFiles[i]!), 'utf8');
const FIFTY_MB = 50 * 1024 * 1024;

let corpus: string;
let indexDir: string;
let result: BuildResult;
let server: Running;

/** Bad (or unusual) files, and what must be said about each. */
const EXPECTED_SKIPPED: ReadonlyArray<[file: string, code: string, reason: RegExp]> = [
  ['empty.txt', 'E_EMPTY_FILE', /empty file \(0 bytes\)/],
  ['binary.txt', 'E_BINARY_FILE', /binary file/],
  ['huge.txt', 'E_FILE_TOO_LARGE', new RegExp(`file too large \\(${FIFTY_MB} bytes, limit ${DEFAULT_LIMITS.maxFileBytes}\\)`)],
  ['sub/loop', 'E_SYMLINK_LOOP', /symbolic link loop: leads back to \./],
  ['self.txt', 'E_SYMLINK_LOOP', /symbolic link loop \(ELOOP/],
];
const EXPECTED_WARNINGS: ReadonlyArray<[file: string, message: RegExp]> = [
  ['gbk.txt', /read as GB18030/],
  ['utf16.txt', /read as UTF-16LE/],
  ['bom.txt', /read as UTF-8 \(BOM\)/],
  ['english.txt', /no Chinese characters/],
];
const INDEXED = ['good.txt', 'gbk.txt', 'utf16.txt', 'bom.txt', 'english.txt'];

/** Writes a 50 MB text file in 1 MB chunks (fast, and never a 50 MB string in memory). */
function writeHugeFile(path: string): void {
  const chunk = Buffer.from('政务公开工作要点。'.repeat(Math.ceil((1024 * 1024) / 27)), 'utf8').subarray(0, 1024 * 1024);
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < 50; i++) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  corpus = mkdtempSync(join(tmpdir(), 'bad-corpus-'));
  indexDir = mkdtempSync(join(tmpdir(), 'bad-index-'));
  const write = (rel: string, data: string | Uint8Array) => writeFileSync(join(corpus, rel), data);
  write('good.txt', seed(0));
  write('gbk.txt', iconv.encode(seed(1), 'gbk'));
  write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seed(2), 'utf16le')]));
  write('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(seed(3), 'utf8')]));
  write('english.txt', 'Annual report on open government information, 2020.\nSection 1. Scope.\n');
  write('empty.txt', '');
  const binary = Buffer.alloc(8192);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) & 0xff;
  write('binary.txt', binary);
  writeHugeFile(join(corpus, 'huge.txt'));
  mkdirSync(join(corpus, 'sub'));
  symlinkSync(corpus, join(corpus, 'sub', 'loop'));
  symlinkSync(join(corpus, 'self.txt'), join(corpus, 'self.txt'));

  result = await buildAndSave({ corpusDir: corpus, indexDir, maxFileBytes: DEFAULT_LIMITS.maxFileBytes });

  const live = createLiveService();
  const reloader = new IndexReloader({
    live,
    load: () => loadCurrentIndex({ corpusDir: corpus, indexDir, limits: DEFAULT_LIMITS }),
    currentGeneration: () => result.generation,
  });
  expect((await reloader.reload('start')).ok).toBe(true);
  server = await listen(createApp({ service: live.service, config: testConfig(), logger: memoryLogger(), status: reloader }));
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(corpus, { recursive: true, force: true });
  rmSync(indexDir, { recursive: true, force: true });
});

describe('a corpus with bad files, through the pipeline', () => {
  it('indexes every good file — legacy encodings and no-Chinese included — and finds their text', () => {
    expect(result.built.docs.map((d) => d.file).sort()).toEqual([...INDEXED].sort());
    expect(result.manifest.counts.documents).toBe(INDEXED.length);
    const byFile = new Map(result.built.docs.map((d) => [d.file, d]));
    expect(byFile.get('gbk.txt')!.encoding).toBe('GB18030');
    expect(byFile.get('utf16.txt')!.encoding).toBe('UTF-16LE');
    expect(byFile.get('bom.txt')!.encoding).toBe('UTF-8 (BOM)');
    // The decoded text is the seed's text, paragraph by paragraph.
    const text = (file: string) => byFile.get(file)!.paragraphs.map((p) => p.text).join('');
    for (const [file, i] of [['gbk.txt', 1], ['utf16.txt', 2], ['bom.txt', 3]] as const) {
      const firstLine = seed(i).split('\n').find((l) => l.trim().length > 6)!.trim();
      expect(text(file), file).toContain(firstLine.slice(0, 6));
    }
  });

  it.each(EXPECTED_SKIPPED)('reports %s as %s with its reason in the manifest', (file, code, reason) => {
    const entry = result.manifest.skipped.find((s) => s.file === file);
    expect(entry, `${file} in ${JSON.stringify(result.manifest.skipped)}`).toBeDefined();
    expect(entry!.code).toBe(code);
    expect(entry!.reason).toMatch(reason);
    expect(entry!.reason).not.toContain(corpus); // no server paths on a public page
  });

  it.each(EXPECTED_WARNINGS)('warns about %s', (file, message) => {
    expect(result.manifest.warnings.some((w) => w.file === file && message.test(w.message)), JSON.stringify(result.manifest.warnings)).toBe(true);
  });

  it('accounts for every entry of the folder: indexed or skipped', () => {
    const seen = new Set([...result.manifest.files.map((f) => f.file), ...result.manifest.skipped.map((s) => s.file)]);
    for (const name of readdirSync(corpus)) if (name !== 'sub') expect(seen.has(name), name).toBe(true);
    expect(seen.has('sub/loop')).toBe(true);
  });

  it('/status lists every skipped file with its reason and every warning, in a Chinese page', async () => {
    const res = await fetch(`${server.url}/status`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html');
    for (const s of ['索引状态', '文件数', '段落数', '建立时间', '语料校验和', '未收录的文件', '警告']) expect(html).toContain(s);
    expect(html).toContain(`未收录的文件 <span class="n">（${result.manifest.skipped.length} 个）</span>`);
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
    for (const s of result.manifest.skipped) {
      expect(html).toContain(`<code>${escape(s.file)}</code>`);
      expect(html).toContain(escape(detailZh(s.reason)));
    }
    for (const w of result.manifest.warnings) expect(html).toContain(escape(detailZh(w.message)));
    expect(html).toContain(String(result.manifest.counts.paragraphs));
  });

  it('/readyz counts the skipped files and warnings', async () => {
    const body = (await (await fetch(`${server.url}/readyz`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ready: true, documents: INDEXED.length, skipped: result.manifest.skipped.length, warnings: result.manifest.warnings.length });
  });

  it('search works over the good files (the GBK notice is found by its own words)', async () => {
    const gbkDoc = result.built.docs.find((d) => d.file === 'gbk.txt')!;
    const phrase = gbkDoc.meta.title!.slice(0, 8);
    const res = (await (await fetch(`${server.url}/api/search?q=${encodeURIComponent(`"${phrase}"`)}`)).json()) as { hits: Array<{ docId: string }> };
    expect(res.hits.some((h) => h.docId === gbkDoc.id)).toBe(true);
  });
});

describe('a file that disappears mid-scan', () => {
  it('is reported as E_UNREADABLE ("disappeared during the scan"); the others still load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanish-corpus-'));
    try {
      writeFileSync(join(dir, 'a.txt'), seed(0));
      writeFileSync(join(dir, 'vanishing.txt'), seed(1));
      writeFileSync(join(dir, 'z.txt'), seed(2));
      // The folder was listed and stat'ed with the file present; it is deleted just before its read.
      const fs: CorpusFs = {
        ...nodeCorpusFs,
        readFile: (p) => {
          if (p.endsWith('vanishing.txt')) unlinkSync(p);
          return nodeCorpusFs.readFile(p);
        },
      };
      const loaded = await loadCorpus(dir, { fs });
      expect(loaded.files.map((f) => f.file)).toEqual(['a.txt', 'z.txt']);
      expect(loaded.skipped).toEqual([{ file: 'vanishing.txt', code: 'E_UNREADABLE', reason: expect.stringMatching(/^disappeared during the scan \(ENOENT/) }]);
      expect(loaded.skipped[0]!.reason).not.toContain(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the index CLI on the bad corpus', () => {
  it('exits 0 and its summary lists each skipped file with code and reason, and each warning', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bad-cli-index-'));
    try {
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((done, fail) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/build-index.ts', '--corpus', corpus, '--index', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
        child.stderr.resume();
        child.on('error', fail);
        child.on('exit', (c) => done({ code: c, stdout }));
      });
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`documents:\\s+${INDEXED.length}`));
      expect(stdout).toMatch(new RegExp(`skipped:\\s+${EXPECTED_SKIPPED.length}`));
      for (const [file, codeName, reason] of EXPECTED_SKIPPED) {
        const line = stdout.split('\n').find((l) => l.includes(`- ${file} [${codeName}]: `));
        expect(line, `${file} in\n${stdout}`).toBeDefined();
        expect(line).toMatch(reason);
      }
      for (const [file, message] of EXPECTED_WARNINGS) {
        expect(stdout.split('\n').some((l) => l.includes(`- ${file}: `) && message.test(l)), file).toBe(true);
      }
      expect(stdout).toMatch(/checksum:\s+[0-9a-f]{64}/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
