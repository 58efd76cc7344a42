/**
 * The index on disk: atomic save, manifest checks, rebuild on a changed corpus or analyzer,
 * refusal of a stale index in 'never' mode, identical results after a reload.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { ensureIndex } from '../../src/indexing/pipeline.js';
import { closeSharedIndexFiles, currentGeneration, FORMAT_VERSION, loadIndex, prefetchIndex, readManifest, readSharedIndexFiles, RESIDENT_INDEX_FILES } from '../../src/indexing/store.js';
import { SearchService } from '../../src/search/service.js';
import { SEEDS_DIR } from '../helpers/seeds.js';

let work: string;
let corpus: string;
let index: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'policy-store-'));
  corpus = join(work, 'corpus');
  index = join(work, 'index');
  cpSync(SEEDS_DIR, corpus, { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const opts = () => ({ corpusDir: corpus, indexDir: index, maxFileBytes: DEFAULT_LIMITS.maxFileBytes });

describe('index store', () => {
  it('builds when missing, writes a manifest, leaves no temporary directories', async () => {
    const r = await ensureIndex(opts());
    expect(r.rebuilt).toBe(true);
    const m = await readManifest(index);
    expect(m).not.toBeNull();
    expect(m!.formatVersion).toBe(FORMAT_VERSION);
    expect(m!.files.map((f) => f.file).sort()).toEqual(readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort());
    expect(m!.files.every((f) => /^[0-9a-f]{64}$/.test(f.checksum))).toBe(true);
    expect(m!.counts.paragraphs).toBeGreaterThan(200);
    // One generation directory and the pointer naming it; no temporary files.
    const gen = currentGeneration(index);
    expect(gen).toBe(r.generation);
    expect(readdirSync(index).sort()).toEqual(['CURRENT', gen!].sort());
  });

  it('keeps the previous generation on a rebuild and deletes older ones', async () => {
    const first = currentGeneration(index)!;
    const second = (await ensureIndex({ ...opts(), rebuild: 'always' })).generation;
    expect(currentGeneration(index)).toBe(second);
    expect(readdirSync(index).sort()).toEqual(['CURRENT', first, second].sort());
    const third = (await ensureIndex({ ...opts(), rebuild: 'always' })).generation;
    expect(readdirSync(index).sort()).toEqual(['CURRENT', second, third].sort());
    // A reader holding the previous generation's name can still load it completely.
    expect((await loadIndex(index, second)).refs.length).toBe((await readManifest(index, second))!.counts.paragraphs);
  });

  it('loads the saved index without rebuilding and answers identically', async () => {
    const fresh = await ensureIndex({ ...opts(), rebuild: 'always' });
    const loaded = await ensureIndex(opts());
    expect(loaded.rebuilt).toBe(false);
    // Documents (paragraphs parsed lazily from paragraphs.bin), per-paragraph facts, texts and
    // postings come back exactly as built.
    expect(JSON.parse(JSON.stringify(loaded.built.docs))).toEqual(JSON.parse(JSON.stringify(fresh.built.docs)));
    // One paragraph at a time, without parsing its document first, from a fresh load.
    const again = (await ensureIndex(opts())).built;
    for (let n = 0; n < fresh.built.refs.length; n++) expect(again.paragraph(n)).toEqual(fresh.built.paragraph(n));
    expect(loaded.built.kinds).toEqual(fresh.built.kinds);
    expect(loaded.built.units).toEqual(fresh.built.units);
    expect([...loaded.built.docStart]).toEqual([...fresh.built.docStart]);
    expect(loaded.built.index.normalized).toEqual(fresh.built.index.normalized);
    expect([...loaded.built.index.wordCounts]).toEqual([...fresh.built.index.wordCounts]);
    expect([...loaded.built.index.grams.postings]).toEqual([...fresh.built.index.grams.postings]);
    expect([...loaded.built.index.grams.keys]).toEqual([...fresh.built.index.grams.keys]);
    // The words index (flexsearch export/import): the same paragraphs for each word.
    for (const w of ['政务公开', '公开', '标准', '2020', '不是一个词语']) expect([...loaded.built.index.postings(w)]).toEqual([...fresh.built.index.postings(w)]);
    expect(loaded.built.index.postings('公开').length).toBeGreaterThan(50);
    const a = new SearchService(fresh.built, DEFAULT_LIMITS);
    const b = new SearchService(loaded.built, DEFAULT_LIMITS);
    for (const q of ['标准目录', '"规则和标准"', '天台 标准目录', '公', '2020年9月底前']) {
      const req = { q, limit: 50, offset: 0, sort: 'relevance' as const };
      const ra = a.search(req);
      const rb = b.search(req);
      expect(rb.total).toBe(ra.total);
      expect(rb.hits.map((h) => [h.id, h.highlights])).toEqual(ra.hits.map((h) => [h.id, h.highlights]));
    }
  });

  it('loads a prefetched generation identically, and prefetching another generation changes nothing', async () => {
    const plain = await loadIndex(index);
    const readAhead = prefetchIndex(index);
    const prefetched = await loadIndex(index);
    readAhead.release();
    expect(prefetched.index.normalized).toEqual(plain.index.normalized);
    expect([...prefetched.index.grams.postings]).toEqual([...plain.index.grams.postings]);
    expect([...prefetched.index.postings('公开')]).toEqual([...plain.index.postings('公开')]);
    expect(JSON.parse(JSON.stringify(prefetched.docs))).toEqual(JSON.parse(JSON.stringify(plain.docs)));
    const previous = currentGeneration(index)!;
    const next = (await ensureIndex({ ...opts(), rebuild: 'always' })).generation;
    expect(next).not.toBe(previous);
    // Loading the current generation while another one is read ahead: unaffected.
    const ahead = prefetchIndex(index, previous);
    expect((await loadIndex(index)).index.normalized).toEqual(plain.index.normalized);
    // The read-ahead opened its files at once: a file deleted now is still read, and used.
    rmSync(join(index, previous, 'normalized.u16'));
    expect((await loadIndex(index, previous)).index.normalized).toEqual(plain.index.normalized);
    ahead.release();
    // Taken once: the next load reads the disk, and finds the file gone.
    await expect(loadIndex(index, previous)).rejects.toThrow();
    // release() drops what was not taken.
    prefetchIndex(index, next).release();
    rmSync(join(index, next, 'normalized.u16'));
    await expect(loadIndex(index, next)).rejects.toThrow();
    expect((await ensureIndex(opts())).rebuilt).toBe(true);
    // Nothing to read ahead (no index yet) is not an error.
    prefetchIndex(join(work, 'nothing')).release();
  });

  it('loads over shared files identically: the resident arrays are views of the SharedArrayBuffers, paragraphs read through the descriptor', async () => {
    const generation = currentGeneration(index)!;
    const plain = await loadIndex(index, generation);
    const shared = await readSharedIndexFiles(index, generation);
    try {
      expect(Object.keys(shared.buffers).sort()).toEqual([...RESIDENT_INDEX_FILES].sort());
      expect(Object.values(shared.buffers).every((b) => b instanceof SharedArrayBuffer)).toBe(true);
      const a = await loadIndex(index, generation, { shared });
      const b = await loadIndex(index, generation, { shared });
      // One copy: both loads' typed arrays are views of the same shared bytes.
      const { grams } = a.index;
      for (const arr of [grams.keys, grams.offsets, grams.postings, grams.tf, a.index.wordCounts, a.parents]) expect(arr.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(b.index.grams.postings.buffer).toBe(a.index.grams.postings.buffer);
      expect(a.index.grams.postings.buffer).toBe(shared.buffers['grams.postings']);
      // And the same index as one loaded from the files.
      expect(a.index.normalized).toEqual(plain.index.normalized);
      expect([...a.index.grams.postings]).toEqual([...plain.index.grams.postings]);
      expect([...a.parents]).toEqual([...plain.parents]);
      expect(a.kinds).toEqual(plain.kinds);
      expect([...a.index.postings('公开')]).toEqual([...plain.index.postings('公开')]);
      for (const n of [0, 7, a.refs.length - 1]) expect(a.paragraph(n)).toEqual(plain.paragraph(n));
      expect(JSON.parse(JSON.stringify(a.docs))).toEqual(JSON.parse(JSON.stringify(plain.docs)));
      const service = new SearchService(a, DEFAULT_LIMITS);
      const reference = new SearchService(plain, DEFAULT_LIMITS);
      const request = { q: '政务公开', limit: 20, offset: 0, sort: 'relevance' as const };
      expect({ ...service.search(request), tookMs: 0 }).toEqual({ ...reference.search(request), tookMs: 0 });
      // Files of another generation are refused rather than mixed in.
      await expect(loadIndex(index, generation, { shared: { ...shared, generation: 'gen-other' } })).rejects.toThrow(/shared index files of gen-other/u);
      // The descriptor keeps paragraphs.bin readable after the generation is deleted.
      const c = await loadIndex(index, generation, { shared });
      const copy = join(work, 'gen-copy');
      cpSync(join(index, generation), copy, { recursive: true });
      rmSync(join(index, generation, 'paragraphs.bin'));
      expect(c.paragraph(c.refs.length - 2)).toEqual(plain.paragraph(plain.refs.length - 2));
      cpSync(join(copy, 'paragraphs.bin'), join(index, generation, 'paragraphs.bin'));
    } finally {
      closeSharedIndexFiles(shared);
    }
  });

  it('rebuilds when a corpus file changes, and refuses a stale index in never mode', async () => {
    const file = join(corpus, readdirSync(corpus)[0]!);
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\n\n新增段落：量子纠缠试点。\n`);
    await expect(ensureIndex({ ...opts(), rebuild: 'never' })).rejects.toMatchObject({ code: 'E_INDEX_STALE' });
    const r = await ensureIndex(opts());
    expect(r.rebuilt).toBe(true);
    const s = new SearchService(r.built, DEFAULT_LIMITS);
    expect(s.search({ q: '量子纠缠', limit: 10, offset: 0, sort: 'relevance' }).total).toBe(1);
    writeFileSync(file, original);
  });

  it('re-hashes a file whose mtime changed, even at the same size, and trusts unchanged ones', async () => {
    await ensureIndex(opts());
    const m = (await readManifest(index))!;
    expect(m.files.every((f) => typeof f.mtimeMs === 'number' && f.size === statSync(join(corpus, f.file)).size)).toBe(true);
    const file = join(corpus, m.files[0]!.file);
    const original = readFileSync(file, 'utf8');
    // Same length in bytes: swap two characters of equal width near the end.
    const i = original.lastIndexOf('。');
    const changed = original.slice(0, i) + '；' + original.slice(i + 1);
    expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(original));
    writeFileSync(file, changed);
    const later = new Date(statSync(file).mtimeMs + 5000);
    utimesSync(file, later, later);
    expect((await ensureIndex(opts())).rebuilt).toBe(true);
    writeFileSync(file, original);
    expect((await ensureIndex(opts())).rebuilt).toBe(true);
    expect((await ensureIndex(opts())).rebuilt).toBe(false);
  });

  it('rebuilds when a file is added or removed', async () => {
    writeFileSync(join(corpus, 'extra.txt'), '关于测试的通知\n\n请认真贯彻落实。\n');
    expect((await ensureIndex(opts())).rebuilt).toBe(true);
    rmSync(join(corpus, 'extra.txt'));
    expect((await ensureIndex(opts())).rebuilt).toBe(true);
    expect((await ensureIndex(opts())).rebuilt).toBe(false);
  });

  it('rebuilds when the manifest records another analyzer, and on a corrupt index', async () => {
    const mf = join(index, currentGeneration(index)!, 'manifest.json');
    const m = JSON.parse(readFileSync(mf, 'utf8'));
    m.analyzer = { version: -1 };
    writeFileSync(mf, JSON.stringify(m));
    await expect(ensureIndex({ ...opts(), rebuild: 'never' })).rejects.toMatchObject({ code: 'E_INDEX_STALE' });
    expect((await ensureIndex(opts())).rebuilt).toBe(true);
    writeFileSync(join(index, currentGeneration(index)!, 'docs.json'), '{ not json');
    expect((await ensureIndex(opts())).rebuilt).toBe(true);
    expect(existsSync(join(index, currentGeneration(index)!, 'manifest.json'))).toBe(true);
  });

  it('refuses a missing index in never mode', async () => {
    await expect(ensureIndex({ ...opts(), indexDir: join(work, 'nothing'), rebuild: 'never' })).rejects.toMatchObject({
      code: 'E_INDEX_MISSING',
    });
  });
});
