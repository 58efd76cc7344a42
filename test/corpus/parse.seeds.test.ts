/**
 * Golden tests of the parser on the five seed notices (real PDF-extracted text), with
 * hand-written metadata so that they test the parser alone.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyMeta } from '../../src/corpus/metadata.js';
import { parseParagraphs, unrepair } from '../../src/corpus/parse.js';
import type { DocumentMeta, Paragraph } from '../../src/domain/types.js';

const SEEDS = resolve(__dirname, '../../seeds');

function meta(title: string, year: number): DocumentMeta {
  return { ...emptyMeta(), title, year };
}

const METAS: Record<string, DocumentMeta> = {
  '000': meta('温州市鹿城区人民政府办公室关于印发2020年温州市鹿城区政务公开工作要点的通知', 2020),
  '001': meta('福州市鼓楼区人民政府办公室关于印发鼓楼区2020年政务公开工作要点的通知', 2020),
  '002': meta('东阳市人民政府办公室关于印发《2021年东阳市政务公开工作要点》的通知', 2021),
  '003': meta('海阳市人民政府办公室关于印发2020年海阳市政务公开工作要点的通知', 2020),
  '004': meta('天台县人民政府办公室关于印发2020年天台县政务公开工作要点及重点任务分工方案的通知', 2020),
};

function load(prefix: string): { source: string; paragraphs: Paragraph[] } {
  const file = readdirSync(SEEDS).find((f) => f.startsWith(prefix))!;
  const source = readFileSync(resolve(SEEDS, file), 'utf8');
  return { source, paragraphs: parseParagraphs(source, { docId: prefix, meta: METAS[prefix]! }) };
}

const docs = Object.fromEntries(Object.keys(METAS).map((k) => [k, load(k)]));

/** The paragraph whose own label is `label` under `sectionLabels`. */
function clause(prefix: string, sectionLabels: string[], label: string): Paragraph {
  const p = docs[prefix]!.paragraphs.find(
    (q) => q.label === label && JSON.stringify(q.sectionLabels) === JSON.stringify(sectionLabels),
  );
  if (!p) throw new Error(`${prefix}: no paragraph ${sectionLabels.join('')}${label}`);
  return p;
}

/** The source lines a paragraph came from, trimmed: what unrepair must give back. */
function sourceSpan(source: string, p: Paragraph): string {
  return source
    .split('\n')
    .slice(p.lines[0] - 1, p.lines[1])
    .join('\n')
    .trim();
}

describe('seed structure', () => {
  it.each([
    ['000', 20, 5, 0],
    ['001', 18, 6, 0],
    ['002', 16, 5, 0],
    ['003', 18, 5, 0],
    ['004', 15, 5, 21],
  ])('%s has %i clauses, %i headings, %i table rows', (prefix, clauses, headings, rows) => {
    const ps = docs[prefix]!.paragraphs;
    expect(ps.filter((p) => p.kind === 'clause')).toHaveLength(clauses);
    expect(ps.filter((p) => p.kind === 'heading')).toHaveLength(headings);
    expect(ps.filter((p) => p.kind === 'table-row')).toHaveLength(rows);
  });

  it('gives ids, indexes and no empty text', () => {
    for (const [prefix, { paragraphs }] of Object.entries(docs)) {
      paragraphs.forEach((p, i) => {
        expect(p.id).toBe(`${prefix}-p${i}`);
        expect(p.index).toBe(i);
        expect(p.text.trim()).not.toBe('');
      });
    }
  });

  it('reproduces every source span by undoing the repairs', () => {
    for (const { source, paragraphs } of Object.values(docs)) {
      for (const p of paragraphs) expect(unrepair(p)).toBe(sourceSpan(source, p));
    }
  });

  it('keeps deadline offsets pointing at their text', () => {
    for (const { paragraphs } of Object.values(docs)) {
      for (const p of paragraphs) for (const d of p.deadlines) expect(p.text.slice(d.start, d.end)).toBe(d.text);
    }
  });
});

