/**
 * Runs the probe (probe.ts) in a child process per engine: load time, first-query time and RSS
 * of a fresh process holding only that engine.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchDirs, EngineId } from './engine-core.js';
import type { ProbeResult } from './probe.js';

const PROBE = join(dirname(fileURLToPath(import.meta.url)), 'probe.ts');

/** Loads `engine` in a fresh process (same TypeScript loader as this one) and returns its figures. */
export function probeEngine(engine: EngineId | 'none', dirs: BenchDirs, firstQuery: readonly string[]): Promise<ProbeResult> {
  const args = [
    ...process.execArgv.filter((a) => !a.startsWith('--cpu-prof') && !a.startsWith('--heap-prof')),
    '--expose-gc',
    PROBE,
    '--engine', engine,
    '--corpus', dirs.corpusDir,
    '--index', dirs.indexDir,
    '--baselines', dirs.baselineDir,
    '--paragraphs', String(dirs.paragraphs),
    ...firstQuery.flatMap((t) => ['--term', t]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('PROBE '));
      if (code !== 0 || !line) reject(new Error(`probe ${engine} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      else resolve(JSON.parse(line.slice('PROBE '.length)) as ProbeResult);
    });
  });
}
