/**
 * Side-by-side wording diff of two clauses, word by word.
 *
 * Each text is cut into jieba tokens that concatenate back to the text exactly: the normalized
 * text (normalize.ts) is segmented and every token start is mapped back to the stored text
 * through the offset map, so the pieces are slices of the stored text, with whitespace (dropped
 * by normalization) kept as tokens of its own. The two token lists are diffed with `diff`'s
 * `diffArrays` (Myers), comparing tokens exactly as written: full-width and half-width
 * punctuation count as different wording.
 */
import { diffArrays } from 'diff';
import { normalizeWithMap } from '../analysis/normalize.js';
import { cutWords } from '../analysis/segmenter.js';
import type { DiffPart, DiffSummary } from '../domain/types.js';

const WHITESPACE_RUN = /\s+/gu;
const WORDLIKE = /[\p{L}\p{N}]/u;
const ASCII_ALNUM = /^[A-Za-z0-9]+$/u;

/**
 * Cuts stored text into word tokens whose concatenation is exactly `text`: jieba words of the
 * normalized text mapped back to original offsets, whitespace runs as tokens of their own, and
 * runs of ASCII letters and digits kept whole (dictionary-only jieba cuts `2020` into digits).
 */
export function tokenizeForDiff(text: string): string[] {
  if (!text) return [];
  const normalized = normalizeWithMap(text);
  const cuts = new Set<number>([0, text.length]);
  let pos = 0;
  for (const piece of cutWords(normalized.text)) {
    cuts.add(normalized.map[pos]!);
    pos += piece.length;
  }
  for (const m of text.matchAll(WHITESPACE_RUN)) cuts.add(m.index).add(m.index + m[0].length);
  const points = [...cuts].sort((a, b) => a - b);
  const tokens: string[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const piece = text.slice(points[i], points[i + 1]);
    const prev = tokens[tokens.length - 1];
    if (prev !== undefined && ASCII_ALNUM.test(piece) && ASCII_ALNUM.test(prev)) tokens[tokens.length - 1] = prev + piece;
    else tokens.push(piece);
  }
  return tokens;
}

/** Words (tokens with a letter or digit) among tokens: what "新增 N 词" counts. */
function wordCount(tokens: readonly string[]): number {
  let n = 0;
  for (const t of tokens) if (WORDLIKE.test(t)) n++;
  return n;
}

/** Characters other than whitespace, in code points. */
function visibleLength(tokens: readonly string[]): number {
  let n = 0;
  for (const t of tokens) for (const ch of t) if (!/\s/u.test(ch)) n++;
  return n;
}

interface TokenRun {
  kind: DiffPart['kind'];
  tokens: string[];
}

/** Edit budget of the diff (token insertions + deletions): at most MAX_EDITS, at most
 * DIFF_STEP_BUDGET / (tokens of both texts), at least MIN_EDITS. */
const MAX_EDITS = 2_000;
const MIN_EDITS = 50;
const DIFF_STEP_BUDGET = 4_000_000;
/** A common run this short (in visible characters) between two changes is folded into them. */
const ISLAND_MAX_CHARS = 2;

/**
 * Diffs text `a` against text `b`. Concatenating the `same` and `removed` parts in order gives
 * `a` exactly; the `same` and `added` parts give `b`. Adjacent parts of one kind are merged; at a
 * change, the removed wording comes before the added wording; a one- or two-character common
 * island between two changes (`权力` inside two rewritten phrases) is shown as part of the change,
 * so a rewritten phrase reads as one deletion and one insertion rather than confetti.
 */
export function diffClauses(a: string, b: string): { parts: DiffPart[]; summary: DiffSummary } {
  const left = tokenizeForDiff(a);
  const right = tokenizeForDiff(b);
  // Bounded work: Myers costs about (N + M) · D steps for D edits. Past the edit budget the texts
  // have little in common anyway, and are shown as one removal and one insertion.
  const maxEditLength = Math.max(MIN_EDITS, Math.min(MAX_EDITS, Math.floor(DIFF_STEP_BUDGET / (left.length + right.length + 1))));
  const changes = diffArrays(left, right, { maxEditLength }) ?? [
    { value: left, added: false, removed: true, count: left.length },
    { value: right, added: true, removed: false, count: right.length },
  ];
  const runs: TokenRun[] = changes.map((c) => ({
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
    tokens: c.value,
  }));
  const merged = foldIslands(groupChanges(runs));
  const tokens: Record<DiffPart['kind'], string[]> = { same: [], added: [], removed: [] };
  for (const run of merged) tokens[run.kind].push(...run.tokens);
  const parts = merged.map((r) => ({ kind: r.kind, text: r.tokens.join('') })).filter((p) => p.text !== '');
  return { parts, summary: summarize(tokens.same, tokens.added, tokens.removed) };
}

