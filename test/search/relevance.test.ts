/**
 * Relevance on the seeds, for the three kinds of users. Each row says which paragraphs must come
 * first and why. Paragraphs are named by region and citation path (stable across rebuilds).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/analysis/normalize.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { Hit, SearchResponse } from '../../src/domain/types.js';
import { SearchService, unitKey } from '../../src/search/service.js';
import { seedIndex } from '../helpers/seeds.js';

let service: SearchService;
beforeAll(async () => {
  service = new SearchService((await seedIndex()).built, DEFAULT_LIMITS);
});

const search = (q: string, limit = 20): SearchResponse => service.search({ q, limit, offset: 0, sort: 'relevance' });
/** "鹿城区 四、17." style name of a hit: region plus the citation's label path. */
const nameOf = (h: Hit): string => {
  const prefix = `《${h.doc.title}》${h.doc.docNumber ? `（${h.doc.docNumber}）` : ''}`;
  expect(h.citation.startsWith(prefix)).toBe(true);
  return `${h.doc.region} ${h.citation.slice(prefix.length)}`;
};
const top = (q: string, k: number): string[] => search(q, k).hits.map(nameOf);

interface Row {
  who: 'staff' | 'reader' | 'drafter';
  q: string;
  /** These must be the first hits, in any order. */
  first: string[];
  why: string;
}

const ROWS: Row[] = [
  // Staff searching for precedent wording.
  { who: 'staff', q: '第一解读人', first: ['鹿城区 三、12.', '天台县 三、（二）'], why: 'the only two clauses using the phrase, above a paragraph that merely has 解读' },
  { who: 'staff', q: '对目录所列决策事项', first: ['鹿城区 一、2.', '天台县 一、（二）'], why: '鹿城区 splits this phrase across a page break; after the join both clauses contain it' },
  { who: 'staff', q: '26个试点领域', first: ['海阳市 三、（一）', '天台县 一、（五）', '鹿城区 一、6.'], why: '海阳市 breaks “26” / “个试点领域” across pages; all three contain the phrase' },
  { who: 'staff', q: '监管规则和标准', first: ['鼓楼区 三、（一）', '天台县 附件第7项', '天台县 一、（三）', '鹿城区 一、4.'], why: 'the ` and ` repairs in 鼓楼区 and 鹿城区 make them read 规则和标准 like the others' },
  { who: 'staff', q: '"2020 年 9 月底前"', first: ['天台县 附件第3项', '鹿城区 一、6.'], why: 'a quoted phrase typed with PDF-style spaces still matches 2020年9月底前 exactly' },
  { who: 'staff', q: '政府公报 出刊周期', first: ['海阳市 四、（四）'], why: 'the only clause with both words' },
  { who: 'staff', q: '一网通办', first: ['海阳市 二、（二）'], why: 'dictionary word; the only clause naming it' },
  { who: 'staff', q: '政务公开工作要点', first: ['鼓楼区', '东阳市', '海阳市', '鹿城区'], why: 'the work-plan titles carry the phrase in the fewest words and outrank boilerplate (抄送, 落款)' },
  // Public readers: what a county committed to, who is responsible, by when.
  { who: 'reader', q: '天台 标准目录', first: ['天台县 附件第3项', '天台县 一、（五）'], why: '天台 is only in 天台县’s metadata; its clauses about 标准目录 come first, the task row with the 9月底前 deadline on top' },
  { who: 'reader', q: '鹿城区 查阅点', first: ['鹿城区 四、17.'], why: '鹿城区’s clause on 查阅点; region from metadata, 查阅点 in text' },
  { who: 'reader', q: '海阳 依申请公开', first: ['海阳市 三、（三）', '海阳市 五、（二）'], why: 'region short name 海阳 → 海阳市; its clauses on 依申请公开' },
  { who: 'reader', q: '东阳 政府网站', first: ['东阳市 四、（一）'], why: '东阳市’s clause whose heading is about 政府网站' },
  { who: 'reader', q: '县市场监管局', first: ['天台县 附件第7项'], why: 'the task row where 县市场监管局 is the lead unit' },
  { who: 'reader', q: '2021 决策公开', first: ['东阳市 一、（一）'], why: '2021 is the year of the 东阳市 notice; its clause on 决策预公开 is the only 2021 one with both words' },
  { who: 'reader', q: '鼓政办2020 65号', first: ['鼓楼区 '], why: 'a 文号 typed without brackets finds the 鼓楼区 document (its 文号 line)' },
  { who: 'reader', q: '年份:2021 政策解读', first: ['东阳市 二、（二）'], why: 'year filter keeps the 2021 notice; its clause on 政策解读方式' },
  // Drafters: the parallel clause in other counties.
  { who: 'drafter', q: '依申请公开 办理质效', first: ['鹿城区 四、16.', '天台县 四、（三）'], why: 'the two clauses titled 提高依申请公开办理质效' },
  { who: 'drafter', q: '主账号 集约节约', first: ['天台县 四、（二）', '鹿城区 四、15.', '海阳市 四、（三）'], why: 'the same 政务新媒体 sentence in three counties' },
  { who: 'drafter', q: '人大代表建议 政协委员提案', first: ['天台县 三、（三）', '鹿城区 三、13.'], why: 'both clauses on 办理公开 of proposals use both terms' },
  { who: 'drafter', q: '重大行政决策 目录', first: ['鹿城区 一、2.', '天台县 一、（二）'], why: 'clauses on the 重大行政决策事项目录 with both words close together' },
  { who: 'drafter', q: '政务新媒体 清理整合', first: ['海阳市 四、（三）', '天台县 四、（二）', '鹿城区 四、15.'], why: 'the parallel 政务新媒体 clauses that order 清理整合' },
  { who: 'drafter', q: '权责清单 OR 权力清单', first: ['鼓楼区 一、（一）'], why: 'its heading names 权责清单; OR accepts either' },
  // Questions as people type them: content words ranked, question words dropped.
  { who: 'reader', q: '政府信息公开申请怎么提交', first: ['天台县 四、（三）', '鹿城区 四、16.'], why: 'a question: 政府信息公开 申请 提交 ranked, 怎么 dropped; the clauses on handling applications' },
  { who: 'reader', q: '依申请公开的办理时限是多少', first: ['鹿城区 四、16.', '天台县 四、（三）', '东阳市 三、（一）', '海阳市 三、（三）'], why: 'no clause names a 时限: each county’s clause on handling 依申请公开 still answers, never 0 results' },
  { who: 'reader', q: '天台县的标准目录什么时候完成？', first: ['天台县 附件第3项'], why: 'the task row of 天台县 with the 标准目录 deadline; 什么时候 dropped' },
  // Heading context: a clause is found through the heading it sits under.
  { who: 'reader', q: '2021 政务公开数字化', first: ['东阳市 四、'], why: 'the 2021 notice’s section 四、推进政务公开数字化 and its clauses' },
  // Continuation of a clause split by a page break carries the clause's label.
  { who: 'staff', q: '完善我区依申请公开网上受理系统', first: ['鹿城区 四、16.'], why: 'the paragraph continues clause 16. after a page break' },
];

