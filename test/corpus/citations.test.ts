/**
 * Citations between documents (src/corpus/citations.ts): which other documents a document
 * mentions, and which documents of a corpus those mentions name.
 *
 * - Table tests on sentences copied from the corpora (seeds, notices-dev, laws), as the files
 *   write them: 《title》 with and without 文号, 文号 alone, PDF spacing, nested marks, 《》 that
 *   name no document, the document's own title, laws named without 《》.
 * - Golden references of the five seeds and of hand-checked notices-dev documents; what resolves
 *   among them.
 * - A slice of the laws corpus with known citing/cited pairs (刑法 and its 修正案, 民法典 and the
 *   texts citing it, two versions of 公司法 and of 民事诉讼法), each edge asserted.
 *
 * Suites that read ../shared/corpus/ skip with a note when it is absent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  documentNumbers,
  extractReferences,
  namesDocument,
  ownTitleKeys,
  referenceKey,
  resolveReferences,
} from '../../src/corpus/citations.js';
import { buildDocument } from '../../src/corpus/document.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { emptyMeta } from '../../src/corpus/metadata.js';
import type { DocReference, DocumentMeta, Paragraph, ParagraphKind, PolicyDocument } from '../../src/domain/types.js';
import { SEEDS_DIR } from '../helpers/seeds.js';
import { LAWS_TARBALL, NOTICES_DEV, missingData, suiteName } from '../helpers/shared-corpus.js';

/** A reference as a compact tuple: [paragraph, cue, title, 文号]. */
type Ref = [number, string | null, string | null, string | null];
const tuple = (r: DocReference): Ref => [r.para, r.cue, r.title, r.docNumber];

function paragraph(text: string, index: number, kind: ParagraphKind = 'text'): Paragraph {
  return {
    id: `d-p${index}`,
    docId: 'd',
    index,
    text,
    kind,
    label: null,
    level: null,
    section: [],
    sectionLabels: [],
    units: [],
    deadlines: [],
    repairs: [],
    lines: [index + 1, index + 1],
  };
}

function metaOf(fields: Partial<DocumentMeta>): DocumentMeta {
  return { ...emptyMeta(), ...fields };
}

/** References of paragraphs given as text (or [kind, text]), numbered from 0. */
function refs(texts: ReadonlyArray<string | [ParagraphKind, string]>, fields: Partial<DocumentMeta> = {}): Ref[] {
  const paragraphs = texts.map((t, i) => (typeof t === 'string' ? paragraph(t, i) : paragraph(t[1], i, t[0])));
  return extractReferences(paragraphs, metaOf(fields)).map(tuple);
}

async function loadDocs(dir: string): Promise<PolicyDocument[]> {
  const loaded = await loadCorpus(dir, { maxFileBytes: 20 * 1024 * 1024 });
  return loaded.files.map(buildDocument);
}

/** Documents with their references extracted, as resolveReferences reads them. */
function withReferences(docs: readonly PolicyDocument[]): PolicyDocument[] {
  return docs.map((d) => ({ ...d, meta: { ...d.meta, references: extractReferences(d.paragraphs, d.meta) } }));
}

describe('referenceKey', () => {
  it.each<[string, string]>([
    ['中华人民共和国政府信息公开条例', '政府信息公开条例'],
    ['《政府信息公开条例》', '政府信息公开条例'],
    // PDF spacing and full-width brackets fold away.
    ['国务院办公厅关于印发 2020 年政务公开工作要点的通知', '国务院办公厅关于印发2020年政务公开工作要点的通知'],
    ['长宁区设摊经营管理办法（试行）', '长宁区设摊经营管理办法(试行)'],
    // Nested marks of any kind, quotes and the 、 between joint issuers are dropped.
    ['上海市人民政府关于印发<上海市被征用农民集体所有土地农业人员就业和社会保障管理办法>的通知', '上海市人民政府关于印发上海市被征用农民集体所有土地农业人员就业和社会保障管理办法的通知'],
    ['最高人民法院、最高人民检察院关于办理环境污染刑事案件适用法律若干问题的解释', '最高人民法院最高人民检察院关于办理环境污染刑事案件适用法律若干问题的解释'],
    ['高效办成大件运输“一件事”实施方案', '高效办成大件运输一件事实施方案'],
  ])('%s → %s', (title, key) => {
    expect(referenceKey(title)).toBe(key);
  });
});

describe('namesDocument: which 《…》 name a document', () => {
  it.each<[string, boolean]>([
    ['中华人民共和国政府信息公开条例', true],
    ['2020年政务公开工作要点', true],
    ['浙江省公共资源配置领域政府信息公开标准目录（年本）', true],
    ['中华人民共和国刑法修正案（九）', true],
    ['建筑工程施工质量验收统一标准', true],
    ['关于分解下达应急通信重点工作任务的通知', true],
    ['政府工作报告', true],
    // A newspaper, a gazette, a licence, a form, a pledge, a contract, a residence permit.
    ['人民日报', false],
    ['国务院公报', false],
    ['乡村建设规划许可证', false],
    ['电动自行车火灾事故联动调查信息表', false],
    ['诚信运输承诺书', false],
    ['静安区单位生活垃圾清运处理服务合同', false],
    ['上海市居住证', false],
    ['管理规约', false],
  ])('%s → %s', (title, expected) => {
    expect(namesDocument(title)).toBe(expected);
  });
});

