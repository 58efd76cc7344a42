/**
 * Links between the documents of a corpus: what each cites (根据《…》, cited 文号) and what cites
 * it, which document repeals which, and each document's validity (时效性) on a given day.
 * Built once per loaded index from the documents' metadata; pure apart from the clock read by
 * `localToday`.
 */
import { resolveReferences } from '../corpus/citations.js';
import { validityState } from '../corpus/validity.js';
import type { DocReference, Paragraph, PolicyDocument, ValidityState } from '../domain/types.js';

export const VALIDITY_LABELS: Readonly<Record<ValidityState, string>> = {
  'in-force': '现行有效',
  'not-yet': '尚未生效',
  expired: '已失效',
  repealed: '已废止',
};

/** Today's date as YYYY-MM-DD in the server's time zone. */
export function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** One end of a link: a document of the corpus, and the paragraph of the citing document. */
export interface DocLink {
  /** Index of the other document in the corpus. */
  doc: number;
  /** Paragraph index, in the citing document, of the mention. */
  para: number;
  cue: string | null;
  /** The mention as written (title in 《》 and/or 文号). */
  ref: DocReference;
}

/** A document's validity on a day, with the reason shown to readers. */
export interface DocValidity {
  state: ValidityState;
  label: string;
  reason: string;
  effectiveDate: string | null;
  expiryDate: string | null;
  /** The document that repeals this one (in force on that day), if any. */
  repealedBy: DocLink | null;
}

export class DocumentRelations {
  /** Resolved mentions of other documents, by citing document, in text order. */
  readonly cites: DocLink[][];
  /** Mentions that name no document of the corpus, by citing document. */
  readonly unresolved: DocReference[][];
  /** Citing documents (one link per citing document: its first mention), by cited document. */
  readonly citedBy: DocLink[][];
  /** Documents that declare this one repealed, by repealed document. */
  private readonly repealers: DocLink[][];
  /** States by day (the server asks for today's; tests and `today=` for others). */
  private readonly statesByDay = new Map<string, ValidityState[]>();

  /**
   * `titleParagraphs(d)` gives document d's title paragraphs (a file that prints a second
   * document under its own heading answers to both titles) without parsing the whole document.
   */
  constructor(
    private readonly docs: readonly PolicyDocument[],
    titleParagraphs: (d: number) => Paragraph[],
  ) {
    const cited = resolveReferences(docs.map((d, i) => ({ meta: d.meta, paragraphs: titleParagraphs(i) })));
    this.cites = cited.cites.map((list) => list.map(({ ref, target }) => ({ doc: target, para: ref.para, cue: ref.cue, ref })));
    this.unresolved = cited.unresolved.map((list) => [...list]);
    this.citedBy = docs.map(() => []);
    this.cites.forEach((list, source) => {
      const seen = new Set<number>();
      for (const link of list) {
        if (seen.has(link.doc)) continue;
        seen.add(link.doc);
        this.citedBy[link.doc]!.push({ ...link, doc: source });
      }
    });
    // Repeals resolve like citations: the repealed document named by 《title》 or 文号.
    const repeals = resolveReferences(docs.map((d) => ({ meta: { ...d.meta, references: d.meta.validity?.repeals ?? [] } })));
    this.repealers = docs.map(() => []);
    // A document can only repeal one that existed before it: when the title resolves to a later
    // edition (the corpus holds no earlier one), the repeal names a text we do not have.
    const dateOf = (d: number) => docs[d]!.meta.issuedDate ?? docs[d]!.meta.printedDate;
    repeals.cites.forEach((list, source) => {
      for (const { ref, target } of list) {
        const [from, to] = [dateOf(source), dateOf(target)];
        if (from !== null && to !== null && to > from) continue;
        this.repealers[target]!.push({ doc: source, para: ref.para, cue: ref.cue, ref });
      }
    });
  }

  /** Documents `d` declares repealed (resolved in the corpus), in text order. */
  repealsOf(d: number): DocLink[] {
    const out: DocLink[] = [];
    this.repealers.forEach((links, target) => {
      for (const l of links) if (l.doc === d) out.push({ ...l, doc: target });
    });
    return out.sort((a, b) => a.para - b.para);
  }

  /**
   * The repealing document in force on `today`: a repeal takes effect with the document that
   * declares it (its 施行日期, else its 成文日期), so a repeal not yet in force leaves the old
   * document valid until then.
   */
  private repealerOn(d: number, today: string): DocLink | null {
    for (const link of this.repealers[d]!) {
      const m = this.docs[link.doc]!.meta;
      const from = m.validity?.effectiveDate ?? m.issuedDate ?? m.printedDate;
      if (from === null || from <= today) return link;
    }
    return null;
  }

  validity(d: number, today: string): DocValidity {
    const doc = this.docs[d]!;
    const by = this.repealerOn(d, today);
    const byDoc = by ? this.docs[by.doc]! : null;
    const byName = byDoc ? `《${byDoc.meta.title ?? '（无标题）'}》${byDoc.meta.docNumber ? `（${byDoc.meta.docNumber}）` : ''}` : null;
    const { state, reason } = validityState(doc.meta.validity, today, byName);
    return {
      state,
      label: VALIDITY_LABELS[state],
      reason,
      effectiveDate: doc.meta.validity?.effectiveDate ?? null,
      expiryDate: doc.meta.validity?.expiryDate ?? null,
      repealedBy: by,
    };
  }

  /** Every document's state on `today`, by document index (cached for the last few days asked). */
  states(today: string): readonly ValidityState[] {
    let states = this.statesByDay.get(today);
    if (!states) {
      states = this.docs.map((_, d) => this.validity(d, today).state);
      if (this.statesByDay.size >= 8) this.statesByDay.delete(this.statesByDay.keys().next().value!);
      this.statesByDay.set(today, states);
    }
    return states;
  }
}
