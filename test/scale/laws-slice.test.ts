/**
 * Scale smoke test on a slice of the laws corpus (../shared/corpus/laws-zh.tar.xz, beside the
 * clone): ~300 files chosen deterministically — names with spaces and full-width characters,
 * 编/章/节 structure, dates only in the file name, every top-level directory — copied into a
 * temporary corpus, built through ensureIndex, and checked against the raw Markdown:
 *
 * - every document's title is its `# ` heading (spaces are layout and dropped, as in notices);
 * - every `第X条` line is a clause labelled 第X条 whose section path holds the enclosing
 *   编/章/节 headings, followed independently of the parser through the raw lines;
 * - the 成文日期 is the latest promulgation date, or the `title(YYYY-MM-DD).md` date when the
 *   text has none;
 * - exact search (lookups, AND of words, quoted-search totals) agrees with a naive scan on ≥ 300
 *   fixed-seed queries.
 *
 * The full benchmark (`npm run bench`) stays out of the test suite. A clone without
 * ../shared/corpus/ skips the suite, with a note in its name.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The benchmark's query generator and ground truth; these modules need none of bench/'s packages.
import { intersectSorted, naiveScan } from '../../bench/src/lib/engine-core.js';
import { serviceRequest } from '../../bench/src/lib/measure.js';
import { drawQueries, mulberry32 } from '../../bench/src/lib/queries.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { PolicyDocument } from '../../src/domain/types.js';
import { ensureIndex, type BuildResult } from '../../src/indexing/pipeline.js';
import { SearchService } from '../../src/search/service.js';
import { LAWS_TARBALL as TARBALL, missingData, suiteName } from '../helpers/shared-corpus.js';

const SLICE_SIZE = 300;
const SEED = 20240601;

const NUMERAL = '[一二三四五六七八九十百千零〇两]+';
/** An article line, as the corpus writes it: the label, then a space. */
const ARTICLE_LINE = new RegExp(`^(第${NUMERAL}条(?:之${NUMERAL})?)[\\s\\u3000]`);
/** A 编/章/节 heading line, with or without `#` marks (a mention like 第三章规定 is not one). */
const STRUCTURE_LINE = new RegExp(`^(#*)\\s*(第${NUMERAL}(分编|编|章|节))(?![的所规中款项第、，,和及或至到以])`);
const FILE_DATE = /\((\d{4}-\d{2}-\d{2})\)\.md$/;

function listMarkdown(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listMarkdown(p, out);
    else if (name.endsWith('.md') && name !== 'README.md') out.push(p);
  }
  return out;
}

/** The text between the `# ` title and `<!-- INFO END -->`: the promulgation lines. */
function infoOf(text: string): string {
  const end = text.indexOf('<!-- INFO END');
  return end > 0 ? text.slice(text.indexOf('\n') + 1, end) : '';
}

const toHalfWidth = (s: string) => s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

