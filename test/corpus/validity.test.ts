/**
 * 时效性 extraction (src/corpus/validity.ts): table tests on real sentences of notices-dev and the
 * laws corpus, then the corpora themselves — the seeds (which state nothing), notices-dev against
 * its published status, and a slice of the laws unpacked from ../shared/corpus/laws-zh.tar.xz.
 * The corpus suites skip, with a note, when ../shared/corpus/ is absent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/corpus/document.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { emptyMeta } from '../../src/corpus/metadata.js';
import { extractValidity, isValidityClause, validityState } from '../../src/corpus/validity.js';
import type { DocumentMeta, Paragraph, ParagraphKind, PolicyDocument, ValidityFacts } from '../../src/domain/types.js';
import { seedIndex } from '../helpers/seeds.js';
import { LAWS_TARBALL, missingData, NOTICES_DEV, suiteName } from '../helpers/shared-corpus.js';

const TODAY = '2026-12-06';

/** Paragraphs as the parser would give them: `[kind, text]`, or a text paragraph. */
function paragraphs(items: ReadonlyArray<string | readonly [ParagraphKind, string]>): Paragraph[] {
  return items.map((item, index) => {
    const [kind, text] = typeof item === 'string' ? (['text', item] as const) : item;
    const label = /^(第[一二三四五六七八九十百千]+条|（[一二三四五六七八九十]+）|\d+[．.、])/u.exec(text)?.[1] ?? null;
    return {
      id: `t-p${index}`,
      docId: 't',
      index,
      text,
      kind,
      label,
      level: null,
      section: [],
      sectionLabels: [],
      units: [],
      deadlines: [],
      repairs: [],
      lines: [index + 1, index + 1],
    };
  });
}

function meta(over: Partial<DocumentMeta> = {}): DocumentMeta {
  return { ...emptyMeta(), ...over };
}

/** The facts of a one-paragraph document. */
function factsOf(text: string, over: Partial<DocumentMeta> = {}): ValidityFacts {
  return extractValidity(paragraphs([text]), meta(over));
}

/** Facts in one line for table tests: `effective/expiry`, with `-` for null. */
function dates(f: ValidityFacts): string {
  return `${f.effectiveDate ?? '-'}/${f.expiryDate ?? '-'}`;
}

