/**
 * A question typed in everyday words also finds the law's words for them (房东 → 出租人,
 * data/lay-terms.txt; 诈骗罪 → 诈骗), ranked below the same paragraph in the user's own word,
 * and the response says which words were searched that way.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { buildDocument } from '../../src/corpus/document.js';
import { buildParagraphIndex } from '../../src/indexing/build.js';
import { normalizeForMatch } from '../../src/analysis/normalize.js';
import { alternativesOf, questionWords } from '../../src/search/question.js';
import { SearchService } from '../../src/search/service.js';

describe('alternativesOf', () => {
  it.each([
    ['别人', ['他人']],
    ['房东', ['出租人']],
    ['租客', ['承租人']],
    ['工资', ['劳动报酬']],
    ['老公', ['配偶', '丈夫']],
    ['诈骗罪', ['诈骗']],
    ['故意伤害罪', ['故意伤害']],
  ])('%s → %j', (word, want) => {
    expect(alternativesOf(word)).toEqual(want);
  });

  it.each(['出租人', '民法典', '罪', '犯罪', '合同'])('%s has none (a legal word, or 罪 alone / in a two-character word)', (word) => {
    expect(alternativesOf(word)).toEqual([]);
  });

  it('questionWords attaches them to content words, never to a word the question already has', () => {
    const w = questionWords(normalizeForMatch('房东和出租人有什么不同？别人能管吗'));
    expect(w.terms).toEqual(expect.arrayContaining(['房东', '出租人', '别人']));
    expect(w.alternatives.has('房东')).toBe(false); // 出租人 is typed already
    expect(w.alternatives.get('别人')).toEqual(['他人']);
  });
});

function lawService() {
  const law = (file: string, title: string, articles: string[]) =>
    buildDocument({ file, text: [title, ...articles.map((a, i) => `第${'一二三四五'[i]}条　${a}`)].join('\n'), encoding: 'utf-8', checksum: file });
  const docs = [
    law('a.txt', '租赁管理条例', ['出租人应当履行租赁物的维修义务。', '承租人应当按照约定支付租金。']),
    law('b.txt', '物业服务条例', ['业主应当按照约定交纳物业服务费用。', '房东应当履行房屋的维修义务。']),
    law('c.txt', '刑法修正条例', ['以非法占有为目的，诈骗公私财物，数额较大的，处三年以下有期徒刑。']),
  ];
  return new SearchService(buildParagraphIndex(docs), { ...DEFAULT_LIMITS, resultCacheSize: 0 });
}

describe('questions searched with the law’s words', () => {
  const service = lawService();
  const ask = (q: string) => service.search({ q, limit: 10, offset: 0, sort: 'relevance' });

  it('finds a paragraph that only uses the legal term, and says so', () => {
    const res = ask('租客不交房租怎么办？');
    expect(res.mode).toBe('question');
    expect(res.question!.expanded).toEqual(
      expect.arrayContaining([
        { term: '租客', also: ['承租人'] },
        { term: '房租', also: ['租金'] },
      ]),
    );
    const first = res.hits[0]!;
    expect(first.text).toContain('承租人应当按照约定支付租金');
    expect(res.partial).toBe(false);
    // The legal words are marked where they matched.
    const marked = first.highlights.map(([s, e]) => first.text.slice(s, e));
    expect(marked).toEqual(expect.arrayContaining(['承租人', '租金']));
  });

  it('ranks the paragraph in the user’s own word above the one in the legal word', () => {
    const res = ask('房东不履行维修义务怎么办？');
    const texts = res.hits.map((h) => h.text);
    const own = texts.findIndex((t) => t.includes('房东应当履行'));
    const legal = texts.findIndex((t) => t.includes('出租人应当履行'));
    expect(own).toBeGreaterThanOrEqual(0);
    expect(legal).toBeGreaterThan(own);
  });

  it('names a missing word by the word as typed, not by its alternatives', () => {
    const res = ask('房东不履行维修义务怎么办？');
    const legal = res.hits.find((h) => h.text.includes('出租人应当履行'))!;
    expect(legal.missing ?? []).not.toContain('房东');
    for (const m of res.hits.flatMap((h) => h.missing ?? [])) expect(m).not.toMatch(/ OR /u);
  });

  it('reads a crime by name as the act the law defines (诈骗罪 → 诈骗)', () => {
    const res = ask('诈骗罪判几年？');
    expect(res.question!.expanded).toContainEqual({ term: '诈骗罪', also: ['诈骗'] });
    expect(res.hits[0]?.text).toContain('诈骗公私财物');
  });

  it('keeps keyword queries literal: no alternatives without a question', () => {
    const res = ask('房东');
    expect(res.mode).toBe('keywords');
    expect(res.hits.every((h) => h.text.includes('房东'))).toBe(true);
  });
});
