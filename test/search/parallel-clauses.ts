/**
 * The judged parallel-clause set (test/fixtures/parallel-clauses.json) and the figures measured on
 * it: recall@k of the similar-clause finder, and precision/recall of its score threshold. Pure
 * functions over a `similar(id, limit)` callback, so the test and the report script share them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const PARALLEL_FIXTURE = resolve(import.meta.dirname, '../fixtures/parallel-clauses.json');

export interface JudgedParagraph {
  id: string;
  /** The paragraph's opening characters (tabs shown as spaces), for audit. */
  excerpt: string;
}

/** One notice's clause(s) on the group's task; the first is the main clause. */
export interface GroupMember {
  region: string;
  paragraphs: JudgedParagraph[];
}

export interface ParallelGroup {
  topic: string;
  why: string;
  members: GroupMember[];
}

/** A pair of clauses outside the groups, judged after the finder listed it (see the fixture). */
export interface PooledPair {
  a: string;
  b: string;
  note: string;
}

export interface ParallelFixture {
  groups: ParallelGroup[];
  /** Clauses with no parallel in the other seeds. */
  singletons: Array<JudgedParagraph & { region: string; topic: string }>;
  pooled: { related: PooledPair[]; unrelated: PooledPair[] };
}

export function loadParallelFixture(): ParallelFixture {
  return JSON.parse(readFileSync(PARALLEL_FIXTURE, 'utf8')) as ParallelFixture;
}

/** A similar-clause lookup: the hits (ids and scores) of a paragraph, best first. */
export type SimilarLookup = (id: string, limit: number) => Array<{ id: string; score: number }>;

export interface QueryRecall {
  topic: string;
  source: string;
  /** Other members found in the top k / other members. */
  found: number;
  expected: number;
  /** Regions of the members not found. */
  missed: string[];
}

/**
 * recall@k: for each group member's main clause, the share of the group's other members with a
 * paragraph among its top k hits; averaged over all main clauses of all groups.
 */
export function recallAtK(fixture: ParallelFixture, similar: SimilarLookup, k: number): { recall: number; queries: QueryRecall[] } {
  const queries: QueryRecall[] = [];
  for (const g of fixture.groups) {
    for (const m of g.members) {
      const top = new Set(similar(m.paragraphs[0]!.id, k).map((h) => h.id));
      const others = g.members.filter((o) => o !== m);
      const missed = others.filter((o) => !o.paragraphs.some((p) => top.has(p.id))).map((o) => o.region);
      queries.push({ topic: g.topic, source: m.paragraphs[0]!.id, found: others.length - missed.length, expected: others.length, missed });
    }
  }
  const recall = queries.reduce((s, q) => s + q.found / q.expected, 0) / queries.length;
  return { recall, queries };
}

export interface ListFigures {
  /** Judged parallel pairs: a group member's main clause and another member of its group. */
  parallels: number;
  /** …of them listed: a paragraph of the other member is among the main clause's hits. */
  parallelsListed: number;
  /** Hits listed for the main clauses and singletons. */
  listed: number;
  /** …of them judged parallel (same group) or related (pooled judgement). */
  listedRelevant: number;
  /** …of them judged unrelated (pooled judgement). */
  listedUnrelated: number;
  /** …of them judged neither way (counted as wrong). */
  listedUnjudged: number;
  /** parallelsListed / parallels: how many judged parallels the threshold keeps. */
  recall: number;
  /** listedRelevant / listed. */
  precision: number;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * What a thresholded finder lists, judged: `similar` returns the hits as shown (call it with the
 * largest limit, so only the threshold cuts the list). Precision counts a hit as right when the
 * two clauses share a group or were pooled and judged related.
 */
export function listFigures(fixture: ParallelFixture, similar: SimilarLookup, limit: number): ListFigures {
  const relevant = new Set<string>(fixture.pooled.related.map((r) => pairKey(r.a, r.b)));
  const unrelated = new Set<string>(fixture.pooled.unrelated.map((r) => pairKey(r.a, r.b)));
  for (const g of fixture.groups) {
    for (const m of g.members) {
      for (const o of g.members) if (o !== m) for (const p of m.paragraphs) for (const q of o.paragraphs) relevant.add(pairKey(p.id, q.id));
    }
  }
  const f = { parallels: 0, parallelsListed: 0, listed: 0, listedRelevant: 0, listedUnrelated: 0, listedUnjudged: 0 };
  const sources = new Set([...fixture.groups.flatMap((g) => g.members.map((m) => m.paragraphs[0]!.id)), ...fixture.singletons.map((s) => s.id)]);
  for (const source of sources) {
    for (const h of similar(source, limit)) {
      const key = pairKey(source, h.id);
      f.listed++;
      if (relevant.has(key)) f.listedRelevant++;
      else if (unrelated.has(key)) f.listedUnrelated++;
      else f.listedUnjudged++;
    }
  }
  for (const g of fixture.groups) {
    for (const m of g.members) {
      const listed = new Set(similar(m.paragraphs[0]!.id, limit).map((h) => h.id));
      for (const o of g.members) {
        if (o === m) continue;
        f.parallels++;
        if (o.paragraphs.some((p) => listed.has(p.id))) f.parallelsListed++;
      }
    }
  }
  return { ...f, recall: f.parallelsListed / f.parallels, precision: f.listed ? f.listedRelevant / f.listed : 1 };
}