describe('extractValidity: 施行日期 and 有效期 of one clause', () => {
  // [sentence (source), 成文日期 of the document or null, expected `effective/expiry`]
  it.each<[string, string | null, string]>([
    // The law form of the brief, with the ideographic space after the label.
    ['第八十条　本法自2021年1月1日起施行。', null, '2021-01-01/-'],
    ['第一千二百六十条 本法自2021年1月1日起施行。', null, '2021-01-01/-'], // 民法典 附则
    ['第十七条 本办法自2021年3月1日起实施。', null, '2021-03-01/-'],
    ['本办法由新浜镇人民政府负责解释说明。本办法自2025年2月1日起实行。', null, '2025-02-01/-'], // notices-dev 148
    ['六、本通知自2024年11月1日起施行。', null, '2024-11-01/-'], // 159
    ['第二十四条 本办法自2019年6月10日起施行。', null, '2019-06-10/-'], // 149
    ['本规定自2019年10月1日施行', null, '2019-10-01/-'], // no 起
    // PDF damage: spaced digits (158) and full-width digits.
    ['第三十八条 【施行时间】 本办法自 2019 年 5 月 1 日起施行。', null, '2019-05-01/-'],
    ['本规定自２０２０年１月１日起施行。', null, '2020-01-01/-'],
    // Chinese numerals (司法解释, 企业改制 规定 art. 35).
    ['第三十五条 本规定自二零零三年二月一日起施行。在本规定施行前，本院制定的有关企业改制方面的司法解释与本规定相抵触的，不再适用。', null, '2003-02-01/-'],
    ['本条例自一九九七年十月一日起施行。', null, '1997-10-01/-'],
    // 印发之日 / 发布之日 / 公布之日 / 即日 are the 成文日期 (null when unknown).
    ['本实施意见自印发之日起施行。', '2025-04-14', '2025-04-14/-'], // 109
    ['（二）本意见自印发之日起施行。', '2017-02-09', '2017-02-09/-'], // 146
    ['本《意见》自印发之日起实施。具体内容由青浦区农村村民建房会审联席会议负责解释。', '2023-11-06', '2023-11-06/-'], // 117
    ['本条例自公布之日起施行。', '2021-09-24', '2021-09-24/-'],
    ['本实施意见自印发之日起施行。', null, '-/-'],
    ['3、本预案由公安分局组织实施，本预案自印发之日起实施。', '2016-05-18', '2016-05-18/-'], // 131
    // 印发后30日 (108).
    ['第十七条  本办法自印发后30日起施行。', '2025-05-28', '2025-06-27/-'],
    // Expiry: 有效期至, and the period of 有效期N年 / 试行期N年 (Chinese numerals too), minus a day.
    ['第二十六条 本办法自2024年1月18日起施行，有效期至2029年1月17日。', null, '2024-01-18/2029-01-17'], // 101
    ['第十四条  本办法自发布之日起施行，有效期至2020年7月10日止。', '2015-07-10', '2015-07-10/2020-07-10'], // 129's 办法
    ['第四十三条  本规定自2024年11月1日起实施，有效期二年。', null, '2024-11-01/2026-10-31'], // 112
    ['本办法自发布之日起实施，有效期2年。', '2024-08-14', '2024-08-14/2026-08-13'], // 138
    ['本办法自2025年12月20日起试行，试行期2年。', null, '2025-12-20/2027-12-19'], // 134
    ['本意见自2020年10月1日起施行，有效期为五年。', null, '2020-10-01/2025-09-30'],
    ['本办法自2020年2月29日起试行，试行一年。', null, '2020-02-29/2021-02-28'],
    ['本办法有效期5年。', '2021-06-01', '-/2026-05-31'], // no 施行日期: from the 成文日期
    ['本办法有效期5年。', null, '-/-'],
    ['第三十二条 本办法有效期自2026年1月1日起至2027年12月31日止。', null, '2026-01-01/2027-12-31'], // 107
    ['本年度重点推进城市更新的产业区域名单有效期从即日起至2025年6月30日止。', '2024-06-21', '2024-06-21/2025-06-30'], // 123
    ['本办法自2021年1月1日起施行，至2025年12月31日止。', null, '2021-01-01/2025-12-31'],
    ['本办法自2021年1月1日起至2023年12月31日止执行。', null, '2021-01-01/2023-12-31'],
    // A header line of the laws corpus, and a 题注 of the 司法解释.
    ['2021年1月1日 施行', null, '2021-01-01/-'],
    ['（最高人民法院审判委员会第1421次会议通过 2008年4月17日最高人民法院公告公布 自2008年4月23日起施行）', null, '2008-04-23/-'],
    // 140: the repeal takes effect on a day of its own.
    ['经研究决定，废止2021年1月8日印发的《闵行区道路桥梁桥下空间管理办法》（闵交规〔2021〕1号）,自2025年9月1日生效。', null, '2025-09-01/-'],
  ])('%s', (text, issuedDate, expected) => {
    expect(dates(factsOf(text, { issuedDate }))).toBe(expected);
  });

  // Clauses that are not about the document itself: no date of the document from them.
  it.each<string>([
    '第十六条 临时用地使用人应自临时用地期满之日起一年内完成土地复垦（恢复原地类或达到可供利用状态）。', // 124
    '应急处置项目实施前，应当先签订合同，确因情况紧急未签订合同的，应当自工程实施之日起1个月内启动补签合同流程。', // 138
    '第十四条 临时用地申请资料齐备且符合规定的，区规划资源部门应自受理之日起20个工作日内完成审批。', // 124
    '转让合同自批准之日起生效。',
    '当事人订立的合同自签订之日起生效。',
    '不起诉决定书自公开宣布之日起生效。',
    '第十一条 经核准获得准入资格的申请人，即可由区运营机构根据受理编号进行轮候、配租。《准入资格确认书》有效期2年，到期后需重新申请。', // 149
    '第五条 十六周岁以上公民的居民身份证的有效期为十年、二十年、长期。',
    '种子生产许可证由市或者区、县种子管理机构按照管理权限核发，有效期为三年。',
    '共有总包企业2家，有效期内总包合同2个。', // 139
    '自2005年1月1日起施行的《广州市幼儿教育管理规定》同时废止。',
    '由于《关于高行镇店招店牌管理的实施意见》（浦高府〔2009〕42号）文件有效期届满，自即日起停止执行。', // 145
    '根据《上海市行政规范性文件管理规定》相关要求，经研究，现决定对《徐汇区既有玻璃幕墙建筑管理办法》(徐建规〔2021〕1号)予以废止，废止文件自本通知印发之日起停止执行。', // 132
    '2020年9月底前，完成县乡两级标准目录编制工作。',
    '现将《黄浦区退出序列公用人民防空工程隐患整治管理办法》印发给你们，请认真按照执行。', // 101
    '修订后的《中华人民共和国刑法》1997年10月1日施行以来，一些地方法院就刑法第十二条适用中的几个具体问题向我院请示。',
    '五、本补充安排第一条、第四条自2020年11月27日起施行，第二条、第三条在香港特别行政区完成有关程序后，由最高人民法院公布施行日期。',
  ])('not the document: %s', (text) => {
    const f = factsOf(text, { issuedDate: '2024-01-01' });
    expect([f.effectiveDate, f.effectivePara, f.expiryDate, f.expiryPara]).toEqual([null, null, null, null]);
  });

  it('keeps the clause when its date cannot be known (自印发之日起, no 成文日期)', () => {
    expect(factsOf('第十七条  本办法自印发后30日起施行。')).toEqual({
      effectiveDate: null,
      expiryDate: null,
      effectivePara: 0,
      expiryPara: null,
      repeals: [],
    });
  });

  it('uses the 印发日期 of the 版记 when the 成文日期 is unknown', () => {
    expect(factsOf('本通知自印发之日起施行。', { printedDate: '2020-03-02' }).effectiveDate).toBe('2020-03-02');
  });
});

