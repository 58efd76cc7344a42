/**
 * Parallel clauses (其他地区的相似条款) on the five seed notices. The table was written by reading
 * the notices side by side: for each topic, a clause of one notice and, for every other notice that
 * has one, its parallel clause — which must be among the top 5 similar hits. Clauses are named
 * `地区：words from the clause` (unique among that notice's paragraphs), so the table reads like
 * the notices and survives re-numbering.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/analysis/normalize.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { AppError } from '../../src/domain/errors.js';
import type { Paragraph, PolicyDocument } from '../../src/domain/types.js';
import { SearchService } from '../../src/search/service.js';
import { isClauseLike, MAX_SIMILAR_LIMIT } from '../../src/search/similar.js';
import { seedClause, seedIndex } from '../helpers/seeds.js';

let service: SearchService;
let docs: PolicyDocument[];
beforeAll(async () => {
  const seeds = await seedIndex();
  docs = seeds.docs;
  service = new SearchService(seeds.built, DEFAULT_LIMITS);
});

const clause = (name: string): Paragraph => seedClause(docs, name);

interface Row {
  /** The shared topic. */
  topic: string;
  source: string;
  /** One entry per other notice that has a parallel clause; alternatives where it has two. */
  parallels: Array<string | string[]>;
}

const TOP = 5;

