/**
 * The commitments view (承诺事项): who does what by when. Pure functions over parsed documents.
 *
 * What counts as a commitment:
 * - every clause, table row, heading or text paragraph that names responsible units or has time
 *   expressions (`paragraph.units`, `paragraph.deadlines`);
 * - a 责任单位 line of its own (`units` kind) is not a commitment of its own when the parser
 *   attached its units to the clause or text right above it (src/corpus/parse.ts does that); its
 *   time expressions, if any, are added to that paragraph's. A 责任单位 line with nothing above it
 *   to attach to (after a heading) is kept as a commitment, so no named unit is lost;
 * - titles, 文号, addressees, 落款, 版记, attachments and table headers never are (the parser
 *   reads no deadlines in them, and their dates are not promises).
 *
 * Units are normalized through data/unit-aliases.txt (src/corpus/unit-aliases.ts): filters and
 * counts use the key, display keeps each document's wording. The search page's unit facet uses the
 * same keys and the same filter rule (canonicalUnitKeys, unitFilter).
 *
 * Status (see DeadlineStatus): the documents say what is to be done by when, never whether it was
 * done, so a date in the past is 已到期 (passed), not 逾期. Validity clauses (有效期至…) and effective
 * dates (…起施行) are not deadlines. A recurring deadline (每年一季度前) has no one date; its next
 * occurrence is given when the text pins one. A date read with the document's year that falls
 * before the document itself is not trusted ('unknown').
 */
import { isValidityClause } from '../corpus/validity.js';
import { normalizeForMatch } from '../analysis/normalize.js';
import { nextOccurrence } from '../corpus/deadlines.js';
import { normalizeUnitAll, type UnitAliasTable, defaultUnitAliases, type NormalizedUnit, unitFilter } from '../corpus/unit-aliases.js';
import { AppError } from '../domain/errors.js';
import type {
  Commitment,
  CommitmentDeadline,
  CommitmentFilter,
  CommitmentStatus,
  DatedCommitmentDeadline,
  CommitmentsResponse,
  CommitmentUnit,
  FacetValue,
  Paragraph,
  ParagraphKind,
  PolicyDocument,
  UnitCount,
} from '../domain/types.js';
import { hitDocSummary, paragraphUrl } from './api.js';
import { renderCitation } from './cite.js';
import { docFacts } from './engine.js';

/** A commitment as extracted: all but what depends on the day it is looked at (statuses). */
export type CommitmentBase = Omit<Commitment, 'deadlines' | 'status' | 'due'> & { deadlines: CommitmentDeadline[] };

/** A commitment with what filtering and sorting need, prepared once. */
export interface CommitmentRecord {
  item: CommitmentBase;
  /** The document's own date (成文日期, else 印发日期): no deadline it sets should precede it. */
  docDate: string | null;
  /** Corpus order: document number, then paragraph index. */
  order: number;
  /** Region names the region filter accepts (region, city, province, and short forms). */
  regionNames: string[];
  /**
   * The region values it is counted under: its region, and its city when that city is itself a
   * region of the corpus (a district notice counts under 上海市 too when municipal notices are
   * listed as 上海市), so each count equals the total of filtering by that value.
   */
  regionValues: string[];
  /** Normalized unit keys, bracketed second names included, without repeats. */
  unitKeys: string[];
  /** Dated deadlines, ascending, without repeats. */
  dates: string[];
  /** Matching-normalized text, for the keyword filter. */
  norm: string;
}

const OWN_KINDS: ReadonlySet<ParagraphKind> = new Set(['clause', 'table-row', 'heading', 'text']);
/** The parser attaches a 责任单位 line's units to a paragraph of these kinds right above it. */
const ATTACHING_KINDS: ReadonlySet<ParagraphKind> = new Set(['clause', 'text']);

const UNITS_COLUMN = /单位|部门|责任|牵头/;
const TASK_COLUMN = /任务|事项|内容|工作|措施|举措/;
/** Longer tasks get a heading sentence; the sentence itself must be short to be a heading. */
const HEADING_FROM = 60;
const HEADING_MAX = 40;

/** Whether a `units` line's units went to the paragraph above it (see parse.ts attachUnitLines). */
export function isAttachedUnitsLine(p: Paragraph, prev: Paragraph | undefined): boolean {
  return p.kind === 'units' && prev !== undefined && ATTACHING_KINDS.has(prev.kind);
}

/** The time expressions that bind someone: every kind but when a text takes effect or expires. */
export function commitmentDeadlines(p: Paragraph): Paragraph['deadlines'] {
  return p.deadlines.filter((d) => d.kind !== 'effective' && d.kind !== 'expiry');
}

