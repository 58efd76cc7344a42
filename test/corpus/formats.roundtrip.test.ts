/**
 * Round trip: each seed notice made into a saved government web page (UTF-8 with a known CMS
 * container; GBK with a generic one), a Word document and a Chromium-printed PDF, then read back
 * through loadCorpus — the real ingest path — must give the same document as the seed's .txt:
 * the same paragraphs (text, kind, labels, sections, units, deadlines, line-join repairs), the
 * same metadata and the same citations. Bad files next to them are skipped with a clear reason.
 * Fixtures are written to a fresh temporary folder.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/corpus/document.js';
import { loadCorpus, type LoadResult } from '../../src/corpus/load.js';
import type { Paragraph, PolicyDocument } from '../../src/domain/types.js';
import { renderCitation } from '../../src/search/cite.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { FURNITURE_WORDS, governmentPage, printPage, printToPdf, seedBlocks, withoutToUnicode, wordDocument } from './formats-fixtures.js';

const SEEDS = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
const stem = (seed: string) => seed.replace(/\.txt$/, '');

/** The formats each seed is written in, by file name. */
const FORMATS = [
  ['web page (UTF-8, TRS_Editor container)', (s: string) => `${stem(s)}.html`],
  ['web page (GBK, generic container)', (s: string) => `${stem(s)}.generic.htm`],
  ['Word document', (s: string) => `${stem(s)}.docx`],
  ['PDF printed by Chromium', (s: string) => `${stem(s)}.pdf`],
] as const;

