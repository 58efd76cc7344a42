/**
 * 文种 from titles: a table of real titles from the seeds, notices-dev and the laws corpus, and
 * agreement with notices-dev's published types where the two classifications correspond.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOC_TYPES, docTypeOf } from '../../src/corpus/doctype.js';
import { missingData, NOTICES_DEV, suiteName } from '../helpers/shared-corpus.js';
import { seedIndex } from '../helpers/seeds.js';

describe('docTypeOf', () => {
  const table: Array<[string | null, string | null]> = [
    // The type a cover notice carries.
    ['关于印发《虹口区安全生产和消防安全隐患举报奖励实施办法（试行）》的通知', '办法'],
    ['上海市长宁区人民政府办公室关于转发区消防救援支队制订的《长宁区消防安全责任制实施细则》的通知', '细则'],
    ['上海市人民政府办公厅转发市规划资源局制订的《关于规范临时用地管理的指导意见（试行）》的通知', '意见'],
    ['上海市宝山区人民政府办公室关于转发区消防支队制订的《宝山区关于进一步加强城市公共消防安全的工作意见》 的通知', '意见'],
    ['虹口区人民政府办公室关于印发虹口区生活垃圾全程分类体系建设三年行动计划（2018—2020年）的通知', '计划'],
    ['上海市青浦区人民政府办公室转发区规划土地局关于青浦区土地储备成本认定暂行办法的通知', '办法'],
    ['沪奉水务〔2023〕207号上海市奉贤区水务局关于印发《关于进一步加强排水许可和排水户监管工作的实施方案》通知', '方案'],
    ['天台县人民政府办公室关于印发2020年天台县政务公开工作要点的通知', '要点'],
    // A forwarded notice whose own 的通知 merged into the carrier's.
    ['上海市嘉定区人民政府办公室转发关于调整嘉定区动迁安置房基地和宅基地安置基地土地出让价格标准的通知', '通知'],
    // About another document without carrying it: a 通知.
    ['上海市交通委员会关于延长《上海市乡镇渡口管理办法》有效期的通知', '通知'],
    ['闵行区交通委员会关于废止《闵行区道路桥梁桥下空间管理办法》的通知', '通知'],
    ['上海市经济信息化委关于发布2024年度重点推进城市更新的产业区域的通知', '通知'],
    // Titles ending in their type.
    ['上海市崇明区人民政府关于同意新河镇CMS10-0001单元18-02号地块土地储备工程项目征地房屋补偿方案的批复', '批复'],
    ['宝山区既有多层住宅加装电梯设计方案公示工作的指导意见', '意见'],
    ['中华人民共和国民法典', '法'],
    ['中华人民共和国涉外民事关系法律适用法', '法'],
    ['中华人民共和国刑法修正案（十二）', '修正案'],
    ['外交特权与豁免条例', '条例'],
    ['最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释', '解释'],
    ['最高人民法院关于审理名誉权案件若干问题的解答', '解答'],
    ['北京市区、乡、民族乡、镇人民代表大会代表选举实施细则', '细则'],
    ['全国人民代表大会常务委员会关于县级以下人民代表大会代表直接选举的若干规定', '规定'],
    ['北京市人大常委会组成人员守则', '规则'],
    ['张莉诉北京合力华通汽车服务有限公司买卖合同纠纷案', '案例'],
    // No type word.
    ['劳动者拒绝违法超时加班安排，用人单位能否解除劳动合同', null],
    ['劳动仲裁和劳动诉讼的攻略', null],
    ['改进工作方法', null],
    ['', null],
    [null, null],
  ];
  it.each(table)('%s → %s', (title, type) => {
    expect(docTypeOf(title)).toBe(type);
  });

  it('returns only listed types', () => {
    for (const [title] of table) {
      const t = docTypeOf(title);
      if (t !== null) expect(DOC_TYPES).toContain(t);
    }
  });
});

describe('docTypeOf on the seeds', () => {
  it("files the 工作要点 notices under 要点, and 天台县's 要点及…分工方案 under its last word", async () => {
    const { docs } = await seedIndex();
    const byRegion = Object.fromEntries(docs.map((d) => [d.meta.region, docTypeOf(d.meta.title)]));
    expect(byRegion).toEqual({ 鹿城区: '要点', 鼓楼区: '要点', 东阳市: '要点', 海阳市: '要点', 天台县: '方案' });
  });
});

const skip = missingData(NOTICES_DEV, '../shared/corpus/notices-dev');

describe.skipIf(skip !== null)(suiteName('docTypeOf on notices-dev titles', skip), () => {
  /** Published types that name one of ours (the others, 通知公告 and 规划与计划, are broader groups). */
  const published: Record<string, string[]> = {
    办法: ['办法'],
    实施细则: ['细则'],
    规定: ['规定'],
    实施意见: ['意见', '方案'],
  };
  it('agrees with the published type of cover notices that carry their document', () => {
    const meta = JSON.parse(readFileSync(join(NOTICES_DEV, 'meta.json'), 'utf8')) as Array<{ title: string; type: string }>;
    let compared = 0;
    const disagree: string[] = [];
    for (const m of meta) {
      const expected = published[m.type];
      // A notice about a document it does not carry (延长…有效期, 废止, 停止执行) is a 通知 here.
      if (!expected || /废止|延长|停止执行/u.test(m.title)) continue;
      compared++;
      const got = docTypeOf(m.title);
      if (!expected.includes(got ?? '')) disagree.push(`${m.type} ≠ ${got}: ${m.title}`);
    }
    expect(compared).toBe(30);
    // 徐汇区关于贯彻执行《…实施细则》中居住房屋补偿的实施意见 is an 意见 about a 细则 (published as 实施细则).
    expect(disagree).toEqual([expect.stringContaining('徐汇区关于贯彻执行')]);
  });
});
