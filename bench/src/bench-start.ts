/**
 * `npm run bench:start -- [--corpus DIR] [--index DIR] [--runs N] [--baseline-root DIR --baseline-index DIR]`
 *
 * Start-up benchmark: starts the server (src/server.ts, the same command as `npm start`) N times
 * on a corpus and its index and measures, for each start, the time from spawning the process to
 * the first `/readyz` 200 (index and jieba's dictionary loaded, ready to answer), the time to the
 * first answer of any kind (listening, event loop free), the server's RSS at ready and the CPU
 * time it used until then (all threads; less sensitive than wall time to other load on the
 * machine). Prints every run and the medians.
 *
 * With --baseline-root, the same for another checkout of the code (e.g. the previous commit:
 * `git worktree add /tmp/base HEAD~1`, then `npm ci` there or a symlink to this node_modules),
 * started on its own index (--baseline-index: index formats may differ between versions), the
 * runs of both interleaved so drift of the machine affects both alike, with the ratio of medians.
 *
 * One unmeasured start of each comes first: it builds the index when it is missing or stale (so
 * a measured start never includes a build) and warms the page cache and tsx's compile cache.
 * Results go to bench/results/start-<date>.json and start-latest.json.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { REPO_ROOT, servedCorpus } from './lib/corpus.js';
import { freePort, rssOf } from './lib/process.js';

const USAGE = `usage: npm run bench:start -- [options]

  --corpus DIR     corpus (default: CORPUS_DIR, else seeds/)
  --index DIR      index directory (default: INDEX_DIR, else index/)
  --laws           use the laws corpus unpacked from ../shared/corpus/laws-zh.tar.xz instead
  --runs N         measured starts per variant (default 5)
  --root DIR       checkout whose server is measured (default: this one)
  --baseline-root DIR    also measure this checkout's server (the baseline), interleaved
  --baseline-index DIR   the baseline's index directory (default: --index; give another one
                         when the index formats differ, or each start rebuilds the other's)
  --out DIR        results directory (default bench/results)
  -h, --help       this text`;

interface StartRun {
  variant: 'current' | 'baseline';
  /** Spawn → first HTTP answer (any status): listening with a free event loop. */
  firstAnswerMs: number;
  /** Spawn → first /readyz 200. */
  readyMs: number;
  /** Server RSS at ready, bytes (Linux /proc). */
  rssAtReady: number | null;
  /** User + system CPU time of the server until ready, all threads, ms (Linux /proc). */
  cpuMs: number | null;
  /** Whether the start built the index (then it is not a load-time measurement). */
  built: boolean;
}

/** User + system CPU time of a process so far, ms (null where there is no /proc). */
function cpuOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** Status of GET path, or 0 when nothing answers (not listening yet). No keep-alive. */
function status(port: number, path: string): Promise<number> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', () => done(0));
    });
    req.on('error', () => done(0));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
  variant: StartRun['variant'];
  root: string;
  indexDir: string;
}

