import { describe, expect, it } from 'vitest';
import { extractDeadlines } from '../../src/corpus/deadlines.js';

describe('extractDeadlines', () => {
  // [text, year of the document, expected `text=date/kind` list]
  it.each<[string, number | null, string[]]>([
    ['2020年9月底前，完成县乡两级标准目录编制工作', 2020, ['2020年9月底前=2020-09-30/by-date']],
    ['9月底前完成', 2020, ['9月底前完成=2020-09-30/by-date']],
    ['年底前全面完成26个试点领域', 2020, ['年底前=2020-12-31/by-date']],
    ['2020年底前初步解决底数不清', 2019, ['2020年底前=2020-12-31/by-date']],
    ['2020年年底前，编制完成本级目录', 2020, ['2020年年底前=2020-12-31/by-date']],
    ['2020年11月底前完成', 2020, ['2020年11月底前完成=2020-11-30/by-date']],
    ['于2020年10月底前编制完成', 2020, ['2020年10月底前=2020-10-31/by-date']],
    ['并于2020年11月15日在区门户网站公开', 2020, ['2020年11月15日=2020-11-15/date']],
    ['于12月25日前经单位盖章后', 2020, ['12月25日前=2020-12-25/by-date']],
    ['2021年2月底前报送', 2021, ['2021年2月底前=2021-02-28/by-date']],
    ['2024年2月底前报送', 2024, ['2024年2月底前=2024-02-29/by-date']],
    ['上半年完成', 2021, ['上半年=2021-06-30/by-date']],
    ['2021年下半年启动', null, ['2021年下半年=2021-12-31/by-date']],
    ['一季度完成部署，第三季度完成验收', 2020, ['一季度=2020-03-31/by-date', '第三季度=2020-09-30/by-date']],
    ['6月中旬前完成', 2020, ['6月中旬前完成=2020-06-20/by-date']],
    ['今年年底前完成', 2022, ['今年年底前完成=2022-12-31/by-date']],
    ['明年底前建成', 2022, ['明年底前=2023-12-31/by-date']],
    ['每季度公开一次，每月更新', 2020, ['每季度=null/recurring', '每月=null/recurring']],
    ['按季度向社会公开', 2020, ['按季度=null/recurring']],
    ['每年向市人民政府专题报告', 2020, ['每年=null/recurring']],
    ['长期坚持', 2020, ['长期坚持=null/ongoing']],
    ['持续推进国资监管', 2020, ['持续推进=null/ongoing']],
    ['及时发布并实时更新法定主动公开内容', 2020, ['实时更新=null/ongoing']],
    ['实时办理', 2020, ['实时办理=null/ongoing']],
    // Effective dates (notices-dev): the day rules start to apply, not a task's deadline.
    ['自2018年3月1日起施行', null, ['2018年3月1日=2018-03-01/effective']],
    ['本办法自2024年1月18日起施行', null, ['2024年1月18日=2024-01-18/effective']],
    ['本规定自2019年10月1日施行', null, ['2019年10月1日=2019-10-01/effective']],
    ['2020年11月15日在区门户网站公开', null, ['2020年11月15日=2020-11-15/date']],
  ])('%s', (text, year, expected) => {
    const found = extractDeadlines(text, year);
    expect(found.map((d) => `${d.text}=${d.date}/${d.kind}`)).toEqual(expected);
    for (const d of found) expect(text.slice(d.start, d.end)).toBe(d.text);
  });

  // Expressions whose date cannot be determined.
  it.each<[string, number | null]>([
    ['年底前完成', null],
    ['9月底前完成', null],
    ['12月25日前报送', null],
  ])('%s without a document year has no date', (text, year) => {
    const found = extractDeadlines(text, year);
    expect(found).toHaveLength(1);
    expect(found[0]!.date).toBeNull();
    expect(found[0]!.kind).toBe('by-date');
  });

  // Not time expressions (or not deadlines).
  it.each<[string]>([
    ['2020年全区政务公开工作的总体要求是'],
    ['2020年是全面建成小康社会和“十三五”规划收官之年'],
    ['2019年7月印发的文件'],
    ['贯彻落实《2020年温州市鹿城区政务公开工作要点》'],
    ['《国务院办公厅关于印发2020年政务公开工作要点的通知》（国办发〔2020〕17号）'],
    ['已经2020年10月26日区政府第110次常务会议审议通过'],
    ['2020年8月14日印发'],
    ['要在12小时内转载转发'],
    ['三年内完成改造'],
    ['落实年初签约、年底考核的工作目标'],
    ['充分阐释经济运行长期向好态势'],
    ['12345（8890）政务服务便民热线'],
  ])('%s has none', (text) => {
    expect(extractDeadlines(text, 2020)).toEqual([]);
  });
});
