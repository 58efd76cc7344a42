/**
 * The parser on documents nobody tuned it for: the 60 Shanghai notices of notices-dev (with
 * their published titles as metadata, from ../shared/corpus/) and, when LAWS_DIR names an
 * unpacked laws corpus, the Markdown laws. Each suite is skipped, with a note, without its data.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyMeta } from '../../src/corpus/metadata.js';
import { parseParagraphs, unrepair } from '../../src/corpus/parse.js';
import type { DocumentMeta, Paragraph } from '../../src/domain/types.js';
import { missingData, NOTICES_DEV as NOTICES, suiteName } from '../helpers/shared-corpus.js';

/**
 * An unpacked laws corpus (`tar -xJf ../shared/corpus/laws-zh.tar.xz -C "$LAWS_DIR"`). Unpacking
 * 58 MB for every run is too slow for the suite, so the test reads a directory the caller names.
 */
const LAWS = process.env.LAWS_DIR ? resolve(process.env.LAWS_DIR) : undefined;

function metaFor(title: string | null, year: number | null): DocumentMeta {
  return { ...emptyMeta(), title, year };
}

/** The source lines of a paragraph, trimmed, without markdown heading marks. */
function sourceSpan(lines: readonly string[], p: Paragraph): string {
  return lines
    .slice(p.lines[0] - 1, p.lines[1])
    .join('\n')
    .trim()
    .replace(/^#{1,6}[ \t\u3000]+/, '');
}

/** Every paragraph's problems (empty, not undoable, offsets off); [] when all hold. */
function invariantFailures(source: string, paragraphs: readonly Paragraph[]): string[] {
  const lines = source.split('\n');
  const failures: string[] = [];
  for (const p of paragraphs) {
    if (p.text.trim() === '') failures.push(`${p.id}: empty`);
    if (unrepair(p) !== sourceSpan(lines, p)) failures.push(`${p.id}: unrepair differs (lines ${p.lines.join('-')})`);
    if (p.section.length !== p.sectionLabels.length) failures.push(`${p.id}: section/labels lengths`);
    for (const d of p.deadlines) if (p.text.slice(d.start, d.end) !== d.text) failures.push(`${p.id}: deadline offsets`);
  }
  return failures;
}

function checkInvariants(source: string, paragraphs: readonly Paragraph[]): void {
  expect(invariantFailures(source, paragraphs)).toEqual([]);
}

interface PublishedMeta {
  file: string;
  title: string;
  publishedDate: string | null;
}

const NOTICES_MISSING = missingData(NOTICES, '../shared/corpus/notices-dev');

describe.skipIf(NOTICES_MISSING !== null)(suiteName('notices-dev', NOTICES_MISSING), () => {
  // A skipped suite's body still runs to collect its tests: read nothing then.
  const published = NOTICES_MISSING === null
    ? (JSON.parse(readFileSync(join(NOTICES, 'meta.json'), 'utf8')) as PublishedMeta[])
    : [];
  const parsed = new Map<string, { source: string; paragraphs: Paragraph[] }>();
  for (const m of published) {
    const source = readFileSync(join(NOTICES, m.file), 'utf8');
    const year = m.publishedDate ? Number(m.publishedDate.slice(0, 4)) : null;
    parsed.set(m.file.slice(0, 3), { source, paragraphs: parseParagraphs(source, { docId: m.file.slice(0, 3), meta: metaFor(m.title, year) }) });
  }
  const doc = (n: string): Paragraph[] => parsed.get(n)!.paragraphs;
  const line = (n: string, no: number): Paragraph => doc(n).find((p) => p.lines[0] === no)!;

  it('parses all 60 files with the unrepair invariant on every paragraph', () => {
    expect(parsed.size).toBe(60);
    for (const { source, paragraphs } of parsed.values()) {
      expect(paragraphs.length).toBeGreaterThan(0);
      checkInvariants(source, paragraphs);
    }
  });

  it('reads 章 and 第X条 (101)', () => {
    const chapter = doc('101').find((p) => p.label === '第一章')!;
    expect(chapter).toMatchObject({ kind: 'heading', level: 1, text: '第一章 总则', section: [] });
    const article = doc('101').find((p) => p.label === '第五条')!;
    expect(article).toMatchObject({ kind: 'clause', sectionLabels: ['第二章'], section: ['第二章 组织管理'] });
    const item = doc('101')[article.index + 2]!;
    expect(item).toMatchObject({ kind: 'clause', label: '（二）', sectionLabels: ['第二章', '第五条'] });
    // The paragraph after the items belongs to the article, not to its last item.
    const after = doc('101').find((p) => p.text.startsWith('区建管委、区应急局'))!;
    expect(after.sectionLabels).toEqual(['第二章', '第五条']);
  });

  it('reads 第X条 followed by U+3000 (103)', () => {
    const first = doc('103').find((p) => p.label === '第一条')!;
    expect(first.kind).toBe('clause');
    expect(first.text.startsWith('第一条　为健全')).toBe(true);
    expect(first.sectionLabels).toEqual(['第一章']);
  });

  it('splits a forwarding notice into the cover and the forwarded document (104)', () => {
    expect(line('104', 1).kind).toBe('title');
    expect(line('104', 3).kind).toBe('addressee');
    expect(line('104', 9)).toMatchObject({ kind: 'signature', text: '上海市长宁区人民政府办公室' });
    expect(line('104', 11)).toMatchObject({ kind: 'signature', text: '2020年10月30日' });
    expect(line('104', 13).kind).toBe('footer');
    expect(line('104', 15)).toMatchObject({ kind: 'title', text: '长宁区消防安全责任制实施细则', section: [] });
    expect(doc('104').find((p) => p.label === '第十八条')!.sectionLabels).toEqual(['第五章']);
  });

  it('finds the second issuer of a forwarded document (111, 124)', () => {
    const sig111 = doc('111').filter((p) => p.kind === 'signature').map((p) => p.text);
    expect(sig111).toEqual(['上海市宝山区人民政府办公室', '2019年7月17日', '上海市宝山区消防支队', '2019年7月2日']);
    const sig124 = doc('124').filter((p) => p.kind === 'signature').map((p) => p.text);
    expect(sig124).toContain('上海市规划和自然资源局');
    expect(sig124).toContain('2023年12月20日');
  });

  it('rejoins titles broken over lines (102, 106, 111)', () => {
    expect(line('102', 13)).toMatchObject({ kind: 'title', text: '关于进一步加强本区城市公共消防安全工作的实施意见', lines: [13, 15] });
    expect(line('106', 7)).toMatchObject({ kind: 'title', text: '静安区消防救援发展三年行动计划（2019—2021）' });
    expect(line('111', 11)).toMatchObject({ kind: 'title', text: '宝山区关于进一步加强城市公共消防安全的工作意见' });
  });

  it('joins the paragraph split mid-sentence in 111 and the date split in 114', () => {
    const p = line('111', 69);
    expect(p.lines).toEqual([69, 71]);
    expect(p.text).toContain('差异化薪资制度，统筹使用。');
    expect(line('114', 121)).toMatchObject({ kind: 'signature', text: '2015年5月21日', lines: [121, 122] });
  });

  it('nests 一、（一）1.(1)① (131)', () => {
    const circled = doc('131').find((p) => p.label === '①')!;
    expect(circled.sectionLabels).toEqual(['一、', '（三）', '1.', '(1)']);
    expect(doc('131').find((p) => p.label === '（一）')).toMatchObject({ kind: 'heading', level: 2, text: '（一）编制目的' });
  });

  it('reads 1． clauses with （责任单位：…） tags (106)', () => {
    const c = doc('106').find((p) => p.label === '1．')!;
    expect(c.kind).toBe('clause');
    expect(c.sectionLabels).toEqual(['二、', '（一）']);
    expect(c.units.length).toBeGreaterThan(1);
  });

  it('reads the (此件公开发布) footer and the (十五) numbering (102, 104)', () => {
    expect(doc('102').find((p) => p.label === '（十五）')!.sectionLabels).toEqual(['五、']);
    expect(line('104', 13).text).toBe('(此件公开发布)');
  });
});

function markdownFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) markdownFiles(path, out);
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}

