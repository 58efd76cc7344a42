/**
 * Child-process probe: loads one engine from disk in a fresh process and reports how long that
 * took, how long the first query took, and the process's memory after a forced GC. A fresh
 * process per engine keeps each engine's RSS free of the others' (and of the benchmark's own heap).
 *
 * Run by memory.ts as `node <tsx loader> --expose-gc probe.ts --engine ID …`; prints one JSON line.
 * Engine `none` loads nothing: the memory of the runtime and these modules alone.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../src/config.js';
import type { EngineId } from './engine-core.js';
import { engineSpec } from './engines.js';

export interface ProbeResult {
  engine: EngineId | 'none';
  loadMs: number;
  firstQueryMs: number;
  firstQueryHits: number;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string' },
      corpus: { type: 'string' },
      index: { type: 'string' },
      baselines: { type: 'string' },
      paragraphs: { type: 'string' },
      term: { type: 'string', multiple: true },
    },
  });
  const id = (values.engine ?? 'none') as EngineId | 'none';
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the probe needs --expose-gc');
  const dirs = {
    corpusDir: values.corpus ?? '',
    indexDir: values.index ?? '',
    baselineDir: values.baselines ?? '',
    limits: loadConfig().limits,
    paragraphs: Number(values.paragraphs ?? 0),
  };
  let loadMs = 0;
  let firstQueryMs = 0;
  let firstQueryHits = 0;
  if (id !== 'none') {
    const t0 = performance.now();
    const engine = await engineSpec(id).load(dirs);
    loadMs = performance.now() - t0;
    const t1 = performance.now();
    firstQueryHits = engine.query(values.term ?? ['人民政府']).length;
    firstQueryMs = performance.now() - t1;
    gc();
    report({ engine: id, loadMs, firstQueryMs, firstQueryHits, ...memory() });
    engine.close();
    return;
  }
  gc();
  report({ engine: id, loadMs, firstQueryMs, firstQueryHits, ...memory() });
}

function memory() {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

function report(r: ProbeResult): void {
  process.stdout.write(`PROBE ${JSON.stringify(r)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