describe('cover letter and 版记', () => {
  it.each([
    ['000', 3, 'text', '温州市鹿城区人民政府办公室文件'],
    ['000', 5, 'docnumber', '温鹿政办〔2020〕35号'],
    ['000', 7, 'title', '温州市鹿城区人民政府办公室关于印发2020年温州市鹿城区政务公开工作要点的通知'],
    ['000', 9, 'addressee', '各街道办事处、镇人民政府，区政府直属各单位：'],
    ['000', 13, 'signature', '温州市鹿城区人民政府办公室'],
    ['000', 15, 'signature', '2020年8月14日'],
    ['000', 17, 'footer', '（此件公开发布）'],
    ['000', 19, 'title', '2020年温州市鹿城区政务公开工作要点'],
    ['000', 94, 'footer', '温州市鹿城区人民政府办公室'],
    ['000', 96, 'footer', '2020年8月14日印发'],
    ['001', 19, 'title', '鼓楼区2020年政务公开工作要点'],
    ['002', 17, 'title', '2021年东阳市政务公开工作要点'],
    ['003', 85, 'attachment', '附件：2020年海阳市政务公开工作要点任务分解表'],
    ['004', 1, 'docnumber', '天政办便函〔2020〕31号'],
    ['004', 5, 'title', '关于印发2020年天台县政务公开工作要点及重点任务分工方案的通知'],
    ['004', 14, 'title', '2020年天台县政务公开工作要点及重点任务分工方案'],
    ['004', 64, 'attachment', '附件'],
    ['004', 66, 'title', '2020年天台县政务公开工作重点任务分工方案'],
    ['004', 182, 'footer', '天台县人民政府办公室2020年11月2日印发'],
  ])('%s line %i is %s', (prefix, line, kind, text) => {
    const p = docs[prefix]!.paragraphs.find((q) => q.lines[0] === line)!;
    expect(p.kind).toBe(kind);
    expect(p.text).toBe(text);
    expect(p.section).toEqual([]);
    expect(p.deadlines).toEqual([]);
  });

  it('gives the cover letter no section and the work plan body its headings', () => {
    const ps = docs['000']!.paragraphs;
    expect(ps.find((p) => p.lines[0] === 11)!.section).toEqual([]);
    expect(ps.find((p) => p.lines[0] === 21)!.section).toEqual([]);
    expect(ps.find((p) => p.lines[0] === 25)!.section).toEqual(['一、强化权力监督，全流程加大公开力度']);
  });
});

