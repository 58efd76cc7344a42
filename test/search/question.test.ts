import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/analysis/normalize.js';
import { LONG_RUN, MAX_QUESTION_TERMS, questionWords, readsAsQuestion } from '../../src/search/question.js';

/** questionWords expects normalized text, as the query parser passes it (alternatives: own file). */
const words = (raw: string) => {
  const { terms, dropped } = questionWords(normalizeForMatch(raw));
  return { terms, dropped };
};

describe('readsAsQuestion', () => {
  it.each([
    // Interrogatives that jieba cuts as words of their own.
    ['政府信息公开申请怎么提交', true],
    ['依申请公开的办理时限是多少', true],
    ['什么是行政复议', true],
    ['谁负责', true],
    ['劳动合同试用期最长多久', true],
    ['交通事故责任认定书不服可以申请复议吗', true],
    // Sentence punctuation, full-width or not (folded by normalization).
    ['政府信息公开申请怎么提交？', true],
    ['规划，', true],
    // Spaces are dropped by normalization: the interrogative still stands as a word.
    ['政府 信息 公开 申请 怎么 提交', true],
    // A long unpunctuated run (≥ LONG_RUN characters) with at least four content words.
    ['关于进一步加强和改进城乡规划建设管理工作的实施意见全文', true],
    ['中华人民共和国政府信息公开条例实施办法', true],
    // Short keyword queries are keywords, not questions.
    ['重大行政决策', false],
    ['政策解读 天台', false],
    ['社保卡', false],
    ['城乡规划建设管理工作', false],
    ['食品安全监督管理办法实施细则', false],
    // An interrogative counts only as a word of its own: 多少 in 多少数民族 is 多 + 少数民族.
    ['多少数民族', false],
    // Without any Han character nothing reads as a question, punctuation or not.
    ['ABC', false],
    ['ＡＢＣ？', false],
    ['abc?', false],
    ['', false],
  ])('%s → %s', (raw, expected) => {
    expect(readsAsQuestion(raw)).toBe(expected);
  });

  it('needs both the length and four content words for an unpunctuated run', () => {
    // 14 characters and four content words: too short.
    const short = '食品安全监督管理办法实施细则';
    expect(Array.from(normalizeForMatch(short)).length).toBeLessThan(LONG_RUN);
    expect(words(short).terms).toHaveLength(4);
    expect(readsAsQuestion(short)).toBe(false);
    // 17 characters and four content words: long enough.
    const long = '中华人民共和国政府信息公开条例实施';
    expect(Array.from(normalizeForMatch(long)).length).toBeGreaterThanOrEqual(LONG_RUN);
    expect(words(long).terms).toEqual(['中华人民共和国', '政府信息公开', '条例', '实施']);
    expect(readsAsQuestion(long)).toBe(true);
  });
});