const ROWS: Row[] = [
  // 权责清单 / 权力配置信息公开 (the example).
  {
    topic: '权力配置信息公开',
    source: '鹿城区：加强权力配置信息公开。对照',
    parallels: ['鼓楼区：以权责清单为依托', ['天台县：（一）加强权力配置信息公开', '天台县：对照法律法规规章，全面梳理本机关'], '海阳市：推进管理和服务公开'],
  },
  // 重大行政决策: 目录、预公开、征求意见.
  {
    topic: '重大行政决策公开',
    source: '鹿城区：加强重大行政决策公开',
    parallels: ['天台县：加强权力运行过程信息公开。推进重大行政决策', '海阳市：持续推进决策公开', '鼓楼区：以基层政务公开标准化规范化为抓手', '东阳市：深化重要政府信息公开'],
  },
  // 行政规范性文件: 清理、立改废、统一公开.
  {
    topic: '行政规范性文件',
    source: '鹿城区：建立行政规范性文件动态管理机制',
    parallels: ['鼓楼区：以规范性文件为重点', ['天台县：各部门要系统梳理本机关制发的行政规范性文件', '天台县：加强权力运行过程信息公开'], '海阳市：全链条加强政务信息管理', '东阳市：深化重要政府信息公开'],
  },
  // 行政执法公示 and 市场监管 (双随机、一公开, 监管规则和标准).
  {
    topic: '行政执法和市场监管信息公开',
    source: '鹿城区：深化行政执法和市场监管信息公开',
    parallels: ['天台县：（三）深化行政执法和市场监管信息公开', '鼓楼区：提高市场监管规则和标准公开质量', '海阳市：推进管理和服务公开', '东阳市：推进行政服务和市场监管信息公开'],
  },
  // 政务服务事项、办事指南、办事流程. (海阳市 has no clause of its own on this: its
  // （二）推进管理和服务公开 bundles five topics into one sentence each.)
  {
    topic: '政务服务信息公开',
    source: '鹿城区：推进政务服务信息公开',
    parallels: [['天台县：加强政务公开助推政务服务建设', '天台县：全面优化办事流程，通过互联网等技术手段让办事人动态'], '鼓楼区：提高政务服务透明度便利度', '东阳市：推进行政服务和市场监管信息公开'],
  },
  // 基层政务公开标准化规范化: 标准目录.
  {
    topic: '基层政务公开标准化规范化',
    source: '鹿城区：落实试点领域标准指引',
    parallels: [['天台县：全面推进基层政务公开标准化规范化工作', '天台县：以用权公开为导向'], '海阳市：全面推进基层政务公开标准化规范化建设', '东阳市：夯实基层政务公开标准化规范化基础', '鼓楼区：以基层政务公开标准化规范化为抓手'],
  },
  // 突发公共事件: 应急预案, 疫情信息.
  {
    topic: '突发公共事件信息公开',
    source: '鹿城区：加强突发公共事件信息公开',
    parallels: [['天台县：（一）加强突发公共事件信息公开', '天台县：严格落实政府信息公开条例关于主动公开突发公共事件应急预案'], '鼓楼区：加强各级各类应急预案公开和公共卫生知识普及', '海阳市：聚焦疫情防控加强信息公开', '东阳市：做好涉疫信息公开'],
  },
  // 优化营商环境, 涉企政策. (鼓楼区 spreads this over a whole section, 三、, with no one parallel.)
  {
    topic: '优化营商环境信息公开',
    source: '鹿城区：做好优化营商环境类信息公开',
    parallels: ['天台县：助力做好“六稳”“六保”工作相关信息公开', '海阳市：聚焦优化营商环境加强信息公开'],
  },
  // 重大建设项目 and 公共资源配置.
  {
    topic: '重大建设项目和公共资源配置',
    source: '鹿城区：深化重大建设项目和公共资源配置领域信息公开',
    parallels: [['天台县：深化重大建设项目批准和实施、公共资源配置领域信息公开', '天台县：在门户网站、公共资源交易平台、场所显著位置予以公示'], '海阳市：聚焦中心工作加强信息公开'],
  },
  // 民生领域: 就业、教育、医疗.
  { topic: '民生领域信息公开', source: '鹿城区：强化重点民生领域信息公开', parallels: ['天台县：持续推进民生领域信息公开'] },
  // 政府工作报告重点任务 and 督查审计整改, published regularly.
  {
    topic: '重点工作定期发布',
    source: '鹿城区：完善政府重点工作定期发布机制',
    parallels: ['天台县：建立健全政府重点工作定期发布机制', '海阳市：推进执行和结果公开'],
  },
  // 政策解读: 第一解读人, 图表图解.
  {
    topic: '政策解读',
    source: '鹿城区：提高政策解读可读性和传播力',
    parallels: ['天台县：着力提高政策解读可读性和传播力', '东阳市：突出便民实用创新政策解读方式'],
  },
  // 政务舆情回应.
  {
    topic: '政务舆情回应',
    source: '鹿城区：强化政务舆情处置',
    parallels: ['天台县：及时精准回应社会关切', '东阳市：加强政务舆情管理有效回应公众关切'],
  },
  // 政府网站 and its 政府信息公开 column.
  {
    topic: '政府网站建设',
    source: '鹿城区：推进政府网站规范化建设',
    parallels: ['天台县：推进政府网站集约化管理和政府信息公开专栏建设', ['海阳市：规范政府信息公开专栏设置', '海阳市：推进政府网站集约化管理'], '东阳市：推进政府网站集约化建设'],
  },
  // 政务新媒体: 主管主办, 清理整合.
  {
    topic: '政务新媒体',
    source: '鹿城区：推进政务新媒体健康有序发展',
    parallels: ['天台县：抓实管好政务新媒体', '海阳市：推进政务新媒体规范有序发展', '东阳市：推进政务新媒体数字化管理', '鼓楼区：加强政府网站与政务新媒体建设'],
  },
  // 依申请公开办理.
  {
    topic: '依申请公开',
    source: '鹿城区：提高依申请公开办理质效',
    parallels: [['天台县：不断提高依申请公开办理质效', '天台县：全面提升政府信息公开依申请办理工作质量'], '鼓楼区：规范政府信息公开申请办理工作', '东阳市：加强依申请公开工作规范', '海阳市：规范依申请公开工作'],
  },
  // 六稳: 稳就业、稳金融、稳外贸….
  {
    topic: '六稳',
    source: '鼓楼区：助力做好“六稳”工作',
    parallels: [['天台县：全面阐释“六稳”', '天台县：助力做好“六稳”“六保”工作相关信息公开'], '海阳市：聚焦“六稳”“六保”工作加强政策解读回应'],
  },
  // 六保: 保居民就业、保基本民生….
  {
    topic: '六保',
    source: '鼓楼区：助力落实“六保”任务',
    parallels: [['天台县：实时发布“六保”', '天台县：助力做好“六稳”“六保”工作相关信息公开'], '海阳市：聚焦“六稳”“六保”工作加强政策解读回应'],
  },
  // 应急预案公开 and 公共卫生知识普及.
  {
    topic: '应急预案和公共卫生知识',
    source: '鼓楼区：加强各级各类应急预案公开和公共卫生知识普及',
    parallels: [['天台县：严格落实政府信息公开条例关于主动公开突发公共事件应急预案', '天台县：大力加强公共卫生知识日常普及工作', '天台县：（一）加强突发公共事件信息公开'], '海阳市：聚焦疫情防控加强信息公开', '鹿城区：加强突发公共事件信息公开'],
  },
  // 涉及公共卫生事件的政府信息公开申请, 个人信息保护.
  { topic: '公共卫生事件信息公开申请', source: '鼓楼区：严格依法保护各项法定权利', parallels: ['天台县：妥善办理涉及公共卫生事件的政府信息公开申请'] },
  // 主动公开新规定, 政府信息公开平台.
  { topic: '主动公开新要求', source: '鼓楼区：落实政府信息公开主动公开新要求', parallels: ['天台县：正确执行关于主动公开的新规定'] },
  // 领导职责, 工作机构, 工作力量.
  {
    topic: '政务公开领导责任和工作力量',
    source: '鼓楼区：明确领导责任',
    parallels: [['天台县：要依法确定一名负责同志', '天台县：各部门要加强对政务公开工作的组织领导'], '鹿城区：加强机构队伍建设', '海阳市：加强组织领导', '东阳市：配齐配强政务公开工作力量'],
  },
  // 政府信息公开条例 in 领导干部学法 and 公务员培训.
  {
    topic: '政务公开培训',
    source: '鼓楼区：强化培训工作',
    parallels: ['天台县：要把政府信息公开条例作为落实领导干部学法制度', '东阳市：强化政务公开体制机制保障'],
  },
  // 事业单位 / 公共企事业单位信息公开.
  {
    topic: '事业单位信息公开',
    source: '鼓楼区：建立健全事业单位信息公开制度',
    parallels: ['天台县：通过推进公共企事业单位信息公开', '海阳市：完善制度规范'],
  },
  // 组织领导, 工作机构, 配齐配强工作力量.
  {
    topic: '组织保障和机构队伍',
    source: '鹿城区：加强机构队伍建设',
    parallels: ['天台县：各部门要加强对政务公开工作的组织领导', '鼓楼区：明确领导责任', '海阳市：加强组织领导', '东阳市：配齐配强政务公开工作力量'],
  },
  // 发布、审查、协调、动态调整 配套机制.
  { topic: '配套工作机制', source: '鹿城区：完善配套工作机制', parallels: ['天台县：各部门要加强对政务公开工作的组织领导'] },
  // 考核评估.
  { topic: '考核评估', source: '鼓楼区：规范考核评估', parallels: ['鹿城区：强化监督和考核'] },
];