describe('headings and clauses', () => {
  it.each([
    ['000', '一、', 1, '一、强化权力监督，全流程加大公开力度'],
    ['001', '六、', 1, '六、强化做好政务公开工作的各项保障措施'],
    ['003', '三、', 1, '三、推进基层政务公开标准化规范化全覆盖'],
    ['004', '五、', 1, '五、精密化提升组织保障能力'],
  ])('%s %s is a level-%i heading', (prefix, label, level, text) => {
    const p = docs[prefix]!.paragraphs.find((q) => q.label === label && q.kind === 'heading')!;
    expect(p.level).toBe(level);
    expect(p.text).toBe(text);
  });

  // Each row: seed, enclosing labels, label, units, deadlines as `text=date`.
  it.each<[string, string[], string, string[], string[]]>([
    ['000', ['一、'], '1.', ['区委改革办', '区委编办', '区政务服务中心', '其他区级有关单位', '各街镇'], []],
    ['000', ['一、'], '2.', ['区政府办公室', '区司法局', '区委宣传部〈区新闻办〉', '其他区级有关单位', '各街镇'], []],
    ['000', ['一、'], '6.', ['区政府办公室', '其他区级有关单位', '各街镇'], ['2020年9月底前=2020-09-30', '年底前=2020-12-31']],
    ['000', ['三、'], '13.', ['区政府办公室', '区委宣传部〈区新闻办、区网信办〉', '其他区级有关单位'], []],
    ['000', ['四、'], '14.', ['区政府办公室〈区大数据发展管理局〉', '其他区级有关单位', '各街镇'], ['实时更新=null', '2020年底前=2020-12-31']],
    // Its 责任单位 are at the end of its rest, after a page break (see parse.continuations.test.ts).
    ['000', ['四、'], '16.', ['区政府办公室', '其他区级有关单位', '各街镇'], []],
    // Its 责任单位 are on a line of their own after a page break.
    ['000', ['四、'], '17.', ['区政府办公室', '区档案馆', '区政务服务中心', '区文化和广电旅游体育局', '其他区级有关单位', '各镇街'], []],
    ['000', ['五、'], '20.', [], []],
    ['001', ['一、'], '（二）', ['区政府办', '数字办', '区直各有关单位', '各街镇'], ['2020年10月底前=2020-10-31', '2020年11月15日=2020-11-15']],
    ['001', ['一、'], '（三）', ['区司法局', '区直各有关单位'], ['2020年底前=2020-12-31', '2020年底前=2020-12-31']],
    ['001', ['三、'], '（一）', ['区市场监管局', '区行政服务中心管委会'], []],
    ['001', ['五、'], '(一)', ['区政府办', '区数字办', '区直各有关单位', '各街镇'], ['2020年底前=2020-12-31']],
    ['001', ['五、'], '(四)', ['区直各有关单位'], []],
    ['001', ['六、'], '（三）', [], []],
    ['002', ['一、'], '（一）', ['市府各部门'], ['实时更新=null']],
    ['002', ['一、'], '（二）', ['市发改局', '市自然资源和规划局', '市大数据发展中心'], []],
    ['002', ['一、'], '（四）', ['市财政局', '市农业农村局', '各乡镇街道'], []],
    ['002', ['二、'], '（三）', ['市府办', '市委宣传部', '市委网信办', '市信访局'], []],
    ['002', ['五、'], '（三）', ['市府办', '市委组织部', '市司法局'], []],
    ['003', ['一、'], '(一)', [], []],
    ['003', ['一、'], '（四）', [], ['实时发布=null']],
    ['003', ['二、'], '（二）', [], ['持续推进=null']],
    ['003', ['三、'], '（一）', [], ['2020年年底前=2020-12-31']],
    ['003', ['三、'], '（二）', [], ['实时更新=null']],
    ['003', ['五、'], '（三）', [], []],
    ['004', ['一、'], '（一）', ['县委编办', '县发改局', '县跑改办', '县司法局', '其他县级有关部门'], []],
    ['004', ['一、'], '（五）', ['县府办', '其他县级有关部门', '各乡镇<街道>'], ['2020年底前=2020-12-31']],
    ['004', ['三、'], '（一）', ['县府办', '县审计局', '其他县级有关部门'], ['按季度=null']],
    ['004', ['四、'], '（一）', ['县府办<县大数据局>', '其他县级有关部门'], ['实时更新=null']],
    ['004', ['四、'], '（三）', ['县府办', '县司法局', '其他县级有关部门', '各乡镇<街道>'], []],
    ['004', ['二、'], '（二）', ['县发改局', '县经信局', '县民政局', '县财政局', '县人力社保局', '县农业农村局', '县商务局', '县市场监管局', '县金融工作中心', '县税务局', '其他县级有关部门'], ['实时发布=null']],
  ])('%s %j %s', (prefix, sectionLabels, label, units, deadlines) => {
    const p = clause(prefix, sectionLabels, label);
    expect(p.kind).toBe('clause');
    expect(p.level).toBeNull();
    expect(p.units).toEqual(units);
    expect(p.deadlines.map((d) => `${d.text}=${d.date}`)).toEqual(deadlines);
  });

  it('attaches a 责任单位 line to the clause above it (seed 002)', () => {
    const ps = docs['002']!.paragraphs;
    const units = ps.filter((p) => p.kind === 'units');
    expect(units).toHaveLength(16);
    for (const u of units) {
      const above = ps[u.index - 1]!;
      expect(above.kind).toBe('clause');
      for (const name of u.units) expect(above.units).toContain(name);
      expect(u.sectionLabels).toEqual([...above.sectionLabels, above.label]);
    }
    // The parenthetical comment on bold units is not a unit.
    expect(ps.find((p) => p.lines[0] === 25)!.units).toEqual(['市府各部门']);
  });

  it('joins the rest of clause 16 of seed 000, cut off by a page break, to the clause', () => {
    const ps = docs['000']!.paragraphs;
    expect(ps.find((q) => q.lines[0] === 73)).toBeUndefined();
    const p = clause('000', ['四、'], '16.');
    expect(p.lines).toEqual([71, 73]);
    expect(p.text).toContain('全面提升政府信息公开申请办理工作质量。完善我区依申请公开网上受理系统');
    expect(p.text.endsWith('（责任单位：区政府办公室，其他区级有关单位，各街镇）')).toBe(true);
    expect(ps[p.index + 1]!.label).toBe('17.');
  });

  it('leaves the closing remarks after clause 20 of seed 000 as text of their own', () => {
    const p = docs['000']!.paragraphs.find((q) => q.lines[0] === 89)!;
    expect(p.kind).toBe('text');
    expect(p.text.startsWith('各部门、街镇要结合本要点细化工作任务')).toBe(true);
    expect(clause('000', ['五、'], '20.').lines).toEqual([85, 87]);
  });
});

