/** Sizes on disk, for the report. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Total size of a file or a directory tree, in bytes (0 when missing). */
export async function pathSize(path: string): Promise<number> {
  const s = await stat(path).catch(() => null);
  if (!s) return 0;
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const e of await readdir(path)) total += await pathSize(join(path, e));
  return total;
}