describe('extractValidity: which clause applies to the whole document', () => {
  it('the attached rules’ own clause, not the cover notice’s (cover notice + 办法, like notices-dev 101)', () => {
    const ps = paragraphs([
      ['title', '黄浦区人民政府关于印发修订后的《黄浦区退出序列公用人民防空工程隐患整治管理办法》的通知'],
      '现将修订后的《黄浦区退出序列公用人民防空工程隐患整治管理办法》印发给你们，请认真按照执行。本通知自印发之日起施行。',
      ['signature', '上海市黄浦区人民政府'],
      ['signature', '2023年12月19日'],
      ['title', '黄浦区退出序列公用人民防空工程隐患整治管理办法'],
      '第一条 为规范工程隐患整治工作，制定本办法。',
      '第二十六条 本办法自2024年1月18日起施行，有效期至2029年1月17日。',
    ]);
    const f = extractValidity(ps, meta({ title: ps[0]!.text, issuedDate: '2023-12-19' }));
    expect(f).toEqual({ effectiveDate: '2024-01-18', expiryDate: '2029-01-17', effectivePara: 6, expiryPara: 6, repeals: [] });
  });

  it('an extension (有效期延长至) wins over the carried rules’ old term; their 发布之日 is unknown (notices-dev 129)', () => {
    const ps = paragraphs([
      ['title', '上海市交通委员会关于延长《上海市乡镇渡口管理办法》有效期的通知'],
      '经市交通委2025年第7次主任办公会议审议通过，《上海市乡镇渡口管理办法》（沪交水〔2015〕598号）继续实施，有效期延长至2030年7月10日止。',
      ['signature', '2025年7月7日'],
      ['title', '上海市乡镇渡口管理办法'],
      '第十四条  本办法自发布之日起施行，有效期至2020年7月10日止。',
    ]);
    const f = extractValidity(ps, meta({ title: ps[0]!.text, issuedDate: '2025-07-07' }));
    expect(f).toEqual({ effectiveDate: null, expiryDate: '2030-07-10', effectivePara: 4, expiryPara: 1, repeals: [] });
  });

  it('a clause for part of the territory is a validity clause, not the 施行日期 of the whole', () => {
    const ps = paragraphs(['第十九条 本规定自2018年1月1日起施行。', '莱芜区、钢城区自2019年5月1日起执行本规定。']);
    expect(dates(extractValidity(ps, meta()))).toBe('2018-01-01/-');
    expect(isValidityClause(ps[1]!.text)).toBe(true);
  });

  it('the law’s own article over its header line (the last clause counts)', () => {
    const ps = paragraphs([
      ['title', '青岛市燃气管理条例'],
      ['signature', '2004年1月1日 施行'],
      '第五十六条 本条例自2019年9月1日起施行。',
    ]);
    expect(extractValidity(ps, meta({ title: '青岛市燃气管理条例' })).effectivePara).toBe(2);
  });
});