let dir: string;
let loaded: LoadResult;
const reference = new Map<string, PolicyDocument>();
const converted = new Map<string, PolicyDocument>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'formats-roundtrip-'));
  const write = (rel: string, data: string | Uint8Array) => writeFileSync(join(dir, rel), data);
  const printViews: string[] = [];
  for (const seed of SEEDS) {
    const text = readFileSync(join(SEEDS_DIR, seed), 'utf8');
    const ref = buildDocument({ file: seed, text, encoding: 'UTF-8', checksum: '' });
    reference.set(seed, ref);
    const blocks = seedBlocks(text);
    write(`${stem(seed)}.html`, governmentPage(blocks, { meta: ref.meta }));
    write(`${stem(seed)}.generic.htm`, iconv.encode(governmentPage(blocks, { meta: ref.meta, containerClass: 'box', charset: 'gb2312' }), 'gbk'));
    write(`${stem(seed)}.docx`, await wordDocument(blocks));
    printViews.push(printPage(blocks));
  }
  const pdfs = await printToPdf(printViews);
  pdfs.forEach((pdf, i) => write(`${stem(SEEDS[i]!)}.pdf`, pdf));

  // Files that must be skipped, each with its reason.
  const pdf = pdfs[0]!;
  const docx = readFileSync(join(dir, `${stem(SEEDS[0]!)}.docx`));
  mkdirSync(join(dir, 'bad'));
  write('bad/no-tounicode.pdf', withoutToUnicode(pdf));
  write('bad/truncated.pdf', pdf.subarray(0, Math.floor(pdf.length / 2)));
  write('bad/damaged.pdf', Buffer.concat([pdf.subarray(0, 200), Buffer.alloc(4000, 0x20), Buffer.from('\n%%EOF\n')]));
  write('bad/truncated.docx', docx.subarray(0, Math.floor(docx.length / 2)));
  write('bad/legacy.docx', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
  write('bad/empty.html', '');
  // A page saved "complete": its frames and scripts in 通知_files/ are not documents.
  write('bad/通知.html', governmentPage(seedBlocks(readFileSync(join(SEEDS_DIR, SEEDS[0]!), 'utf8')), { meta: reference.get(SEEDS[0]!)!.meta }));
  mkdirSync(join(dir, 'bad', '通知_files'));
  write('bad/通知_files/share.html', '<html><body>分享到微信</body></html>');

  loaded = await loadCorpus(dir);
  for (const f of loaded.files) converted.set(f.file, buildDocument(f));
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What must survive the round trip of a paragraph. */
function essentials(p: Paragraph) {
  return {
    text: p.text,
    kind: p.kind,
    label: p.label,
    level: p.level,
    sectionLabels: p.sectionLabels,
    units: p.units,
    deadlines: p.deadlines,
    lineJoins: p.repairs.filter((r) => r.kind === 'line-join').length,
  };
}

const CASES = SEEDS.flatMap((seed) => FORMATS.map(([format, name]) => [seed, format, name(seed)] as const));

describe.each(CASES)('%s as %s', (seed, _format, file) => {
  it('is loaded', () => {
    expect(loaded.skipped.find((s) => s.file === file)).toBeUndefined();
    expect(converted.has(file)).toBe(true);
  });

  it('gives the paragraphs of the .txt', () => {
    const ref = reference.get(seed)!;
    const doc = converted.get(file)!;
    expect(doc.paragraphs.map(essentials)).toEqual(ref.paragraphs.map(essentials));
  });

  it('gives the metadata of the .txt (title, 文号, issuer, dates, region, year)', () => {
    expect(converted.get(file)!.meta).toEqual(reference.get(seed)!.meta);
  });

  it('gives the citations of the .txt', () => {
    const ref = reference.get(seed)!;
    const doc = converted.get(file)!;
    expect(doc.paragraphs.map((p) => renderCitation(doc, p).text)).toEqual(ref.paragraphs.map((p) => renderCitation(ref, p).text));
  });
});

describe('web pages', () => {
  it.each(SEEDS.flatMap((s) => [`${stem(s)}.html`, `${stem(s)}.generic.htm`]))('%s: no navigation, breadcrumb, share bar or footer text', (file) => {
    const text = loaded.files.find((f) => f.file === file)!.text;
    for (const word of FURNITURE_WORDS) expect(text, word).not.toContain(word);
  });

  it('records how each file was read', () => {
    const encoding = (file: string) => loaded.files.find((f) => f.file === file)?.encoding;
    expect(encoding(`${stem(SEEDS[0]!)}.html`)).toBe('HTML, UTF-8');
    expect(encoding(`${stem(SEEDS[0]!)}.generic.htm`)).toBe('HTML, GB18030');
    expect(encoding(`${stem(SEEDS[0]!)}.docx`)).toBe('DOCX');
    expect(encoding(`${stem(SEEDS[0]!)}.pdf`)).toMatch(/^PDF \(\d+ pages?\)$/);
  });

  it('converted files raise no warnings', () => {
    expect(loaded.warnings.filter((w) => !w.file.startsWith('bad/'))).toEqual([]);
  });
});

describe('bad files are skipped with a clear reason, never indexed, never a crash', () => {
  it.each([
    ['bad/no-tounicode.pdf', 'E_NEEDS_OCR', /^needs OCR: .*(unmapped glyph codes|not Chinese text|random Chinese characters)/],
    ['bad/truncated.pdf', 'E_CORRUPT_FILE', /^truncated PDF file \(no %%EOF at the end\)$/],
    ['bad/damaged.pdf', 'E_CORRUPT_FILE', /^damaged PDF file/],
    ['bad/truncated.docx', 'E_CORRUPT_FILE', /^damaged DOCX file \(.+\)$/],
    ['bad/legacy.docx', 'E_CORRUPT_FILE', /^not a DOCX file: a password-protected document or a legacy \.doc/],
    ['bad/empty.html', 'E_EMPTY_FILE', /^empty file \(0 bytes\)$/],
    ['bad/通知_files', 'IGNORED', /^files of the saved web page 通知\.html$/],
  ])('%s → %s', (file, code, reason) => {
    const skipped = loaded.skipped.find((s) => s.file === file);
    expect(skipped, JSON.stringify(loaded.skipped)).toBeDefined();
    expect(skipped!.code).toBe(code);
    expect(skipped!.reason).toMatch(reason);
    expect(converted.has(file)).toBe(false);
  });

  it('the page next to its _files folder is indexed', () => {
    expect(converted.has('bad/通知.html')).toBe(true);
  });
});
