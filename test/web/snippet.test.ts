/**
 * Snippet cutting and segment building, table-driven on real clauses from the seed files.
 * Every case checks the invariants: the snippet is a slice of the paragraph, re-based highlights
 * select the same characters, and each cut lands after clause punctuation or on a highlight edge.
 */
import { describe, expect, it } from 'vitest';
import type { Repair, Span } from '../../src/domain/types.js';
import { clauseBoundaries, cutSnippet, normalizeSpans } from '../../src/search/snippet.js';
import { buildSegments, markSegments, repairTitle, splitCells } from '../../src/web/render.js';

// seeds/000 鹿城 clause 2 (after line-join repair).
const LUCHENG_2 =
  '2. 加强重大行政决策公开。认真落实《温州市鹿城区人民政府重大行政决策程序暂行规定》（温鹿政发〔2018〕108号），建立健全重大行政决策事项目录公开发布机制。对目录所列决策事项除依法不予公开外，要主动向社会公布决策草案等，广泛征求公众意见。健全政府常务会议信息公开常态化机制，准确公开会议决策事项，第一时间解读会议精神，释放权威政策信号。（责任单位：区政府办公室、区司法局、区委宣传部〈区新闻办〉，其他区级有关单位，各街镇）';
// seeds/004 天台 二、（二） — a long clause.
const TIANTAI_LIUWEN =
  '（二）助力做好“六稳”“六保”工作相关信息公开。全面阐释稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期各项政策举措及其效果，释放更多积极信号，为有效克服新冠肺炎疫情影响、努力实现今年经济社会发展目标任务营造良好舆论环境。加大涉企信息精准公开力度，探索企业专属公开模式，精准推送企业需求度高、政策措施明确的政府信息和政策问答。依托“浙里办”平台，搭建企业诉求响应平台，及时解决企业生产经营中的突出问题。';
// seeds/003 海阳 uses half-width commas and colons.
const HAIYANG =
  '2020年是全面建成小康社会和“十三五”规划收官之年,也是我市“抢抓机遇突破年”。今年政务公开工作的总体要求是:以习近平新时代中国特色社会主义思想为指导,深入贯彻上级关于全面推进政务公开的系列部署,积极推进基层政务公开标准化规范化建设,持续提升政务公开工作质量和实效,为加快建设具有英雄气质、浪漫情怀、开放精神、精致品位的现代化滨海名城发挥积极作用。';
// A clause with no punctuation for a long stretch (e.g. a table cell).
const NO_PUNCT = `${'对照法律法规规章全面梳理本机关依法行使的行政权力'.repeat(6)}发布行政许可事项目录${'并按要求公开'.repeat(20)}`;
// Astral characters (CJK Extension B) around the match must never be split.
const ASTRAL = `${'𠀀𠀁𠀂'.repeat(40)}政务公开${'𠀃𠀄'.repeat(40)}`;

const PUNCT = new Set(['。', '；', '，', '、', '：', '！', '？', ';', ',', ':', '!', '?']);
const CLOSERS = new Set(['”', '’', '）', ')', '」', '』', '】', '〕', '》', '〉', '>', '"', "'"]);

/** Spans of every occurrence of `needle`. */
function spansOf(text: string, needle: string): Span[] {
  const out: Span[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) out.push([at, at + needle.length]);
  return out;
}

/** True when a cut at `at` follows clause punctuation (allowing closing quotes/brackets). */
function afterPunctuation(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && CLOSERS.has(text[i]!)) i--;
  return i >= 0 && PUNCT.has(text[i]!);
}

interface Case {
  name: string;
  text: string;
  needle: string | null;
  maxLength: number;
  expect: { leading: boolean; trailing: boolean; startsWith?: string; endsWith?: string; highlightCount?: number };
}