/** Whether a paragraph is a commitment (see the module comment). */
export function isCommitmentParagraph(p: Paragraph, prev: Paragraph | undefined): boolean {
  const deadlines = commitmentDeadlines(p).length;
  // A clause stating the document's own validity (本办法由区规划资源局负责解释，自…起施行) binds no
  // one to a task, whatever unit it names.
  if (deadlines === 0 && isValidityClause(p.text)) return false;
  const committed = p.units.length > 0 || deadlines > 0;
  if (OWN_KINDS.has(p.kind)) return committed;
  if (p.kind === 'units') return !isAttachedUnitsLine(p, prev) && committed;
  return false;
}

/** Column indexes of a table header: where the task and the units are. */
interface TableColumns {
  task: number;
  units: number;
}

function tableColumns(header: string): TableColumns {
  const cells = header.split('\t');
  return { task: cells.findIndex((c) => TASK_COLUMN.test(c)), units: cells.findIndex((c) => UNITS_COLUMN.test(c)) };
}

/** What is to be done: the task cell of a table row (else its longest cell), or the text without its label. */
export function taskOf(p: Paragraph, columns: TableColumns | null): string {
  if (p.kind === 'table-row') {
    const cells = p.text.split('\t');
    const cell = columns && columns.task >= 0 ? cells[columns.task] : undefined;
    if (cell) return cell.trim();
    return cells.reduce((a, b) => (b.length > a.length ? b : a), '').trim();
  }
  const text = p.label && p.text.startsWith(p.label) ? p.text.slice(p.label.length) : p.text;
  return text.trim();
}

/**
 * The heading sentence of a long task: its first sentence when short enough to read as a title
 * (`加强权力配置信息公开。对照…` → `加强权力配置信息公开`); null for short tasks.
 */
export function headingSentence(task: string): string | null {
  if ([...task].length <= HEADING_FROM) return null;
  const m = /^(.{2,}?)[。；！？]/u.exec(task);
  if (!m || [...m[1]!].length > HEADING_MAX) return null;
  return m[1]!;
}

/** A collective name (各有关部门, 其他县级有关部门, 各街镇…), which names no one unit to lead. */
const COLLECTIVE = /^(?:各|其他|有关|相关)|^[省市县区镇乡](?:级|直)|有关(?:部门|单位)$|各(?:部门|单位)$/u;

/**
 * Which units lead (牵头): those after a `牵头单位：` marker; else those written up to the last
 * unit directly followed by 牵头 (`县委编办、县司法局牵头，县级各有关部门负责`); else the first
 * named unit that is not a collective name (the notices list the lead unit first). A list of
 * collective names only has no lead.
 */
export function leadFlags(units: readonly string[], text: string): boolean[] {
  const flags = units.map(() => false);
  const marker = /牵头(?:单位|部门)\s*[:：]/u.exec(text);
  if (marker) {
    const from = marker.index + marker[0].length;
    const rest = text.slice(from);
    const next = /(?:责任|配合|主责|主办|协办|参与|实施|承办)(?:单位|部门)\s*[:：]/u.exec(rest);
    const segment = next ? rest.slice(0, next.index) : rest;
    units.forEach((u, i) => (flags[i] = segment.includes(u)));
  } else {
    const positions = units.map((u) => text.indexOf(u));
    let lastLead = -1;
    units.forEach((u, i) => {
      const at = positions[i]!;
      if (at >= 0 && text.startsWith('牵头', at + u.length)) lastLead = Math.max(lastLead, at);
    });
    if (lastLead >= 0) units.forEach((_, i) => (flags[i] = positions[i]! >= 0 && positions[i]! <= lastLead));
  }
  if (!flags.includes(true)) {
    const first = units.findIndex((u) => !COLLECTIVE.test(u));
    if (first >= 0) flags[first] = true;
  }
  return flags;
}

