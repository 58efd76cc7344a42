/**
 * A clause cut at a sentence end, its rest a paragraph of its own before the next clause (seed
 * 000 clause 16.), is joined to the clause; unlabelled paragraphs that are not such a rest stay
 * as they are. Excerpts are real lines of the seeds, notices-dev and the laws corpus; where a case
 * says "page break put after …", a real clause was cut there to make the shape.
 */
import { describe, expect, it } from 'vitest';
import { labelOrdinal, parseLabel } from '../../src/corpus/labels.js';
import { emptyMeta } from '../../src/corpus/metadata.js';
import { parseParagraphs, unrepair } from '../../src/corpus/parse.js';
import type { Paragraph } from '../../src/domain/types.js';

// Seed 000, lines 69-75: clause 16. cut by a page break after its first body sentence.
const SEED_000_15 =
  '15. 推进政务新媒体健康有序发展。进一步明确主管主办职责，按照做强主账号和集约节约的原则，对不符合运营规范、难以继续运营的尽快清理整合。严格内容发布前审核把关，对重点稿件要反复校核，及时发现和纠正错误信息。发生重大突发事件和政务舆情时，相关政务新媒体要按照规定程序，提升响应速度，滚动发布动态信息。加快建设全区统一的政务新媒体管理平台，并推进政府系统政务新媒体和政府网站数据融通、服务融通、应用融通。（责任单位：区政府办公室〈区大数据发展管理局〉、区委宣传部〈区新闻办、区网信办〉，其他区级有关单位，各街镇）';
const SEED_000_16 =
  '16. 提高依申请公开办理质效。以完善内部制度为抓手，建立健全政府信息公开申请登记、审核、办理、答复、归档工作制度，规范工作流程，全面提升政府信息公开申请办理工作质量。';
const SEED_000_16_REST =
  '完善我区依申请公开网上受理系统，进一步做好平台建设，提高工作效率。按照省政府办公厅要求，依申请公开件办理情况全面及时录入“浙江省依申请处理工作系统”工作平台。（责任单位：区政府办公室，其他区级有关单位，各街镇）';
const SEED_000_17 =
  '17. 推进政府信息公开查阅点标准化规范化建设。以依法服务、规范服务、高效服务、便捷服务为主线，对已在区档案馆、区图书馆、区政务服务大厅和相关部门及各街镇便民服务中心设立的政府信息公开查阅点，通过统一服务事项、管理制度、硬件设施、人员配置等标准，实现查阅点设置标准化和运行规范化，为公民、法人和其他组织获取政府信息提供便利。';
const SEED_000 = [SEED_000_15, '', SEED_000_16, '', SEED_000_16_REST, '', SEED_000_17];

interface Case {
  name: string;
  /** Source lines; '' for a blank line. */
  lines: string[];
  /** The clause the paragraph follows. */
  label: string;
  /** How the unlabelled paragraph after it starts. */
  rest: string;
  joined: boolean;
  /** The clause's units, when checked. */
  units?: string[];
}

