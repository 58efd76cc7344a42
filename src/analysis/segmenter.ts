/**
 * The only module that imports nodejieba. The dictionary is loaded once per process, lazily
 * (about 0.8 s and 230 MB), with the policy user dictionary from `data/policy-dict.txt`.
 *
 * HMM is off: with a dictionary-only cut the same string always segments the same way,
 * in documents and in queries alike, so a query word and a document word agree. HMM guesses
 * new words from context, which makes the split of a phrase depend on its neighbours.
 * HMM-off splits digit runs into single digits; the analyzer merges them back.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Jieba {
  load(opts: { userDict?: string; idfDict?: string; stopWordDict?: string }): unknown;
  cut(text: string, hmm?: boolean): string[];
  cutForSearch(text: string, hmm?: boolean): string[];
}

export const SEGMENTER_CONFIG = { engine: 'nodejieba', hmm: false, userDict: 'data/policy-dict.txt' } as const;

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let jieba: Jieba | null = null;

/** Reads a data file, dropping `#` comment lines and blank lines. */
export function readDataLines(relPath: string): string[] {
  return readFileSync(join(projectRoot, relPath), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/**
 * nodejieba's `load()` builds cppjieba's Jieba (dictionary trie, HMM model, and a keyword
 * extractor that parses the 6 MB idf dictionary and the stop-word list) and a TextRank
 * extractor (a second trie). `cut` and `cutForSearch` use only the trie (and the HMM model when
 * HMM is on); the idf and stop-word dictionaries serve `extract`/`textRankExtract` alone, which
 * this project never calls. So they are handed one-line stand-ins: segmentation is byte-for-byte
 * the same (checked: the seeds and 4,600 law paragraphs through cut and cutForSearch, and every
 * paragraph's words in the laws corpus index) and the load is ~130 ms and ~20 MB smaller. The
 * stand-ins keep one entry each: cppjieba asserts non-empty files in debug builds, and the idf
 * average must stay positive.
 */
const IDF_STANDIN = '的 1.0\n';
const STOPWORD_STANDIN = '的\n';

function loadJieba(): Jieba {
  if (jieba) return jieba;
  const require = createRequire(import.meta.url);
  const lib = require('nodejieba') as Jieba;
  // cppjieba does not understand comment lines: hand it a cleaned copy of the dictionary.
  const dir = mkdtempSync(join(tmpdir(), 'policy-dict-'));
  try {
    const userDict = join(dir, 'user.dict.utf8');
    const idfDict = join(dir, 'idf.utf8');
    const stopWordDict = join(dir, 'stop_words.utf8');
    writeFileSync(userDict, readDataLines(SEGMENTER_CONFIG.userDict).join('\n') + '\n');
    writeFileSync(idfDict, IDF_STANDIN);
    writeFileSync(stopWordDict, STOPWORD_STANDIN);
    lib.load({ userDict, idfDict, stopWordDict });
  } finally {
    // cppjieba reads every file while loading: the copies are not needed afterwards.
    rmSync(dir, { recursive: true, force: true });
  }
  jieba = lib;
  return lib;
}

/**
 * Loads the dictionary now (synchronous, ~0.8 s) unless it is loaded already. The server calls it
 * while the index files are being read, so the two overlap instead of adding up.
 */
export function loadSegmenter(): void {
  loadJieba();
}

/** Cuts normalized text into words; the pieces concatenate back to the input. */
export function cutWords(text: string): string[] {
  if (!text) return [];
  return loadJieba().cut(text, SEGMENTER_CONFIG.hmm);
}

/** Search-mode cut: long words are also split into the dictionary words inside them. */
export function cutSearchWords(text: string): string[] {
  if (!text) return [];
  return loadJieba().cutForSearch(text, SEGMENTER_CONFIG.hmm);
}
