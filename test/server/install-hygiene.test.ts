/**
 * The product's install path stays lean: the root package and its lockfile carry no benchmark-only
 * package (better-sqlite3 is a native build, autocannon a load tester), and nothing in src/
 * reaches into bench/. The benchmark declares those in bench/package.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BENCH_ONLY = ['better-sqlite3', 'autocannon', '@types/better-sqlite3', '@types/autocannon'];
const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('install hygiene', () => {
  it.each(BENCH_ONLY)('%s is not in the root package or its lockfile, but in bench/package.json', (name) => {
    const pkg = json('package.json');
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies })).not.toContain(name);
    expect(Object.keys(json('package-lock.json').packages)).not.toContain(`node_modules/${name}`);
    const bench = json('bench/package.json');
    expect(Object.keys({ ...bench.dependencies, ...bench.devDependencies })).toContain(name);
  });

  it('no install script is allowed for a benchmark package at the root', () => {
    expect(Object.keys(json('package.json').allowScripts ?? {})).not.toContain('better-sqlite3');
  });

  it('nothing under src/ imports from bench/', () => {
    const offenders = filesUnder('src').filter((f) => f.endsWith('.ts') && /from ['"][^'"]*\/bench\//u.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
