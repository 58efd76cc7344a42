import { describe, expect, it } from 'vitest';
import { extractDeadlines, nextOccurrence, readRecurrence } from '../../src/corpus/deadlines.js';

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
    // 起实行 / 起试行 are effective dates too (notices-dev 148, 134).
    ['本办法自2025年2月1日起实行。', 2024, ['2025年2月1日=2025-02-01/effective']],
    ['本办法自2025年12月20日起试行，试行期2年。', 2025, ['2025年12月20日=2025-12-20/effective']],
    // Validity clauses (notices-dev): when a text stops applying is 'expiry', not a deadline.
    ['第十四条  本办法自发布之日起施行，有效期至2020年7月10日止。', 2025, ['2020年7月10日止=2020-07-10/expiry']], // 129 (the old 办法, quoted in its extension)
    ['继续实施，有效期延长至2030年7月10日止。', 2025, ['2030年7月10日止=2030-07-10/expiry']], // 129
    ['经评估，《嘉定区不可移动文物保护暂行规定》需要继续实施，有效期延长至2026年11月1日。', 2024, ['2026年11月1日=2026-11-01/expiry']], // 112
    ['第三十二条 本办法有效期自2026年1月1日起至2027年12月31日止。', 2025, ['2026年1月1日=2026-01-01/effective', '2027年12月31日止=2027-12-31/expiry']], // 107
    ['第十条  本办法自2021年9月1日起施行，有效期至2026年8月31日，', 2021, ['2021年9月1日=2021-09-01/effective', '2026年8月31日=2026-08-31/expiry']], // 136
    ['本年度重点推进城市更新的产业区域名单有效期从即日起至2025年6月30日止。', 2024, ['2025年6月30日止=2025-06-30/expiry']], // 123
    // A deadline in the same sentence as a validity clause but after a comma stays a deadline.
    ['有效期至2025年12月31日，各单位应于2025年10月底前申请延续', 2025, ['2025年12月31日=2025-12-31/expiry', '2025年10月底前=2025-10-31/by-date']],
    // Recurring deadlines keep the point of their cycle and get no one-off date (notices-dev).
    ['每年一季度前，区消防安全委员会成员单位应当排摸一批消防安全重大风险隐患点位', 2020, ['每年一季度前=null/recurring']], // 116
    ['各街镇应在每年6月底前，编制辖区内下一年度不可移动文物保护工作计划', 2024, ['每年6月底前=null/recurring']], // 112
    ['每季度首月十日前，镇（街道）应将上季度农房审批及建设情况梳理汇总', 2023, ['每季度首月十日前=null/recurring']], // 117
    ['考勤表由各村每月5日前交于镇', 2020, ['每月5日前=null/recurring']], // 141
    ['每年12月底前将下一年度计划报送', 2023, ['每年12月底前=null/recurring']],
    ['生活垃圾产生单位应当每年度向区绿化市容部门申报', 2023, ['每年度=null/recurring']],
    ['每年年底前报送工作总结', 2021, ['每年年底前=null/recurring']],
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

describe('recurring deadlines: the cycle, and the next time one falls due', () => {
  // [expression, the cycle read, next occurrence on 2026-12-06 (a Sunday in December)]
  it.each<[string, ReturnType<typeof readRecurrence>, string | null]>([
    ['每年一季度前', { every: 'year', month: 3, day: 31 }, '2027-03-31'],
    ['每年6月底前', { every: 'year', month: 6, day: 31 }, '2027-06-30'],
    ['每年12月底前', { every: 'year', month: 12, day: 31 }, '2026-12-31'],
    ['每年年底前', { every: 'year', month: 12, day: 31 }, '2026-12-31'],
    ['每年3月15日前', { every: 'year', month: 3, day: 15 }, '2027-03-15'],
    ['每年上半年', { every: 'year', month: 6, day: 31 }, '2027-06-30'],
    ['每季度首月十日前', { every: 'quarter', month: 1, day: 10 }, '2027-01-10'],
    ['每季度末', { every: 'quarter', month: 3, day: 31 }, '2026-12-31'],
    ['每月5日前', { every: 'month', month: null, day: 5 }, '2027-01-05'],
    ['每月底前', { every: 'month', month: null, day: 31 }, '2026-12-31'],
    // No point in the cycle written: recurring, with no next date to show.
    ['每年', { every: 'year', month: null, day: null }, null],
    ['每年度', { every: 'year', month: null, day: null }, null],
    ['每季度', { every: 'quarter', month: null, day: null }, null],
    ['按季度', { every: 'quarter', month: null, day: null }, null],
    ['每月', { every: 'month', month: null, day: null }, null],
    ['每半年', { every: 'half-year', month: null, day: null }, null],
    ['每周', { every: 'week', month: null, day: null }, null],
    ['每日', { every: 'day', month: null, day: null }, null],
    ['2020年底前', null, null],
  ])('%s', (text, recurrence, next) => {
    expect(readRecurrence(text)).toEqual(recurrence);
    expect(nextOccurrence(text, '2026-12-06')).toBe(next);
  });

  it('the day itself counts as the next occurrence; month ends and leap years are respected', () => {
    expect(nextOccurrence('每年一季度前', '2027-03-31')).toBe('2027-03-31');
    expect(nextOccurrence('每年一季度前', '2027-04-01')).toBe('2028-03-31');
    expect(nextOccurrence('每月底前', '2028-02-10')).toBe('2028-02-29');
    expect(nextOccurrence('每月31日前', '2027-04-02')).toBe('2027-04-30');
    expect(nextOccurrence('每季度首月十日前', '2027-01-11')).toBe('2027-04-10');
  });
});
