/**
 * The Markdown laws format (../shared/corpus/laws-zh.tar.xz): metadata from "# title", the
 * promulgation lines and the `title(YYYY-MM-DD).md` file name; structure from 编/章/节 headings and
 * 第X条 articles. Each case is written in the corpus's own layout (excerpts of real laws).
 */
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/corpus/document.js';
import { parseLabel } from '../../src/corpus/labels.js';
import { extractMetadata, fileNameDate } from '../../src/corpus/metadata.js';

describe('fileNameDate', () => {
  it.each<[string, string | null]>([
    ['刑法/刑法修正案（十二）(2023-12-29).md', '2023-12-29'],
    ['DLC/北京地方法规/地方性法规/北京/北京市人民代表大会常务委员会关于依法防控新型冠状病毒感染肺炎疫情  坚决打赢疫情防控阻击战的决定(2020-02-07).md', '2020-02-07'],
    ['行政法规/某条例（2019-03-02）.md', '2019-03-02'],
    // No date in the name, a date that does not exist, or a date not at the end.
    ['刑法/刑法.md', null],
    ['宪法/宪法修正案（2004年）.md', null],
    ['x/某规定(2021-02-30).md', null],
    ['x/(2021-02-03)某规定.md', null],
    ['101_huangpu-renfang-yinhuan-zhengzhi.txt', null],
  ])('%s → %s', (file, date) => {
    expect(fileNameDate(file)).toBe(date);
  });
});

describe('law metadata', () => {
  it.each<[string, string, string, { title: string; issuedDate: string | null; year: number | null }]>([
    [
      'the latest promulgation date wins over the file name',
      '# 中华人民共和国行政诉讼法\n\n1989年4月4日 第七届全国人民代表大会第二次会议通过\n\n2017年6月27日 第十二届全国人民代表大会常务委员会第二十八次会议《关于修改<中华人民共和国民事诉讼法>和<中华人民共和国行政诉讼法>的决定》第二次修正\n\n<!-- INFO END -->\n\n## 第一章 总则\n',
      '诉讼与非诉讼程序法/行政诉讼法(2017-06-27).md',
      { title: '中华人民共和国行政诉讼法', issuedDate: '2017-06-27', year: 2017 },
    ],
    [
      // 施行 (2021-08-01) is later than the publication date in the file name: the text wins.
      'a date in the text is never replaced by the file name',
      '# 人民法院在线诉讼规则\n\n2021年5月18日 最高人民法院审判委员会第1838次会议通过\n\n2021年8月1日 施行\n\n<!-- INFO END -->\n',
      '司法解释/人民法院在线诉讼规则(2021-06-16).md',
      { title: '人民法院在线诉讼规则', issuedDate: '2021-08-01', year: 2021 },
    ],
    [
      'full-width digits in the promulgation lines',
      '# 山东省清洁生产促进条例\n\n２００２年６月２９日 第九届全国人民代表大会常务委员会第二十八次会议通过\n\n２０１２年２月２９日 第十一届全国人民代表大会常务委员会第二十五次会议修正\n\n<!-- INFO END -->\n',
      'DLC/山东地方法规/地方性法规/山东/山东省清洁生产促进条例(2020-11-27).md',
      { title: '山东省清洁生产促进条例', issuedDate: '2012-02-29', year: 2012 },
    ],
    [
      'no date in the text: the file name gives it',
      '# 人体损伤程度鉴定标准\n\n<!-- INFO END -->\n\n## 范围\n\n本标准规定了人体损伤程度鉴定的原则、方法、内容和等级划分。\n',
      '其他/人体损伤程度鉴定标准(2014-01-01).md',
      { title: '人体损伤程度鉴定标准', issuedDate: '2014-01-01', year: 2014 },
    ],
    [
      'no date anywhere: null, never invented',
      '# 刑法修正案\n\n<!-- INFO END -->\n\n一、第一百六十八条修改为：\n',
      '刑法/刑法修正案.md',
      { title: '刑法修正案', issuedDate: null, year: null },
    ],
    [
      // Two organs separated by spaces in the heading: spaces are layout, the title is one string.
      'joint issuers in the heading',
      '# 最高人民法院  最高人民检察院关于办理强奸、猥亵未成年人刑事案件适用法律若干问题的解释\n\n2023年5月24日 公布\n\n<!-- INFO END -->\n',
      '司法解释/最高人民法院  最高人民检察院关于办理强奸、猥亵未成年人刑事案件适用法律若干问题的解释(2023-05-24).md',
      { title: '最高人民法院最高人民检察院关于办理强奸、猥亵未成年人刑事案件适用法律若干问题的解释', issuedDate: '2023-05-24', year: 2023 },
    ],
  ])('%s', (_why, text, file, expected) => {
    const meta = extractMetadata(text, file);
    expect({ title: meta.title, issuedDate: meta.issuedDate, year: meta.year }).toEqual(expected);
  });

  it('takes the file-name date for a notice only when its text has no 成文日期', () => {
    const dated = '某区关于某事的通知\n\n各单位：\n\n现予印发。\n\n某区人民政府\n\n2020年8月14日\n';
    expect(extractMetadata(dated, '某区关于某事的通知(2020-09-01).txt').issuedDate).toBe('2020-08-14');
    const undated = '某区关于某事的通知\n\n各单位：\n\n现予印发。\n';
    expect(extractMetadata(undated, '某区关于某事的通知(2020-09-01).txt').issuedDate).toBe('2020-09-01');
    expect(extractMetadata(undated, '某区关于某事的通知.txt').issuedDate).toBeNull();
  });
});

