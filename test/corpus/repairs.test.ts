import { describe, expect, it } from 'vitest';
import { applyEdits, inlineEdits, splitLines, unrepair } from '../../src/corpus/lines.js';
import { emptyMeta } from '../../src/corpus/metadata.js';
import { parseParagraphs } from '../../src/corpus/parse.js';
import type { DocumentMeta } from '../../src/domain/types.js';

/** Repairs one line of text (no label protection) and checks they undo exactly. */
function repairLine(line: string, protectAt = -1): { text: string; originals: string[] } {
  const { text, repairs } = applyEdits(line, 0, line.length, inlineEdits(line, 0, line.length, protectAt));
  expect(unrepair({ text, repairs })).toBe(line);
  for (const r of repairs) expect(text.slice(r.start, r.end)).toBe(r.kind === 'and-to-he' ? '和' : '');
  return { text, originals: repairs.map((r) => r.original) };
}

const META: DocumentMeta = { ...emptyMeta(), year: 2020 };

describe('space removal', () => {
  it.each<[string, string]>([
    ['鼓楼区 2020 年政务公开工作要点', '鼓楼区2020年政务公开工作要点'],
    ['（国办发〔2020〕17 号）', '（国办发〔2020〕17号）'],
    ['要在 12 小时内转载转发', '要在12小时内转载转发'],
    ['于 2020 年 10 月底前', '于2020年10月底前'],
    ['政务公开 工作要点的通知', '政务公开工作要点的通知'],
    ['工作要 点的通知', '工作要点的通知'],
    ['总   则', '总则'],
    ['部署　要求', '部署要求'], // U+3000
    ['市场监管局\u00a0县税务局', '市场监管局县税务局'],
  ])('%s → %s', (line, expected) => {
    expect(repairLine(line).text).toBe(expected);
  });

  // Spaces that carry meaning stay.
  it.each<[string]>([
    ['Open Data Index'],
    ['SSH/Z 10016-2018'],
    ['容积率 1.8 2.0'.replace('容积率 ', '')], // between two numbers
    ['浙里办 app'],
  ])('keeps the spaces in %s', (line) => {
    expect(repairLine(line).text).toBe(line);
  });

  it('keeps the space after a leading label', () => {
    expect(repairLine('第一条　为了加强管理', 3).text).toBe('第一条　为了加强管理');
    expect(repairLine('（一） 落实要求', 3).text).toBe('（一） 落实要求');
  });
});

describe('and → 和', () => {
  it.each<[string, string]>([
    ['监管规则 and 标准体系', '监管规则和标准体系'],
    ['会议精神 and 《政府工作报告》', '会议精神和《政府工作报告》'],
  ])('%s → %s', (line, expected) => {
    const { text, originals } = repairLine(line);
    expect(text).toBe(expected);
    expect(originals).toEqual([' and ']);
  });

  it.each<[string]>([['research and development'], ['R and D 经费'], ['标准 andor 规则']])('leaves %s', (line) => {
    expect(repairLine(line).originals.filter((o) => o === ' and ')).toEqual([]);
  });
});

describe('line joins and trims', () => {
  it('records the removed break with CRLF line ends', () => {
    const source = '1. 加强公开。对目录所列决策\r\n\r\n事项依法公开。\r\n';
    const [p] = parseParagraphs(source, { docId: 'x', meta: META });
    expect(p!.text).toBe('1. 加强公开。对目录所列决策事项依法公开。');
    expect(p!.repairs).toEqual([{ kind: 'line-join', start: 15, end: 15, original: '\r\n\r\n' }]);
    expect(unrepair(p!)).toBe(source.trim());
  });

  it('trims leading and trailing whitespace without a repair', () => {
    const lines = splitLines('  \u3000第一条 为了\u00a0 \n\t\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toBe('第一条 为了');
  });

  it('takes the markdown heading marks as structure', () => {
    const lines = splitLines('## 第一章  总   则\n');
    expect(lines[0]!.mdLevel).toBe(2);
    expect(lines[0]!.text).toBe('第一章  总   则');
  });
});