describe('ownTitleKeys: the titles a document is cited by', () => {
  it.each<[string, string[]]>([
    // A cover notice is cited by its own title and by the title of what it carries.
    ['东阳市人民政府办公室关于印发《2021年东阳市政务公开工作要点》的通知', ['东阳市人民政府办公室关于印发2021年东阳市政务公开工作要点的通知', '2021年东阳市政务公开工作要点']],
    ['温州市鹿城区人民政府办公室关于印发2020年温州市鹿城区政务公开工作要点的通知', ['温州市鹿城区人民政府办公室关于印发2020年温州市鹿城区政务公开工作要点的通知', '2020年温州市鹿城区政务公开工作要点']],
    [
      '上海市人民政府关于批转市绿化市容局等五部门制订的《上海市单位生活垃圾处理费征收管理办法》的通知',
      ['上海市人民政府关于批转市绿化市容局等五部门制订的上海市单位生活垃圾处理费征收管理办法的通知', '上海市单位生活垃圾处理费征收管理办法'],
    ],
    [
      '上海市青浦区人民政府办公室转发区规划土地局关于青浦区土地储备成本认定暂行办法的通知',
      ['上海市青浦区人民政府办公室转发区规划土地局关于青浦区土地储备成本认定暂行办法的通知', '区规划土地局关于青浦区土地储备成本认定暂行办法', '青浦区土地储备成本认定暂行办法'],
    ],
    // A notice about a document it does not carry is not that document.
    ['闵行区交通委员会关于废止《闵行区道路桥梁桥下空间管理办法》的通知', ['闵行区交通委员会关于废止闵行区道路桥梁桥下空间管理办法的通知']],
    ['徐汇区关于贯彻执行《上海市国有土地上房屋征收与补偿实施细则》中居住房屋补偿的实施意见', ['徐汇区关于贯彻执行上海市国有土地上房屋征收与补偿实施细则中居住房屋补偿的实施意见']],
    ['中华人民共和国刑法', ['刑法']],
  ])('%s', (title, keys) => {
    expect(ownTitleKeys({ title })).toEqual(keys);
  });

  it('reads the 文号 of 文号 lines too (a judicial interpretation states its own under its heading)', () => {
    const paragraphs = [
      paragraph('最高人民法院关于审理涉彩礼纠纷案件适用法律若干问题的规定', 0, 'title'),
      paragraph('法释〔2024〕1号', 1, 'docnumber'),
    ];
    expect(documentNumbers({ meta: metaOf({}), paragraphs })).toEqual(['法释〔2024〕1号']);
    // Its own number is no citation.
    expect(extractReferences(paragraphs, metaOf({ title: paragraphs[0]!.text }))).toEqual([]);
  });
});