/** The latest yyyy年m月d日 date of the promulgation lines written in digits, or null. */
function latestDigitDate(info: string): string | null {
  let latest: string | null = null;
  for (const m of toHalfWidth(info).matchAll(/(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g)) {
    const d = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    if (!latest || d > latest) latest = d;
  }
  return latest;
}

/**
 * The slice: files picked for the cases that matter (in sorted order, so the pick is stable),
 * then a seeded sample spread over the top-level directories.
 */
function chooseSlice(root: string): string[] {
  const all = listMarkdown(root).map((p) => relative(root, p));
  const texts = new Map(all.map((f) => [f, readFileSync(join(root, f), 'utf8')]));
  const chosen = new Set<string>();
  const take = (pred: (f: string, text: string) => boolean, n: number) => {
    for (const f of all) {
      if (n <= 0) break;
      if (!chosen.has(f) && pred(f, texts.get(f)!)) {
        chosen.add(f);
        n--;
      }
    }
  };
  take((f) => / /.test(f), 6); // spaces in the name
  take((f) => /[（）《》、，]/.test(f), 12); // full-width characters in the name
  take((_f, t) => /^#+\s*第[^\n]{1,6}编/m.test(t), 4); // 编
  take((_f, t) => /^#+\s*第[^\n]{1,6}节/m.test(t), 10); // 节
  take((f, t) => FILE_DATE.test(f) && !/\d|[０-９]|[〇○零一二三四五六七八九]{4}年/.test(infoOf(t)), 10); // date only in the name
  take((_f, t) => /[０-９]{4}年/.test(infoOf(t)), 3); // full-width digits in the dates
  take((_f, t) => new RegExp(`^第一千${NUMERAL}条`, 'm').test(t), 2); // articles past the thousandth
  const byTop = new Map<string, string[]>();
  for (const f of all) if (!chosen.has(f)) byTop.set(f.split('/')[0]!, [...(byTop.get(f.split('/')[0]!) ?? []), f]);
  const rand = mulberry32(SEED);
  const tops = [...byTop.keys()].sort();
  for (let k = 0; chosen.size < SLICE_SIZE && tops.some((t) => byTop.get(t)!.length); k++) {
    const pool = byTop.get(tops[k % tops.length]!)!;
    if (pool.length) chosen.add(pool.splice(Math.floor(rand() * pool.length), 1)[0]!);
  }
  return [...chosen].sort();
}

let work = '';
let corpusDir = '';
let slice: string[] = [];
let result: BuildResult;
let byFile = new Map<string, PolicyDocument>();

const TARBALL_MISSING = missingData(TARBALL, '../shared/corpus/laws-zh.tar.xz');

// The hooks live inside the suite, so a skipped suite neither unpacks nor cleans up anything.
describe.skipIf(TARBALL_MISSING !== null)(suiteName('a slice of the laws corpus', TARBALL_MISSING), () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'laws-slice-'));
    const unpacked = join(work, 'all');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xJf', TARBALL, '-C', unpacked]);
    corpusDir = join(work, 'corpus');
    slice = chooseSlice(unpacked);
    for (const f of slice) {
      mkdirSync(dirname(join(corpusDir, f)), { recursive: true });
      copyFileSync(join(unpacked, f), join(corpusDir, f));
    }
    rmSync(unpacked, { recursive: true, force: true });
  }, 60_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is ingested whole: every file a document, paths with spaces and full-width characters kept', async () => {
    result = await ensureIndex({ corpusDir, indexDir: join(work, 'index'), maxFileBytes: DEFAULT_LIMITS.maxFileBytes, rebuild: 'always' });
    byFile = new Map(result.built.docs.map((d) => [d.file, d]));
    expect(slice.length).toBe(SLICE_SIZE);
    expect(result.manifest.skipped).toEqual([]);
    expect([...byFile.keys()].sort()).toEqual(slice);
    expect(slice.filter((f) => f.includes(' ')).length).toBeGreaterThan(0);
    expect(slice.filter((f) => /[（）]/.test(f)).length).toBeGreaterThan(0);
    expect(new Set(slice.map((f) => f.split('/')[0])).size).toBeGreaterThanOrEqual(10);
    expect(result.built.refs.length).toBeGreaterThan(10_000);
  }, 120_000);

  it('titles every document with its "# " heading', () => {
    for (const f of slice) {
      const heading = readFileSync(join(corpusDir, f), 'utf8').split('\n', 1)[0]!;
      expect(heading.startsWith('# '), f).toBe(true);
      const doc = byFile.get(f)!;
      expect(doc.meta.title, f).toBe(heading.slice(2).replace(/[\s\u3000]+/g, ''));
      expect(doc.paragraphs[0]?.kind, f).toBe('title');
    }
  });

  it('makes every 第X条 a clause labelled 第X条 under its 编/章/节 headings', () => {
    let articles = 0;
    let withChapter = 0;
    let withSection = 0;
    let withPart = 0;
    const ranks = ['part', 'chapter', 'section'] as const;
    const wrong: string[] = [];
    for (const f of slice) {
      const doc = byFile.get(f)!;
      const byLine = new Map(doc.paragraphs.map((p) => [p.lines[0], p]));
      // The enclosing headings, followed through the raw lines; a heading at the `#` depth of a
      // labelled level (e.g. "## 附则" among "## 第X编") closes that level.
      const open: Record<(typeof ranks)[number], string | null> = { part: null, chapter: null, section: null };
      const depthOf: Partial<Record<(typeof ranks)[number], number>> = {};
      const close = (from: number) => ranks.slice(from).forEach((r) => (open[r] = null));
      readFileSync(join(corpusDir, f), 'utf8').split(/\r?\n/).forEach((raw, i) => {
        const line = raw.trim();
        const marks = /^(#+)\s/.exec(line)?.[1]?.length ?? 0;
        if (marks === 1) return close(0);
        const s = STRUCTURE_LINE.exec(line);
        if (s && (s[1] || (line.length <= 40 && !/[。；，]/.test(line)))) {
          const rank = s[3] === '章' ? 1 : s[3] === '节' ? 2 : 0;
          if (s[1]) depthOf[ranks[rank]] ??= s[1].length;
          close(rank);
          open[ranks[rank]] = s[2]!;
          return;
        }
        if (marks > 1) {
          const rank = ranks.findIndex((r) => depthOf[r] !== undefined && marks <= depthOf[r]!);
          if (rank >= 0) close(rank);
          return;
        }
        const a = ARTICLE_LINE.exec(line);
        if (!a) return;
        const p = byLine.get(i + 1);
        const expected = ranks.map((r) => open[r]).filter((x): x is string => x !== null).join('/');
        const got = p ? `${p.kind} ${p.label} ${p.sectionLabels.filter((l) => /^第.+(分编|编|章|节)$/.test(l)).join('/')}` : 'no paragraph';
        if (got !== `clause ${a[1]} ${expected}`) wrong.push(`${f}:${i + 1}: ${got}, expected clause ${a[1]} ${expected}`);
        articles++;
        if (open.chapter) withChapter++;
        if (open.section) withSection++;
        if (open.part) withPart++;
      });
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    // The slice exercises every level.
    expect(articles).toBeGreaterThan(5_000);
    expect(withChapter).toBeGreaterThan(1_000);
    expect(withSection).toBeGreaterThan(50);
    expect(withPart).toBeGreaterThan(50);
  });

  it('dates each law by its latest promulgation line, or by the file name when the text has none', () => {
    let fromName = 0;
    let fromText = 0;
    for (const f of slice) {
      const doc = byFile.get(f)!;
      const info = infoOf(readFileSync(join(corpusDir, f), 'utf8'));
      const textDate = latestDigitDate(info);
      const hasChineseDate = /[〇○零一二三四五六七八九]{4}年/.test(info);
      const nameDate = FILE_DATE.exec(f)?.[1] ?? null;
      if (textDate && !hasChineseDate) {
        expect(doc.meta.issuedDate, f).toBe(textDate);
        fromText++;
      } else if (!textDate && !hasChineseDate) {
        expect(doc.meta.issuedDate, f).toBe(nameDate);
        if (nameDate) fromName++;
      }
      if (doc.meta.issuedDate) expect(doc.meta.year, f).toBe(Number(doc.meta.issuedDate.slice(0, 4)));
    }
    expect(fromText).toBeGreaterThan(200);
    expect(fromName).toBeGreaterThanOrEqual(5);
  });

  it('finds exactly what a naive scan finds, for ≥ 300 fixed-seed queries', () => {
    const { built, manifest } = result;
    const texts = built.index.normalized;
    const queries = drawQueries(texts, 360, SEED);
    const service = new SearchService(built, { ...DEFAULT_LIMITS, resultCacheSize: 0 }, manifest);
    const wrong: string[] = [];
    let quoted = 0;
    for (const q of queries) {
      const truth = naiveScan(texts, q.terms);
      const ours = q.terms.length === 1 ? built.index.containing(q.terms[0]!) : intersectSorted(q.terms.map((t) => built.index.containing(t)));
      if (JSON.stringify([...ours]) !== JSON.stringify(truth)) wrong.push(`${q.cls} ${q.q}: ${ours.length} ≠ ${truth.length}`);
      if (q.cls === 'and') continue;
      // A quoted search counts exactly the paragraphs containing the phrase.
      const total = service.search(serviceRequest(q)).total;
      if (total !== truth.length) wrong.push(`search ${serviceRequest(q).q}: total ${total} ≠ ${truth.length}`);
      quoted++;
    }
    expect(queries.length).toBe(360);
    expect(quoted).toBeGreaterThanOrEqual(250);
    expect(new Set(queries.map((q) => q.cls)).size).toBe(7);
    expect(wrong).toEqual([]);
  });
});
