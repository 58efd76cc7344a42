/**
 * The commitments view over the five seed notices: which paragraphs are commitments, unit
 * normalization through data/unit-aliases.txt, date and keyword filters, sorting, counts and
 * paging. Expected sets are computed independently from the parsed documents, not hard-coded.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/analysis/normalize.js';
import { buildDocument } from '../../src/corpus/document.js';
import { loadCorpus } from '../../src/corpus/load.js';
import {
  defaultUnitAliases,
  normalizeUnit,
  normalizeUnitAll,
  parseUnitAliases,
  reduceUnitName,
  splitBracketAliases,
} from '../../src/corpus/unit-aliases.js';
import { isAppError } from '../../src/domain/errors.js';
import type { CommitmentDeadline, CommitmentFilter, CommitmentStatus, DatedCommitmentDeadline, Paragraph, PolicyDocument } from '../../src/domain/types.js';
import {
  commitmentStatus,
  deadlineStatus,
  extractCommitments,
  headingSentence,
  isCommitmentParagraph,
  leadFlags,
  parseDateBound,
  queryCommitments,
  STATUS_ORDER,
  type CommitmentRecord,
} from '../../src/search/commitments.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { missingData, NOTICES_DEV, suiteName } from '../helpers/shared-corpus.js';

let docs: PolicyDocument[];
let records: CommitmentRecord[];

beforeAll(async () => {
  const loaded = await loadCorpus(SEEDS_DIR, { maxFileBytes: 20 * 1024 * 1024 });
  docs = loaded.files.map(buildDocument);
  records = extractCommitments(docs);
});

/** "Today" for statuses: mid-September 2020, when the seeds' deadlines of September were near. */
const TODAY = '2020-09-15';
const all = (filter: Partial<CommitmentFilter> = {}) => queryCommitments(records, { sort: 'document', offset: 0, today: TODAY, ...filter });
const ids = (filter: Partial<CommitmentFilter>) => all(filter).items.map((c) => c.id);
const allParagraphs = () => docs.flatMap((d) => d.paragraphs.map((p, i) => ({ doc: d, p, prev: d.paragraphs[i - 1] as Paragraph | undefined })));

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(isAppError(e) && e.code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('which paragraphs are commitments', () => {
  it('an effective date alone (notices-dev: 本办法自…起施行) is not a commitment; a deadline beside it is', () => {
    const para = (text: string, deadlines: Paragraph['deadlines']): Paragraph => ({
      id: 'x-p0', docId: 'x', index: 0, text, kind: 'clause', label: null, level: null, section: [], sectionLabels: [],
      units: [], deadlines, repairs: [], lines: [1, 1],
    });
    const effective = { text: '2024年1月18日', start: 3, end: 13, date: '2024-01-18', kind: 'effective' as const };
    const byDate = { text: '2024年6月底前', start: 0, end: 9, date: '2024-06-30', kind: 'by-date' as const };
    expect(isCommitmentParagraph(para('本办法自2024年1月18日起施行。', [effective]), undefined)).toBe(false);
    expect(isCommitmentParagraph(para('2024年6月底前完成；本办法自2024年1月18日起施行。', [byDate, effective]), undefined)).toBe(true);
  });

  it('per seed document: exactly the paragraphs with units or deadlines, a 责任单位 line folded into its clause', () => {
    const perDoc = new Map<string, number>();
    for (const r of records) perDoc.set(r.item.docId, (perDoc.get(r.item.docId) ?? 0) + 1);
    for (const doc of docs) {
      // Independently: a paragraph counts when it has units or deadlines, unless it is a
      // 责任单位 line directly under a clause or text paragraph (which already carries its units).
      const expected = doc.paragraphs.filter((p, i) => {
        // Effective dates (…起施行) bind no one: they alone do not make a commitment.
        if (!p.units.length && !p.deadlines.some((d) => d.kind !== 'effective')) return false;
        if (p.kind === 'units') return !['clause', 'text'].includes(doc.paragraphs[i - 1]?.kind ?? '');
        return ['clause', 'table-row', 'heading', 'text'].includes(p.kind);
      }).length;
      expect(perDoc.get(doc.id) ?? 0, doc.file).toBe(expected);
    }
    // Every seed has some; 东阳 (002) writes each clause's 责任单位 on a line of its own.
    expect(docs.every((d) => (perDoc.get(d.id) ?? 0) > 0)).toBe(true);
    const dongyang = docs.find((d) => d.meta.region === '东阳市')!;
    const unitLines = dongyang.paragraphs.filter((p) => p.kind === 'units').length;
    expect(unitLines).toBeGreaterThan(10);
    expect(perDoc.get(dongyang.id)).toBe(dongyang.paragraphs.filter((p) => p.kind !== 'units' && (p.units.length || p.deadlines.length)).length);
    expect(all().total).toBe(records.length);
  });

  it('no named unit is lost: every unit of every paragraph appears in some commitment of its document', () => {
    const unitsByDoc = new Map<string, Set<string>>();
    for (const r of records) {
      const set = unitsByDoc.get(r.item.docId) ?? new Set<string>();
      for (const u of r.item.units) set.add(u.name);
      unitsByDoc.set(r.item.docId, set);
    }
    for (const { doc, p } of allParagraphs()) for (const u of p.units) expect(unitsByDoc.get(doc.id)?.has(u), `${doc.file} ${u}`).toBe(true);
  });

  it('items carry what, who, by when, where and the source', () => {
    const item = records.find((r) => r.item.text.includes('2020年9月底前'))!.item;
    expect(item.heading).toBe('落实试点领域标准指引'); // 鹿城 6. — the clause's first sentence
    expect(item.task.startsWith('落实试点领域标准指引。')).toBe(true);
    expect(item.units[0]).toMatchObject({ name: '区政府办公室', key: '政府办公室', lead: true });
    expect(item.deadlines).toContainEqual({ text: '2020年9月底前', date: '2020-09-30', kind: 'by-date' });
    expect(item.region).toBe('鹿城区');
    expect(item.citation).toBe('《温州市鹿城区人民政府办公室关于印发2020年温州市鹿城区政务公开工作要点的通知》（温鹿政办〔2020〕35号）一、6.');
    expect(item.url).toBe(`/docs/${item.docId}#${item.id}`);
    // A table row's task is its 重点任务 cell, not the whole row.
    const row = records.find((r) => r.item.kind === 'table-row')!.item;
    expect(row.text.split('\t')).toContain(row.task);
    expect(row.task).not.toContain('\t');
  });

  it('lead units: written before 牵头, else the first listed', () => {
    expect(leadFlags(['县委编办', '县司法局', '县级各有关部门'], '县委编办、县司法局牵头，县级各有关部门负责')).toEqual([true, true, false]);
    expect(leadFlags(['区应急局', '区公安分局', '各街镇'], '（牵头单位：区应急局；配合单位：区公安分局、各街镇）')).toEqual([true, false, false]);
    expect(leadFlags(['区司法局', '区直各有关单位'], '（责任单位：区司法局，区直各有关单位）')).toEqual([true, false]);
    // A collective name leads nothing unless the document says so.
    expect(leadFlags(['县级各有关部门', '各乡镇（街道）'], '县级各有关部门、各乡镇（街道）负责')).toEqual([false, false]);
    expect(leadFlags(['其他区级有关单位', '区司法局'], '（责任单位：其他区级有关单位、区司法局）')).toEqual([false, true]);
    expect(leadFlags(['县级各有关部门', '县府办'], '县级各有关部门牵头，县府办负责')).toEqual([true, false]);
    // In 天台's table row 10 both 县委宣传部 and 县卫健局 lead; the page lists leads first.
    const row = records.find((r) => r.item.kind === 'table-row' && r.item.text.includes('县委宣传部、县卫健局牵头'))!.item;
    expect(row.units.filter((u) => u.lead).map((u) => u.name)).toEqual(['县委宣传部', '县卫健局']);
  });

  it('heading sentences only for long tasks, and only short first sentences', () => {
    expect(headingSentence('加强权力配置信息公开。对照法律法规规章和单位三定方案，全面梳理本行政机关依法行使行政权力和依法承担的公共服务职责，更新完善权责清单。')).toBe('加强权力配置信息公开');
    expect(headingSentence('坚持做好疫情防控常态化下疫情信息发布工作')).toBeNull();
  });
});

describe('unit normalization (data/unit-aliases.txt)', () => {
  it.each<[string, string, string]>([
    // [spelling in a seed, key, label]
    ['县府办', '政府办公室', '政府办公室'],
    ['区政府办公室', '政府办公室', '政府办公室'],
    ['区政府办', '政府办公室', '政府办公室'],
    ['市府办', '政府办公室', '政府办公室'],
    ['县政府办公室', '政府办公室', '政府办公室'],
    ['市政府办公厅', '政府办公室', '政府办公室'],
    ['县委宣传部', '党委宣传部', '党委宣传部'],
    ['区委宣传部', '党委宣传部', '党委宣传部'],
    ['市委宣传部', '党委宣传部', '党委宣传部'],
    ['县发改局', '发展和改革局', '发展和改革局'],
    ['区发改局', '发展和改革局', '发展和改革局'],
    ['区市场监管局', '市场监督管理局', '市场监督管理局'],
    ['市市场监管局', '市场监督管理局', '市场监督管理局'],
    ['县大数据局', '大数据发展管理局', '大数据发展管理局'],
    ['市大数据发展中心', '大数据发展管理局', '大数据发展管理局'],
    ['区卫健局', '卫生健康局', '卫生健康局'],
    ['区卫生健康局', '卫生健康局', '卫生健康局'],
    ['县人力社保局', '人力资源和社会保障局', '人力资源和社会保障局'],
    ['县司法局', '司法局', '司法局'],
    ['区委编办', '党委机构编制委员会办公室', '党委机构编制委员会办公室'],
    ['市生态环境局鹿城分局', '生态环境局', '生态环境局'],
    ['市自然资源和规划局鹿城分局', '自然资源和规划局', '自然资源和规划局'],
    ['区行政服务中心管委会', '政务服务中心', '政务服务中心'],
    ['各乡镇（街道）', '各乡镇街道', '各乡镇（街道）'],
    ['各乡镇<街道>', '各乡镇街道', '各乡镇（街道）'],
    ['各街镇', '各乡镇街道', '各乡镇（街道）'],
    ['各镇街', '各乡镇街道', '各乡镇（街道）'],
    ['其他县级有关部门', '各有关部门单位', '各有关部门（单位）'],
    ['区直各有关单位', '各有关部门单位', '各有关部门（单位）'],
    ['市府各部门', '各有关部门单位', '各有关部门（单位）'],
    // A full division name in front is dropped.
    ['天台县人民政府办公室', '政府办公室', '政府办公室'],
  ])('%s → %s', (name, key, label) => {
    expect(normalizeUnit(name)).toEqual({ key, label });
  });

  it('a bracketed second name counts under both; the first name leads', () => {
    expect(normalizeUnitAll('县府办<县大数据局>').map((u) => u.label)).toEqual(['政府办公室', '大数据发展管理局']);
    expect(normalizeUnitAll('区政府办公室〔区大数据发展管理局〕').map((u) => u.label)).toEqual(['政府办公室', '大数据发展管理局']);
    expect(normalizeUnitAll('区委宣传部〈区新闻办、区网信办〉').map((u) => u.label)).toEqual(['党委宣传部', '新闻办', '网信办']);
    expect(normalizeUnit('县府办<县大数据局>').key).toBe('政府办公室');
    // A round bracket that is part of the name is not a second name.
    expect(splitBracketAliases('各乡镇（街道）')).toEqual({ main: '各乡镇（街道）', aliases: [] });
  });

  it('level prefixes are dropped only where they are prefixes', () => {
    expect(reduceUnitName('区市场监管局')).toBe('市场监管局');
    expect(reduceUnitName('市场监管局')).toBe('市场监管局');
    expect(reduceUnitName('县级各有关部门')).toBe('各有关部门');
    expect(reduceUnitName('县委组织部')).toBe('党委组织部');
    expect(reduceUnitName('市公安局。时间节点：2025年3月')).toBe('公安局');
  });

  it('every unit spelling in the seeds maps to a key in the table; keys are stable', () => {
    const table = defaultUnitAliases();
    const spellings = new Set(docs.flatMap((d) => d.paragraphs.flatMap((p) => p.units)));
    const keys = new Set<string>();
    const outside: string[] = [];
    for (const name of spellings) {
      for (const u of normalizeUnitAll(name)) {
        keys.add(u.key);
        if (!table.byKey.has(u.key)) outside.push(name);
        // A key typed back (as the page's unit links do) is the same key.
        expect(normalizeUnit(u.key).key, name).toBe(u.key);
      }
    }
    expect(outside).toEqual([]);
    // The seeds write 95 spellings; normalized, far fewer units remain (measured: 95 → 43 keys).
    expect(spellings.size).toBeGreaterThan(80);
    expect(keys.size).toBeLessThan(spellings.size / 1.8);
    console.info(`unit spellings in the seeds: ${spellings.size} → ${keys.size} keys; alias table: ${table.entries} entries, ${table.spellings} spellings`);
  });

  it('a spelling listed under two canonical names is rejected', () => {
    expect(() => parseUnitAliases(['政府办公室: 县府办', '党委办公室: 区府办'])).toThrow(/县府办|区府办/);
    expect(parseUnitAliases(['# comment', '', '司法局: 县司法局, 区司法局']).entries).toBe(1);
  });
});

describe('filters', () => {
  it('a unit filter accepts any alias spelling: 县府办 = 县政府办公室 = 区府办', () => {
    const a = ids({ unit: '县府办' });
    expect(a.length).toBeGreaterThan(10);
    expect(ids({ unit: '县政府办公室' })).toEqual(a);
    expect(ids({ unit: '区府办' })).toEqual(a);
    expect(ids({ unit: '政府办公室' })).toEqual(a);
    // The set spans several spellings and several counties.
    const spellings = new Set(all({ unit: '县府办' }).items.flatMap((c) => c.units.filter((u) => u.key === '政府办公室').map((u) => u.name)));
    expect([...spellings]).toEqual(expect.arrayContaining(['县府办', '区政府办公室', '区政府办', '市府办']));
    expect(new Set(all({ unit: '县府办' }).items.map((c) => c.region)).size).toBeGreaterThanOrEqual(4);
    // Independently: every commitment naming one of those spellings, and nothing else.
    const expected = records.filter((r) => r.item.units.some((u) => normalizeUnitAll(u.name).some((n) => n.key === '政府办公室'))).map((r) => r.item.id);
    expect(a).toEqual(expected);
  });

  it('县委宣传部 and 区委宣传部 are one unit; a bracketed second name is found by its own name', () => {
    const a = ids({ unit: '县委宣传部' });
    expect(ids({ unit: '区委宣传部' })).toEqual(a);
    expect(new Set(all({ unit: '区委宣传部' }).items.map((c) => c.region))).toEqual(new Set(['鹿城区', '鼓楼区', '东阳市', '天台县']));
    // 县府办<县大数据局> is 天台's 大数据局 too.
    const bigData = all({ unit: '县大数据局' }).items;
    expect(bigData.some((c) => c.units.some((u) => u.name === '县府办<县大数据局>'))).toBe(true);
    expect(bigData.some((c) => c.units.some((u) => u.name === '市大数据发展中心'))).toBe(true);
  });

  it('month: 2020-09 finds exactly the deadlines in September 2020 (2020年9月底前 → 2020-09-30)', () => {
    const res = all({ after: parseDateBound('2020-09', 'after'), before: parseDateBound('2020-09', 'before') });
    const expected = allParagraphs()
      .filter(({ p }) => p.deadlines.some((d) => d.date && d.date.startsWith('2020-09')))
      .map(({ p }) => p.id);
    expect(res.items.map((c) => c.id)).toEqual(expected);
    expect(res.total).toBeGreaterThanOrEqual(2);
    for (const c of res.items) expect(c.deadlines.some((d) => /9月底前/.test(d.text) && d.date === '2020-09-30')).toBe(true);
  });

  it('before / after bound the same deadline, inclusively', () => {
    const before = all({ before: '2020-10-31' }).items;
    expect(before.length).toBeGreaterThan(0);
    for (const c of before) expect(c.deadlines.some((d) => d.date !== null && d.date <= '2020-10-31')).toBe(true);
    const after = all({ after: '2020-12-01' }).items;
    for (const c of after) expect(c.deadlines.some((d) => d.date !== null && d.date >= '2020-12-01')).toBe(true);
    // Inclusive: the day itself counts.
    expect(ids({ after: '2020-09-30', before: '2020-09-30' })).toEqual(ids({ after: '2020-09-01', before: '2020-09-30' }));
    // Independently: dated commitments split by a day into before ∪ after (a clause with dates on both sides is in both).
    const dated = records.filter((r) => r.dates.length).length;
    const split = new Set([...ids({ before: '2020-11-15' }), ...ids({ after: '2020-11-16' })]);
    expect(split.size).toBe(dated);
  });

  it('date bounds: days, whole months, and 400s for anything else', () => {
    expect(parseDateBound('2020-09', 'before')).toBe('2020-09-30');
    expect(parseDateBound('2020-09', 'after')).toBe('2020-09-01');
    expect(parseDateBound('2020-02', 'before')).toBe('2020-02-29');
    expect(parseDateBound('2021-02', 'before')).toBe('2021-02-28');
    expect(parseDateBound('2020-11-15', 'after')).toBe('2020-11-15');
    for (const bad of ['2020-13', '2020-02-30', '2020/09/01', '2020年9月', 'abc', '20-09-01', '2020-9-1']) {
      expectCode(() => parseDateBound(bad, 'before'), 'E_BAD_DATE');
    }
    expectCode(() => all({ after: '2020-12-01', before: '2020-01-01' }), 'E_DATE_RANGE');
  });

  it('keyword: every whitespace-separated word, in the matching normalization', () => {
    const res = all({ q: '政策解读' });
    const expected = records.filter((r) => normalizeForMatch(r.item.text).includes('政策解读')).map((r) => r.item.id);
    expect(res.items.map((c) => c.id)).toEqual(expected);
    expect(res.total).toBeGreaterThan(3);
    // Width folded like the search engine; a quoted phrase keeps its words together, spaces dropped.
    expect(ids({ q: '２０２０年底前' })).toEqual(ids({ q: '2020年底前' }));
    expect(ids({ q: '"2020 年底前"' })).toEqual(ids({ q: '2020年底前' }));
    expect(ids({ q: '“2020 年底前”' })).toEqual(ids({ q: '2020年底前' }));
    expect(ids({ q: '2020年底前' }).length).toBeGreaterThan(2);
    const both = ids({ q: '政策解读 政务新媒体' });
    expect(both.every((id) => ids({ q: '政务新媒体' }).includes(id) && expected.includes(id))).toBe(true);
  });

  it('region: full or short name', () => {
    const tiantai = ids({ region: '天台县' });
    expect(tiantai.length).toBe(records.filter((r) => r.item.region === '天台县').length);
    expect(ids({ region: '天台' })).toEqual(tiantai);
    expect(ids({ region: '台州' })).toEqual(tiantai); // the city
  });
});

describe('sorting, counts and paging', () => {
  it('by deadline: dated first, earliest first, then undated in document order', () => {
    const items = all({ sort: 'deadline' }).items;
    const firstDate = (c: (typeof items)[number]) => c.deadlines.map((d) => d.date).filter((d): d is string => d !== null).sort()[0] ?? null;
    const dates = items.map(firstDate);
    const firstUndated = dates.indexOf(null);
    expect(firstUndated).toBeGreaterThan(0);
    expect(dates.slice(firstUndated).every((d) => d === null)).toBe(true);
    const dated = dates.slice(0, firstUndated) as string[];
    expect(dated).toEqual([...dated].sort());
    const order = new Map(records.map((r) => [r.item.id, r.order]));
    const undated = items.slice(firstUndated).map((c) => order.get(c.id)!);
    expect(undated).toEqual([...undated].sort((a, b) => a - b));
  });

  it('by document: corpus order', () => {
    const items = all({ sort: 'document' }).items;
    const key = (id: string) => {
      const d = docs.findIndex((doc) => id.startsWith(`${doc.id}-`));
      return d * 10_000 + Number(id.split('-p')[1]);
    };
    const keys = items.map((c) => key(c.id));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it('counts per unit, month and region equal the totals of those filters', () => {
    const base = all({ q: '公开' });
    for (const u of base.counts.units.slice(0, 8)) expect(all({ q: '公开', unit: u.key }).total, u.label).toBe(u.count);
    for (const m of base.counts.months) {
      expect(all({ q: '公开', after: `${m.value}-01`, before: parseDateBound(m.value, 'before') }).total, m.value).toBe(m.count);
    }
    for (const r of base.counts.regions) expect(all({ q: '公开', region: r.value }).total, r.value).toBe(r.count);
    expect(base.counts.undated + records.filter((r) => r.dates.length && normalizeForMatch(r.item.text).includes('公开')).length).toBe(base.total);
    // A count leaves its own filter out: choosing a unit keeps the other units listed.
    const chosen = all({ unit: '县府办' });
    expect(chosen.counts.units.length).toBe(all().counts.units.length);
    expect(chosen.counts.months.reduce((s, m) => s + m.count, 0)).toBeLessThan(all().counts.months.reduce((s, m) => s + m.count, 0));
  });

  it('paging slices the sorted list', () => {
    const full = all({ sort: 'deadline' });
    const page = queryCommitments(records, { sort: 'deadline', offset: 10, limit: 7, today: TODAY });
    expect(page.total).toBe(full.total);
    expect(page.items.map((c) => c.id)).toEqual(full.items.slice(10, 17).map((c) => c.id));
    expect(queryCommitments(records, { sort: 'deadline', offset: full.total, limit: 5, today: TODAY }).items).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Statuses: the documents record deadlines, not completion.

const dl = (text: string, date: string | null, kind: CommitmentDeadline['kind'] = 'by-date'): CommitmentDeadline => ({ text, date, kind });
const brief = (d: DatedCommitmentDeadline) => [d.status, d.daysLeft, d.next, d.doubt];

describe('deadlineStatus', () => {
  // [deadline, today, the document's own date, expected [status, daysLeft, next, doubt]]
  it.each<[string, CommitmentDeadline, string, string | null, ReturnType<typeof brief>]>([
    // 鹿城 (成文 2020-08-14): 9月底前 seen in mid-September, then years later.
    ['ahead', dl('2020年9月底前', '2020-09-30'), '2020-09-15', '2020-08-14', ['upcoming', 15, null, null]],
    ['due today', dl('2020年9月底前', '2020-09-30'), '2020-09-30', '2020-08-14', ['upcoming', 0, null, null]],
    // Past: 已到期 — whether it was done is not recorded, so it is never called overdue.
    ['past', dl('2020年9月底前', '2020-09-30'), '2026-12-06', '2020-08-14', ['passed', null, null, null]],
    ['a dated event', dl('2020年11月15日', '2020-11-15', 'date'), '2026-12-06', '2020-11-02', ['passed', null, null, null]],
    // notices-dev 147 (松江, 成文 2026-05-07): 动员部署阶段（4月底前）, year-less, read with the
    // document's year, falls before the notice itself: not a date to trust.
    ['year-less, before the notice', dl('4月底前', '2026-04-30'), '2026-12-06', '2026-05-07', ['unknown', null, null, 'before-issue']],
    // notices-dev 139 (杨浦, 成文 2025-08-28) writes 2025年6月底前: a real date, stale when issued.
    ['written year, before the notice', dl('2025年6月底前', '2025-06-30'), '2026-12-06', '2025-08-28', ['passed', null, null, 'before-issue']],
    ['no year known', dl('9月底前', null), '2026-12-06', null, ['unknown', null, null, 'no-year']],
    // notices-dev 116 (松江, 成文 2020-08-05): 每年一季度前 recurs; the next one after today.
    ['recurring with a point', dl('每年一季度前', null, 'recurring'), '2026-12-06', '2020-08-05', ['recurring', 115, '2027-03-31', null]],
    ['recurring without one', dl('每季度', null, 'recurring'), '2026-12-06', '2020-08-05', ['recurring', null, null, null]],
    ['ongoing', dl('长期坚持', null, 'ongoing'), '2026-12-06', '2020-08-14', ['ongoing', null, null, null]],
  ])('%s', (_label, d, today, docDate, expected) => {
    expect(brief(deadlineStatus(d, today, docDate))).toEqual(expected);
  });

  it("a commitment's status is its most pressing deadline's", () => {
    const on = (today: string, ...ds: CommitmentDeadline[]) => commitmentStatus(ds.map((d) => deadlineStatus(d, today, '2025-01-01')));
    // 杨浦 p28: 2025年12月底前 passed, 2026年底前 still ahead → upcoming, due the soonest ahead.
    expect(on('2026-12-06', dl('2025年12月底前', '2025-12-31'), dl('2026年底前', '2026-12-31'))).toEqual({ status: 'upcoming', due: '2026-12-31' });
    // Both passed: the most recent one.
    expect(on('2027-01-10', dl('2025年12月底前', '2025-12-31'), dl('2026年底前', '2026-12-31'))).toEqual({ status: 'passed', due: '2026-12-31' });
    expect(on('2026-12-06', dl('2025年底前', '2025-12-31'), dl('每季度', null, 'recurring'))).toEqual({ status: 'recurring', due: null });
    expect(on('2026-12-06', dl('持续推进', null, 'ongoing'), dl('2025年底前', '2025-12-31'))).toEqual({ status: 'ongoing', due: null });
    expect(on('2026-12-06')).toEqual({ status: 'none', due: null });
  });
});

describe('statuses and the default sort on the seeds', () => {
  /** Years after the seeds: every dated deadline has passed. */
  const LATER = '2026-12-06';

  it.each([TODAY, LATER])('on %s: upcoming soonest first, then recurring, ongoing, passed latest first, then the rest', (today) => {
    const res = all({ sort: 'status', today });
    const ranks = res.items.map((c) => STATUS_ORDER.indexOf(c.status));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const dues = (status: CommitmentStatus) => res.items.filter((c) => c.status === status).map((c) => c.due!);
    expect(dues('upcoming')).toEqual([...dues('upcoming')].sort());
    expect(dues('passed')).toEqual([...dues('passed')].sort().reverse());
    // Each row's status is that of its deadlines: upcoming if any is upcoming, and so on.
    for (const c of res.items) {
      const own = c.deadlines.map((d) => d.status);
      const best = STATUS_ORDER.find((x) => (own as string[]).includes(x)) ?? 'none';
      expect(c.status, c.id).toBe(best);
    }
  });

  it('mid-September 2020: the deadlines of that autumn are upcoming, with days left; none has passed', () => {
    const res = all({ sort: 'status' });
    expect(res.counts.statuses.passed).toBe(0);
    expect(res.counts.statuses.upcoming).toBeGreaterThan(20);
    const first = res.items[0]!;
    expect(first.status).toBe('upcoming');
    expect(first.due).toBe('2020-09-30'); // the soonest: 9月底前
    expect(first.deadlines.find((d) => d.date === '2020-09-30')?.daysLeft).toBe(15);
  });

  it('years later: nothing is upcoming; dated deadlines are passed (已到期), the recurring one still recurs', () => {
    const res = all({ sort: 'status', today: LATER });
    expect(res.counts.statuses.upcoming).toBe(0);
    expect(res.items[0]!.status).toBe('recurring');
    expect(res.items[0]!.deadlines.map((d) => d.text)).toContain('按季度'); // 天台: 按季度向社会公开
    // Passed rows: those with a date and no recurring or ongoing deadline, which would come first.
    const passed = records.filter((r) => r.dates.length && !r.item.deadlines.some((d) => d.kind === 'recurring' || d.kind === 'ongoing'));
    expect(res.counts.statuses.passed).toBe(passed.length);
    // Every dated deadline is passed: none is called overdue, none left out.
    for (const c of res.items) for (const d of c.deadlines) if (d.date) expect(d.status, `${c.id} ${d.text}`).toBe('passed');
    console.info(`seeds on ${LATER}: ${JSON.stringify(res.counts.statuses)}`);
  });

  it('the status filter; each status count equals the total of filtering by it', () => {
    for (const today of [TODAY, LATER]) {
      const base = all({ today });
      const sum = STATUS_ORDER.reduce((n, x) => n + base.counts.statuses[x], 0);
      expect(sum).toBe(base.total);
      for (const status of STATUS_ORDER) {
        const res = all({ today, status });
        expect(res.total, `${today} ${status}`).toBe(base.counts.statuses[status]);
        expect(res.items.every((c) => c.status === status)).toBe(true);
        // The status count leaves its own filter out: every status is still counted.
        expect(res.counts.statuses).toEqual(base.counts.statuses);
      }
    }
    // Combined with the other filters.
    const unit = all({ today: TODAY, unit: '县府办' });
    expect(all({ today: TODAY, unit: '县府办', status: 'upcoming' }).total).toBe(unit.counts.statuses.upcoming);
  });
});

// ---------------------------------------------------------------------------------------------
// notices-dev: validity clauses, recurring deadlines, dates before the notice, municipal regions.

const DEV_MISSING = missingData(NOTICES_DEV, '../shared/corpus/notices-dev');

describe.skipIf(DEV_MISSING !== null)(suiteName('commitments on notices-dev', DEV_MISSING), () => {
  let devDocs: PolicyDocument[] = [];
  let dev: CommitmentRecord[] = [];
  const LATER = '2026-12-06';
  const query = (filter: Partial<CommitmentFilter> = {}) => queryCommitments(dev, { sort: 'status', offset: 0, today: LATER, ...filter });
  const byFile = (prefix: string) => devDocs.find((d) => d.file.startsWith(prefix))!;

  beforeAll(async () => {
    devDocs = (await loadCorpus(NOTICES_DEV)).files.map(buildDocument);
    dev = extractCommitments(devDocs);
  });

  it('a validity clause (有效期至2020年7月10日止) is not a commitment', () => {
    // 129: the extension notice quotes the old 办法's last article.
    const doc = byFile('129_');
    const clause = doc.paragraphs.find((p) => p.text.includes('有效期至2020年7月10日止'))!;
    expect(clause.deadlines.map((d) => `${d.text}/${d.kind}`)).toEqual(['2020年7月10日止/expiry']);
    expect(dev.some((r) => r.item.id === clause.id)).toBe(false);
    // No commitment anywhere carries a validity or effective date.
    for (const r of dev) for (const d of r.item.deadlines) expect(['expiry', 'effective'], `${r.item.id} ${d.text}`).not.toContain(d.kind);
    // Every 有效期…至 date in the corpus was read as expiry (or effective), none as a deadline.
    for (const d of devDocs) {
      for (const p of d.paragraphs) {
        for (const x of p.deadlines) if (/有效期[^，。；]{0,20}$/u.test(p.text.slice(0, x.start))) expect(['expiry', 'effective'], `${p.id} ${x.text}`).toContain(x.kind);
      }
    }
  });

  it('每年一季度前 is one recurring deadline (never 2020-03-31, before the notice of 2020-08-05)', () => {
    const doc = byFile('116_');
    expect(doc.meta.issuedDate).toBe('2020-08-05');
    const r = dev.find((x) => x.item.docId === doc.id && x.item.text.includes('每年一季度前'))!;
    expect(r.item.deadlines).toEqual([{ text: '每年一季度前', date: null, kind: 'recurring' }]);
    const shown = query({ q: '挂牌督办制度' }).items.find((c) => c.id === r.item.id)!;
    expect(shown.status).toBe('recurring');
    expect(shown.deadlines[0]).toMatchObject({ status: 'recurring', next: '2027-03-31' });
  });

  it('no date before its own notice is shown as a plain past date', () => {
    const res = query();
    let doubtful = 0;
    for (const c of res.items) {
      const docDate = devDocs.find((d) => d.id === c.docId)!.meta.issuedDate;
      for (const d of c.deadlines) {
        if (!d.date || !docDate || d.date >= docDate) continue;
        doubtful++;
        expect(d.doubt, `${c.id} ${d.text}`).toBe('before-issue');
        // With no year written it is not trusted at all.
        if (!/\d{4}年/u.test(d.text)) expect(d.status).toBe('unknown');
      }
    }
    expect(doubtful).toBeGreaterThan(0);
    console.info(`notices-dev on ${LATER}: ${res.total} commitments, ${JSON.stringify(res.counts.statuses)}; ${doubtful} dates before their notice`);
  });

  it('municipal notices count under 上海市, and each region count equals its filter total', () => {
    const res = query();
    const regions = new Map(res.counts.regions.map((r) => [r.value, r.count]));
    expect(regions.get('上海市')).toBeGreaterThan(0);
    for (const [value, count] of regions) expect(query({ region: value }).total, value).toBe(count);
    // 上海市 includes the district notices, as its filter does.
    expect(regions.get('上海市')).toBeGreaterThan(res.items.filter((c) => c.region === '上海市').length);
  });
});