describe('extractValidity: repeals', () => {
  const repealed = (items: ReadonlyArray<string | readonly [ParagraphKind, string]>, over: Partial<DocumentMeta> = {}) =>
    extractValidity(paragraphs(items), meta(over)).repeals.map((r) => `${r.title ?? '-'}|${r.docNumber ?? '-'}|${r.para}|${r.cue}`);

  it.each<[string, string[]]>([
    // 《…》（文号）同时废止, with 〈〉 inside the title kept as written (notices-dev 136).
    [
      '第十条  本办法自2021年9月1日起施行，有效期至2026年8月31日，《上海市普陀区人民政府关于延长<上海市普陀区公共租赁住房实施办法>有效期的通知》（普府规范〔2020〕3号）同时废止。',
      ['上海市普陀区人民政府关于延长<上海市普陀区公共租赁住房实施办法>有效期的通知|普府规范〔2020〕3号|0|废止'],
    ],
    // 原《…》 (130).
    [
      '为推动相关业务流程优化再造，上海市交通委员会、上海市公安局联合制定《高效办成大件运输“一件事”实施方案》，现予印发，请遵照执行。原《大件运输许可“一件事”改革工作方案》（沪交法〔2023〕415号）同时废止。',
      ['大件运输许可“一件事”改革工作方案|沪交法〔2023〕415号|0|废止'],
    ],
    // A year and an issuer before the title (laws).
    [
      '第二十七条 本法自1987年5月1日起施行。1957年12月23日公布的《中华人民共和国国境卫生检疫条例》同时废止。',
      ['中华人民共和国国境卫生检疫条例|-|0|废止'],
    ],
    [
      '第十四条 本办法自发布之日起施行。1964年4月20日卫生部、商业部、化工部发布的《管理毒药、限制性剧药暂行规定》，1964年12月7日卫生部、商业部发布的《管理毒性中药的暂行办法》，1979年6月30日卫生部、国家医药管理总局发布的《医疗用毒药、限制性剧药管理规定》，同时废止。',
      ['管理毒药、限制性剧药暂行规定|-|0|废止', '管理毒性中药的暂行办法|-|0|废止', '医疗用毒药、限制性剧药管理规定|-|0|废止'],
    ],
    // Several titles in one list, no 文号 (民法典 附则, shortened).
    [
      '第一千二百六十条 本法自2021年1月1日起施行。《中华人民共和国婚姻法》、《中华人民共和国继承法》、《中华人民共和国民法总则》同时废止。',
      ['中华人民共和国婚姻法|-|0|废止', '中华人民共和国继承法|-|0|废止', '中华人民共和国民法总则|-|0|废止'],
    ],
    // Verb first, with the basis of the decision (根据《…》) left out (140).
    [
      '根据市人大常委会法制委、市政府办公厅、市司法局《关于落实〈全面评估清理地方性法规政府规章和行政规范性文件工作方案〉相关具体工作安排的通知》，结合区政府全面评估清理行政规范性文件相关工作要求，经研究决定，废止2021年1月8日印发的《闵行区道路桥梁桥下空间管理办法》（闵交规〔2021〕1号）,自2025年9月1日生效。',
      ['闵行区道路桥梁桥下空间管理办法|闵交规〔2021〕1号|0|废止'],
    ],
    // 停止执行 after the fragment naming the document (145), 不再执行 (司法解释).
    [
      '经2015年3月31日镇政府行政办公会议审议决定，由于《关于高行镇店招店牌管理的实施意见》（浦高府〔2009〕42号）文件有效期届满，自即日起停止执行。',
      ['关于高行镇店招店牌管理的实施意见|浦高府〔2009〕42号|0|废止'],
    ],
    [
      '《最高人民法院关于办理未成年人刑事案件适用法律的若干问题的解释》（法发〔1995〕9号）自本解释公布之日起不再执行。',
      ['最高人民法院关于办理未成年人刑事案件适用法律的若干问题的解释|法发〔1995〕9号|0|废止'],
    ],
    // A 文号 alone, and the 文号 that issued the title after it (北京市市容环境卫生条例, shortened).
    ['本办法自2016年1月1日起施行，沪府发〔2015〕3号文件同时废止。', ['-|沪府发〔2015〕3号|0|废止']],
    [
      '1986年10月29日市人民政府京政发〔1986〕148号文件发布、根据1994年9月5日市人民政府第20号令第一次修改的《北京市人民政府关于维护楼房阳台整洁的规定》同时废止。',
      ['北京市人民政府关于维护楼房阳台整洁的规定|京政发〔1986〕148号|0|废止'],
    ],
    // A name without 《》 after 原.
    ['本办法自2020年1月1日起施行，原上海市居住证管理办法同时废止。', ['上海市居住证管理办法|-|0|废止']],
    // Not repeals: part of a document, procedure, things that are not documents, cited titles.
    ['《上海市某某管理办法》第五条同时废止。', []],
    ['第二十一条 行政复议期间具体行政行为不停止执行。', []],
    ['《采矿许可证》有效期满，不办理延续登记手续的，《采矿许可证》自行废止。', []],
    ['三、实施《北京市机构改革方案》需要制定、修改、废止地方性法规的，市人民政府应当及时提出议案。', []],
    ['2011年1月8日 《国务院关于废止和修改部分行政法规的决定》第一次修订', []],
    ['第十七条 医师注册后有下列情形之一的，注销注册，废止医师执业证书：', []],
  ])('%s', (text, expected) => {
    expect(repealed([text])).toEqual(expected);
  });

  it('never lists the document itself, but does list an earlier version of the same title', () => {
    const title = '杨浦区历史风貌保护项目实施主体公开遴选实施意见';
    // 109: the earlier version carries its 文号.
    expect(
      repealed([['title', title], `本实施意见自印发之日起施行。2022年7月印发的《${title}》（杨府办发〔2022〕6号）同时废止。`], { title }),
    ).toEqual([`${title}|杨府办发〔2022〕6号|1|废止`]);
    // Same title, no 文号, but 原 / an earlier date: still the earlier version (契税暂行条例).
    expect(repealed([['title', '契税暂行条例'], '第十五条 本条例自1997年10月1日起施行。1950年4月3日中央人民政府政务院发布的《契税暂行条例》同时废止。'], { title: '契税暂行条例' })).toEqual([
      '契税暂行条例|-|1|废止',
    ]);
    // Same title with nothing that makes it another version, or the same 文号: the document itself.
    expect(repealed([['title', '某某办法'], '《某某办法》同时废止。'], { title: '某某办法' })).toEqual([]);
    expect(repealed(['《某某办法》（沪府规〔2020〕1号）同时废止。'], { docNumber: '沪府规〔2020〕1号' })).toEqual([]);
  });

  it('a repeal notice: the body’s 《title》（文号）, not the basis it cites (notices-dev 132)', () => {
    expect(
      repealed(
        [
          ['title', '关于废止规范性文件《徐汇区既有玻璃幕墙建筑管理办法》的通知'],
          '根据《上海市行政规范性文件管理规定》相关要求，经研究，现决定对《徐汇区既有玻璃幕墙建筑管理办法》(徐建规〔2021〕1号)予以废止，废止文件自本通知印发之日起停止执行。',
          ['signature', '2025年2月7日'],
        ],
        { title: '关于废止规范性文件《徐汇区既有玻璃幕墙建筑管理办法》的通知' },
      ),
    ).toEqual(['徐汇区既有玻璃幕墙建筑管理办法|徐建规〔2021〕1号|1|废止']);
  });

  it('a repeal notice whose body names nothing: the title’s 《…》', () => {
    const title = '关于废止《某区临时摊点管理办法》的通知';
    expect(repealed([['title', title], '经研究，决定予以废止。'], { title })).toEqual(['某区临时摊点管理办法|-|0|废止']);
  });

  it('a list introduced by 废止下列…： (items with 《》 and 文号, bare names, table rows)', () => {
    expect(
      repealed([
        '市人民政府决定废止下列规范性文件：',
        '1.《上海市甲管理办法》（沪府发〔2010〕1号）',
        '2.沪府办发〔2012〕5号',
        '特此通知。',
        '3.《不在列表里的办法》',
      ]),
    ).toEqual(['上海市甲管理办法|沪府发〔2010〕1号|1|废止', '-|沪府办发〔2012〕5号|2|废止']);
    // 刑法 art. 452: names without 《》.
    expect(
      repealed([
        '全国人民代表大会常务委员会制定的下列条例、补充规定和决定，已纳入本法或者已不适用，自本法施行之日起，予以废止：',
        '1．中华人民共和国惩治军人违反职责罪暂行条例',
        '2．关于严惩严重破坏经济的罪犯的决定',
      ]),
    ).toEqual(['中华人民共和国惩治军人违反职责罪暂行条例|-|1|废止', '关于严惩严重破坏经济的罪犯的决定|-|2|废止']);
    expect(
      repealed([
        '现决定废止以下文件：',
        ['table-header', '序号\t文件名称\t文号'],
        ['table-row', '1\t上海市乙管理办法\t沪府规〔2018〕3号'],
        ['table-row', '2\t《上海市丙管理规定》（沪府规〔2019〕7号）\t'],
      ]),
    ).toEqual(['上海市乙管理办法|沪府规〔2018〕3号|2|废止', '上海市丙管理规定|沪府规〔2019〕7号|3|废止']);
  });
});

