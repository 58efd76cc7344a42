/**
 * Responsible-unit names normalized across documents: `县府办`, `区政府办公室` and `市府办` are all
 * "政府办公室"; `县委宣传部` and `区委宣传部` are "党委宣传部". Documents keep their own wording for
 * display; the key is for filtering and counting. The aliases live in `data/unit-aliases.txt`
 * (with the sources of its entries); the reduction rules below make one entry cover the spellings
 * of every county (level prefixes, division names, branches, bracket styles).
 *
 * Pure except for {@link defaultUnitAliases}, which reads the data file once.
 */
import { normalizeForMatch } from '../analysis/normalize.js';
import { readDataLines } from '../analysis/segmenter.js';
import { findRegions } from './gazetteer.js';

/** A unit's normalized identity: `key` for filters and counts, `label` for the facet. */
export interface NormalizedUnit {
  key: string;
  label: string;
}

/** Canonical entries by key (see {@link unitKeyOf}). */
export interface UnitAliasTable {
  /** key → canonical label, for every spelling (and canonical name) in the file. */
  byKey: ReadonlyMap<string, string>;
  /** Lines of the file (entries), one per canonical unit. */
  entries: number;
  /** Distinct spellings listed (after reduction; the canonical name included). */
  spellings: number;
}

/** One level prefix: 县级, 区直, 市… — optionally after 其他. */
const LEVEL_PREFIX = /^(?:其他)?(?:省|市|县|区|镇|乡|街道)(?:级|直|属)?/u;
/** Words that begin with a level character without being a level prefix (市场监管局, 乡镇…). */
const NOT_A_PREFIX = /^(?:市场|市政(?![府办])|市民|市区|区域|区块|县域|县城|乡镇|乡村|镇街|镇村|镇区|街镇|街道办事处)/u;
/** A party committee's body after the level is dropped: 委宣传部 → 党委宣传部 (not 委员会). */
const PARTY_BODY = /^委(?!员)/u;
/** A city bureau's branch in a county: 生态环境局鹿城分局 → 生态环境局. */
const BRANCH = /^(.{2,}?局)[\u4e00-\u9fa5]{2,4}分局$/u;
/** Endings of an organ's name: an alias in brackets must end with one (区财政局〈区国资办〉). */
const ORGAN_END = /(?:局|办|委|部|中心|室|厅|馆|会|所|院|队|站|处|署|组)$/u;
/** Brackets around a second name, and brackets that are dropped when comparing. */
const PAIRS: Readonly<Record<string, string>> = { '〉': '〈', '>': '<', '〕': '〔', ']': '[', '］': '［', '】': '【', '）': '（', ')': '(' };
const BRACKETS = /[()<>〈〉‹›《》[\]{}（）〔〕［］【】]/gu;

/** Drops one leading full division name (天台县, 温州市鹿城区) from a unit name. */
function dropDivision(name: string): string {
  for (let k = Math.min(12, name.length - 2); k >= 2; k--) {
    const prefix = name.slice(0, k);
    if (!/(?:省|市|县|区|州|旗)$/u.test(prefix)) continue;
    if (findRegions(prefix).length > 0) return name.slice(k);
  }
  return name;
}

/**
 * The reduced form of one unit name (no bracket alias): division and level dropped, a party body
 * marked 党委, a branch turned into its bureau. Works on raw or normalized text alike.
 */
export function reduceUnitName(name: string): string {
  let s = name.replace(/\s+/gu, '');
  const cut = s.search(/[。；;]/u); // parser leftovers: "市公安局。时间节点：2025年3月"
  if (cut > 0) s = s.slice(0, cut);
  s = dropDivision(s);
  if (!NOT_A_PREFIX.test(s)) {
    const m = LEVEL_PREFIX.exec(s);
    if (m && s.length - m[0].length >= 2) s = s.slice(m[0].length);
  }
  if (PARTY_BODY.test(s)) s = `党${s}`;
  const branch = BRANCH.exec(s);
  if (branch) s = branch[1]!;
  return s;
}

/** The comparison key of a reduced name: matching normalization, brackets dropped. */
function keyOfReduced(reduced: string): string {
  return normalizeForMatch(reduced).replace(BRACKETS, '');
}

/**
 * Splits `区政府办公室〈区大数据发展管理局〉` into the name and its bracketed second names. A round
 * bracket counts only when its content names organs; `各乡镇（街道）` stays one name.
 */
export function splitBracketAliases(name: string): { main: string; aliases: string[] } {
  const s = name.trim();
  const close = s[s.length - 1] ?? '';
  const open = PAIRS[close];
  if (!open) return { main: s, aliases: [] };
  const at = s.lastIndexOf(open);
  if (at <= 0) return { main: s, aliases: [] };
  const main = s.slice(0, at);
  const aliases = s
    .slice(at + 1, -1)
    .split(/[、，,；;]/u)
    .map((a) => a.trim())
    .filter(Boolean);
  if (!aliases.length || !aliases.every((a) => a.length >= 2 && ORGAN_END.test(a)) || !ORGAN_END.test(main)) {
    return { main: s, aliases: [] };
  }
  return { main, aliases };
}

