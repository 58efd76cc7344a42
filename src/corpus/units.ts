/**
 * Responsible units (责任单位) named in a paragraph:
 *   "（责任单位：区委改革办、区委编办，其他区级有关单位，各街镇）" at the end of a clause,
 *   "（牵头单位：A；配合单位：B、C）", a line "责任单位：市发改局、市自然资源和规划局",
 *   or a table cell "县委编办、县司法局牵头，县级各有关部门负责".
 *
 * Decisions:
 * - The lead unit comes first: units are listed in the order written, and 牵头 groups are
 *   written before 配合 groups.
 * - An alias in 〈〉, <>, 〔〕 or ［］ stays attached to its unit: `区委宣传部〈区新闻办〉` is one unit,
 *   as the document names one office under two names; splitting would count it twice.
 * - A parenthetical comment ("（字体加粗的单位为工作牵头或汇总单位，…）") is dropped; a short
 *   parenthesis that is part of the name (`各乡镇（街道）`) is kept.
 * - Role words are stripped: 牵头, 负责, 负责落实, 牵头负责, 等按职责分工负责, and "等有关部门"
 *   after a named unit.
 */
import { UNIT_ROLE } from './cues.js';

const OPENERS = '（(〈<〔［[【';
const CLOSERS = '）)〉>〕］]】';
const SEPARATORS = new Set([...'、，,；;']);

/**
 * A parenthetical that is a comment, not part of a name: a round bracket that is long or holds a
 * sentence. Angle and square brackets hold aliases (〈区新闻办、区网信办〉) and are always kept.
 */
function isComment(group: string): boolean {
  if (group[0] !== '（' && group[0] !== '(') return false;
  const inner = group.slice(1, -1);
  return inner.length > 8 || /[，,。；;的]/.test(inner);
}

/** Role and scope words that follow a unit name in a 分工 list. */
const ROLE_SUFFIX = /(?:等)?(?:有关|相关)?(?:按职责分工)?(?:牵头)?(?:负责(?:落实)?)?$/;
const AFTER_ETC = /等(?:有关|相关|其他)?(?:部门|单位)?$/;

function cleanUnit(raw: string): string {
  let u = raw.replace(/\s+/g, '').replace(/^(?:由|及|和|以及)/, '');
  u = u.replace(ROLE_SUFFIX, '');
  if (u.length > 2) u = u.replace(AFTER_ETC, '');
  return u.replace(/[：:。．.]+$/, '');
}

/**
 * Splits a list of units on 、，,；; outside brackets, dropping parenthetical comments and role
 * words. `县委编办、县司法局牵头，县级各有关部门负责` → [县委编办, 县司法局, 县级各有关部门].
 */
export function splitUnits(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  let group = '';
  const flush = (): void => {
    const u = cleanUnit(current);
    if (u && !out.includes(u)) out.push(u);
    current = '';
  };
  for (const ch of list) {
    if (OPENERS.includes(ch)) {
      if (depth === 0) group = '';
      depth++;
      group += ch;
      continue;
    }
    if (CLOSERS.includes(ch) && depth > 0) {
      depth--;
      group += ch;
      if (depth === 0) {
        if (!isComment(group)) current += group;
        group = '';
      }
      continue;
    }
    if (depth > 0) {
      group += ch;
      continue;
    }
    if (SEPARATORS.has(ch)) flush();
    else current += ch;
  }
  if (group) current += group; // an unclosed bracket: keep as written
  flush();
  return out;
}

const ROLE_GLOBAL = new RegExp(UNIT_ROLE.source, 'g');

/**
 * The units named by role markers in a paragraph. Each marker's list runs to the next marker
 * or to the bracket that encloses the marker (or to the end of the paragraph).
 */
export function extractUnits(text: string): string[] {
  const markers = [...text.matchAll(ROLE_GLOBAL)];
  if (markers.length === 0) return [];
  const out: string[] = [];
  for (let k = 0; k < markers.length; k++) {
    const m = markers[k]!;
    const from = m.index! + m[0].length;
    const limit = k + 1 < markers.length ? markers[k + 1]!.index! : text.length;
    const end = listEnd(text, from, limit);
    for (const u of splitUnits(text.slice(from, end))) if (!out.includes(u)) out.push(u);
  }
  return out;
}

/** Where a unit list starting at `from` ends: at the bracket that closes its enclosure. */
function listEnd(text: string, from: number, limit: number): number {
  let depth = 0;
  for (let i = from; i < limit; i++) {
    const ch = text[i]!;
    if (OPENERS.includes(ch)) depth++;
    else if (CLOSERS.includes(ch)) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return limit;
}