/**
 * Merges runs of one kind and orders each stretch of changes as one removed run, then one added
 * run (reads as "was … now …").
 */
function groupChanges(runs: readonly TokenRun[]): TokenRun[] {
  const out: TokenRun[] = [];
  let i = 0;
  while (i < runs.length) {
    if (runs[i]!.kind === 'same') {
      const last = out[out.length - 1];
      if (last?.kind === 'same') last.tokens.push(...runs[i]!.tokens);
      else out.push({ kind: 'same', tokens: [...runs[i]!.tokens] });
      i++;
      continue;
    }
    const removed: string[] = [];
    const added: string[] = [];
    while (i < runs.length && runs[i]!.kind !== 'same') {
      (runs[i]!.kind === 'removed' ? removed : added).push(...runs[i]!.tokens);
      i++;
    }
    if (removed.length) out.push({ kind: 'removed', tokens: removed });
    if (added.length) out.push({ kind: 'added', tokens: added });
  }
  return out;
}

/**
 * Folds short common islands between changes into the changes around them — when the island is
 * at most ISLAND_MAX_CHARS and shorter than the change on either side (`权力` between two
 * rewritten phrases folds; `有关` between `区级`→`县级` and `单位`→`部门` stays). The island's
 * tokens join both the removed and the added side, so each text still reassembles exactly.
 */
function foldIslands(runs: TokenRun[]): TokenRun[] {
  /** The longer side (removed or added) of the stretch of changes ending before / starting at i. */
  const changeSize = (list: TokenRun[], from: number, step: 1 | -1) => {
    let size = 0;
    for (let j = from; j >= 0 && j < list.length && list[j]!.kind !== 'same'; j += step) size = Math.max(size, visibleLength(list[j]!.tokens));
    return size;
  };
  let out = runs;
  for (let i = 1; i + 1 < out.length; ) {
    const island = out[i]!;
    const size = island.kind === 'same' ? visibleLength(island.tokens) : Infinity;
    if (size <= ISLAND_MAX_CHARS && size < changeSize(out, i - 1, -1) && size < changeSize(out, i + 1, 1)) {
      const folded: TokenRun[] = [
        ...out.slice(0, i),
        { kind: 'removed', tokens: island.tokens },
        { kind: 'added', tokens: island.tokens },
        ...out.slice(i + 1),
      ];
      out = groupChanges(folded);
      // Regrouping merges the runs around i; an island just before them may now qualify too.
      i = Math.max(1, i - 4);
      continue;
    }
    i++;
  }
  return out;
}

/**
 * Summary figures: the share of wording the two texts have in common — 2 × common characters
 * over the characters of both (whitespace not counted), so identical texts give 1 — and the
 * words added and removed, with the one-line Chinese summary.
 */
function summarize(same: readonly string[], added: readonly string[], removed: readonly string[]): DiffSummary {
  const sameChars = visibleLength(same);
  const aChars = sameChars + visibleLength(removed);
  const bChars = sameChars + visibleLength(added);
  const sharedRatio = aChars + bChars === 0 ? 1 : (2 * sameChars) / (aChars + bChars);
  const addedWords = wordCount(added);
  const removedWords = wordCount(removed);
  // Never round a difference up to 100%: 100% means the wording is identical.
  const percent = sharedRatio < 1 ? Math.min(99, Math.round(sharedRatio * 100)) : 100;
  return {
    sharedRatio: Math.round(sharedRatio * 1000) / 1000,
    sameWords: wordCount(same),
    addedWords,
    removedWords,
    sameChars,
    addedChars: bChars - sameChars,
    removedChars: aChars - sameChars,
    text: `相同 ${percent}%，新增 ${addedWords} 词，删去 ${removedWords} 词`,
  };
}