describe('questionWords', () => {
  it.each<[string, string[], string[]]>([
    ['政府信息公开申请怎么提交', ['政府信息公开', '申请', '提交'], ['怎么']],
    ['政府信息公开申请怎么提交？', ['政府信息公开', '申请', '提交'], ['怎么']],
    ['依申请公开的办理时限是多少', ['依申请公开', '办理', '时限'], ['多少']],
    ['劳动合同试用期最长多久', ['劳动合同', '试用期', '最长'], ['多久']],
    ['企业应当如何缴纳社会保险', ['企业', '应当', '缴纳', '社会保险'], ['如何']],
    ['交通事故责任认定书不服可以申请复议吗', ['交通事故', '责任', '认定书', '不服', '申请', '复议'], ['可以', '吗']],
    ['发票丢失怎么补办', ['发票', '丢失', '补办'], ['怎么']],
    ['我想咨询一下', ['咨询'], ['我', '想', '一下']],
    // Keyword queries pass through: every word is a content word.
    ['重大行政决策', ['重大行政决策'], []],
    ['政策解读 天台', ['政策解读', '天台'], []],
    // Only question words: nothing left to search.
    ['什么', [], ['什么']],
    ['请问', [], ['请问']],
    ['', [], []],
  ])('%s', (raw, terms, dropped) => {
    expect(words(raw)).toEqual({ terms, dropped });
  });

  it('never keeps a question word or filler as a content word', () => {
    for (const raw of ['政府信息公开申请怎么提交', '依申请公开的办理时限是多少', '是不是要先申请', '什么是行政复议']) {
      const { terms } = words(raw);
      for (const w of ['怎么', '多少', '是不是', '什么', '的', '要']) expect(terms).not.toContain(w);
    }
  });

  it('splits runs at punctuation and keeps terms distinct in order of first occurrence', () => {
    expect(words('政府信息公开申请怎么提交？办理时限是多少')).toEqual({
      terms: ['政府信息公开', '申请', '提交', '办理', '时限'],
      dropped: ['怎么', '多少'],
    });
    // 补偿 occurs twice but is listed once.
    expect(words('国有土地上房屋征收与补偿条例第十七条规定了哪些补偿').terms).toEqual([
      '国有土地',
      '房屋',
      '征收',
      '补偿',
      '条例',
      '第十七条',
      '规定',
    ]);
    // Quotes and book-title marks are run separators too.
    expect(words('《政府信息公开条例》是否适用')).toEqual({ terms: ['政府信息公开', '条例', '适用'], dropped: ['是否'] });
    expect(words('"依申请公开"怎么办理')).toEqual({ terms: ['依申请公开', '办理'], dropped: ['怎么'] });
  });

  describe('single characters', () => {
    it('joins consecutive single characters back into one term', () => {
      // jieba cuts 质权 as 质 + 权; they are one term again.
      expect(words('质权')).toEqual({ terms: ['质权'], dropped: [] });
      // Typed with a space (dropped by normalization) they are still adjacent.
      expect(words('质 权')).toEqual({ terms: ['质权'], dropped: [] });
      expect(words('动产质押的质物如何交付')).toEqual({ terms: ['动产', '质押', '质物', '交付'], dropped: ['如何'] });
    });

    it('does not join single characters across punctuation', () => {
      expect(words('质、权')).toEqual({ terms: [], dropped: ['质', '权'] });
    });

    it('drops a lone single character', () => {
      expect(words('戊')).toEqual({ terms: [], dropped: ['戊'] });
      // A lone character after punctuation is not the suffix of the word before it.
      expect(words('规划，戊')).toEqual({ terms: ['规划'], dropped: ['戊'] });
      // Nor after a dropped stopword (之): it is no longer adjacent to the word.
      expect(words('规划之戊')).toEqual({ terms: ['规划'], dropped: ['戊'] });
    });

    it('joins a lone character right after a content word as its suffix', () => {
      const { terms, dropped } = words('第三人对仓储物主张权利如何处理？');
      expect(terms).toContain('第三人');
      expect(terms).toContain('仓储物');
      expect(terms).toEqual(expect.arrayContaining(['主张', '权利', '处理']));
      expect(dropped).toEqual(['如何']);
      // The suffix is not dropped as a lone character.
      expect(dropped).not.toContain('人');
      expect(dropped).not.toContain('物');
    });

    it.each([
      // 不 and 还 follow 借钱 but are function characters (还 is also a filler).
      ['借钱不还怎么办', ['借钱'], ['不', '还', '怎么办']],
      ['欠款不还可以起诉吗', ['欠款', '起诉'], ['不', '还', '可以', '吗']],
      ['质量不合格怎么办', ['质量', '合格'], ['不', '怎么办']],
      ['合同没签字有效吗', ['合同', '签字', '有效'], ['没', '吗']],
      ['商品未检验能否销售', ['商品', '检验', '销售'], ['未', '能否']],
    ])('never joins a function character as a suffix: %s', (raw, terms, dropped) => {
      const got = words(raw);
      expect(got).toEqual({ terms, dropped });
      for (const t of got.terms) expect(t).not.toMatch(/[不没未还]$/u);
    });
  });

  it(`keeps at most MAX_QUESTION_TERMS (${MAX_QUESTION_TERMS}) terms, the first ones`, () => {
    const raw =
      '规划建设管理工作安全生产监督检查行政许可政府采购招标投标土地出让环境保护食品药品城乡居民医疗保险社会救助残疾人就业促进退役军人安置住房公积金义务教育职业培训交通运输公共文化服务体系知识产权保护市场监管';
    const { terms } = words(raw);
    expect(terms).toHaveLength(MAX_QUESTION_TERMS);
    expect(terms.slice(0, 4)).toEqual(['规划', '建设', '管理工作', '安全']);
    expect(terms[MAX_QUESTION_TERMS - 1]).toBe('安置');
    expect(terms).not.toContain('住房公积金');
  });
});
