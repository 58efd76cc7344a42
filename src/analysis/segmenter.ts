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
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';

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

/**
 * cppjieba does not understand comment lines, so it gets a cleaned copy of the user dictionary
 * (and the stand-ins above). The copies live in one directory named by their content: written
 * once (atomically, by rename), reused by every later process, and never left behind per process
 * even when a thread is terminated in the middle of loading.
 */
function dictionaryFiles(): { userDict: string; idfDict: string; stopWordDict: string } {
  const files = {
    'user.dict.utf8': readDataLines(SEGMENTER_CONFIG.userDict).join('\n') + '\n',
    'idf.utf8': IDF_STANDIN,
    'stop_words.utf8': STOPWORD_STANDIN,
  };
  const hash = createHash('sha256');
  for (const [name, text] of Object.entries(files)) hash.update(name).update('\0').update(text).update('\0');
  const dir = join(tmpdir(), `policy-search-jieba-${hash.digest('hex').slice(0, 16)}`);
  const paths = { userDict: join(dir, 'user.dict.utf8'), idfDict: join(dir, 'idf.utf8'), stopWordDict: join(dir, 'stop_words.utf8') };
  if (Object.keys(files).every((name) => existsSync(join(dir, name)))) return paths;
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const target = join(dir, name);
    const partial = `${target}.${process.pid}.${threadId}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, target);
  }
  return paths;
}

function loadJieba(): Jieba {
  if (jieba) return jieba;
  const require = createRequire(import.meta.url);
  const lib = require('nodejieba') as Jieba;
  lib.load(dictionaryFiles());
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
