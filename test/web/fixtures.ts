/**
 * Real search services for the web tests: the seed corpus, and a temp corpus with one seed plus
 * a document full of markup for the escaping tests. Each is indexed into a fresh temp dir, once
 * per test file (call from beforeAll).
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { SearchServiceApi } from '../../src/search/api.js';
import { openSearchService, type SearchService } from '../../src/search/service.js';

export const SEEDS_DIR = resolve(import.meta.dirname, '../../seeds');

/** A query with many hits (more than a page) across all seed documents, regions and years. */
export const SEED_QUERY = '政务公开';

const tempDirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes the temp dirs made by this test file (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The seed corpus, indexed into a fresh temp dir. */
export async function openSeedService(): Promise<SearchService> {
  return openSearchService({ corpusDir: SEEDS_DIR, indexDir: tempDir('web-index-'), limits: DEFAULT_LIMITS });
}

/** Markup planted in a document and typed into queries by the escaping tests. */
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  img: '"><img src=x onerror=alert(1)>',
  unit: '<b>单位</b>',
  /** A plain query that finds the hostile clause. */
  searchable: '恶意标记测试',
} as const;

/** A notice laid out like the seeds, with markup in its title, headings, clause and units. */
const HOSTILE_FILE = `测试市人民政府办公室文件

测政办〔2020〕1号

测试市人民政府办公室关于印发${HOSTILE.script}工作要点的通知${HOSTILE.img}

各有关单位：

《工作要点》已经市政府同意，现印发给你们，请认真贯彻执行。

测试市人民政府办公室

2020年1月2日

2020年测试市${HOSTILE.script}工作要点

一、${HOSTILE.script}加强恶意标记防护

（一）恶意标记测试条款${HOSTILE.script}，以及${HOSTILE.img}的处理办法。（责任单位：${HOSTILE.unit}、市司法局）
`;

/** One seed file plus the hostile notice, indexed into fresh temp dirs. */
export async function openHostileService(): Promise<SearchService> {
  const corpus = tempDir('web-hostile-corpus-');
  const firstSeed = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort()[0]!;
  copyFileSync(join(SEEDS_DIR, firstSeed), join(corpus, firstSeed));
  writeFileSync(join(corpus, 'hostile.txt'), HOSTILE_FILE);
  return openSearchService({ corpusDir: corpus, indexDir: tempDir('web-hostile-index-'), limits: DEFAULT_LIMITS });
}

/** The id of the one seed paragraph of `region` whose text contains `words` (fails otherwise). */
export function seedParagraphId(service: SearchServiceApi, region: string, words: string): string {
  const doc = service.listDocs().find((d) => d.region === region)!;
  const found = service.getDoc(doc.id).paragraphs.filter((p) => p.text.includes(words));
  expect(found, `${region}：${words}`).toHaveLength(1);
  return found[0]!.id;
}