const CASES: Case[] = [
  // Joined.
  {
    name: 'seed 000 clause 16., its rest and 责任单位 after a page break',
    lines: SEED_000,
    label: '16.',
    rest: '完善我区依申请公开网上受理系统',
    joined: true,
    units: ['区政府办公室', '其他区级有关单位', '各街镇'],
  },
  {
    name: 'seed 002 （一）, page break put after 集中公开。; its 责任单位 line stays between the rest and （二）',
    lines: [
      '一、深化重点领域政务公开',
      '',
      '（一）深化重要政府信息公开。建立完善政府及部门重要制度文件数据库，推进行政规范性文件统一公开，系统清理、实时更新现行有效的行政规范性文件，通过政府网站政府信息公开专栏集中公开。',
      '',
      '政府部门承担起草的拟以政府及政府办公室名义发布的重大决策，通过政府门户网站开展决策预公开，及时发布征求意见稿及相关起草说明，向社会公开征求意见，并在后期适时公开意见征集采纳情况。',
      '',
      '责任单位：市府各部门（字体加粗的单位为工作牵头或汇总单位，配合单位排名不分先后，下同）',
      '',
      '（二）做好各类规划信息集中公开。除法律法规另有规定或内容涉密外，“十四五”发展规划和专项规划、空间规',
    ],
    label: '（一）',
    rest: '政府部门承担起草的拟以政府',
    joined: true,
    units: ['市府各部门'],
  },
  {
    name: 'notices-dev 139 item 1., page break put after its first body sentence',
    lines: [
      '（二）构建系统运营体系',
      '',
      '1.防汛体系建设。2025年汛期，上海城投集团派出工作组参与区防汛办、杨浦区水务管理事务中心（或杨浦市政养护公司）防汛防台应急响应工作，了解掌握我区防汛防台应急响应期间防汛指挥体系与现场处置流程。',
      '',
      '2025年底前，区建设管理委（区水务局）和上海城投集团共同研究确定我区汛期重点地区、重要用户及易积水清单梳理，上海城投集团根据杨浦区情况建立符合区域防汛防台工作需求的专业防汛抢险队伍。上海城投集团2026年起负责杨浦区涉及改革移交的公共排水设施防汛防台工作，并于2026年4月底前将防汛防台专项预案报区防汛办、区建设管理委（区水务局）。2026年5月底前，杨浦区完成区级防汛防台预案修编，将上海城投集团作为成员单位纳入指挥体系。（2025年6月—2026年5月）',
      '',
      '2.感知体系建设。上海城投集团牵头在2026年底前建立三大片区排水感知体系和模拟评估系统建设，根据杨浦区需求开展针对性优化提升并提供技术支持和数据共享。杨浦区对排水感知体系和模拟评估系统建设提供必要的支持和配合。（2025年6月—2026年12月）',
    ],
    label: '1.',
    rest: '2025年底前，区建设管理委',
    joined: true,
  },

  // Not joined.
  {
    name: 'seed 000: closing remarks after the last clause 20., then 抄送',
    lines: [
      '19. 完善配套工作机制。根据新修订的《条例》要求，抓紧建立健全政府信息公开发布机制、政府信息公开审查机制、政府信息公开协调机制、政府信息公开动态调整机制等配套制度规范。',
      '',
      '20. 强化监督和考核。区政府办公室履行政务公开主管部门职责，用《条例》赋予的督促整改、通报批评等法定职权，规范',
      '',
      '考核评估，加强工作过程管理。',
      '',
      '各部门、街镇要结合本要点细化工作任务，结合实际提出具体措施。各部门、街镇年度政务公开工作要点完成情况，纳入政府信息公开工作年度报告并向社会公布。区政府办公室将组织开展监督监测和日常考核评估，并通报结果。',
      '',
      '抄送：区委各部门，区人大常委会、政协办公室，区人武部，区法院，',
    ],
    label: '20.',
    rest: '各部门、街镇要结合本要点',
    joined: false,
  },
  {
    name: 'seed 003: closing remarks after the last clause （三）, then 附件',
    lines: [
      '（二）完善制度规范。继续完善主动公开和依申请公开制度，规范行政决策、执行、管理、服务和结果信息公开，及时更新政府信息公开指南，完善主动公开基本目录，并动态调整更新。制定政策解读规则，指导各单位提升政策解读水平。完善公共企事业单位信息公开制度。',
      '',
      '（三）强化监督评价。各镇区街道、各部门要对《中共中央办公厅国务院办公厅关于全面推进政务公开工作的意见》及其实施细则安排部署的各项工作进行“回头看”，逐项对照自查落实情况，市政府办公室适时组织开展落实情况抽查和评估。要将政务公开列入领导干部和公务员培训内容，分级分类做好培训。各镇区街道、各部门要加强对本单位的政务公开培训，切实提升工作能力和水平。',
      '',
      '各镇区街道、各部门要结合实际，抓紧提出落实本要点的具体措施，认真抓好落实。贯彻落实本要点',
      '',
      '的情况，要纳入政府信息公开年度报告，并向社会公开。',
      '',
      '附件：2020年海阳市政务公开工作要点任务分解表',
    ],
    label: '（三）',
    rest: '各镇区街道、各部门要结合实际',
    joined: false,
  },
  {
    name: 'notices-dev 139: item 2. closes with its 时限 before a second paragraph',
    lines: [
      '2.感知体系建设。上海城投集团牵头在2026年底前建立三大片区排水感知体系和模拟评估系统建设，根据杨浦区需求开展针对性优化提升并提供技术支持和数据共享。杨浦区对排水感知体系和模拟评估系统建设提供必要的支持和配合。（2025年6月—2026年12月）',
      '',
      '上海城投集团与区建设管理委（区水务局）共享相应片区的排水感知体系的实时监测数据和模型模拟结果，实现动态监管。针对感知体系和模拟评估系统发现问题，按照责任分工落实整改。',
      '',
      '3.工作机制建设。现阶段排水许可、行政执法、热线处置等的工作机制和流程不变，上海城投集团按照市、区有关部门的要求落实好相关工作。（2025年6月—2026年12月）',
    ],
    label: '2.',
    rest: '上海城投集团与区建设管理委',
    joined: false,
  },
  {
    name: 'notices-dev 137: a clause that is only a heading (（一）组织架构。), its body below',
    lines: [
      '四、职责分工',
      '',
      '（一）组织架构。',
      '',
      '以虹口区推进生活垃圾分类减量工作联席会议为平台，落实成员单位职责，各成员单位主要负责同志负总责，强化联络员制度，全面实施全区生活垃圾全程分类体系建设工作。将生活垃圾分类减量工作落实情况纳入区政府对各成员单位年度目标考核内容。',
      '',
      '（二）各成员单位职责分工。',
    ],
    label: '（一）',
    rest: '以虹口区推进生活垃圾分类',
    joined: false,
  },
  {
    name: 'notices-dev 146: a one-sentence rule with no heading sentence, then a second rule',
    lines: [
      '（四）区管道路临时停车点新增、调整和撤除的，由公安分局交管部门会同区交通委编制方案，方案确定后，由权属部门组织实施。',
      '',
      '街镇（工业区）及新城区发展公司管辖道路临时停车点新增、调整和撤除的，由街镇（工业区）及新城区发展公司提出申请并拟订方案，经公安分局交管部门审核同意后，由街镇（工业区）及新城区发展公司组织实施。',
      '',
      '（五）新辟公交线路由区交通委制定计划并报公安分局交管部门审核，审核通过后由区交通委组织实施。',
    ],
    label: '（四）',
    rest: '街镇（工业区）及新城区发展公司管辖道路',
    joined: false,
  },
  {
    name: 'notices-dev 159: 二、 with no heading sentence, then a second paragraph',
    lines: [
      '二、对符合上述要求的项目，建设单位可凭设计方案批准文件以及施工许可证的其他法定要件，申请办理桩基础工程（含基坑围护桩）施工许可证，无需提供建设工程规划许可证，先行开展桩基础工程（含基坑围护桩）施工。',
      '',
      '建设单位应当按要求组织开展技术方案专项论证，并配备相应的项目管理团队以及专业管理人员。桩基础工程及其相应基坑围护工程的施工图设计文件（含技术方案专项论证报告），应由符合资质要求的施工图审查机构审查。建设行政管理部门核发桩基础工程（含基坑围护桩）施工许可证时，应载明配套的施工明细范围。',
      '',
      '三、建设单位在申请施工许可证时，应当核实承接项目的建筑施工企业是否具备有效的安全生产许可证，并作出相应承诺。对未持有有效安全生产许可证的建筑施工企业承接的工程项目，建设行政管理部门不得颁发施工许可证。',
    ],
    label: '二、',
    rest: '建设单位应当按要求组织开展',
    joined: false,
  },
  {
    name: 'a judicial interpretation: the second 款 of provision 20., the next provision not headed',
    lines: [
      '20.申请执行人可以委托代理人代为申请执行。委托代理的，应当向人民法院提交经委托人签字或盖章的授权委托书，写明代理人的姓名或者名称、代理事项、权限和期限。',
      '',
      '委托代理人代为放弃、变更民事权利，或代为进行执行和解，或代为收取执行款项的，应当有委托人的特别授权。',
      '',
      '21.执行申请费的收取按照《诉讼费用交纳办法》办理。',
    ],
    label: '20.',
    rest: '委托代理人代为放弃',
    joined: false,
  },
  {
    name: 'seed 000 with 17. renumbered 18.: not the next clause',
    lines: [SEED_000_15, '', SEED_000_16, '', SEED_000_16_REST, '', SEED_000_17.replace(/^17\./, '18.')],
    label: '16.',
    rest: '完善我区依申请公开网上受理系统',
    joined: false,
  },
  {
    name: 'seed 000 with the heading sentence of 16. taken out: not a headed clause',
    lines: [SEED_000_15, '', SEED_000_16.replace('提高依申请公开办理质效。', ''), '', SEED_000_16_REST, '', SEED_000_17],
    label: '16.',
    rest: '完善我区依申请公开网上受理系统',
    joined: false,
  },
  {
    name: 'seed 000 clauses inside a 第X条: the paragraph is the article’s 款',
    lines: ['第五条　区政府办公室做好下列工作：', '', ...SEED_000],
    label: '16.',
    rest: '完善我区依申请公开网上受理系统',
    joined: false,
  },
];

