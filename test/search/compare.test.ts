/**
 * The word-level diff of two clauses, on real clause pairs from the seed notices: the marked
 * differences reassemble exactly into each original text (repaired page breaks, full- and
 * half-width punctuation, tab-separated table rows included), the summary figures agree with the
 * parts, and a clause compared with itself is 100% the same.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { DiffPart, Paragraph, PolicyDocument } from '../../src/domain/types.js';
import { diffClauses, tokenizeForDiff } from '../../src/search/compare.js';
import { SearchService } from '../../src/search/service.js';
import { seedClause, seedIndex } from '../helpers/seeds.js';

let docs: PolicyDocument[];
let service: SearchService;
beforeAll(async () => {
  const seeds = await seedIndex();
  docs = seeds.docs;
  service = new SearchService(seeds.built, DEFAULT_LIMITS);
});

const clause = (name: string): Paragraph => seedClause(docs, name);

const WORDLIKE = /[\p{L}\p{N}]/u;
const words = (tokens: string[]) => tokens.filter((t) => WORDLIKE.test(t)).length;
const visible = (s: string) => [...s].filter((ch) => !/\s/u.test(ch)).length;
const join = (parts: DiffPart[], keep: DiffPart['kind']) => parts.filter((p) => p.kind === 'same' || p.kind === keep).map((p) => p.text).join('');

interface Pair {
  why: string;
  a: string;
  b: string;
  /** Wording both keep, found whole inside one `same` part. */
  same: string[];
  /** Wording only in A (inside removed parts) and only in B (inside added parts). */
  removed: string[];
  added: string[];
}

const PAIRS: Pair[] = [
  {
    why: "the issue's example; 1. versus （一）, 区 versus 县 units",
    a: '鹿城区：加强权力配置信息公开。对照',
    b: '天台县：（一）加强权力配置信息公开',
    same: ['加强权力配置信息公开。', '重点推进个人和企业全生命周期“一件事”'],
    removed: ['1. ', '区委改革办'],
    added: ['（一）', '县发改局、县跑改办、县司法局'],
  },
  {
    why: '鹿城区 breaks 对目录所列决策 / 事项 across a page (a line-join repair); the joined text matches 天台县',
    a: '鹿城区：加强重大行政决策公开',
    b: '天台县：加强权力运行过程信息公开。推进重大行政决策',
    same: ['对目录所列决策事项除依法不予公开外，要主动向社会公布决策草案等，广泛征求公众意见'],
    removed: ['温鹿政发〔2018〕108号'],
    added: ['加大基层行政决策公众参与力度'],
  },
  {
    why: '鹿城区 repairs “ and ” to 和 (行政执法和市场监管); half-width and full-width commas differ',
    a: '鹿城区：深化行政执法和市场监管信息公开',
    b: '天台县：（三）深化行政执法和市场监管信息公开',
    same: ['深化行政执法和市场监管信息公开。全面推行行政执法公示制度'],
    removed: ['全区'],
    added: ['全县'],
  },
  {
    why: '鼓楼区 types (二) and (责任单位… half-width, 天台县 （三） and （责任单位 full-width',
    a: '鼓楼区：规范政府信息公开申请办理工作',
    b: '天台县：不断提高依申请公开办理质效',
    same: ['以完善内部制度为抓手，以规范答复文书格式为重点，全面提升', '切实做到以公开为常态、不公开为例外。'],
    removed: ['(二) ', '区直各有关单位、各街镇)'],
    added: ['（三）', '（'],
  },
  {
    why: "a table row (cells joined by tabs) against the clause it was taken from; the row's unit and date cells are removed",
    a: '天台县：严格落实政府信息公开条例关于主动公开突发公共事件应急预案',
    b: '鼓楼区：加强各级各类应急预案公开和公共卫生知识普及',
    same: ['严格落实政府信息公开条例关于主动公开突发公共事件应急预案的要求，有针对性地加强宣传培训'],
    removed: ['11\t', '\t2020年11月底前完成'],
    added: ['（二）加强各级各类应急预案公开和公共卫生知识普及。'],
  },
  {
    why: '鹿城区 writes (年本), with half-width brackets and comma; 天台县 （年本）》，',
    a: '鹿城区：深化重大建设项目和公共资源配置领域信息公开',
    b: '天台县：深化重大建设项目批准和实施、公共资源配置领域信息公开',
    same: ['公共资源交易数据共享平台体系'],
    removed: ['('],
    added: ['（'],
  },
  {
    why: 'two table rows of one task table',
    a: '天台县：对照法律法规规章，全面梳理本机关',
    b: '天台县：督促依法公开工作职能、机构设置等信息',
    same: ['牵头，县级各有关部门', '负责\t2020年11月底前完成'],
    removed: ['1\t对照法律法规规章', '县委编办、县司法局'],
    added: ['2\t督促依法公开', '县府办', '、各乡镇（街道）'],
  },
];