describe('isValidityClause', () => {
  it.each<[string, boolean]>([
    ['第八十条　本法自2021年1月1日起施行。', true],
    ['本办法自发布之日起实施，有效期2年。', true],
    ['第三十二条 本办法有效期自2026年1月1日起至2027年12月31日止。', true],
    ['经评估，《嘉定区不可移动文物保护暂行规定》需要继续实施，有效期延长至2026年11月1日。', true],
    ['有效期至2025年12月31日，各单位应于2025年10月底前申请延续', true],
    ['2021年1月1日 施行', true],
    ['本通知发布实施后，《关于加强本市一般工业固体废弃物处理处置环境管理的通知》（沪环保防〔2015〕419号）同时废止。', true],
    ['经2015年3月31日镇政府行政办公会议审议决定，由于《关于高行镇店招店牌管理的实施意见》（浦高府〔2009〕42号）文件有效期届满，自即日起停止执行。', true],
    ['四、废止《北京市信息化促进条例》（2007年9月14日北京市第十二届人民代表大会常务委员会第三十八次会议通过）', true],
    ['莱芜区、钢城区自2019年5月1日起执行本规定。', true],
    // Deadlines, procedure, other things' validity, cited titles: not the document's validity.
    ['2020年9月底前，完成县乡两级标准目录编制工作', false],
    ['第十六条 临时用地使用人应自临时用地期满之日起一年内完成土地复垦。', false],
    ['转让合同自批准之日起生效。', false],
    ['《准入资格确认书》有效期2年，到期后需重新申请。', false],
    ['第二十一条 行政复议期间具体行政行为不停止执行。', false],
    ['在执行死刑前，发现有下列情形之一的，应当建议人民法院立即停止执行：', false],
    ['3、本预案由公安分局组织实施。', false],
    ['为正确适用《全国人民代表大会常务委员会关于修改〈中华人民共和国民事诉讼法〉的决定》（2012年8月31日第十一届全国人民代表大会常务委员会第二十八次会议通过，2013年1月1日起施行），现就有关问题解释如下：', false],
    ['修订后的《中华人民共和国刑法》1997年10月1日施行以来，一些地方法院就刑法第十二条适用中的几个具体问题向我院请示。', false],
  ])('%s → %s', (text, expected) => {
    expect(isValidityClause(text)).toBe(expected);
  });
});

describe('validityState', () => {
  const facts = (over: Partial<ValidityFacts>): ValidityFacts => ({
    effectiveDate: null,
    expiryDate: null,
    effectivePara: null,
    expiryPara: null,
    repeals: [],
    ...over,
  });
  it.each<[string, ValidityFacts | undefined, string | null, string, string]>([
    ['both dates, in force', facts({ effectiveDate: '2018-01-01', effectivePara: 3, expiryDate: '2027-12-31', expiryPara: 3 }), null, 'in-force', '自2018年1月1日起施行，有效期至2027年12月31日'],
    ['expired', facts({ effectiveDate: '2018-01-01', effectivePara: 3, expiryDate: '2022-12-31', expiryPara: 3 }), null, 'expired', '自2018年1月1日起施行，有效期至2022年12月31日，已届满'],
    ['expires today: still in force', facts({ expiryDate: TODAY, expiryPara: 1 }), null, 'in-force', '有效期至2026年12月6日'],
    ['not yet', facts({ effectiveDate: '2027-01-01', effectivePara: 2 }), null, 'not-yet', '自2027年1月1日起施行，尚未施行'],
    ['takes effect today', facts({ effectiveDate: TODAY, effectivePara: 2 }), null, 'in-force', '自2026年12月6日起施行'],
    ['repealed wins over everything', facts({ effectiveDate: '2027-01-01', effectivePara: 2 }), '《上海市某某办法》（沪府规〔2025〕1号）', 'repealed', '被《上海市某某办法》（沪府规〔2025〕1号）废止'],
    ['nothing stated', facts({}), null, 'in-force', '文中未载明施行日期和有效期'],
    ['a clause whose date is unknown', facts({ effectivePara: 5 }), null, 'in-force', '施行日期未能从文中确定'],
    ['a term without a base day', facts({ effectiveDate: '2020-01-01', effectivePara: 1, expiryPara: 1 }), null, 'in-force', '自2020年1月1日起施行，有效期截止日未能从文中确定'],
    ['facts never extracted', undefined, null, 'in-force', '未分析时效信息，按现行有效显示'],
  ])('%s', (_name, f, repealedBy, state, reason) => {
    expect(validityState(f, TODAY, repealedBy)).toEqual({ state, reason });
  });
});