/** One start: spawn, poll /readyz every 5 ms until 200, read RSS and CPU time, stop with SIGTERM. */
async function startOnce(corpusDir: string, target: Target, timeoutMs: number): Promise<StartRun> {
  const { variant, root, indexDir } = target;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, RATE_LIMIT: '0', PORT: String(port), CORPUS_DIR: corpusDir, INDEX_DIR: indexDir };
  // The same command as `npm start` (exec node --import tsx src/server.ts), without npm's own start-up.
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  let exited: number | null = null;
  const exit = new Promise<void>((done) => child.on('exit', (code) => ((exited = code ?? -1), done())));
  let firstAnswerMs = NaN;
  try {
    for (;;) {
      if (exited !== null) throw new Error(`the server exited with ${exited}: ${output.trim().split('\n').slice(-5).join(' | ')}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`not ready within ${timeoutMs} ms`);
      const code = await status(port, '/readyz');
      const now = performance.now() - t0;
      if (code !== 0 && Number.isNaN(firstAnswerMs)) firstAnswerMs = now;
      if (code === 200) {
        const rssAtReady = rssOf(child.pid);
        const cpuMs = cpuOf(child.pid);
        return { variant, firstAnswerMs, readyMs: now, rssAtReady, cpuMs, built: /building/.test(output) };
      }
      await sleep(5);
    }
  } finally {
    if (exited === null) child.kill('SIGTERM');
    await Promise.race([exit, sleep(15_000)]);
    if (exited === null) child.kill('SIGKILL');
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const ms = (x: number) => `${Math.round(x)} ms`;
const mb = (x: number | null) => (x === null ? '–' : `${Math.round(x / 1048576)} MB`);

interface VariantSummary {
  runs: number;
  readyMedianMs: number;
  firstAnswerMedianMs: number;
  rssMedianBytes: number | null;
  cpuMedianMs: number | null;
}

function summarize(runs: readonly StartRun[]): VariantSummary {
  const known = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null);
  const rss = known(runs.map((r) => r.rssAtReady));
  const cpu = known(runs.map((r) => r.cpuMs));
  return {
    runs: runs.length,
    readyMedianMs: median(runs.map((r) => r.readyMs)),
    firstAnswerMedianMs: median(runs.map((r) => r.firstAnswerMs)),
    rssMedianBytes: rss.length ? median(rss) : null,
    cpuMedianMs: cpu.length ? median(cpu) : null,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      index: { type: 'string' },
      laws: { type: 'boolean', default: false },
      runs: { type: 'string', default: '5' },
      root: { type: 'string' },
      'baseline-root': { type: 'string' },
      'baseline-index': { type: 'string' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const log = (m: string) => console.error(m);
  const config = loadConfig();
  const { corpusDir, indexDir } = servedCorpus(values, config, log);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got "${values.runs}"`);
  const current: Target = { variant: 'current', root: values.root ? resolve(values.root) : REPO_ROOT, indexDir };
  const baseline: Target | null = values['baseline-root']
    ? { variant: 'baseline', root: resolve(values['baseline-root']), indexDir: values['baseline-index'] ? resolve(values['baseline-index']) : indexDir }
    : null;
  log(`corpus ${corpusDir}; ${runs} start(s) per variant`);
  for (const t of baseline ? [current, baseline] : [current]) {
    log(`${t.variant}: ${t.root} on ${t.indexDir}`);
    const warm = await startOnce(corpusDir, t, 30 * 60_000);
    log(`  warm-up start (not counted): ready in ${ms(warm.readyMs)}${warm.built ? ' (the index was built first)' : ''}`);
  }

  const all: StartRun[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which variant goes first, so neither always follows the other.
    const order = !baseline ? [current] : i % 2 ? [baseline, current] : [current, baseline];
    for (const t of order) {
      const r = await startOnce(corpusDir, t, 5 * 60_000);
      if (r.built) throw new Error('the index was rebuilt during a measured start (the corpus or the code changed meanwhile): run again');
      all.push(r);
      const cpu = r.cpuMs === null ? '' : `, CPU ${ms(r.cpuMs)}`;
      log(`  ${t.variant.padEnd(8)} #${i + 1}: ready ${ms(r.readyMs).padStart(8)}, first answer ${ms(r.firstAnswerMs).padStart(8)}, RSS ${mb(r.rssAtReady)}${cpu}`);
    }
  }

  const currentSummary = summarize(all.filter((r) => r.variant === 'current'));
  const baselineSummary = baseline ? summarize(all.filter((r) => r.variant === 'baseline')) : null;
  const lines = [
    `start → /readyz 200, ${runs} run(s) each (${corpusDir})`,
    '',
    '| variant | median ready | each run (ready) | median first answer | median CPU to ready | median RSS at ready |',
    '| --- | ---: | --- | ---: | ---: | ---: |',
  ];
  const row = (name: string, v: VariantSummary, variant: StartRun['variant']) =>
    `| ${name} | ${ms(v.readyMedianMs)} | ${all
      .filter((r) => r.variant === variant)
      .map((r) => Math.round(r.readyMs))
      .join(', ')} | ${ms(v.firstAnswerMedianMs)} | ${v.cpuMedianMs === null ? '–' : ms(v.cpuMedianMs)} | ${mb(v.rssMedianBytes)} |`;
  lines.push(row(`current (${current.root})`, currentSummary, 'current'));
  if (baseline && baselineSummary) {
    lines.push(row(`baseline (${baseline.root})`, baselineSummary, 'baseline'));
    lines.push(
      '',
      `ready: current / baseline = ${(currentSummary.readyMedianMs / baselineSummary.readyMedianMs).toFixed(2)} (${ms(baselineSummary.readyMedianMs - currentSummary.readyMedianMs)} faster)`,
    );
  }
  console.log(lines.join('\n'));

  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = JSON.stringify({ date: new Date().toISOString(), corpusDir, current, baseline, runs: all, summary: { current: currentSummary, baseline: baselineSummary } }, null, 1) + '\n';
  await writeFile(join(out, `start-${stamp}.json`), json);
  await writeFile(join(out, 'start-latest.json'), json);
  log(`results: ${join(out, `start-${stamp}.json`)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