describe('the 天台县 table (seed 004)', () => {
  const ps = docs['004']!.paragraphs;
  const root = { section: ['2020年天台县政务公开工作重点任务分工方案'], sectionLabels: ['附件'] };

  it('reads the header row', () => {
    const header = ps.filter((p) => p.kind === 'table-header');
    expect(header).toHaveLength(1);
    expect(header[0]!.text).toBe('序号\t重点任务\t责任单位\t时间要求');
    expect(header[0]!).toMatchObject({ ...root, lines: [67, 70] });
  });

  it.each<[string, string[], string[]]>([
    ['1', ['县委编办', '县司法局', '县级各有关部门'], ['2020年11月底前完成=2020-11-30']],
    ['3', ['县府办', '县级各有关部门', '各乡镇（街道）'], ['2020年9月底前完成=2020-09-30']],
    ['4', ['县司法局', '县级各有关部门'], ['2020年底前=2020-12-31', '2020年10月底前完成=2020-10-31']],
    ['5', ['县发改局', '县经信局', '县财政局', '县人力社保局', '县商务局', '县税务局', '县市场监管局', '县金融工作中心'], ['实时更新=null']],
    ['7', ['县市场监管局'], ['2020年11月底前完成=2020-11-30']],
    ['12', ['县卫健局'], ['2020年11月底前完成=2020-11-30']],
    ['13', ['县级各有关部门', '各乡镇（街道）'], ['实时办理=null']],
    ['19', ['县府办', '各有关部门', '各乡镇（街道）'], ['2020年11月底前完成=2020-11-30']],
    ['21', ['县发改局', '县投资促进中心', '县财政局', '县自然资源和规划局', '县住建局'], ['2020年11月底前完成=2020-11-30']],
  ])('row %s', (label, units, deadlines) => {
    const row = ps.find((p) => p.kind === 'table-row' && p.label === label)!;
    expect(row).toMatchObject(root);
    expect(row.text.split('\t')).toHaveLength(4);
    expect(row.text.split('\t')[0]).toBe(label);
    expect(row.units).toEqual(units);
    expect(row.deadlines.map((d) => `${d.text}=${d.date}`)).toEqual(deadlines);
    expect(row.repairs.filter((r) => r.kind === 'line-join').map((r) => r.original)).toEqual(['\n\t', '\n\t', '\n\t']);
  });

  it('has rows 1 to 21 in order, each from four source lines', () => {
    const rows = ps.filter((p) => p.kind === 'table-row');
    expect(rows.map((r) => r.label)).toEqual(Array.from({ length: 21 }, (_, i) => String(i + 1)));
    for (const r of rows) expect(r.lines[1] - r.lines[0]).toBe(3);
  });
});