const cases: Case[] = [
  {
    name: 'short paragraph is kept whole',
    text: '一、强化权力监督，全流程加大公开力度',
    needle: '公开',
    maxLength: 160,
    expect: { leading: false, trailing: false, startsWith: '一、', endsWith: '力度', highlightCount: 1 },
  },
  {
    name: 'match in the first sentence: starts at the paragraph, ends after punctuation',
    text: LUCHENG_2,
    needle: '重大行政决策',
    maxLength: 80,
    expect: { leading: false, trailing: true, startsWith: '2. 加强重大行政决策公开' },
  },
  {
    name: 'match late in the paragraph: starts after the comma before its clause',
    text: LUCHENG_2,
    needle: '第一时间解读会议精神',
    maxLength: 60,
    expect: { leading: true, trailing: true, startsWith: '第一时间解读会议精神', highlightCount: 1 },
  },
  {
    name: 'quoted words: a cut after 。 never separates a closing quote',
    text: TIANTAI_LIUWEN,
    needle: '浙里办',
    maxLength: 70,
    expect: { leading: true, trailing: false, startsWith: '依托“浙里办”平台', endsWith: '突出问题。' },
  },
  {
    name: 'half-width punctuation counts as a boundary',
    text: HAIYANG,
    needle: '标准化规范化建设',
    maxLength: 60,
    expect: { leading: true, trailing: true, startsWith: '积极推进基层政务公开标准化规范化建设' },
  },
  {
    name: 'no punctuation near the match: cut exactly at the match',
    text: NO_PUNCT,
    needle: '发布行政许可事项目录',
    maxLength: 50,
    expect: { leading: true, trailing: true, startsWith: '发布行政许可事项目录' },
  },
  {
    name: 'no highlights: the beginning, cut after punctuation',
    text: TIANTAI_LIUWEN,
    needle: null,
    maxLength: 80,
    expect: { leading: false, trailing: true, startsWith: '（二）助力做好', highlightCount: 0 },
  },
  {
    name: 'several matches: those inside the window are kept and re-based',
    text: TIANTAI_LIUWEN,
    needle: '稳',
    maxLength: 100,
    // “六稳” is in the first sentence; the six 稳X of the next sentence fit in the window too.
    expect: { leading: false, trailing: true, startsWith: '（二）助力做好', highlightCount: 7 },
  },
  {
    name: 'astral characters are never split',
    text: ASTRAL,
    needle: '政务公开',
    maxLength: 40,
    expect: { leading: true, trailing: true, startsWith: '政务公开', highlightCount: 1 },
  },
];

describe('cutSnippet', () => {
  it.each(cases)('$name', ({ text, needle, maxLength, expect: want }) => {
    const highlights = needle ? spansOf(text, needle) : [];
    const s = cutSnippet(text, highlights, { maxLength });

    expect(s.text).toBe(text.slice(s.start, s.end));
    expect(s.leadingEllipsis).toBe(want.leading);
    expect(s.trailingEllipsis).toBe(want.trailing);
    if (want.startsWith) expect(s.text.startsWith(want.startsWith)).toBe(true);
    if (want.endsWith) expect(s.text.endsWith(want.endsWith)).toBe(true);
    if (want.highlightCount !== undefined) expect(s.highlights).toHaveLength(want.highlightCount);
    // Re-based highlights select exactly the matched text.
    for (const [a, b] of s.highlights) expect(s.text.slice(a, b)).toBe(needle);
    // The first match is always shown.
    if (needle) expect(s.highlights.length).toBeGreaterThan(0);

    // Cuts land after clause punctuation, on a highlight edge, or at the text's ends.
    const edges = new Set(highlights.flat());
    if (s.start > 0) expect(afterPunctuation(text, s.start) || edges.has(s.start)).toBe(true);
    if (s.end < text.length) expect(afterPunctuation(text, s.end) || edges.has(s.end)).toBe(true);
    // Never inside a surrogate pair.
    for (const at of [s.start, s.end]) {
      const code = text.charCodeAt(at);
      if (at > 0 && at < text.length) expect(code >= 0xdc00 && code <= 0xdfff).toBe(false);
    }
    // Long clauses may stretch the snippet to 1.5× maxLength, never beyond.
    expect(s.text.length).toBeLessThanOrEqual(Math.max(text.length <= maxLength ? text.length : 0, Math.floor(maxLength * 1.5)));
  });

  it('does not start with whitespace left after a cut', () => {
    const text = `${'第一句很长的内容'.repeat(12)}， 加强权力配置信息公开。`;
    const s = cutSnippet(text, spansOf(text, '权力配置'), { maxLength: 30 });
    expect(s.text.startsWith('加强权力配置')).toBe(true);
  });
});

