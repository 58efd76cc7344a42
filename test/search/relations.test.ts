/**
 * Links between documents once a corpus is loaded (src/search/relations.ts): who cites whom, who
 * repeals whom, and each document's validity on a day. Small corpora written like real notices,
 * parsed by the real pipeline.
 */
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/corpus/document.js';
import type { PolicyDocument } from '../../src/domain/types.js';
import { DocumentRelations, localToday, VALIDITY_LABELS } from '../../src/search/relations.js';

function doc(file: string, text: string): PolicyDocument {
  return buildDocument({ file, text, encoding: 'UTF-8', checksum: file });
}

const titles = (docs: PolicyDocument[]) => (d: number) => docs[d]!.paragraphs.filter((p) => p.kind === 'title');

/** A 2015 办法 with a five-year term, and the 2019 办法 that replaces it and cites a national law. */
const OLD = doc(
  'old.txt',
  `上海市某区人民政府关于印发《某区公共租赁住房管理办法》的通知

各街道办事处：
现将《某区公共租赁住房管理办法》印发给你们，请认真按照执行。

上海市某区人民政府
2015年3月2日

某区公共租赁住房管理办法

第一条　为规范本区公共租赁住房管理，制定本办法。

第二十条　本办法自2015年4月1日起施行，有效期五年。
`,
);
const NEW = doc(
  'new.txt',
  `上海市某区人民政府关于印发《某区公共租赁住房实施办法》的通知

各街道办事处：
现将《某区公共租赁住房实施办法》印发给你们，请认真按照执行。

上海市某区人民政府
2019年8月1日

某区公共租赁住房实施办法

第一条　根据《公共租赁住房管理办法》和《上海市公共租赁住房管理办法》，制定本办法。

第三十条　本办法自2019年9月1日起施行，有效期至2024年8月31日。原《某区公共租赁住房管理办法》同时废止。
`,
);

describe('DocumentRelations', () => {
  const docs = [OLD, NEW];
  const rel = new DocumentRelations(docs, titles(docs));

  it('reads the validity facts of both documents', () => {
    expect(OLD.meta.validity).toMatchObject({ effectiveDate: '2015-04-01', expiryDate: '2020-03-31' });
    expect(NEW.meta.validity).toMatchObject({ effectiveDate: '2019-09-01', expiryDate: '2024-08-31' });
    expect(NEW.meta.validity!.repeals.map((r) => r.title)).toEqual(['某区公共租赁住房管理办法']);
  });

  it('links the repeal both ways', () => {
    expect(rel.repealsOf(1).map((l) => l.doc)).toEqual([0]);
    expect(rel.repealsOf(0)).toEqual([]);
    const p = NEW.paragraphs[rel.repealsOf(1)[0]!.para]!;
    expect(p.text).toContain('同时废止');
  });

  it('lists the cited documents the corpus lacks, and never the document itself', () => {
    expect(rel.cites[1]!.map((l) => l.doc)).toEqual([0]);
    expect(rel.unresolved[1]!.map((r) => r.title)).toEqual(['公共租赁住房管理办法', '上海市公共租赁住房管理办法']);
    expect(rel.cites[0]).toEqual([]);
  });

  // The state of each document as the days pass.
  const table: Array<[string, string, string]> = [
    ['2015-03-15', 'not-yet', 'not-yet'],
    ['2016-01-01', 'in-force', 'not-yet'],
    // The replacement is issued but not yet in force: the old text still applies.
    ['2019-08-15', 'in-force', 'not-yet'],
    ['2019-09-01', 'repealed', 'in-force'],
    ['2026-12-06', 'repealed', 'expired'],
  ];
  it.each(table)('on %s: old %s, new %s', (today, old, neu) => {
    expect(rel.states(today)).toEqual([old, neu]);
    expect(rel.validity(0, today).label).toBe(VALIDITY_LABELS[old as keyof typeof VALIDITY_LABELS]);
  });

  it('names the repealing document in the reason and links its clause', () => {
    const v = rel.validity(0, '2026-12-06');
    expect(v.repealedBy?.doc).toBe(1);
    expect(v.reason).toContain('《上海市某区人民政府关于印发《某区公共租赁住房实施办法》的通知》');
    expect(v.reason).toContain('废止');
  });

  it('ignores a repeal that names a later edition of the title', () => {
    // An older text repealing 《某区公共租赁住房实施办法》 cannot repeal the 2019 one.
    const older = doc(
      'older.txt',
      `某区公共租赁住房暂行办法

第一条　本办法自2010年1月1日起施行。《某区公共租赁住房实施办法》同时废止。

上海市某区人民政府
2009年12月1日
`,
    );
    const all = [older, OLD, NEW];
    const r = new DocumentRelations(all, titles(all));
    expect(r.repealsOf(0)).toEqual([]);
    expect(r.states('2026-12-06')[2]).toBe('expired');
  });

  it('says so when the text states no dates', () => {
    const plain = doc('plain.txt', '某县人民政府办公室关于做好防汛工作的通知\n\n各乡镇：\n请做好防汛工作。\n\n某县人民政府办公室\n2020年6月1日\n');
    const r = new DocumentRelations([plain], titles([plain]));
    expect(r.validity(0, '2026-12-06')).toMatchObject({ state: 'in-force', reason: '文中未载明施行日期和有效期', effectiveDate: null, expiryDate: null });
  });

  it('localToday is the local calendar day', () => {
    expect(localToday(new Date(2026, 0, 2, 23, 59))).toBe('2026-01-02');
    expect(localToday()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