/** `kind label [sectionLabels]` of each paragraph of a law parsed as a corpus file. */
function outline(file: string, lines: string[]): string[] {
  const doc = buildDocument({ file, text: lines.join('\n\n') + '\n', encoding: 'UTF-8', checksum: '' });
  return doc.paragraphs.map((p) => `${p.kind} ${p.label ?? '-'} [${p.sectionLabels.join(' ')}]`);
}

describe('article labels of long laws', () => {
  it.each<[string, string | null]>([
    ['第一千二百五十九条 民法所称的“以上”、“以下”、“以内”、“届满”，包括本数；', '第一千二百五十九条'],
    ['第一千一百一十九条 本编调整因继承产生的民事关系。', '第一千一百一十九条'],
    ['第四百五十二条 本法自1997年10月1日起施行。', '第四百五十二条'],
    ['第一千零一十二条之一 某条。', '第一千零一十二条之一'],
    // A mention, not a label.
    ['第一千二百五十九条规定的期间，依照前款计算。', null],
  ])('%s', (text, label) => {
    expect(parseLabel(text)?.text ?? null).toBe(label);
  });

  it('makes clauses of the 民法典 articles past the thousandth', () => {
    expect(
      outline('民法典/附则.md', ['# 附则', '<!-- INFO END -->', '## 第七编 附则', '第一千二百六十条 本法自2021年1月1日起施行。']),
    ).toEqual(['title - []', 'heading 第七编 []', 'clause 第一千二百六十条 [第七编]']);
  });
});

describe('law structure', () => {
  it('nests 编 > 章 > 节 > 条 whatever the number of # (刑法 writes ## 编 over ### 章)', () => {
    expect(
      outline('刑法/刑法.md', [
        '# 中华人民共和国刑法',
        '1979年7月1日 第五届全国人民代表大会第二次会议通过',
        '<!-- INFO END -->',
        '## 第一编 总则',
        '### 第一章 刑法的任务、基本原则和适用范围',
        '第一条 为了惩罚犯罪，保护人民，根据宪法，结合我国同犯罪作斗争的具体经验及实际情况，制定本法。',
        '### 第四章 刑罚的具体运用',
        '#### 第一节 量刑',
        '第六十一条 对于犯罪分子决定刑罚的时候，应当根据犯罪的事实、犯罪的性质、情节和对于社会的危害程度，依照本法的有关规定判处。',
        '## 第二编 分则',
        '### 第一章 危害国家安全罪',
        '第一百零二条 勾结外国，危害中华人民共和国的主权、领土完整和安全的，处无期徒刑或者十年以上有期徒刑。',
      ]),
    ).toEqual([
      'title - []',
      'signature - []',
      'heading 第一编 []',
      'heading 第一章 [第一编]',
      'clause 第一条 [第一编 第一章]',
      'heading 第四章 [第一编]',
      'heading 第一节 [第一编 第四章]',
      'clause 第六十一条 [第一编 第四章 第一节]',
      'heading 第二编 []',
      'heading 第一章 [第二编]',
      'clause 第一百零二条 [第二编 第一章]',
    ]);
  });

  it('puts an unlabelled heading at the depth of the labelled headings of its # level', () => {
    // 刑法: "## 附则" follows "## 第二编 分则" and is its sibling, not one of its chapters.
    const rows = outline('刑法/刑法.md', [
      '# 中华人民共和国刑法',
      '<!-- INFO END -->',
      '## 第二编 分则',
      '### 第十章 军人违反职责罪',
      '第四百五十一条 本章所称战时，是指国家宣布进入战争状态、部队受领作战任务或者遭敌突然袭击时。',
      '## 附则',
      '第四百五十二条 本法自1997年10月1日起施行。',
    ]);
    expect(rows.slice(-2)).toEqual(['heading - []', 'clause 第四百五十二条 []']);
    const doc = buildDocument({
      file: 'x.md',
      text: ['# 某法', '<!-- INFO END -->', '## 第二编 分则', '### 第十章 某罪', '## 附则', '第九条 本法自公布之日起施行。'].join('\n\n'),
      encoding: 'UTF-8',
      checksum: '',
    });
    expect(doc.paragraphs.at(-1)!.section).toEqual(['附则']);
  });

  it('keeps an unlabelled "## 序言" with the chapters when no labelled heading came first', () => {
    expect(
      outline('宪法/宪法.md', [
        '# 中华人民共和国宪法',
        '<!-- INFO END -->',
        '## 序言',
        '中国是世界上历史最悠久的国家之一。',
        '## 第一章 总纲',
        '第一条 中华人民共和国是工人阶级领导的、以工农联盟为基础的人民民主专政的社会主义国家。',
      ]),
    ).toEqual(['title - []', 'heading - []', 'text - []', 'heading 第一章 []', 'clause 第一条 [第一章]']);
  });

  it('labels 第X条之一 articles and keeps the 款 after an article under it', () => {
    expect(
      outline('刑法/刑法.md', [
        '# 中华人民共和国刑法',
        '<!-- INFO END -->',
        '## 第三章 破坏社会主义市场经济秩序罪',
        '第一百六十二条之一 隐匿或者故意销毁依法应当保存的会计凭证、会计帐簿、财务会计报告，情节严重的，处五年以下有期徒刑或者拘役。',
        '单位犯前款罪的，对单位判处罚金。',
        '第一百六十三条 公司、企业或者其他单位的工作人员，利用职务上的便利，索取他人财物的，处三年以下有期徒刑或者拘役。',
      ]),
    ).toEqual([
      'title - []',
      'heading 第三章 []',
      'clause 第一百六十二条之一 [第三章]',
      'text - [第三章 第一百六十二条之一]',
      'clause 第一百六十三条 [第三章]',
    ]);
  });
});