describe('clauseBoundaries and normalizeSpans', () => {
  it('puts boundaries after punctuation and after closing quotes', () => {
    const text = '以“最多跑一次”改革为主线，重点推进。”下一句';
    const b = clauseBoundaries(text);
    expect(b[0]).toBe(0);
    expect(b.at(-1)).toBe(text.length);
    expect(text.slice(0, b[1])).toBe('以“最多跑一次”改革为主线，');
    expect(text.slice(b[1], b[2])).toBe('重点推进。”');
  });

  it.each([
    { name: 'sorts and merges overlaps', spans: [[5, 8], [1, 3], [2, 4]] as Span[], len: 10, want: [[1, 4], [5, 8]] },
    { name: 'merges touching spans', spans: [[1, 3], [3, 5]] as Span[], len: 10, want: [[1, 5]] },
    { name: 'clamps out-of-range spans', spans: [[-3, 2], [8, 20]] as Span[], len: 10, want: [[0, 2], [8, 10]] },
    { name: 'drops empty and inverted spans', spans: [[4, 4], [6, 5]] as Span[], len: 10, want: [] },
  ])('$name', ({ spans, len, want }) => {
    expect(normalizeSpans(spans, len)).toEqual(want);
  });
});

describe('markSegments', () => {
  const text = '加强重大行政决策公开。建立健全重大行政决策事项目录公开发布机制。';
  it.each([
    { name: 'no highlights → one plain segment', spans: [] as Span[], marked: [] as string[] },
    { name: 'each highlight becomes a marked segment', spans: spansOf(text, '重大行政决策'), marked: ['重大行政决策', '重大行政决策'] },
    { name: 'overlapping highlights merge into one mark', spans: [[2, 6], [4, 8]] as Span[], marked: ['重大行政决策'] },
    { name: 'a highlight at the very start and end', spans: [[0, 2], [text.length - 3, text.length]] as Span[], marked: ['加强', '机制。'] },
  ])('$name', ({ spans, marked }) => {
    const segs = markSegments(text, spans);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs.filter((s) => s.mark).map((s) => s.text)).toEqual(marked);
    expect(segs.every((s) => s.text.length > 0)).toBe(true);
  });

  it('keeps markup-like text as plain text (escaping is the template’s job)', () => {
    const hostile = '前<script>alert(1)</script>后';
    const segs = markSegments(hostile, spansOf(hostile, '<script>'));
    expect(segs.map((s) => s.text)).toEqual(['前', '<script>', 'alert(1)</script>后']);
  });
});

describe('buildSegments with repairs, and table cells', () => {
  const text = '对目录所列决策事项除依法不予公开外，完善公开透明的监管规则和标准体系。';
  const joinAt = text.indexOf('事项除依法');
  const he = text.indexOf('和标准');
  const repairs: Repair[] = [
    { kind: 'line-join', start: joinAt, end: joinAt, original: '\n\n' },
    { kind: 'and-to-he', start: he, end: he + 1, original: ' and ' },
  ];

  it('puts a gap marker at a zero-width repair and wraps a replaced span', () => {
    const segs = buildSegments(text, spansOf(text, '监管规则和标准'), repairs);
    expect(segs.filter((s) => !s.gap).map((s) => s.text).join('')).toBe(text);
    const gapIndex = segs.findIndex((s) => s.gap);
    expect(segs.slice(0, gapIndex).map((s) => s.text).join('')).toBe(text.slice(0, joinAt));
    expect(repairTitle(segs[gapIndex]!.repair!)).toBe('原文此处换行');
    const replaced = segs.find((s) => s.repair && !s.gap)!;
    expect(replaced.text).toBe('和');
    expect(replaced.mark).toBe(true); // inside the highlight too
    expect(repairTitle(replaced.repair!)).toBe("原文：' and '");
  });

  it('splits a table row into cells at tabs, keeping marks', () => {
    const row = '1\t对照法律法规规章，发布行政许可事项目录（年本）\t县委编办、县司法局牵头\t2020年11月底前完成';
    const cells = splitCells(buildSegments(row, spansOf(row, '县司法局')));
    expect(cells.map((c) => c.map((s) => s.text).join(''))).toEqual(row.split('\t'));
    expect(cells[2]!.filter((s) => s.mark).map((s) => s.text)).toEqual(['县司法局']);
  });

  it('keeps empty cells', () => {
    const cells = splitCells(buildSegments('1\t\t县府办', []));
    expect(cells).toHaveLength(3);
    expect(cells[1]).toEqual([]);
  });
});
