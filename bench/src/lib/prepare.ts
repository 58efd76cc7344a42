/**
 * The build stage of the benchmark: our index from the corpus files (timed by stage) or loaded
 * from an earlier run, and the baselines built from its normalized texts or reused when an earlier
 * run built them from the same index generation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BuiltIndex } from '../../../src/indexing/build.js';
import { ensureIndex } from '../../../src/indexing/pipeline.js';
import { SearchService } from '../../../src/search/service.js';
import type { BenchDirs, EngineId } from './engine-core.js';
import { engineSpec, loadOurs } from './engines.js';

export interface PrepareOptions {
  skipBuild: boolean;
  engines: EngineId[];
  flexCap?: number;
  log: (m: string) => void;
  /** A forced GC before each build, so one build's garbage does not slow the next. */
  gc: () => void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Builds our index from the corpus (timed by stage) or loads the saved one. */
export async function prepareOurs(opts: PrepareOptions, dirs: Omit<BenchDirs, 'paragraphs'>) {
  if (opts.skipBuild) {
    opts.log(`loading our saved index from ${dirs.indexDir} …`);
    try {
      const loaded = await loadOurs({ ...dirs, paragraphs: 0 });
      // The build time the saved manifest recorded (that run's, not this one's).
      return { ...loaded, buildMs: loaded.manifest.buildMs as number | null, buildNote: '(saved build)', stages: undefined };
    } catch (e) {
      throw new Error(`--skip-build: no saved index for this corpus in ${dirs.indexDir} (${e instanceof Error ? e.message : String(e)}); run without --skip-build`);
    }
  }
  opts.log(`building our index from ${dirs.corpusDir} into ${dirs.indexDir} …`);
  const marks: Record<string, number> = {};
  const t0 = performance.now();
  let lastLog = 0;
  const result = await ensureIndex({
    corpusDir: dirs.corpusDir,
    indexDir: dirs.indexDir,
    maxFileBytes: dirs.limits.maxFileBytes,
    rebuild: 'always',
    onProgress: (stage, done, total) => {
      if (done === 1) marks[`${stage}Start`] ??= performance.now();
      if (done === total) marks[`${stage}End`] = performance.now();
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        opts.log(`  ${stage} ${done}/${total}`);
      }
    },
  });
  const end = performance.now();
  const stages = {
    readFiles: (marks.parseStart ?? end) - t0,
    parse: (marks.parseEnd ?? end) - (marks.parseStart ?? t0),
    index: (marks.indexEnd ?? end) - (marks.parseEnd ?? t0),
    save: end - (marks.indexEnd ?? end),
  };
  opts.log(`  built in ${seconds(end - t0)} (${Object.entries(stages).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')})`);
  const service = new SearchService(result.built, dirs.limits, result.manifest);
  return { service, built: result.built, generation: result.generation, buildMs: end - t0 as number | null, buildNote: '(from the files)', stages };
}

export interface BaselineMeta {
  generation: string;
  paragraphs: number;
  flexCap: number | null;
  buildMs: Partial<Record<EngineId, number>>;
}

/** Builds every selected baseline from our normalized texts, or reuses an earlier build of the same texts. */
export async function prepareBaselines(opts: PrepareOptions, dirs: BenchDirs, built: BuiltIndex, generation: string): Promise<BaselineMeta> {
  const metaFile = join(dirs.baselineDir, 'meta.json');
  const previous = existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as BaselineMeta) : null;
  const meta: BaselineMeta = { generation, paragraphs: dirs.paragraphs, flexCap: opts.flexCap ?? null, buildMs: {} };
  const sameSource = previous?.generation === generation && previous.paragraphs === dirs.paragraphs;
  for (const id of opts.engines) {
    const spec = engineSpec(id);
    if (!spec.build) continue;
    const reusable = opts.skipBuild && sameSource && previous?.buildMs[id] !== undefined && (id !== 'flex-cjk' || previous.flexCap === meta.flexCap);
    if (reusable) {
      meta.buildMs[id] = previous!.buildMs[id];
      continue;
    }
    opts.gc();
    opts.log(`building ${spec.label} …`);
    const t0 = performance.now();
    await spec.build(built.index.normalized, dirs);
    meta.buildMs[id] = performance.now() - t0;
    opts.log(`  ${seconds(meta.buildMs[id]!)}`);
  }
  await mkdir(dirs.baselineDir, { recursive: true });
  await writeFile(metaFile, JSON.stringify({ ...previous, ...meta, buildMs: { ...(sameSource ? previous?.buildMs : {}), ...meta.buildMs } }, null, 1));
  return meta;
}
