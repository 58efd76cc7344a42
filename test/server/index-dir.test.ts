/**
 * `--corpus DIR` without `--index` never replaces the configured index: another corpus gets its
 * own folder under it (index/corpora/<name>-<hash>). Table-driven over resolveIndexDir, then the
 * real `npm run index` CLI on a temp corpus beside a temp default index.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveIndexDir } from '../../src/config.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const config = { corpusDir: '/srv/policy/seeds', indexDir: '/srv/policy/index' };

describe('resolveIndexDir', () => {
  it.each([
    ['no flags: the configured pair', undefined, undefined, '/srv/policy/seeds', '/srv/policy/index'],
    ['the configured corpus named again', '/srv/policy/seeds', undefined, '/srv/policy/seeds', '/srv/policy/index'],
    ['both flags: as given', '/data/laws', '/data/laws-index', '/data/laws', '/data/laws-index'],
    ['the configured index named with another corpus: as given', '/data/laws', '/srv/policy/index', '/data/laws', '/srv/policy/index'],
  ])('%s', (_name, corpus, index, wantCorpus, wantIndex) => {
    expect(resolveIndexDir(config, corpus, index)).toEqual({ corpusDir: wantCorpus, indexDir: wantIndex });
  });

  it('another corpus without --index: its own folder under the configured index, stable and distinct per path', () => {
    const a = resolveIndexDir(config, '/data/laws', undefined);
    expect(a.corpusDir).toBe('/data/laws');
    expect(a.indexDir).toMatch(/^\/srv\/policy\/index\/corpora\/laws-[0-9a-f]{8}$/u);
    expect(resolveIndexDir(config, '/data/laws', undefined)).toEqual(a);
    expect(resolveIndexDir(config, '/other/laws', undefined).indexDir).not.toBe(a.indexDir);
    expect(resolveIndexDir(config, '/data/县 文件', undefined).indexDir).toMatch(/corpora\/县_文件-[0-9a-f]{8}$/u);
  });
});

describe('npm run index -- --corpus DIR (no --index)', () => {
  const base = mkdtempSync(join(tmpdir(), 'index-dir-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('leaves the default index untouched and builds into index/corpora/…', async () => {
    const defaultIndex = join(base, 'index');
    mkdirSync(defaultIndex);
    writeFileSync(join(defaultIndex, 'CURRENT'), 'gen-serving\n');
    const corpus = join(base, 'other');
    mkdirSync(corpus);
    const seed = readdirSync(join(ROOT, 'seeds')).filter((f) => f.endsWith('.txt')).sort()[0]!;
    copyFileSync(join(ROOT, 'seeds', seed), join(corpus, seed));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/build-index.ts', '--corpus', corpus], {
      cwd: ROOT,
      env: { ...process.env, INDEX_DIR: defaultIndex, CORPUS_DIR: join(ROOT, 'seeds') },
    });
    expect(readFileSync(join(defaultIndex, 'CURRENT'), 'utf8')).toBe('gen-serving\n');
    const own = readdirSync(join(defaultIndex, 'corpora'));
    expect(own).toHaveLength(1);
    expect(own[0]).toMatch(/^other-[0-9a-f]{8}$/u);
    expect(existsSync(join(defaultIndex, 'corpora', own[0]!, 'CURRENT'))).toBe(true);
    expect(stdout).toContain(join(defaultIndex, 'corpora', own[0]!));
  }, 60_000);
});