/** Builds every commitment of the corpus, in corpus order. */
export function extractCommitments(docs: readonly PolicyDocument[], table: UnitAliasTable = defaultUnitAliases()): CommitmentRecord[] {
  const normalized = new Map<string, NormalizedUnit[]>();
  const unitsOf = (name: string): NormalizedUnit[] => {
    let n = normalized.get(name);
    if (!n) normalized.set(name, (n = normalizeUnitAll(name, table)));
    return n;
  };
  const out: CommitmentRecord[] = [];
  const cityRegions = new Set(docs.flatMap((d) => (d.meta.region && d.meta.region === d.meta.city ? [d.meta.region] : [])));
  for (const doc of docs) {
    const facts = docFacts(doc);
    const { region, city } = doc.meta;
    const regionValues = region ? [region, ...(city && city !== region && cityRegions.has(city) ? [city] : [])] : [];
    const paragraphs = doc.paragraphs;
    let columns: TableColumns | null = null;
    paragraphs.forEach((p, i) => {
      if (p.kind === 'table-header') columns = tableColumns(p.text);
      if (!isCommitmentParagraph(p, paragraphs[i - 1])) return;
      const attached = paragraphs[i + 1] && isAttachedUnitsLine(paragraphs[i + 1]!, p) ? paragraphs[i + 1]! : null;
      const cells = p.text.split('\t');
      const unitText =
        p.kind === 'table-row' ? (columns && columns.units >= 0 ? (cells[columns.units] ?? '') : p.text) : attached ? `${p.text}\n${attached.text}` : p.text;
      const leads = leadFlags(p.units, unitText);
      const units: CommitmentUnit[] = p.units.map((name, k) => {
        const [main, ...aliases] = unitsOf(name);
        return { name, key: main!.key, label: main!.label, lead: leads[k]!, aliases };
      });
      // Lead units first, the document's order otherwise (a stable sort).
      units.sort((a, b) => Number(b.lead) - Number(a.lead));
      // The same expression written twice (“2020年底前…2020年底前”) is one deadline.
      const deadlines = [...commitmentDeadlines(p), ...(attached ? commitmentDeadlines(attached) : [])]
        .map(({ text, date, kind }) => ({ text, date, kind }))
        .filter((x, k, all) => all.findIndex((y) => y.text === x.text && y.date === x.date) === k);
      const task = taskOf(p, columns);
      const item: CommitmentBase = {
        id: p.id,
        docId: doc.id,
        kind: p.kind,
        text: p.text,
        task,
        heading: headingSentence(task),
        label: p.label,
        section: p.section,
        units,
        deadlines,
        region: doc.meta.region,
        citation: renderCitation(doc, p).text,
        url: paragraphUrl(doc.id, p.id),
        doc: hitDocSummary(doc),
      };
      out.push({
        item,
        docDate: doc.meta.issuedDate ?? doc.meta.printedDate,
        order: out.length,
        regionNames: facts.regionNames,
        regionValues,
        unitKeys: [...new Set(units.flatMap((u) => [u.key, ...u.aliases.map((a) => a.key)]))],
        dates: [...new Set(deadlines.map((x) => x.date).filter((x): x is string => x !== null))].sort(),
        norm: normalizeForMatch(p.text),
      });
    });
  }
  return out;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A date bound as typed: `YYYY-MM-DD` is that day; `YYYY-MM` is the whole month (its first day
 * as `after`, its last day as `before`). Anything else, or an impossible date → E_BAD_DATE.
 */
export function parseDateBound(raw: string, side: 'before' | 'after'): string {
  const s = raw.trim();
  const day = ISO_DAY.exec(s);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (m >= 1 && m <= 12 && d >= 1 && d <= lastDayOfMonth(y, m)) return s;
  }
  const month = ISO_MONTH.exec(s);
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    if (m >= 1 && m <= 12) return `${s}-${side === 'after' ? '01' : String(lastDayOfMonth(y, m)).padStart(2, '0')}`;
  }
  const label = side === 'before' ? '截止日期（不晚于）' : '截止日期（不早于）';
  throw new AppError('E_BAD_DATE', `${label}：“${s.slice(0, 20)}”。`);
}

/** The earliest dated deadline inside [after, before], or null. */
function dueWithin(r: CommitmentRecord, after: string | undefined, before: string | undefined): string | null {
  for (const d of r.dates) if ((!after || d >= after) && (!before || d <= before)) return d;
  return null;
}

/**
 * The keyword pieces of `q`, each in the matching normalization: a quoted phrase ("…" or “…”)
 * is one piece with its spaces dropped, other words are split at whitespace; all must occur.
 */
export function keywordPieces(q: string): string[] {
  const out: string[] = [];
  for (const m of q.matchAll(/["“”]([^"“”]*)["“”]?|([^\s"“”]+)/gu)) {
    const piece = normalizeForMatch(m[1] ?? m[2] ?? '');
    if (piece) out.push(piece);
  }
  return out;
}

// --- Status: where each deadline stands on the query's day ---

/** A year written in the expression itself (2020年…, 今年/明年…), not taken from the document. */
const YEAR_WRITTEN = /\d{4}年|[今本当明]年/u;