describe('the seeds', () => {
  it('state no validity at all (five 政务公开工作要点 notices)', async () => {
    const { docs } = await seedIndex();
    expect(docs).toHaveLength(5);
    for (const d of docs) {
      expect(extractValidity(d.paragraphs, d.meta), d.file).toEqual({ effectiveDate: null, expiryDate: null, effectivePara: null, expiryPara: null, repeals: [] });
      expect(validityState(extractValidity(d.paragraphs, d.meta), TODAY, null)).toEqual({ state: 'in-force', reason: '文中未载明施行日期和有效期' });
    }
  });
});

const NOTICES_MISSING = missingData(NOTICES_DEV, '../shared/corpus/notices-dev');

describe.skipIf(NOTICES_MISSING !== null)(suiteName('notices-dev (published status)', NOTICES_MISSING), () => {
  let docs: PolicyDocument[] = [];
  let status = new Map<string, string>();
  const facts = new Map<string, ValidityFacts>();

  beforeAll(async () => {
    const loaded = await loadCorpus(NOTICES_DEV, { maxFileBytes: 20 * 1024 * 1024 });
    docs = loaded.files.map(buildDocument);
    for (const d of docs) facts.set(d.file.slice(0, 3), extractValidity(d.paragraphs, d.meta));
    const published = JSON.parse(readFileSync(join(NOTICES_DEV, 'meta.json'), 'utf8')) as Array<{ file: string; status: string }>;
    status = new Map(published.map((m) => [m.file.slice(0, 3), m.status]));
  });

  /**
   * Hand-checked against each file: number → effective/expiry (`-` for none) and the repealed
   * titles. Every notice not listed states nothing (asserted below).
   */
  const GOLDEN: Record<string, [string, string[]]> = {
    '101': ['2024-01-18/2029-01-17', []], // 本办法自2024年1月18日起施行，有效期至2029年1月17日
    '107': ['2026-01-01/2027-12-31', []], // 有效期自2026年1月1日起至2027年12月31日止
    '108': ['-/-', []], // 自印发后30日起施行, but the text has no date at all
    '109': ['2025-04-14/-', ['杨浦区历史风貌保护项目实施主体公开遴选实施意见']], // 自印发之日起; the 2022 version 同时废止
    '112': ['2024-11-01/2026-11-01', []], // 有效期二年, but the cover notice extends it to 2026-11-01
    '115': ['2024-02-01/2029-01-31', []],
    '116': ['2020-09-01/-', []],
    '117': ['2023-11-06/-', []], // 本《意见》自印发之日起实施
    '123': ['2024-06-21/2025-06-30', []], // 名单有效期从即日起至2025年6月30日止
    '124': ['2024-01-01/2025-12-31', []],
    '127': ['2022-07-01/-', []], // the 标准 it approves, 自2022年7月1日起实施
    '129': ['-/2030-07-10', []], // extension; the old 办法's 发布之日 is not in the text
    '130': ['-/-', ['大件运输许可“一件事”改革工作方案']],
    '131': ['2016-05-18/-', []],
    '132': ['-/-', ['徐汇区既有玻璃幕墙建筑管理办法']],
    '133': ['2023-01-20/-', []],
    '134': ['2025-12-20/2027-12-19', []], // 试行期2年
    '135': ['2023-06-22/2028-06-22', []],
    '136': ['2021-09-01/2026-08-31', ['上海市普陀区人民政府关于延长<上海市普陀区公共租赁住房实施办法>有效期的通知']],
    '138': ['2024-08-14/2026-08-13', []], // 自发布之日起实施，有效期2年
    '140': ['2025-09-01/-', ['闵行区道路桥梁桥下空间管理办法']],
    '145': ['-/-', ['关于高行镇店招店牌管理的实施意见']],
    '146': ['2017-02-09/-', []],
    '148': ['2025-02-01/-', []],
    '149': ['2019-06-10/-', []],
    '152': ['2022-01-01/-', ['崇明县农村公路管理养护体制改革实施方案']],
    '153': ['2019-07-01/2023-06-30', []],
    '154': ['2020-10-01/2025-09-30', []],
    '156': ['-/-', ['关于加强本市一般工业固体废弃物处理处置环境管理的通知']],
    '158': ['2019-05-01/-', []], // 本办法自 2019 年 5 月 1 日起施行 (spaced digits)
    '159': ['2024-11-01/-', []],
  };

  it('reads the hand-checked facts of every notice, and nothing from the others', () => {
    expect(docs).toHaveLength(60);
    const got: Record<string, [string, string[]]> = {};
    for (const [n, f] of facts) {
      if (f.effectivePara === null && f.expiryPara === null && !f.repeals.length) continue;
      got[n] = [dates(f), f.repeals.map((r) => r.title ?? '-')];
    }
    expect(got).toEqual(GOLDEN);
  });

  it('counts: 25 effective dates, 13 expiry dates, 8 documents with repeals; 7 expired on 2026-12-06', () => {
    const all = [...facts.values()];
    expect(all.filter((f) => f.effectiveDate).length).toBe(25);
    expect(all.filter((f) => f.expiryDate).length).toBe(13);
    expect(all.filter((f) => f.repeals.length).length).toBe(8);
    const states = all.map((f) => validityState(f, TODAY, null).state);
    expect(states.filter((s) => s === 'expired').length).toBe(7);
    expect(states.filter((s) => s === 'in-force').length).toBe(53);
  });

  it('explains the published 失效 / 废止 status where the text can', () => {
    const by = (s: string) => [...status].filter(([, v]) => v === s).map(([n]) => n).sort();
    expect(by('失效')).toEqual(['103', '124', '149']);
    expect(by('废止')).toEqual(['154']);
    expect(by('实际不再执行')).toEqual(['144']);
    // 124 ran out (有效期至2025年12月31日), as did 154 (至2025年9月30日; published 废止).
    for (const n of ['124', '154']) expect(validityState(facts.get(n), TODAY, null).state, n).toBe('expired');
    // 103 states nothing, 149 only its 施行日期 (2019-06-10): what ended them (a later 细则/办法)
    // is not in their text, and 144 was 实际不再执行 by practice, not by a clause. Honest: in force
    // as far as the text goes, with the reason saying what it states.
    expect(validityState(facts.get('103'), TODAY, null)).toEqual({ state: 'in-force', reason: '文中未载明施行日期和有效期' });
    expect(validityState(facts.get('144'), TODAY, null)).toEqual({ state: 'in-force', reason: '文中未载明施行日期和有效期' });
    expect(validityState(facts.get('149'), TODAY, null)).toEqual({ state: 'in-force', reason: '自2019年6月10日起施行' });
  });

  it('published 有效 with an expiry before today: the published status is older than the expiry, or stale', () => {
    const expiredButPublishedValid = [...facts]
      .filter(([n, f]) => status.get(n) === '有效' && f.expiryDate !== null && f.expiryDate < TODAY)
      .map(([n, f]) => `${n} ${f.expiryDate}`)
      .sort();
    // 112 (extended to 2026-11-01), 136 (2026-08-31) and 138 (2026-08-13) expired after their
    // status was recorded; 123's 2024 list ran until 2025-06-30 and 153's 办法 until 2023-06-30:
    // their 有效 is stale, or they were extended by a notice outside this corpus.
    expect(expiredButPublishedValid).toEqual(['112 2026-11-01', '123 2025-06-30', '136 2026-08-31', '138 2026-08-13', '153 2023-06-30']);
    expect(validityState(facts.get('153'), TODAY, null)).toEqual({
      state: 'expired',
      reason: '自2019年7月1日起施行，有效期至2023年6月30日，已届满',
    });
  });

  it('references carry their 文号 and the paragraph that states them', () => {
    const doc = docs.find((d) => d.file.startsWith('136'))!;
    const [r] = facts.get('136')!.repeals;
    expect(r).toEqual({
      title: '上海市普陀区人民政府关于延长<上海市普陀区公共租赁住房实施办法>有效期的通知',
      docNumber: '普府规范〔2020〕3号',
      para: 17,
      cue: '废止',
    });
    expect(doc.paragraphs[r!.para]!.text).toContain('同时废止');
    // effectivePara / expiryPara index the document's paragraphs: 101's 附则 article.
    const f = facts.get('101')!;
    const rules = docs.find((d) => d.file.startsWith('101'))!;
    expect(rules.paragraphs[f.effectivePara!]!.text).toBe('第二十六条 本办法自2024年1月18日起施行，有效期至2029年1月17日。');
    expect(f.expiryPara).toBe(f.effectivePara);
  });
});