function parse(lines: string[]): Paragraph[] {
  return parseParagraphs(lines.join('\n'), { docId: 't', meta: { ...emptyMeta(), year: 2020 } });
}

describe('clause continuations', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const paragraphs = parse(c.lines);
    const restLine = c.lines.findIndex((l) => l.startsWith(c.rest)) + 1;
    expect(restLine).toBeGreaterThan(0);
    const clause = paragraphs.find((p) => p.label === c.label)!;
    expect(clause.kind).toBe('clause');
    // Every paragraph still gives back its source lines.
    for (const p of paragraphs) {
      expect(unrepair(p)).toBe(c.lines.slice(p.lines[0] - 1, p.lines[1]).join('\n').trim());
    }
    if (c.joined) {
      expect(clause.lines).toEqual([clause.lines[0], restLine]);
      expect(paragraphs.find((p) => p.lines[0] === restLine)).toBeUndefined();
      const join = clause.repairs.filter((r) => r.kind === 'line-join').at(-1)!;
      expect(join.original).toBe('\n\n');
      expect(clause.text.slice(join.end).startsWith(c.rest)).toBe(true);
      expect(clause.text.slice(0, join.start).endsWith('。')).toBe(true);
      // The next paragraph is the next clause or its 责任单位 line.
      const next = paragraphs[clause.index + 1]!;
      expect(next.kind === 'units' || parseLabel(next.text)?.type === parseLabel(c.label)?.type).toBe(true);
    } else {
      expect(clause.lines[1]).toBeLessThan(restLine);
      const rest = paragraphs.find((p) => p.lines[0] === restLine)!;
      expect(rest.kind).toBe('text');
      expect(rest.text.startsWith(c.rest)).toBe(true);
    }
    if (c.units) expect(clause.units).toEqual(c.units);
  });

  it('gives the rest’s 责任单位 to the clause and leaves no paragraph of its own (seed 000)', () => {
    const paragraphs = parse(SEED_000);
    expect(paragraphs.map((p) => [p.kind, p.label])).toEqual([
      ['clause', '15.'],
      ['clause', '16.'],
      ['clause', '17.'],
    ]);
    expect(paragraphs[1]!.text).toBe(`${SEED_000_16}${SEED_000_16_REST}`);
  });
});

describe('labelOrdinal', () => {
  it.each<[string, number | null]>([
    ['16. 提高依申请公开办理质效。', 16],
    ['１．建立工作机制。', 1],
    ['12、做好宣传', 12],
    ['（三）强化监督评价。', 3],
    ['(十五)加强保障', 15],
    ['二十一、其他', 21],
    ['一百零三、其他', 103],
    ['（3）做好解读', 3],
    ['①死亡10人以上', 1],
    ['⑳其他', 20],
    ['第五条　区国动办', null],
  ])('%s → %s', (text, n) => {
    expect(labelOrdinal(parseLabel(text)!)).toBe(n);
  });
});