/** The key of one name as written (brackets and all), without consulting the alias table. */
export function unitKeyOf(name: string): string {
  return keyOfReduced(reduceUnitName(name));
}

/**
 * Reads alias lines `标准名称: 写法, 写法, …` (comments and blank lines already dropped or not).
 * A spelling listed under two canonical names is an error: the table must be a function.
 */
export function parseUnitAliases(lines: readonly string[]): UnitAliasTable {
  const byKey = new Map<string, string>();
  let entries = 0;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const colon = line.search(/[:：]/u);
    if (colon <= 0) throw new Error(`unit-aliases: no "标准名称:" in line "${line}"`);
    const label = line.slice(0, colon).trim();
    const spellings = [label, ...line.slice(colon + 1).split(/[,，、]/u)].map((x) => x.trim()).filter(Boolean);
    entries++;
    for (const spelling of spellings) {
      const key = unitKeyOf(spelling);
      const before = byKey.get(key);
      if (before !== undefined && before !== label) {
        throw new Error(`unit-aliases: "${spelling}" (${key}) listed under both ${before} and ${label}`);
      }
      byKey.set(key, label);
    }
  }
  return { byKey, entries, spellings: byKey.size };
}

let defaultTable: UnitAliasTable | null = null;

/** The table from `data/unit-aliases.txt`, read once. */
export function defaultUnitAliases(): UnitAliasTable {
  defaultTable ??= parseUnitAliases(readDataLines('data/unit-aliases.txt'));
  return defaultTable;
}

/** One name (no bracket alias) → key and label through the table. */
function normalizeOne(name: string, table: UnitAliasTable): NormalizedUnit {
  const reduced = reduceUnitName(name);
  const key = keyOfReduced(reduced);
  const label = table.byKey.get(key);
  // A canonical unit's key is its label's key, so 县府办 and 区政府办公室 share one key.
  if (label !== undefined) return { key: keyOfReduced(reduceUnitName(label)), label };
  return { key, label: reduced.replace(/[<〈〔［[【]/gu, '（').replace(/[>〉〕］\]】]/gu, '）') || name };
}

/**
 * The normalized unit of a name as a document writes it: `县府办` → { key: 政府办公室, label:
 * 政府办公室 }. A name with a bracketed second name is normalized by its first name
 * (`县府办<县大数据局>` → 政府办公室); see {@link normalizeUnitAll} for both.
 */
export function normalizeUnit(name: string, table: UnitAliasTable = defaultUnitAliases()): NormalizedUnit {
  return normalizeUnitAll(name, table)[0]!;
}

/**
 * Every normalized unit a name stands for: the name itself first, then each bracketed second name
 * (`区委宣传部〈区新闻办、区网信办〉` → 党委宣传部, 新闻办, 网信办), without repeats.
 */
export function normalizeUnitAll(name: string, table: UnitAliasTable = defaultUnitAliases()): NormalizedUnit[] {
  const whole = normalizeOne(name, table);
  // A spelling listed whole (各乡镇<街道>) wins over splitting it.
  if (table.byKey.has(unitKeyOf(name))) return [whole];
  const { main, aliases } = splitBracketAliases(name);
  if (!aliases.length) return [whole];
  const out: NormalizedUnit[] = [];
  for (const part of [main, ...aliases]) {
    const u = normalizeOne(part, table);
    if (!out.some((o) => o.key === u.key)) out.push(u);
  }
  return out;
}

/**
 * The canonical keys a unit as written counts under: its own, then its bracketed second names'
 * (`县府办<县大数据局>` → 政府办公室, 大数据发展管理局). The one unit rule of the search page's unit
 * facet and of the commitments page: both count and filter by these keys.
 */
export function canonicalUnitKeys(name: string, table: UnitAliasTable = defaultUnitAliases()): string[] {
  return normalizeUnitAll(name, table).map((u) => u.key);
}

/**
 * A unit filter as a user gives it (`县府办`, `政府办公室`, a facet's label, `各乡镇<街道>`) → a test
 * on a paragraph's canonical keys. A name that is a known unit matches exactly that unit under
 * every spelling (县府办 = 区政府办公室 = 市府办), so a facet's count and its filter agree. A
 * fragment that is no known unit (`司法`, `宣传`) matches the units whose key contains it, as
 * the 单位: field always did. `known` holds the canonical keys present in the corpus.
 */
export function unitFilter(
  typed: string,
  known: ReadonlySet<string>,
  table: UnitAliasTable = defaultUnitAliases(),
): (keys: readonly string[]) => boolean {
  const exact = canonicalUnitKeys(typed, table).filter((k) => known.has(k));
  if (exact.length) return (keys) => keys.some((k) => exact.includes(k));
  const fragment = unitKeyOf(typed);
  if (!fragment) return () => false;
  return (keys) => keys.some((k) => k.includes(fragment));
}