describe('extractReferences on sentences from the corpora', () => {
  it.each<[string, ReadonlyArray<string | [ParagraphKind, string]>, Partial<DocumentMeta>, Ref[]]>([
    [
      'title with its 文号 (seeds 000)',
      ['2. 加强重大行政决策公开。认真落实《温州市鹿城区人民政府重大行政决策程序暂行规定》（温鹿政发〔2018〕108号），建立健全重大行政决策事项目录公开发布机制。'],
      {},
      [[0, '落实', '温州市鹿城区人民政府重大行政决策程序暂行规定', '温鹿政发〔2018〕108号']],
    ],
    [
      'a list shares its cue; 贯彻落实 reads as 贯彻 (seeds 000)',
      ['6. 落实试点领域标准指引。贯彻落实《浙江省人民政府办公厅关于全面推进基层政务公开标准化规范化工作的实施意见》（浙政办发〔2020〕16号）、《温州市人民政府办公室关于全面推进基层政务公开标准化规范化工作的通知》（温政办〔2020〕58号）。'],
      {},
      [
        [0, '贯彻', '浙江省人民政府办公厅关于全面推进基层政务公开标准化规范化工作的实施意见', '浙政办发〔2020〕16号'],
        [0, '贯彻', '温州市人民政府办公室关于全面推进基层政务公开标准化规范化工作的通知', '温政办〔2020〕58号'],
      ],
    ],
    [
      'PDF spacing in the title and the 文号, as in the raw seed file (001)',
      ['根据《国务院办公厅关于印发 2020 年政务公开工作要点的通知》（国办发〔2020〕17 号）和福州市人民政府办公厅关于贯彻《2020 年政务公开工作要点》的通知，我区研究制定了《鼓楼区 2020 年政务公开工作要点》，现印发给你们，请认真抓好落实。'],
      { title: '福州市鼓楼区人民政府办公室关于印发鼓楼区2020年政务公开工作要点的通知', docNumber: '鼓政办〔2020〕65号' },
      [
        [0, '根据', '国务院办公厅关于印发2020年政务公开工作要点的通知', '国办发〔2020〕17号'],
        // 贯彻 introduces the national 要点; the 鼓楼区 要点 is the document itself (printed here).
        [0, '贯彻', '2020年政务公开工作要点', null],
      ],
    ],
    [
      'an abbreviation stands for the full title afterwards (seeds 000)',
      [
        '7. 加强突发公共事件信息公开。严格落实《中华人民共和国政府信息公开条例》（以下简称《条例》）关于主动公开突发公共事件应急预案的法定要求。',
        '19. 完善配套工作机制。根据新修订的《条例》要求，抓紧建立健全政府信息公开发布机制。',
      ],
      {},
      [
        [0, '落实', '中华人民共和国政府信息公开条例', null],
        // 新修订的 describes the 条例: the cue is 根据.
        [1, '根据', '中华人民共和国政府信息公开条例', null],
      ],
    ],
    [
      'a genre word that no abbreviation defines names nothing; 本《意见》 is the document itself (notices-dev 117)',
      ['本《意见》自印发之日起实施。', '按照《实施细则》要求组织专家评审。'],
      {},
      [],
    ],
    [
      '文号 in ASCII parentheses and 【】, ﹝﹞ brackets, a leading zero (notices-dev 151, 112, 148)',
      [
        '根据上海市水务局关于印发《关于进一步加强中心城区排水许可和排水户监管工作的意见》的通知(沪水务【2023】972号)要求，结合我区实际。',
        '第二十八条  不可移动文物保护工程依照《嘉定区区级建设财力项目代理建设管理实施意见》（嘉发改﹝2021﹞17号）实施。',
        '依据《关于进一步加强本市农村宅基地管理工作的通知》（沪农委规〔2020〕05号）。',
      ],
      {},
      [
        [0, '印发', '关于进一步加强中心城区排水许可和排水户监管工作的意见', null],
        [0, '印发', null, '沪水务〔2023〕972号'],
        [1, '依照', '嘉定区区级建设财力项目代理建设管理实施意见', '嘉发改〔2021〕17号'],
        [2, '依据', '关于进一步加强本市农村宅基地管理工作的通知', '沪农委规〔2020〕5号'],
      ],
    ],
    [
      '文号 alone: a table cell (notices-dev 143), 国办发(1985)49号文件 and a 机关代字 after an issuer and a date (laws)',
      [
        '（沪府办发〔2024〕3号）',
        '第九条 凡需新辟军民合用机场，按国办发(1985)49号文件规定办理。',
        '1985年11月30日市人民政府京政发〔1985〕167号文件发布',
      ],
      {},
      [
        [0, null, null, '沪府办发〔2024〕3号'],
        [1, null, null, '国办发〔1985〕49号'],
        [2, null, null, '京政发〔1985〕167号'],
      ],
    ],
    [
      'nested marks are one title, the outer one (notices-dev 109)',
      ['根据《关于修改并印发〈关于落实《关于深化城市有机更新促进历史风貌保护工作的若干意见》的规划土地管理实施细则〉》（沪规划资源风〔2021〕176号）、《本市旧区改造、历史风貌保护项目实施主体公开遴选及协议出让操作工作指引》（沪规划资源用〔2025〕66号）等有关规定，结合我区实际，制定本实施意见。'],
      {},
      [
        [0, '根据', '关于修改并印发〈关于落实《关于深化城市有机更新促进历史风貌保护工作的若干意见》的规划土地管理实施细则〉', '沪规划资源风〔2021〕176号'],
        [0, '根据', '本市旧区改造、历史风貌保护项目实施主体公开遴选及协议出让操作工作指引', '沪规划资源用〔2025〕66号'],
      ],
    ],
    [
      '《》 that name no document: a licence, a form, a pledge (notices-dev 117, 125, 147)',
      [
        '镇（街道）在核发《乡村建设规划许可证》以及竣工验收前应征求联席会议办公室的意见。',
        '填写《电动自行车火灾事故联动调查信息表》（见附件），并及时通报。',
        '开展行业部署和宣传，与运输企业签订《诚信运输承诺书》。',
      ],
      {},
      [],
    ],
    [
      'the cover letter printing its attachment is no citation (seeds 000, notices-dev 101, 105)',
      [
        '《2020年温州市鹿城区政务公开工作要点》已经区政府同意，现印发给你们，请认真贯彻执行。',
        '现将修订后的《黄浦区退出序列公用人民防空工程隐患整治管理办法》印发给你们，请认真按照执行。',
        '区规划资源局《静安区历史风貌保护项目实施主体公开遴选实施意见》已经区政府第3次常务会议通过，现批转给你们，请遵照执行。',
      ],
      { title: '温州市鹿城区人民政府办公室关于印发2020年温州市鹿城区政务公开工作要点的通知' },
      [],
    ],
    [
      'a document printed in the file under its own heading is the document itself (notices-dev 112)',
      [
        ['title', '上海市嘉定区文物局关于延长《嘉定区不可移动文物保护暂行规定》有效期的通知'],
        '经评估，《嘉定区不可移动文物保护暂行规定》需要继续实施，有效期延长至2026年11月1日。',
        ['title', '嘉定区不可移动文物保护暂行规定'],
        '第一条  为加强与规范嘉定区不可移动文物保护工作，根据《中华人民共和国文物保护法》《上海市文物保护条例》等法律、法规，结合本区实际情况，制订《嘉定区不可移动文物保护暂行规定》。',
      ],
      { title: '上海市嘉定区文物局关于延长《嘉定区不可移动文物保护暂行规定》有效期的通知' },
      [
        [3, '根据', '中华人民共和国文物保护法', null],
        [3, '根据', '上海市文物保护条例', null],
      ],
    ],
    [
      'the own title with another 文号 is the edition it replaces (notices-dev 109)',
      ['本实施意见自印发之日起施行。2022年7月印发的《杨浦区历史风貌保护项目实施主体公开遴选实施意见》（杨府办发〔2022〕6号）同时废止。'],
      { title: '关于印发《杨浦区历史风貌保护项目实施主体公开遴选实施意见》的通知' },
      [[0, '废止', '杨浦区历史风貌保护项目实施主体公开遴选实施意见', '杨府办发〔2022〕6号']],
    ],
    [
      '废止 written before or after the title (notices-dev 140, 130)',
      [
        '经研究决定，废止2021年1月8日印发的《闵行区道路桥梁桥下空间管理办法》（闵交规〔2021〕1号）。',
        '原《大件运输许可“一件事”改革工作方案》（沪交法〔2023〕415号）同时废止。',
      ],
      {},
      [
        [0, '废止', '闵行区道路桥梁桥下空间管理办法', '闵交规〔2021〕1号'],
        [1, '废止', '大件运输许可“一件事”改革工作方案', '沪交法〔2023〕415号'],
      ],
    ],
    [
      '印发 introducing a document named inside someone else\'s notice (notices-dev 106)',
      ['2．建设责任体系。根据国务院办公厅关于印发《消防安全责任制实施办法》，推动制定《静安区消防安全责任制实施办法》等配套文件。'],
      {},
      [
        [0, '印发', '消防安全责任制实施办法', null],
        [0, null, '静安区消防安全责任制实施办法', null],
      ],
    ],
    [
      'laws named without 《》: 根据宪法, a list, an article (义务教育法, 刑法修正案（九）)',
      [
        '第一条 为了保障适龄儿童、少年接受义务教育的权利，保证义务教育的实施，提高全民族素质，根据宪法和教育法，制定本法。',
        '一、在刑法第三十七条后增加一条，作为第三十七条之一:“因利用职业便利实施犯罪……”',
        '“被禁止从事相关职业的人违反人民法院依照前款规定作出的决定的，由公安机关依法给予处罚；情节严重的，依照本法第三百一十三条的规定定罪处罚。',
        '第十三条 劳动者依据劳动合同法第三十条第二款和调解仲裁法第十六条规定向人民法院申请支付令。',
      ],
      {},
      [
        [0, '根据', '宪法', null],
        [0, '根据', '教育法', null],
        [1, null, '刑法', null],
        // 本法 is the document itself; 依法 names no law.
        [3, '依据', '劳动合同法', null],
        [3, '依据', '调解仲裁法', null],
      ],
    ],
    [
      'a law named after a verb: the name starts after it (司法解释)',
      ['第二条 以非法占有为目的，应当认定为刑法第二百六十六条规定的“诈骗公私财物”。', '当事人在民事诉讼法第一百二十二条规定的期间内起诉的。'],
      {},
      [
        [0, null, '刑法', null],
        [1, null, '民事诉讼法', null],
      ],
    ],
    [
      'one reference per document and paragraph; 中华人民共和国X法 and X法 are one document',
      ['根据新修订的《政府信息公开条例》要求，抓好教育培训，重点做好贯彻落实《中华人民共和国政府信息公开条例》和主动公开等工作。'],
      {},
      [[0, '根据', '政府信息公开条例', null]],
    ],
    [
      'the own 文号 is no citation',
      [['docnumber', '温鹿政办〔2020〕35号'], '请各单位按照温鹿政办〔2020〕35号文件执行。'],
      { docNumber: '温鹿政办〔2020〕35号' },
      [],
    ],
  ])('%s', (_name, texts, fields, expected) => {
    expect(refs(texts, fields)).toEqual(expected);
  });
});

