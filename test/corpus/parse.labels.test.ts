import { describe, expect, it } from 'vitest';
import { parseLabel } from '../../src/corpus/labels.js';
import { emptyMeta } from '../../src/corpus/metadata.js';
import { parseParagraphs } from '../../src/corpus/parse.js';
import type { DocumentMeta } from '../../src/domain/types.js';

const META: DocumentMeta = { ...emptyMeta(), year: 2020 };

describe('parseLabel', () => {
  it.each<[string, string | null, string | null]>([
    ['一、强化权力监督，全流程加大公开力度', '一、', 'cn'],
    ['十二、其他', '十二、', 'cn'],
    ['（一）加强权力配置信息公开。', '（一）', 'paren-cn'],
    ['(一) 落实政府信息公开主动公开新要求。', '(一)', 'paren-cn'],
    ['（十五）加强消防救援队伍职业保障。', '（十五）', 'paren-cn'],
    ['1. 加强权力配置信息公开。', '1.', 'num'],
    ['1．建立工作机制。', '1．', 'num'],
    ['12、做好宣传', '12、', 'num'],
    ['(1)Ⅰ级(特别重大)道路交通事故。', '(1)', 'paren-num'],
    ['（3）做好解读', '（3）', 'paren-num'],
    ['①死亡10人以上', '①', 'circled'],
    ['第一章 总则', '第一章', 'chapter'],
    ['第二节　一般规定', '第二节', 'section'],
    ['第五条　区国动办是工程隐患整治的实施单位', '第五条', 'article'],
    ['第二百二十四条之一 组织、领导', '第二百二十四条之一', 'article'],
    ['第一编 总则', '第一编', 'part'],
    // Not labels.
    ['第三条规定的情形，依照前款处理', null, null],
    ['3.5亿元用于改造', null, null],
    ['2020年全区政务公开工作', null, null],
    ['12345（8890）政务服务便民热线', null, null],
    ['一是加强领导', null, null],
  ])('%s', (text, label, type) => {
    const l = parseLabel(text);
    expect(l?.text ?? null).toBe(label);
    expect(l?.type ?? null).toBe(type);
  });
});

/** Parses a small document and returns `kind label level [sectionLabels]` per paragraph. */
function outline(source: string, meta: DocumentMeta = META): string[] {
  return parseParagraphs(source, { docId: 't', meta }).map(
    (p) => `${p.kind} ${p.label ?? '-'} ${p.level ?? '-'} [${p.sectionLabels.join(' ')}]`,
  );
}

describe('headings, clauses and section paths', () => {
  it('nests 一、 → （一） → 1. → (1), headings and clauses alike', () => {
    const source = [
      '一、总体要求',
      '（一）工作目标',
      '1. 完善机制。建立健全制度。',
      '(1) 细化分工。',
      '(2) 明确时限。',
      '2. 强化监督。',
      '（二）加强权力配置信息公开。各相关单位依法公开。',
      '二、主要任务',
    ].join('\n\n');
    expect(outline(source)).toEqual([
      'heading 一、 1 []',
      'heading （一） 2 [一、]',
      'clause 1. - [一、 （一）]',
      'clause (1) - [一、 （一） 1.]',
      'clause (2) - [一、 （一） 1.]',
      'clause 2. - [一、 （一）]',
      'clause （二） - [一、]',
      'heading 二、 1 []',
    ]);
  });

  it('nests 1. directly under 一、 when a document skips （一）', () => {
    expect(outline('一、强化监督\n\n1. 加强公开。按要求公开。\n\n二、优化服务\n\n1. 推进建设。按标准推进。')).toEqual([
      'heading 一、 1 []',
      'clause 1. - [一、]',
      'heading 二、 1 []',
      'clause 1. - [二、]',
    ]);
  });

  it('reads 章, 条 and the items and paragraphs of an article', () => {
    const source = [
      '第一章　总则',
      '第一条　为了加强管理，制定本办法。',
      '第二条　区国动办履行以下职责：',
      '（一）组织实施；',
      '（二）承办其他事项。',
      '区建管委等按照各自职责做好工作。',
      '第二章 组织管理',
      '第三条 本办法自2024年1月1日起施行。',
    ].join('\n\n');
    expect(outline(source)).toEqual([
      'heading 第一章 1 []',
      'clause 第一条 - [第一章]',
      'clause 第二条 - [第一章]',
      'clause （一） - [第一章 第二条]',
      'clause （二） - [第一章 第二条]',
      'text - - [第一章 第二条]',
      'heading 第二章 1 []',
      'clause 第三条 - [第二章]',
    ]);
  });

  it('reads a markdown law: title, promulgation lines, marker, chapters and sections', () => {
    const source = [
      '# 某某条例',
      '2017年12月26日 某市第十七届人民代表大会常务委员会第六次会议通过',
      '<!-- INFO END -->',
      '## 第一章 总则',
      '第一条 为了保护，制定本条例。',
      '## 第二章 管理',
      '### 第一节 一般规定',
      '第二条 市人民政府负责。',
    ].join('\n\n');
    const ps = parseParagraphs(source, { docId: 't', meta: META });
    expect(ps.map((p) => p.text)).not.toContain('<!-- INFO END -->');
    expect(outline(source)).toEqual([
      'title - - []',
      'signature - - []',
      'heading 第一章 1 []',
      'clause 第一条 - [第一章]',
      'heading 第二章 1 []',
      'heading 第一节 2 [第二章]',
      'clause 第二条 - [第二章 第一节]',
    ]);
    expect(ps[0]!.text).toBe('某某条例');
    expect(ps[6]!.section).toEqual(['第二章 管理', '第一节 一般规定']);
  });

  it('resets the path at a new title and roots an attachment at its title', () => {
    const source = [
      '一、旧的标题',
      '（一）一项工作。内容。',
      '附件',
      '2020年某县重点任务分工方案',
      '一、新的部分',
    ].join('\n\n');
    expect(outline(source)).toEqual([
      'heading 一、 1 []',
      'clause （一） - [一、]',
      'attachment - - []',
      'title - - []',
      'heading 一、 1 [附件]',
    ]);
  });

  it('keeps a short labelled line whole but joins a cut clause', () => {
    const ps = parseParagraphs('（一）编制目的\n\n为有效预防事故，制定本预案。\n\n（二）推进公开。全面梳理编写公布\n\n各级政府机构职能目录。', {
      docId: 't',
      meta: META,
    });
    expect(ps.map((p) => p.text)).toEqual([
      '（一）编制目的',
      '为有效预防事故，制定本预案。',
      '（二）推进公开。全面梳理编写公布各级政府机构职能目录。',
    ]);
  });
});
