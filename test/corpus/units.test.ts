import { describe, expect, it } from 'vitest';
import { canonicalUnitKeys, unitFilter } from '../../src/corpus/unit-aliases.js';
import { extractUnits, splitUnits } from '../../src/corpus/units.js';

describe('extractUnits', () => {
  it.each<[string, string[]]>([
    [
      '发布行政许可事项目录（年本）。（责任单位：区委改革办、区委编办、区政务服务中心，其他区级有关单位，各街镇）',
      ['区委改革办', '区委编办', '区政务服务中心', '其他区级有关单位', '各街镇'],
    ],
    ['…公开。(责任单位:区发改局、区财政局〈区国资办〉,各街镇)', ['区发改局', '区财政局〈区国资办〉', '各街镇']],
    // Aliases stay attached, even when they list several names.
    ['（责任单位：区政府办公室、区委宣传部〈区新闻办、区网信办〉，其他区级有关单位）', ['区政府办公室', '区委宣传部〈区新闻办、区网信办〉', '其他区级有关单位']],
    ['（责任单位：区政务服务中心、区政府办公室〔区大数据发展管理局〕）', ['区政务服务中心', '区政府办公室〔区大数据发展管理局〕']],
    ['（责任单位：县府办<县大数据局>、县委宣传部，各乡镇<街道>）', ['县府办<县大数据局>', '县委宣传部', '各乡镇<街道>']],
    // Lead unit first, then the supporting ones.
    ['（牵头单位：区应急局；配合单位：区公安分局、各街镇）', ['区应急局', '区公安分局', '各街镇']],
    ['责任单位：市府各部门（字体加粗的单位为工作牵头或汇总单位，配合单位排名不分先后，下同）', ['市府各部门']],
    ['责任单位：市发改局、市自然资源和规划局', ['市发改局', '市自然资源和规划局']],
    ['责任部门：区建设管理委', ['区建设管理委']],
    ['本条不涉及任何单位。', []],
    ['（以下简称“责任单位”）应当履职', []],
  ])('%s', (text, units) => {
    expect(extractUnits(text)).toEqual(units);
  });
});

describe('splitUnits (table cells)', () => {
  it.each<[string, string[]]>([
    ['县委编办、县司法局牵头，县级各有关部门负责', ['县委编办', '县司法局', '县级各有关部门']],
    ['县府办牵头，县级各有关部门、各乡镇（街道）负责', ['县府办', '县级各有关部门', '各乡镇（街道）']],
    ['县发改局、县经信局、县金融工作中心等按职责分工负责', ['县发改局', '县经信局', '县金融工作中心']],
    ['县市场监管局牵头负责', ['县市场监管局']],
    ['县府办牵头，各有关部门、各乡镇（街道）负责落实', ['县府办', '各有关部门', '各乡镇（街道）']],
    ['县财政局、县住建局等有关部门负责', ['县财政局', '县住建局']],
    ['县级公共企事业单位主管部门负责', ['县级公共企事业单位主管部门']],
    ['区政府办、数字办；区直各有关单位', ['区政府办', '数字办', '区直各有关单位']],
    ['市财政局、市财政局', ['市财政局']],
  ])('%s', (cell, units) => {
    expect(splitUnits(cell)).toEqual(units);
  });
});

/**
 * One unit rule for the search page's unit facet and the commitments page: the spellings the
 * seeds write for one office share one canonical key, so the facet lists one entry and a filter
 * by any spelling finds them all.
 */
describe('canonicalUnitKeys (the shared unit rule)', () => {
  it.each<[string, string[]]>([
    // 鹿城 writes 区政府办公室, 鼓楼 区政府办, 天台 县府办, 海阳 市府办: one office.
    ['区政府办公室', ['政府办公室']],
    ['区政府办', ['政府办公室']],
    ['县府办', ['政府办公室']],
    ['市府办', ['政府办公室']],
    ['县政府办公室', ['政府办公室']],
    // A bracketed second name counts under both units.
    ['县府办<县大数据局>', ['政府办公室', '大数据发展管理局']],
    ['区政府办公室〈区大数据发展管理局〉', ['政府办公室', '大数据发展管理局']],
    ['区委宣传部〈区新闻办、区网信办〉', ['党委宣传部', '新闻办', '网信办']],
    // Bracket styles of one name do not split it.
    ['各乡镇（街道）', ['各乡镇街道']],
    ['各乡镇<街道>', ['各乡镇街道']],
    ['各街镇', ['各乡镇街道']],
  ])('%s → %j', (name, keys) => {
    expect(canonicalUnitKeys(name)).toEqual(keys);
  });
});

describe('unitFilter', () => {
  const known = new Set(['政府办公室', '大数据发展管理局', '司法局', '党委宣传部', '各乡镇街道']);
  const paragraph = {
    luchengOffice: canonicalUnitKeys('区政府办公室〈区大数据发展管理局〉'),
    tiantaiOffice: canonicalUnitKeys('县府办'),
    justice: canonicalUnitKeys('区司法局'),
    towns: canonicalUnitKeys('各乡镇（街道）'),
  };
  // [typed, paragraphs it matches]
  it.each<[string, Array<keyof typeof paragraph>]>([
    // Any spelling of a known unit, or its canonical name (the facet's value): every spelling.
    ['区政府办', ['luchengOffice', 'tiantaiOffice']],
    ['县府办', ['luchengOffice', 'tiantaiOffice']],
    ['政府办公室', ['luchengOffice', 'tiantaiOffice']],
    // A bracketed second name is found by its own name.
    ['县大数据局', ['luchengOffice']],
    ['县司法局', ['justice']],
    ['各乡镇<街道>', ['towns']],
    // A fragment that is no unit matches the units containing it (the 单位: field's old reading).
    ['司法', ['justice']],
    ['大数据', ['luchengOffice']],
    ['不存在的单位', []],
  ])('%s', (typed, expected) => {
    const match = unitFilter(typed, known);
    const got = (Object.keys(paragraph) as Array<keyof typeof paragraph>).filter((k) => match(paragraph[k]));
    expect(got).toEqual(expected);
  });
});