describe('repairs of PDF damage', () => {
  // Every split in the seeds — mid-sentence, or a clause cut at a sentence end (000 71/73):
  // [seed, first line, last line, removed characters, the text on both sides of the join].
  it.each<[string, number, number, string, string]>([
    ['000', 27, 29, '\n\n', '对目录所列决策|事项除依法'],
    ['000', 41, 43, '\n\n', '增强社|会公众'],
    ['000', 47, 49, '\n\n', '公共资源|配置领域'],
    ['000', 55, 57, '\n\n', '政府绩效目标的|执行情况'],
    ['000', 65, 67, '\n\n', '推进数据、服务、|应用融通'],
    ['000', 71, 73, '\n\n', '申请办理工作质量。|完善我区依申请公开'],
    ['000', 85, 87, '\n\n', '法定职权，规范|考核评估'],
    ['000', 91, 92, '\n', '区法院，|区检察院'],
    ['001', 11, 13, '\n\n', '经单位盖章后|书面报区政府办'],
    ['001', 27, 29, '\n\n', '确保权|力运行到哪里'],
    ['001', 37, 39, '\n\n', '稳住|外贸外资'],
    ['001', 65, 67, '\n\n', '事业单位信息公开|制度，推进'],
    ['002', 27, 29, '\n\n', '空间规|划、区域规划'],
    ['002', 37, 39, '\n\n', '政府采购项|目全链条'],
    ['002', 57, 59, '\n\n', '办事事项和|12345（8890）'],
    ['002', 69, 71, '\n\n', '更好保障|人民群众'],
    ['002', 85, 87, '\n\n', '自然人办事|服务信息'],
    ['002', 97, 99, '\n\n', '工作力|量，使工作力量'],
    ['003', 31, 33, '\n\n', '保粮食能源安|全、保产业链'],
    ['003', 39, 41, '\n\n', '全面梳理编写公布|各级政府行政机关'],
    ['003', 47, 49, '\n\n', '制定的26|个试点领域'],
    ['003', 53, 55, '\n\n', '依申请办|理的新做法'],
    ['003', 63, 65, '\n\n', '审核把关，提|高政务新媒体'],
    ['003', 73, 75, '\n\n', '专职工作人|员。市政府办公室'],
    ['003', 81, 83, '\n\n', '贯彻落实本要点|的情况'],
    ['004', 5, 6, '\n', '工作要点及|重点任务分工方案的通知'],
    ['004', 14, 15, '\n', '工作要点及|重点任务分工方案'],
    ['004', 178, 180, '\n\n', '县监委，|县法院'],
  ])('%s joins lines %i-%i', (prefix, first, last, original, around) => {
    const p = docs[prefix]!.paragraphs.find((q) => q.lines[0] === first)!;
    expect(p.lines).toEqual([first, last]);
    const joins = p.repairs.filter((r) => r.kind === 'line-join');
    expect(joins).toHaveLength(1);
    const j = joins[0]!;
    expect(j.original).toBe(original);
    expect(j.start).toBe(j.end);
    const [before, after] = around.split('|') as [string, string];
    expect(p.text.slice(j.start - before.length, j.start)).toBe(before);
    expect(p.text.slice(j.end, j.end + after.length)).toBe(after);
  });

  it('finds no other joins outside the table', () => {
    const count = Object.values(docs)
      .flatMap((d) => d.paragraphs)
      .filter((p) => p.kind !== 'table-row' && p.kind !== 'table-header')
      .reduce((n, p) => n + p.repairs.filter((r) => r.kind === 'line-join').length, 0);
    expect(count).toBe(28);
  });

  it('leaves a page break before a 责任单位 line alone (000 lines 75/77)', () => {
    const ps = docs['000']!.paragraphs;
    expect(ps.find((p) => p.lines[0] === 75)!.lines).toEqual([75, 75]);
    expect(ps.find((p) => p.lines[0] === 77)!.kind).toBe('units');
  });

  it.each<[string, string, number, string]>([
    ['000', '4.', 1, '监管规则和标准体系'],
    ['001', '（一）', 1, '会议精神和《政府工作报告》'],
    ['001', '（一）', 3, '监管规则和标准公开质量'],
  ])('%s %s: " and " → 和 (%i in the clause)', (prefix, label, count, phrase) => {
    const p = docs[prefix]!.paragraphs.find(
      (q) => q.label === label && q.repairs.some((r) => r.kind === 'and-to-he') && q.text.includes(phrase),
    )!;
    const ands = p.repairs.filter((r) => r.kind === 'and-to-he');
    expect(ands).toHaveLength(count);
    for (const r of ands) {
      expect(r.original).toBe(' and ');
      expect(p.text.slice(r.start, r.end)).toBe('和');
    }
    expect(p.text).not.toContain(' and ');
  });

  it('removes PDF spaces in 001 (2020 年, 17 号, 12 小时) and keeps the space after (一)', () => {
    const ps = docs['001']!.paragraphs;
    const cover = ps.find((p) => p.lines[0] === 11)!;
    expect(cover.text).toContain('印发2020年政务公开工作要点的通知》（国办发〔2020〕17号）');
    expect(cover.text).toContain('于12月25日前经单位盖章后');
    expect(cover.deadlines.map((d) => `${d.text}=${d.date}`)).toEqual(['12月25日前=2020-12-25']);
    const c = clause('001', ['五、'], '(三)');
    expect(c.text).toContain('要在12小时内转载转发');
    expect(c.text.startsWith('(三) 加强')).toBe(true);
    const removed = ps.flatMap((p) => p.repairs).filter((r) => r.kind === 'space-removed');
    expect(removed.length).toBeGreaterThan(20);
    for (const r of removed) expect(r.original).toBe(' ');
  });

  it('keeps the space after "1." in seed 000', () => {
    expect(clause('000', ['一、'], '1.').text.startsWith('1. 加强权力配置信息公开。')).toBe(true);
  });
});