describe('diffClauses on real clause pairs', () => {
  it.each(PAIRS.map((p) => [p.why, p] as const))('%s', (_why, pair) => {
    const a = clause(pair.a).text;
    const b = clause(pair.b).text;
    const { parts, summary } = diffClauses(a, b);

    // The marked differences reassemble exactly into each original text.
    expect(join(parts, 'removed')).toBe(a);
    expect(join(parts, 'added')).toBe(b);
    // Parts are non-empty, neighbours differ, and a change reads removed-then-added.
    for (const [i, p] of parts.entries()) {
      expect(p.text.length).toBeGreaterThan(0);
      if (i > 0) expect(p.kind).not.toBe(parts[i - 1]!.kind);
      if (p.kind === 'added' && i + 1 < parts.length) expect(parts[i + 1]!.kind).toBe('same');
    }

    const within = (kind: DiffPart['kind'], text: string) => parts.some((p) => p.kind === kind && p.text.includes(text));
    for (const s of pair.same) expect(within('same', s), `same: ${s}`).toBe(true);
    for (const s of pair.removed) expect(within('removed', s), `removed: ${JSON.stringify(s)}`).toBe(true);
    for (const s of pair.added) expect(within('added', s), `added: ${JSON.stringify(s)}`).toBe(true);

    // Summary figures agree with the parts and the texts.
    const sameText = parts.filter((p) => p.kind === 'same').map((p) => p.text).join('');
    expect(summary.sameChars).toBe(visible(sameText));
    expect(summary.sameChars + summary.removedChars).toBe(visible(a));
    expect(summary.sameChars + summary.addedChars).toBe(visible(b));
    expect(summary.sharedRatio).toBeCloseTo((2 * summary.sameChars) / (visible(a) + visible(b)), 3);
    expect(summary.sharedRatio).toBeGreaterThan(0);
    expect(summary.sharedRatio).toBeLessThan(1);
    // Each text's words are split between the common wording and its own changes.
    expect(summary.sameWords + summary.removedWords).toBe(words(tokenizeForDiff(a)));
    expect(summary.sameWords + summary.addedWords).toBe(words(tokenizeForDiff(b)));
    const percent = Math.min(99, Math.round(summary.sharedRatio * 100));
    expect(summary.text).toBe(`相同 ${percent}%，新增 ${summary.addedWords} 词，删去 ${summary.removedWords} 词`);
  });

  it('a clause compared with itself is 100% the same, with nothing added or removed', () => {
    for (const name of PAIRS.flatMap((p) => [p.a, p.b])) {
      const text = clause(name).text;
      const { parts, summary } = diffClauses(text, text);
      expect(parts).toEqual([{ kind: 'same', text }]);
      expect(summary.sharedRatio).toBe(1);
      expect(summary.addedWords + summary.removedWords + summary.addedChars + summary.removedChars).toBe(0);
      expect(summary.text).toBe(`相同 100%，新增 0 词，删去 0 词`);
    }
  });

  it('whole notices (thousands of tokens, with line breaks) still reassemble exactly', () => {
    const texts = docs.map((d) => d.paragraphs.map((p) => p.text).join('\n'));
    for (const [a, b] of [[texts[0]!, texts[4]!], [texts[1]!, texts[2]!]] as const) {
      const { parts, summary } = diffClauses(a, b);
      expect(join(parts, 'removed')).toBe(a);
      expect(join(parts, 'added')).toBe(b);
      expect(summary.sameChars + summary.removedChars).toBe(visible(a));
      expect(summary.sameChars + summary.addedChars).toBe(visible(b));
    }
  });

  it('empty texts', () => {
    expect(diffClauses('', '').summary.sharedRatio).toBe(1);
    const { parts, summary } = diffClauses('', '加强权力配置信息公开');
    expect(parts).toEqual([{ kind: 'added', text: '加强权力配置信息公开' }]);
    expect(summary.sharedRatio).toBe(0);
    expect(summary.text).toMatch(/^相同 0%，新增 \d+ 词，删去 0 词$/u);
  });
});

describe('tokenizeForDiff', () => {
  it('cuts every seed paragraph into tokens that concatenate back to it exactly', () => {
    let tokens = 0;
    for (const p of docs.flatMap((d) => d.paragraphs)) {
      const t = tokenizeForDiff(p.text);
      expect(t.join(''), p.id).toBe(p.text);
      expect(t.every((x) => x.length > 0)).toBe(true);
      tokens += t.length;
    }
    expect(tokens).toBeGreaterThan(10_000);
  });

  it('cuts at jieba words, keeps numbers whole and whitespace apart', () => {
    expect(tokenizeForDiff('2020年9月底前完成')).toEqual(['2020', '年', '9', '月底前', '完成']);
    expect(tokenizeForDiff('1\t对照法律法规')).toEqual(['1', '\t', '对照', '法律法规']);
    expect(tokenizeForDiff('(一) 落实')).toEqual(['(', '一', ')', ' ', '落实']);
  });
});

describe('service.compare', () => {
  it('returns both clauses with citations and the diff of B against A', () => {
    const a = clause('鹿城区：推进政务新媒体健康有序发展');
    const b = clause('天台县：抓实管好政务新媒体');
    const c = service.compare(a.id, b.id);
    expect(c.a.id).toBe(a.id);
    expect(c.b.id).toBe(b.id);
    expect(c.a.citation).toMatch(/^《.+鹿城区.+》（温鹿政办〔2020〕35号）四、15\.$/u);
    expect(c.b.citation).toMatch(/^《.+天台县.+》（天政办便函〔2020〕31号）四、（二）$/u);
    expect(join(c.parts, 'removed')).toBe(a.text);
    expect(join(c.parts, 'added')).toBe(b.text);
    expect(c.summary).toEqual(diffClauses(a.text, b.text).summary);
    // Most of this clause was taken over word for word.
    expect(c.summary.sharedRatio).toBeGreaterThan(0.6);
  });
});