const LAWS_MISSING = missingData(LAWS_TARBALL, '../shared/corpus/laws-zh.tar.xz');

/**
 * A deterministic slice of the laws corpus: every 行政法规 (683 administrative regulations) and
 * every Beijing local regulation (187), plus named files for the cases that matter. Unpacking
 * only these members takes about a second.
 */
const SLICE = [
  './行政法规/*',
  './DLC/北京地方法规/*',
  './民法典/附则.md',
  './民法典/总则.md',
  './刑法/刑法.md',
  './司法解释/最高人民法院关于认可和执行台湾地区法院民事判决的规定(2024-12-17).md',
  './司法解释/最高人民法院关于审理与企业改制相关的民事纠纷案件若干问题的规定(2020-12-29).md',
];

describe.skipIf(LAWS_MISSING !== null)(suiteName('a slice of the laws corpus', LAWS_MISSING), () => {
  let work = '';
  const byFile = new Map<string, { doc: PolicyDocument; facts: ValidityFacts }>();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'validity-laws-'));
    execFileSync('tar', ['-xJf', LAWS_TARBALL, '-C', work, '--wildcards', ...SLICE]);
    const loaded = await loadCorpus(work, { maxFileBytes: 20 * 1024 * 1024 });
    for (const f of loaded.files) {
      const doc = buildDocument(f);
      byFile.set(f.file, { doc, facts: extractValidity(doc.paragraphs, doc.meta) });
    }
  }, 60_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const get = (file: string) => {
    const found = byFile.get(file);
    if (!found) throw new Error(`${file} not in the slice`);
    return found.facts;
  };

  it('finds a 施行日期 in ≥ 90 % of the regulations (the misses are files cut short, before their 附则)', () => {
    expect(byFile.size).toBe(875);
    for (const dir of ['行政法规/', 'DLC/北京地方法规/']) {
      const all = [...byFile].filter(([f]) => f.startsWith(dir));
      const dated = all.filter(([, x]) => x.facts.effectiveDate !== null).length;
      expect(dated / all.length, dir).toBeGreaterThanOrEqual(0.9);
    }
    // Measured: 656 of 683 行政法规; laws state no expiry, and none takes effect after today.
    expect([...byFile].filter(([f, x]) => f.startsWith('行政法规/') && x.facts.effectiveDate).length).toBe(656);
    const facts = [...byFile.values()].map((x) => x.facts);
    expect(facts.filter((f) => f.expiryDate !== null)).toEqual([]);
    expect(new Set(facts.map((f) => validityState(f, TODAY, null).state))).toEqual(new Set(['in-force']));
  });

  it('民法典: 自2021年1月1日起施行, nine laws 同时废止; its other parts date from the header line', () => {
    const f = get('民法典/附则.md');
    expect(f.effectiveDate).toBe('2021-01-01');
    expect(f.repeals.map((r) => r.title)).toEqual([
      '中华人民共和国婚姻法',
      '中华人民共和国继承法',
      '中华人民共和国民法通则',
      '中华人民共和国收养法',
      '中华人民共和国担保法',
      '中华人民共和国合同法',
      '中华人民共和国物权法',
      '中华人民共和国侵权责任法',
      '中华人民共和国民法总则',
    ]);
    expect(get('民法典/总则.md')).toEqual({ effectiveDate: '2021-01-01', expiryDate: null, effectivePara: 3, expiryPara: null, repeals: [] });
  });

  it('刑法: 1997-10-01, and the fifteen 条例/决定 of 附件一 (not the ones 附件二 keeps)', () => {
    const f = get('刑法/刑法.md');
    expect(f.effectiveDate).toBe('1997-10-01');
    expect(f.repeals).toHaveLength(15);
    expect(f.repeals[0]!.title).toBe('中华人民共和国惩治军人违反职责罪暂行条例');
    expect(f.repeals.map((r) => r.title)).not.toContain('关于禁毒的决定');
  });

  it('regulations that repeal earlier ones, with and without 文号', () => {
    const summary = (file: string) => {
      const f = get(file);
      return [f.effectiveDate, ...f.repeals.map((r) => `${r.title}${r.docNumber ? `（${r.docNumber}）` : ''}`)];
    };
    expect(summary('行政法规/医疗事故处理条例(2002-04-04).md')).toEqual(['2002-09-01', '医疗事故处理办法']);
    // The same title, issued in 1950: an earlier 契税暂行条例, not the document itself.
    expect(summary('行政法规/契税暂行条例(2019-03-02).md')).toEqual(['1997-10-01', '契税暂行条例']);
    expect(summary('行政法规/货物进出口管理条例(2001-12-10).md')).toEqual([
      '2002-01-01',
      '中华人民共和国进口货物许可制度暂行条例',
      '出口商品管理暂行办法',
      '机电产品进口管理暂行办法',
      '一般商品进口配额管理暂行办法',
      '进口商品经营管理暂行办法',
    ]);
    expect(summary('司法解释/最高人民法院关于认可和执行台湾地区法院民事判决的规定(2024-12-17).md')).toEqual([
      '2015-07-01',
      '最高人民法院关于人民法院认可台湾地区有关法院民事判决的规定（法释〔1998〕11号）',
      '最高人民法院关于当事人持台湾地区有关法院民事调解书或者有关机构出具或确认的调解协议书向人民法院申请认可人民法院应否受理的批复（法释〔1999〕10号）',
      '最高人民法院关于当事人持台湾地区有关法院支付命令向人民法院申请认可人民法院应否受理的批复（法释〔2001〕13号）',
      '最高人民法院关于人民法院认可台湾地区有关法院民事判决的补充规定（法释〔2009〕4号）',
    ]);
  });

  it('a repeal decision (北京市人大常委会关于废止部分地方性法规的决定) and a Chinese-numeral date', () => {
    const decision = get('DLC/北京地方法规/地方性法规/北京/北京市人民代表大会常务委员会关于废止部分地方性法规的决定.md');
    expect(decision.effectiveDate).toBe('2021-09-24'); // 本决定自公布之日起施行; 通过 2021-09-24
    expect(decision.repeals.map((r) => r.title)).toEqual(['北京市社会治安综合治理条例', '北京市反不正当竞争条例', '北京市邮政通信条例', '北京市信息化促进条例']);
    expect(get('司法解释/最高人民法院关于审理与企业改制相关的民事纠纷案件若干问题的规定(2020-12-29).md').effectiveDate).toBe('2003-02-01');
  });
});
