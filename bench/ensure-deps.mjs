/**
 * Installs the benchmark's own packages (bench/package.json: better-sqlite3, a native build, and
 * autocannon) on first use, so that the product's install (`npm ci` at the root) never builds
 * them. Runs `npm ci --prefix bench` when bench/node_modules lacks one of them or is older than
 * bench/package-lock.json; otherwise does nothing. The root's packages (tsx, typescript, flexsearch…)
 * are found through the parent node_modules and are not installed again.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = dirname(fileURLToPath(import.meta.url));
const MODULES = join(BENCH, 'node_modules');

/** Why bench/node_modules needs an install, or null when it is up to date. */
function staleness() {
  const pkg = JSON.parse(readFileSync(join(BENCH, 'package.json'), 'utf8'));
  const wanted = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  const missing = wanted.filter((name) => !existsSync(join(MODULES, name, 'package.json')));
  if (missing.length > 0) return `missing: ${missing.join(', ')}`;
  // npm writes node_modules/.package-lock.json on every install.
  const installed = join(MODULES, '.package-lock.json');
  if (!existsSync(installed)) return 'no record of an install';
  if (statSync(installed).mtimeMs < statSync(join(BENCH, 'package-lock.json')).mtimeMs) return 'bench/package-lock.json changed';
  return null;
}

const why = staleness();
if (why !== null) {
  console.error(`bench: installing the benchmark's own dependencies into bench/node_modules with npm ci --prefix bench (${why}) …`);
  // cwd and a relative prefix: no path on the command line (npm is a .cmd run by a shell on Windows).
  const r = spawnSync('npm', ['ci', '--prefix', '.', '--no-audit', '--no-fund'], {
    cwd: BENCH,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (r.status !== 0) {
    console.error(`bench: npm ci --prefix bench failed (${r.error?.message ?? `exit code ${r.status}`})`);
    process.exit(r.status || 1);
  }
  console.error('bench: dependencies installed');
}