describe('relevance table', () => {
  it('has at least 20 rows for the three kinds of users', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ROWS.map((r) => r.who))).toEqual(new Set(['staff', 'reader', 'drafter']));
  });

  it.each(ROWS)('$who: $q — $why', ({ q, first }) => {
    const got = top(q, first.length);
    const matches = (name: string, want: string) => (want.endsWith(' ') || !want.includes(' ') ? name.startsWith(want) : name === want);
    for (const want of first) expect(got.some((g) => matches(g, want)), `${want} in ${JSON.stringify(got)}`).toBe(true);
  });
});

describe('ranking rules', () => {
  it('an unquoted phrase returns every paragraph containing it, exact occurrences first', () => {
    const q = '以公开为常态';
    const res = search(q, 100);
    const containing = res.hits.filter((h) => normalizeForMatch(h.text).includes(q));
    expect(containing.length).toBeGreaterThan(3);
    // All exact hits precede partial ones.
    const firstPartial = res.hits.findIndex((h) => !normalizeForMatch(h.text).includes(q));
    if (firstPartial !== -1) expect(firstPartial).toBeGreaterThanOrEqual(containing.length);
  });

  it('keyword queries require every term; partial matches only when nothing matches all', () => {
    // 天台 is matched by 天台县's metadata, 依申请公开 by text: the hits are 天台县 paragraphs
    // containing 依申请公开, and nothing else (other counties' 依申请公开 is not a match).
    const res = search('天台 依申请公开', 100);
    expect(res.mode).toBe('keywords');
    expect(res.partial).toBe(false);
    expect(res.hits.length).toBeGreaterThan(1);
    for (const h of res.hits) {
      expect(h.doc.region).toBe('天台县');
      expect(normalizeForMatch(h.text + h.citation)).toContain('依申请公开');
      expect(h.missing).toEqual([]);
    }
    // No paragraph has both: the best partial matches, labelled, each naming what it lacks.
    const partial = search('标准目录 量子计算', 100);
    expect(partial.partial).toBe(true);
    expect(partial.total).toBeGreaterThan(0);
    for (const h of partial.hits) expect(h.missing).toEqual(['量子计算']);
  });

  it('a clause is found through its section heading (context field)', () => {
    const res = search('2021 政务公开数字化', 10);
    const underHeading = res.hits.filter((h) => nameOf(h).startsWith('东阳市 四、（'));
    expect(underHeading.length).toBeGreaterThan(0);
    // At least one of them is found only through the heading: its own text lacks the phrase.
    expect(underHeading.some((h) => !normalizeForMatch(h.text).includes('数字化'))).toBe(true);
  });

  it.each(['鼓政办〔2020〕65号', '"鼓政办（2020）65号"', '鼓政办（2020）65号', '鼓政办(2020)65号', '"鼓政办(2020)65号"', '鼓政办[2020]65号'])(
    'a 文号 typed as %s finds its document once',
    (q) => {
      const res = search(q, 20);
      expect(res.hits.length).toBe(1);
      expect(res.hits[0]!.doc.docNumber).toBe('鼓政办〔2020〕65号');
    },
  );

  it('reads a question, says which words it searched, and never returns nothing when a word occurs', () => {
    const res = search('政府信息公开申请怎么提交？');
    expect(res.mode).toBe('question');
    expect(res.question).toEqual({ terms: ['政府信息公开', '申请', '提交'], dropped: ['怎么'], expanded: [] });
    expect(res.total).toBeGreaterThan(0);
    // Keyword queries keep requiring every term.
    expect(search('政府信息公开 申请 提交').mode).toBe('keywords');
    // A question with one word in the corpus and one not: still answered, the missing word named.
    const odd = search('量子计算和标准目录有什么关系？');
    expect(odd.mode).toBe('question');
    expect(odd.total).toBeGreaterThan(0);
    expect(odd.question!.terms).toEqual(expect.arrayContaining(['量子', '计算', '标准目录']));
    for (const h of odd.hits) expect(h.missing).toEqual(expect.arrayContaining(['量子', '计算']));
  });

  it('diversifies: one document does not fill the first page of a question', () => {
    const res = search('如何加强政务公开工作的组织领导和监督考核？', 10);
    expect(res.hits.length).toBe(10);
    const perDoc = new Map<string, number>();
    for (const h of res.hits) perDoc.set(h.docId, (perDoc.get(h.docId) ?? 0) + 1);
    expect(perDoc.size).toBeGreaterThan(2);
  });

  it('-term excludes text and the documents it names', () => {
    const res = search('疫情防控 -天台', 100);
    expect(res.total).toBeGreaterThan(0);
    expect(res.hits.every((h) => h.doc.region !== '天台县' && !h.text.includes('天台'))).toBe(true);
  });

  it('a field-only query lists a document in order', () => {
    const res = search('地区:天台县 单位:县司法局', 100);
    expect(res.total).toBeGreaterThan(0);
    expect(res.hits.every((h) => h.doc.region === '天台县')).toBe(true);
  });

  it('says so when nothing is found and offers alternatives that do find something', () => {
    expect(search('量子计算').total).toBe(0);
    const res = search('"标准目录 编制工作 完成"');
    expect(res.total).toBe(0);
    expect(res.suggestions).toContain('标准目录 编制工作 完成');
    for (const s of res.suggestions) expect(search(s).total).toBeGreaterThan(0);
    const twoTerms = search('标准目录 量子计算');
    expect(twoTerms.total).toBeGreaterThan(0); // partial matches still listed
  });

  it('headings and clauses rank above boilerplate for the same words', () => {
    const res = search('区政府办公室', 30);
    const firstFooter = res.hits.findIndex((h) => h.text.startsWith('抄送'));
    const firstClause = res.hits.findIndex((h) => /^\d+\.|^（/u.test(h.text));
    if (firstFooter !== -1 && firstClause !== -1) expect(firstClause).toBeLessThan(firstFooter);
  });

  it('spellings of one responsible unit are one facet value and one filter', () => {
    const res = service.search({ q: '公开', limit: 1, offset: 0, sort: 'relevance' });
    const keys = res.facets.unit.map((f) => unitKey(f.value));
    expect(new Set(keys).size).toBe(keys.length);
    const count = (unit: string) => service.search({ q: '公开', limit: 1, offset: 0, sort: 'relevance', unit }).total;
    expect(count('各乡镇<街道>')).toBeGreaterThan(0);
    expect(count('各乡镇<街道>')).toBe(count('各乡镇（街道）'));
    expect(count('各乡镇<街道>')).toBe(count('各乡镇街道'));
  });
});