/** Whole days from `from` to `to` (ISO dates); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Where one deadline stands on `today` (see DeadlineStatus). `docDate` is the document's own date:
 * a date before it was read with the wrong year when the year is not written (`4月底前` in a
 * notice of May) and is 'unknown'; with a written year it is a real but stale date, 'passed' with
 * the doubt noted. Completion is never assumed either way.
 */
export function deadlineStatus(d: CommitmentDeadline, today: string, docDate: string | null): DatedCommitmentDeadline {
  const base = { ...d, next: null, daysLeft: null, doubt: null };
  if (d.kind === 'recurring') {
    const next = nextOccurrence(d.text, today);
    return { ...base, status: 'recurring', next, daysLeft: next === null ? null : daysBetween(today, next) };
  }
  if (d.kind === 'ongoing') return { ...base, status: 'ongoing' };
  if (d.date === null) return { ...base, status: 'unknown', doubt: 'no-year' };
  const beforeIssue = docDate !== null && d.date < docDate;
  if (beforeIssue && !YEAR_WRITTEN.test(d.text)) return { ...base, status: 'unknown', doubt: 'before-issue' };
  const doubt = beforeIssue ? 'before-issue' : null;
  if (d.date >= today) return { ...base, status: 'upcoming', daysLeft: daysBetween(today, d.date), doubt };
  return { ...base, status: 'passed', doubt };
}

/** The order of statuses in the default sort and in the counts. */
export const STATUS_ORDER: readonly CommitmentStatus[] = ['upcoming', 'recurring', 'ongoing', 'passed', 'unknown', 'none'];

/**
 * A commitment's status: that of its most pressing deadline (upcoming before recurring, ongoing,
 * passed, unknown), and the day it refers to: the soonest upcoming date, the soonest next
 * occurrence, or the latest passed date.
 */
export function commitmentStatus(deadlines: readonly DatedCommitmentDeadline[]): { status: CommitmentStatus; due: string | null } {
  let best: { status: CommitmentStatus; due: string | null } = { status: 'none', due: null };
  const rank = (x: CommitmentStatus) => STATUS_ORDER.indexOf(x);
  for (const d of deadlines) {
    const due = d.status === 'upcoming' || d.status === 'passed' ? d.date : d.status === 'recurring' ? d.next : null;
    if (rank(d.status) < rank(best.status)) best = { status: d.status, due };
    else if (d.status === best.status && due !== null) {
      const later = best.due === null || due > best.due;
      // Upcoming and recurring: the soonest; passed: the latest.
      if (d.status === 'passed' ? later : best.due === null || due < best.due) best = { status: d.status, due };
    }
  }
  return best;
}

/** A record's statuses on one day. */
interface Standing {
  deadlines: DatedCommitmentDeadline[];
  status: CommitmentStatus;
  due: string | null;
}

/** Statuses of every record on the last day asked, kept for the next request of that day. */
const standingCache = new WeakMap<readonly CommitmentRecord[], { today: string; standings: Map<CommitmentRecord, Standing> }>();

function standingsOn(records: readonly CommitmentRecord[], today: string): Map<CommitmentRecord, Standing> {
  const cached = standingCache.get(records);
  if (cached && cached.today === today) return cached.standings;
  const standings = new Map<CommitmentRecord, Standing>();
  for (const r of records) {
    const deadlines = r.item.deadlines.map((d) => deadlineStatus(d, today, r.docDate));
    standings.set(r, { deadlines, ...commitmentStatus(deadlines) });
  }
  standingCache.set(records, { today, standings });
  return standings;
}

type FilterName = 'region' | 'unit' | 'date' | 'q' | 'status';

/** The filter's predicates by name, so counts can leave their own filter out. */
function predicates(
  records: readonly CommitmentRecord[],
  filter: CommitmentFilter,
  table: UnitAliasTable,
  statusOf: (r: CommitmentRecord) => CommitmentStatus,
): Array<[FilterName, (r: CommitmentRecord) => boolean]> {
  const out: Array<[FilterName, (r: CommitmentRecord) => boolean]> = [];
  if (filter.region) {
    const norm = normalizeForMatch(filter.region);
    out.push(['region', (r) => r.regionNames.some((n) => n === norm || n.startsWith(norm))]);
  }
  if (filter.unit) {
    // The search facet's rule: every spelling of a known unit, else a fragment of a unit's name.
    const matches = unitFilter(filter.unit, new Set(records.flatMap((r) => r.unitKeys)), table);
    out.push(['unit', (r) => matches(r.unitKeys)]);
  }
  if (filter.before || filter.after) {
    const { before, after } = filter;
    if (before && after && after > before) throw new AppError('E_DATE_RANGE', `${after} 晚于 ${before}。`);
    out.push(['date', (r) => dueWithin(r, after, before) !== null]);
  }
  const words = keywordPieces(filter.q ?? '');
  if (words.length) out.push(['q', (r) => words.every((w) => r.norm.includes(w))]);
  if (filter.status) {
    const wanted = filter.status;
    out.push(['status', (r) => statusOf(r) === wanted]);
  }
  return out;
}