// The laws corpus is not in the repository: the test runs only where LAWS_DIR names a directory
// it has been unpacked to.
const LAWS_MISSING = LAWS ? missingData(LAWS, `LAWS_DIR=${LAWS}`) : 'LAWS_DIR not set';
describe.skipIf(LAWS_MISSING !== null)(suiteName('laws corpus (LAWS_DIR)', LAWS_MISSING), () => {
  it('parses every law with the unrepair invariant, markdown structure and no marker paragraph', () => {
    const files = markdownFiles(LAWS!);
    expect(files.length).toBeGreaterThan(0);
    let paragraphs = 0;
    const failures: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const ps = parseParagraphs(source, { docId: 'law', meta: metaFor(null, null) });
      failures.push(...invariantFailures(source, ps).map((f) => `${file}: ${f}`));
      paragraphs += ps.length;
      if (source.startsWith('# ') && ps[0]!.kind !== 'title') failures.push(`${file}: no title`);
      for (const p of ps) {
        if (p.text.startsWith('<!--')) failures.push(`${file}: marker paragraph`);
        // A chapter is a top-level heading unless a 编 encloses it (民法典).
        const inPart = p.sectionLabels.some((l) => /编$/.test(l));
        if (p.kind === 'heading' && p.label && /^第.+章$/.test(p.label) && p.level !== (inPart ? 2 : 1)) {
          failures.push(`${file}: ${p.label} at level ${p.level}`);
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(paragraphs).toBeGreaterThan(files.length * 10);
  }, 300_000);
});