describe('resolveReferences: the rules', () => {
  const ref = (title: string | null, docNumber: string | null = null, para = 0): DocReference => ({ title, docNumber, para, cue: null });
  const doc = (fields: Partial<DocumentMeta>, references: DocReference[] = []) => ({ meta: metaOf({ ...fields, references }) });

  it('takes the version in force at the citing date, else the earliest; an undated citer gets the latest', () => {
    const docs = [
      doc({ title: '中华人民共和国公司法', issuedDate: '2018-10-26' }),
      doc({ title: '中华人民共和国公司法', issuedDate: '2023-12-29' }),
      doc({ issuedDate: '2022-01-01' }, [ref('中华人民共和国公司法')]),
      doc({ issuedDate: '2024-07-01' }, [ref('公司法')]),
      doc({ issuedDate: '2001-09-30' }, [ref('公司法')]),
      doc({ issuedDate: null }, [ref('公司法')]),
    ];
    const { cites, citedBy, unresolved } = resolveReferences(docs);
    expect(cites.map((list) => list.map((c) => c.target))).toEqual([[], [], [0], [1], [0], [1]]);
    expect(citedBy[0]).toEqual([{ source: 2, paras: [0] }, { source: 4, paras: [0] }]);
    expect(unresolved.flat()).toEqual([]);
  });

  it('prefers the 文号 over the title, and never resolves to the citing document', () => {
    const docs = [
      doc({ title: '关于印发《A办法》的通知', docNumber: '沪府规〔2018〕2号', issuedDate: '2018-01-01' }),
      doc({ title: 'A办法', issuedDate: '2019-01-01' }),
      // Cites by 文号 under another title: the number wins.
      doc({ title: 'C', issuedDate: '2020-01-01' }, [ref('A办法', '沪府规〔2018〕2号', 3)]),
      // 'A办法' is both document 0 (the title it carries) and 1: dated 2019-06 it gets the later.
      doc({ title: 'D', issuedDate: '2019-06-01' }, [ref('A办法')]),
      // Names only itself (dropped), a 文号 nobody has, and its own title with another 文号 (an
      // edition the corpus lacks: unresolved).
      doc({ title: 'B办法', issuedDate: '2019-01-01' }, [ref('B办法'), ref(null, '国发〔2019〕3号'), ref('B办法', '沪府规〔2016〕1号')]),
    ];
    const r = resolveReferences(docs);
    expect(r.cites.map((list) => list.map((c) => c.target))).toEqual([[], [], [0], [1], []]);
    expect(r.cites[2]).toEqual([{ ref: ref('A办法', '沪府规〔2018〕2号', 3), target: 0 }]);
    expect(r.unresolved).toEqual([[], [], [], [], [ref(null, '国发〔2019〕3号'), ref('B办法', '沪府规〔2016〕1号')]]);
  });

  it('cites a whole edition stored as several files of one title and date', () => {
    const docs = [
      doc({ title: '中华人民共和国民法典', issuedDate: '2021-01-01' }),
      doc({ title: '中华人民共和国民法典', issuedDate: '2021-01-01' }),
      doc({ issuedDate: '2024-02-01' }, [ref('中华人民共和国民法典', null, 5)]),
    ];
    expect(resolveReferences(docs).cites[2]!.map((c) => c.target)).toEqual([0, 1]);
  });

  it('keeps every paragraph of a citing document once, in order', () => {
    const docs = [doc({ title: '上海市单位生活垃圾处理费征收管理办法' }), doc({}, [ref('上海市单位生活垃圾处理费征收管理办法', null, 11), ref('上海市单位生活垃圾处理费征收管理办法', null, 2)])];
    expect(resolveReferences(docs).citedBy[0]).toEqual([{ source: 1, paras: [2, 11] }]);
  });
});