function byCountThenName<T extends { count: number }>(name: (x: T) => string) {
  return (a: T, b: T) => b.count - a.count || name(a).localeCompare(name(b), 'zh');
}

/** The default order: by status (STATUS_ORDER); upcoming and recurring soonest first, passed latest first. */
function byStatus(standing: (r: CommitmentRecord) => Standing) {
  return (a: CommitmentRecord, b: CommitmentRecord): number => {
    const sa = standing(a);
    const sb = standing(b);
    const rank = STATUS_ORDER.indexOf(sa.status) - STATUS_ORDER.indexOf(sb.status);
    if (rank !== 0) return rank;
    if (sa.due !== sb.due) {
      if (sa.due === null) return 1;
      if (sb.due === null) return -1;
      const cmp = sa.due < sb.due ? -1 : 1;
      return sa.status === 'passed' ? -cmp : cmp;
    }
    return a.order - b.order;
  };
}

/**
 * Filters, counts, sorts and pages the commitments, with each deadline's status on
 * `filter.today`. Counts leave their own filter out, as the search facets do, so the other
 * choices stay visible.
 */
export function queryCommitments(
  records: readonly CommitmentRecord[],
  filter: CommitmentFilter,
  table: UnitAliasTable = defaultUnitAliases(),
): CommitmentsResponse {
  const standings = standingsOn(records, filter.today);
  const standing = (r: CommitmentRecord) => standings.get(r)!;
  const preds = predicates(records, filter, table, (r) => standing(r).status);
  const passes = (r: CommitmentRecord, except?: FilterName) => preds.every(([name, ok]) => name === except || ok(r));

  const regions = new Map<string, number>();
  const units = new Map<string, UnitCount>();
  const months = new Map<string, number>();
  const statuses = Object.fromEntries(STATUS_ORDER.map((x) => [x, 0])) as Record<CommitmentStatus, number>;
  let undated = 0;
  const matches: CommitmentRecord[] = [];
  for (const r of records) {
    if (passes(r)) matches.push(r);
    if (passes(r, 'region')) for (const v of r.regionValues) regions.set(v, (regions.get(v) ?? 0) + 1);
    if (passes(r, 'unit')) {
      const seen = new Set<string>();
      for (const u of r.item.units) {
        for (const { key, label } of [u, ...u.aliases]) {
          if (seen.has(key)) continue;
          seen.add(key);
          const c = units.get(key) ?? { key, label, count: 0 };
          c.count++;
          units.set(key, c);
        }
      }
    }
    if (passes(r, 'date')) {
      const ms = new Set(r.dates.map((d) => d.slice(0, 7)));
      for (const m of ms) months.set(m, (months.get(m) ?? 0) + 1);
      if (!r.dates.length) undated++;
    }
    if (passes(r, 'status')) statuses[standing(r).status]++;
  }

  if (filter.sort === 'deadline') {
    const due = new Map(matches.map((r) => [r, dueWithin(r, filter.after, filter.before)]));
    matches.sort((a, b) => {
      const da = due.get(a) ?? null;
      const db = due.get(b) ?? null;
      if (da !== db) {
        if (da === null) return 1;
        if (db === null) return -1;
        return da < db ? -1 : 1;
      }
      return a.order - b.order;
    });
  } else if (filter.sort === 'status') {
    matches.sort(byStatus(standing));
  }
  const end = filter.limit === undefined ? undefined : filter.offset + filter.limit;
  return {
    total: matches.length,
    items: matches.slice(filter.offset, end).map((r): Commitment => {
      const { deadlines, status, due } = standing(r);
      return { ...r.item, deadlines, status, due };
    }),
    counts: {
      regions: [...regions].map(([value, count]): FacetValue => ({ value, count })).sort(byCountThenName((x) => x.value)),
      units: [...units.values()].sort(byCountThenName((x) => x.label)),
      months: [...months].map(([value, count]): FacetValue => ({ value, count })).sort((a, b) => a.value.localeCompare(b.value)),
      undated,
      statuses,
    },
  };
}