const similarIds = (p: Paragraph, limit = TOP) => service.similar(p.id, limit).hits.map((h) => h.id);

describe('parallel clauses on the seeds', () => {
  it('the table covers at least 10 topics, each in several notices', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(10);
    expect(ROWS.filter((r) => r.parallels.length >= 2).length).toBeGreaterThanOrEqual(10);
  });

  it.each(ROWS.map((r) => [r.topic, r] as const))('%s: every parallel clause is in the top 5', (_topic, row) => {
    const source = clause(row.source);
    const top = similarIds(source);
    for (const parallel of row.parallels) {
      const accepted = (Array.isArray(parallel) ? parallel : [parallel]).map((name) => clause(name).id);
      expect(
        top.some((id) => accepted.includes(id)),
        `${row.source} → ${[parallel].flat().join(' | ')}`,
      ).toBe(true);
    }
  });

  it("the issue's example: 鹿城区's 权责清单 clause finds 天台县's （一）加强权力配置信息公开 first", () => {
    const top = similarIds(clause('鹿城区：加强权力配置信息公开。对照'), 1);
    expect(top).toEqual([clause('天台县：（一）加强权力配置信息公开').id]);
  });
});

describe('similar hits: invariants over every paragraph of the seeds', () => {
  const everyParagraph = () => docs.flatMap((d) => d.paragraphs);

  it('never from the same document; only clause-like paragraphs; sorted by score; within the limit', () => {
    const byId = new Map(everyParagraph().map((p) => [p.id, p]));
    for (const p of everyParagraph()) {
      const { paragraph, hits } = service.similar(p.id, 8);
      expect(paragraph.id).toBe(p.id);
      expect(hits.length).toBeLessThanOrEqual(8);
      for (const h of hits) {
        expect(h.docId, `${p.id} → ${h.id}`).not.toBe(p.docId);
        expect(isClauseLike(byId.get(h.id)!), h.id).toBe(true);
        expect(h.score).toBeGreaterThan(0);
        expect(h.score).toBeLessThanOrEqual(1);
      }
      const scores = hits.map((h) => h.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('shared terms are non-empty, distinct, and occur in both texts', () => {
    let checked = 0;
    for (const p of everyParagraph().filter(isClauseLike)) {
      const source = normalizeForMatch(p.text);
      for (const h of service.similar(p.id, 5).hits) {
        expect(h.sharedTerms.length).toBeGreaterThan(0);
        expect(new Set(h.sharedTerms).size).toBe(h.sharedTerms.length);
        const target = normalizeForMatch(h.text);
        for (const t of h.sharedTerms) {
          expect(source, `${p.id}: ${t}`).toContain(t);
          expect(target, `${h.id}: ${t}`).toContain(t);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('shared terms name the topic, rare wording before common words', () => {
    const hits = service.similar(clause('鹿城区：加强权力配置信息公开。对照').id, 4).hits.filter((h) => h.text.includes('权责清单'));
    expect(hits.length).toBeGreaterThanOrEqual(3);
    for (const h of hits) {
      expect(h.sharedTerms, h.id).toContain('权责清单');
      // 公开 is in almost every clause: when listed at all, it comes after the topic word.
      const common = h.sharedTerms.indexOf('公开');
      if (common !== -1) expect(common).toBeGreaterThan(h.sharedTerms.indexOf('权责清单'));
    }
  });

  it('hits carry citation, permalink and document summary', () => {
    const { paragraph, hits } = service.similar(clause('鼓楼区：明确领导责任').id);
    expect(paragraph.citation).toMatch(/^《.+》（鼓政办〔2020〕65号）六、（一）$/u);
    expect(hits.length).toBe(10); // the default limit
    for (const h of hits) {
      expect(h.citation.startsWith(`《${h.doc.title}》`)).toBe(true);
      expect(h.url).toBe(`/docs/${h.docId}#${h.id}`);
      expect(h.doc.id).toBe(h.docId);
    }
  });

  it('is deterministic', () => {
    const id = clause('鹿城区：推进政务新媒体健康有序发展').id;
    expect(service.similar(id, 20)).toEqual(service.similar(id, 20));
  });
});

describe('similar: errors', () => {
  const code = (f: () => unknown): string | null => {
    try {
      f();
      return null;
    } catch (e) {
      return e instanceof AppError ? e.code : String(e);
    }
  };

  it('an unknown paragraph id → E_PARAGRAPH_NOT_FOUND (404)', () => {
    const known = clause('鼓楼区：明确领导责任');
    for (const id of ['nope', `${known.docId}-p99999`, `${known.docId}-x1`, `missing-p1`, '', `${known.docId}-p-1`]) {
      expect(code(() => service.similar(id)), id).toBe('E_PARAGRAPH_NOT_FOUND');
      expect(code(() => service.compare(id, known.id)), id).toBe('E_PARAGRAPH_NOT_FOUND');
      expect(code(() => service.compare(known.id, id)), id).toBe('E_PARAGRAPH_NOT_FOUND');
    }
    expect(new AppError('E_PARAGRAPH_NOT_FOUND').status).toBe(404);
  });

  it('a limit outside 1..MAX_SIMILAR_LIMIT → E_LIMIT_RANGE', () => {
    const id = clause('鼓楼区：明确领导责任').id;
    for (const limit of [0, -1, 1.5, MAX_SIMILAR_LIMIT + 1, Number.NaN]) expect(code(() => service.similar(id, limit)), String(limit)).toBe('E_LIMIT_RANGE');
    expect(service.similar(id, MAX_SIMILAR_LIMIT).hits.length).toBeGreaterThan(10);
  });
});