describe('the seeds', () => {
  /** Hand-checked against the text of each seed. */
  const GOLDEN: Record<string, Ref[]> = {
    '000_77a096099b19bd9c.txt': [
      [12, '落实', '温州市鹿城区人民政府重大行政决策程序暂行规定', '温鹿政发〔2018〕108号'],
      [16, '贯彻', '浙江省人民政府办公厅关于全面推进基层政务公开标准化规范化工作的实施意见', '浙政办发〔2020〕16号'],
      [16, '贯彻', '温州市人民政府办公室关于全面推进基层政务公开标准化规范化工作的通知', '温政办〔2020〕58号'],
      [18, '落实', '中华人民共和国政府信息公开条例', null],
      [27, '根据', '浙江省集约化平台统一信息资源库数据标准', null],
      [27, '贯彻', '国务院办公厅政府信息与政务公开办公室关于规范政府信息公开平台有关事项的通知', '国办公开办函〔2019〕61号'],
      // 《条例》, defined by 以下简称 in paragraph 18.
      [33, '贯彻', '中华人民共和国政府信息公开条例', null],
      [34, '根据', '中华人民共和国政府信息公开条例', null],
      [35, null, '中华人民共和国政府信息公开条例', null],
    ],
    '001_e8c1d04070ac82a4.txt': [
      [4, '根据', '国务院办公厅关于印发2020年政务公开工作要点的通知', '国办发〔2020〕17号'],
      [4, '贯彻', '2020年政务公开工作要点', null],
      [8, '执行', '中华人民共和国政府信息公开条例', null],
      [14, null, '政府工作报告', null],
    ],
    '002_d3b9a76e1348dbe1.txt': [[44, null, '中华人民共和国政府信息公开条例', null]],
    '003_0917a6ea4d06ba94.txt': [[32, null, '中共中央办公厅国务院办公厅关于全面推进政务公开工作的意见', null]],
    '004_f2e2400d88e8894a.txt': [
      [15, '贯彻', '国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见', '国办发〔2019〕54号'],
      [15, '贯彻', '浙江省人民政府办公厅关于全面推进基层政务公开标准化规范化工作的实施意见', '浙政办发〔2020〕16号'],
      [17, '履行', '政府信息公开条例', null],
      [19, '落实', '浙江省公共资源配置领域政府信息公开标准目录（年本）', null],
      [26, '贯彻', '国务院办公厅政府信息与政务公开办公室关于规范政府信息公开平台有关事项的通知', '国办公开办函〔2019〕61号'],
      [30, '根据', '政府信息公开条例', null],
      [56, '落实', '浙江省公共资源配置领域政府信息公开标准目录（年本）', null],
    ],
  };
  let docs: PolicyDocument[] = [];

  beforeAll(async () => {
    docs = withReferences(await loadDocs(SEEDS_DIR));
  });

  it('cite exactly the golden references (none of them their own 要点)', () => {
    expect(Object.fromEntries(docs.map((d) => [d.file, d.meta.references!.map(tuple)]))).toEqual(GOLDEN);
  });

  it('cite none of each other: every reference names a document outside the seeds', () => {
    const r = resolveReferences(docs);
    expect(r.cites.flat()).toEqual([]);
    expect(r.citedBy.flat()).toEqual([]);
    expect(r.unresolved.map((l) => l.length)).toEqual([9, 4, 1, 1, 7]);
  });
});

const NOTICES_MISSING = missingData(NOTICES_DEV, '../shared/corpus/notices-dev');

describe.skipIf(NOTICES_MISSING !== null)(suiteName('notices-dev', NOTICES_MISSING), () => {
  /** Hand-checked against the texts (the 文号 of each title as printed after it). */
  const GOLDEN: Record<string, Ref[]> = {
    '101_huangpu-renfang-yinhuan-zhengzhi.txt': [
      [8, '根据', '上海市民防工程建设和使用管理办法', null],
      [8, '根据', '上海市民防工程使用和维护管理规定', null],
      [8, '根据', '公用民防工程安全风险评估技术标准', null],
      [8, '根据', '退出民防序列工程处置技术标准', null],
      [33, '根据', '中华人民共和国政府采购法', null],
      [33, '根据', '上海市政府采购实施办法', null],
      [51, '按照', '建筑工程施工质量验收统一标准', null],
      [51, '按照', '建筑装饰装修工程质量验收规范', null],
    ],
    // 《实施细则》 is the abbreviation the first mention defines.
    '105_jingan-lishi-fengmao-baohu-linxuan.txt': [6, 10, 15, 21].map((p, i): Ref => [
      p,
      ['根据', null, '按照', '按照'][i]!,
      '关于落实<关于深化城市有机更新促进历史风貌保护工作的若干意见>的规划土地管理实施细则',
      '沪规划资源风〔2021〕176号',
    ]),
    '109_yangpu-lishi-fengmao-baohu-linxuan.txt': [
      [6, '根据', '关于修改并印发〈关于落实《关于深化城市有机更新促进历史风貌保护工作的若干意见》的规划土地管理实施细则〉', '沪规划资源风〔2021〕176号'],
      [6, '根据', '本市旧区改造、历史风貌保护项目实施主体公开遴选及协议出让操作工作指引', '沪规划资源用〔2025〕66号'],
      [11, '按照', '中华人民共和国文物保护法', null],
      [11, '按照', '上海市历史文化风貌区和优秀历史建筑保护条例', null],
      [11, '按照', '上海市文物保护条例', null],
      [39, '废止', '杨浦区历史风貌保护项目实施主体公开遴选实施意见', '杨府办发〔2022〕6号'],
    ],
    '118_qingpu-tudi-chubei-chengben.txt': [
      [7, '根据', '国务院办公厅关于规范国有土地出让收支管理的通知', '国办发〔2006〕100号'],
      [7, '根据', '国有土地使用权出让收支管理办法', '财综〔2006〕68号'],
      [7, '根据', '土地储备管理办法', '国土资发〔2007〕277号'],
      [7, '根据', '土地储备资金财务管理暂行办法', '财综〔2007〕17号'],
      [7, '根据', '关于规范土地储备和资金管理等相关问题的通知', '财综〔2016〕4号'],
      [7, '根据', '青浦区国有土地使用权出让收支预算管理办法', '青府办发〔2015〕41号'],
      [15, '按照', '上海市征收集体土地房屋补偿暂行规定', null],
      [24, '按照', '上海市人民政府关于印发<上海市被征用农民集体所有土地农业人员就业和社会保障管理办法>的通知', '沪府发〔2003〕66号'],
    ],
    // The 办法 it extends is printed in the file under its heading; the 2015 文号 is kept.
    '129_shi-jiaotongwei-xiangzhen-dukou.txt': [
      [3, null, '上海市乡镇渡口管理办法', '沪交水〔2015〕598号'],
      [8, '根据', '内河渡口渡船安全管理规定', null],
      [8, '根据', '上海港口客运站管理办法', null],
      [11, '根据', '中华人民共和国内河交通安全管理条例', null],
      [11, '根据', '内河渡口渡船安全管理规定', null],
    ],
    '130_shi-jiaotongwei-gonganju-dajian-yunshu.txt': [
      [2, '按照', '国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见', '国发〔2024〕3号'],
      [3, '废止', '大件运输许可“一件事”改革工作方案', '沪交法〔2023〕415号'],
    ],
    '132_xuhui-boli-muqiang-feizhi.txt': [
      [0, '废止', '徐汇区既有玻璃幕墙建筑管理办法', null],
      [1, '根据', '上海市行政规范性文件管理规定', null],
      [1, '废止', '徐汇区既有玻璃幕墙建筑管理办法', '徐建规〔2021〕1号'],
    ],
    '135_jingan-laji-chulifei.txt': [
      [2, '根据', '上海市生活垃圾管理条例', null],
      [2, '根据', '上海市市容环境卫生管理条例', null],
      [2, '根据', '上海市单位生活垃圾处理费征收管理办法', null],
      [11, '根据', '上海市生活垃圾管理条例', null],
      [11, '根据', '上海市市容环境卫生管理条例', null],
      [11, '根据', '国务院办公厅关于转发国家发展改革委住房城乡建设部生活垃圾分类制度实施方案的通知', null],
      [11, '根据', '上海市单位生活垃圾处理费征收管理办法', null],
    ],
    '136_putuo-gonggong-zulin-zhufang.txt': [
      // 中华人民共和国住房和城乡建设部令第11号 is a 令 number, not a 文号.
      [7, '根据', '公共租赁住房管理办法', null],
      [7, '根据', '上海市发展公共租赁住房的实施意见', '沪房规范〔2021〕5号'],
      [12, '参照', '市筹公共租赁住房准入资格申请审核实施办法', null],
      [13, null, '上海市居住房屋租赁管理办法', null],
      [13, null, '上海市发展公共租赁住房的实施意见', null],
      [17, '废止', '上海市普陀区人民政府关于延长<上海市普陀区公共租赁住房实施办法>有效期的通知', '普府规范〔2020〕3号'],
    ],
    '140_minhang-qiaoxia-kongjian-feizhi.txt': [
      [0, '废止', '闵行区道路桥梁桥下空间管理办法', null],
      [2, '根据', '关于落实〈全面评估清理地方性法规政府规章和行政规范性文件工作方案〉相关具体工作安排的通知', null],
      [2, '废止', '闵行区道路桥梁桥下空间管理办法', '闵交规〔2021〕1号'],
    ],
    // Cover letters only: the attachment they print is the document itself.
    '110_minhang-chengshi-gengxin-shiwuwu-guihua.txt': [],
    '113_jiading-jiangqiao-dixia-kongjian-yuan.txt': [],
    '144_pudong-laji-fenlei-tixi.txt': [],
  };
  let docs: PolicyDocument[] = [];

  beforeAll(async () => {
    docs = withReferences(await loadDocs(NOTICES_DEV));
  });

  it('cite exactly the golden references in hand-checked documents', () => {
    const byFile = new Map(docs.map((d) => [d.file, d.meta.references!.map(tuple)]));
    expect(Object.fromEntries(Object.keys(GOLDEN).map((f) => [f, byFile.get(f)]))).toEqual(GOLDEN);
  });

  it('link the one pair that cites each other: 静安区 cites the 市 办法 that 153 carries', () => {
    const r = resolveReferences(docs);
    const index = (prefix: string) => docs.findIndex((d) => d.file.startsWith(prefix));
    const edges = r.cites.flatMap((list, source) => list.map((c) => `${docs[source]!.file.slice(0, 3)}:p${c.ref.para} → ${docs[c.target]!.file.slice(0, 3)}`));
    expect(edges).toEqual(['135:p2 → 153', '135:p11 → 153']);
    expect(r.citedBy[index('153')]).toEqual([{ source: index('135'), paras: [2, 11] }]);
    // Nothing else is in the set: meta.json's 文号 are mostly not printed in the texts, and the
    // 8 the parser reads (of their own 文号 lines) are cited by no other notice.
    expect(docs.filter((d) => d.meta.docNumber !== null).length).toBe(8);
    expect(docs.reduce((n, d) => n + d.meta.references!.length, 0)).toBe(238);
    expect(r.unresolved.flat().length).toBe(236);
  });
});

const LAWS_MISSING = missingData(LAWS_TARBALL, '../shared/corpus/laws-zh.tar.xz');

/** Files with known citing/cited pairs; tar members, so prefixed with ./ */
const LAW_SLICE = [
  './民法典/*',
  './刑法/*',
  './宪法/宪法.md',
  './民法商法/公司法*',
  './诉讼与非诉讼程序法/民事诉讼法*',
  './宪法相关法/国家赔偿法(2012-10-26).md',
  './行政法/义务教育法(2018-12-29).md',
  './行政法/教育法(2021-04-29).md',
  './行政法规/物业管理条例(2018-03-19).md',
  './DLC/山东地方法规/地方性法规/山东/潍坊市物业管理条例(2022-01-21).md',
  './DLC/山东地方法规/地方性法规/山东/山东省物业管理条例(2021-12-03).md',
  './司法解释/最高人民法院关于审理涉彩礼纠纷案件适用法律若干问题的规定(2024-01-17).md',
  './司法解释/最高人民法院关于人民法院强制执行股权若干问题的规定(2021-12-20).md',
  './司法解释/最高人民法院关于审理涉执行司法赔偿案件适用法律若干问题的解释(2022-02-08).md',
];

describe.skipIf(LAWS_MISSING !== null)(suiteName('a slice of the laws corpus', LAWS_MISSING), () => {
  let work = '';
  let docs: PolicyDocument[] = [];
  let resolved: ReturnType<typeof resolveReferences>;
  const at = (file: string) => {
    const i = docs.findIndex((d) => d.file === file);
    if (i < 0) throw new Error(`${file} not in the slice`);
    return i;
  };
  /** The files a document's references resolve to, by cue and title as written. */
  const targetsOf = (file: string) => [...new Set(resolved.cites[at(file)]!.map((c) => `${c.ref.title} → ${docs[c.target]!.file}`))];
  const CODE = ['人格权编', '侵权责任编', '合同编', '婚姻家庭编', '总则', '物权编', '继承编', '附则'].map((p) => `民法典/${p}.md`);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'citations-laws-'));
    execFileSync('tar', ['-xJf', LAWS_TARBALL, '-C', work, '--wildcards', ...LAW_SLICE]);
    docs = withReferences(await loadDocs(work));
    resolved = resolveReferences(docs);
  }, 60_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds the slice', () => {
    expect(docs.length).toBe(35);
    expect(docs.filter((d) => d.meta.title === '中华人民共和国民法典').length).toBe(8);
  });

  it('links 刑法 and its 修正案 both ways: the promulgation lines and 在刑法第X条后增加', () => {
    const amendment = '刑法/刑法修正案（九）.md';
    expect(docs[at(amendment)]!.meta.references!.slice(0, 1).map(tuple)).toEqual([[2, null, '刑法', null]]);
    expect(targetsOf(amendment)).toEqual(['刑法 → 刑法/刑法.md']);
    const criminal = targetsOf('刑法/刑法.md');
    expect(criminal).toContain('中华人民共和国刑法修正案（九） → 刑法/刑法修正案（九）.md');
    expect(criminal).toContain('中华人民共和国刑法修正案（十二） → 刑法/刑法修正案（十二）(2023-12-29).md');
    expect(criminal).toContain('宪法 → 宪法/宪法.md'); // 根据宪法，制定本法
    // Every 修正案 in the slice cites 刑法, and 刑法 cites each of them.
    const amendments = docs.filter((d) => d.file.startsWith('刑法/刑法修正案')).map((d) => at(d.file));
    expect(amendments.length).toBe(12);
    const citingCriminal = resolved.citedBy[at('刑法/刑法.md')]!.map((c) => c.source);
    for (const a of amendments) {
      expect(citingCriminal, docs[a]!.file).toContain(a);
      expect(resolved.citedBy[a]!.map((c) => c.source), docs[a]!.file).toContain(at('刑法/刑法.md'));
    }
  });

  it('cites 民法典 whole: all eight 编, although 婚姻家庭编 carries another date', () => {
    const bride = '司法解释/最高人民法院关于审理涉彩礼纠纷案件适用法律若干问题的规定(2024-01-17).md';
    expect(targetsOf(bride)).toEqual([
      ...CODE.map((f) => `中华人民共和国民法典 → ${f}`),
      // Dated 2024: the 2023 民事诉讼法, not the 2021 one.
      '中华人民共和国民事诉讼法 → 诉讼与非诉讼程序法/民事诉讼法(2023-09-01).md',
    ]);
    // Its own 法释〔2024〕1号 (a 文号 line) is not a reference.
    expect(docs[at(bride)]!.meta.references!.map((r) => r.docNumber)).toEqual([null, null]);
    for (const part of CODE) expect(resolved.citedBy[at(part)]!.map((c) => c.source)).toContain(at(bride));
    expect(targetsOf('DLC/山东地方法规/地方性法规/山东/潍坊市物业管理条例(2022-01-21).md')).toEqual([
      ...CODE.map((f) => `中华人民共和国民法典 → ${f}`),
      '物业管理条例 → 行政法规/物业管理条例(2018-03-19).md',
      '山东省物业管理条例 → DLC/山东地方法规/地方性法规/山东/山东省物业管理条例(2021-12-03).md',
    ]);
  });

  it('resolves to the version in force at the citing date', () => {
    // In force from 2022-01-01: 公司法 as amended in 2018 and 民事诉讼法 as amended in 2021.
    expect(targetsOf('司法解释/最高人民法院关于人民法院强制执行股权若干问题的规定(2021-12-20).md')).toEqual([
      '中华人民共和国民事诉讼法 → 诉讼与非诉讼程序法/民事诉讼法(2021-12-24).md',
      '中华人民共和国公司法 → 民法商法/公司法(2018-10-26).md',
      '民事诉讼法 → 诉讼与非诉讼程序法/民事诉讼法(2021-12-24).md',
    ]);
    // The 2023 公司法 cites the 2023 民事诉讼法 (dated on or before its own date).
    expect(targetsOf('民法商法/公司法(2023-12-29).md')).toContain('中华人民共和国民事诉讼法 → 诉讼与非诉讼程序法/民事诉讼法(2023-09-01).md');
    // 义务教育法 (2018) cites 教育法, of which the slice holds only the 2021 text: the earliest there is.
    expect(targetsOf('行政法/义务教育法(2018-12-29).md')).toEqual(['宪法 → 宪法/宪法.md', '教育法 → 行政法/教育法(2021-04-29).md']);
    expect(targetsOf('司法解释/最高人民法院关于审理涉执行司法赔偿案件适用法律若干问题的解释(2022-02-08).md')).toEqual([
      '中华人民共和国国家赔偿法 → 宪法相关法/国家赔偿法(2012-10-26).md',
      '国家赔偿法 → 宪法相关法/国家赔偿法(2012-10-26).md',
    ]);
  });

  it('never links a document to itself, and leaves what the slice lacks unresolved', () => {
    resolved.cites.forEach((list, source) => {
      for (const c of list) expect(c.target, docs[source]!.file).not.toBe(source);
    });
    const unresolved = resolved.unresolved[at('刑法/刑法.md')]!.map((r) => r.title);
    expect(unresolved).toContain('全国人民代表大会常务委员会关于惩治骗购外汇、逃汇和非法买卖外汇犯罪的决定');
    // Two versions of 公司法 do not cite each other by the title they share.
    expect(resolved.cites[at('民法商法/公司法(2023-12-29).md')]!.some((c) => docs[c.target]!.file.startsWith('民法商法/公司法'))).toBe(false);
  });

});
