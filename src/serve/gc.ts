/**
 * A full garbage collection, requested now rather than left for when the heap next fills up: after
 * a thread swapped index generations, the generation it replaced (a worker's ~170 MB of objects on
 * the laws corpus; the shared bytes, ~310 MB, once every thread has let go of them) and what the
 * load left behind (the decoded files) are freed at once. Loads are rare, and a thread with little
 * to do would otherwise keep that memory for a long time: measured on the laws corpus with two
 * workers, a hot re-index left the server at 2.3 GB without this, 1.5 GB with it.
 *
 * vm.measureMemory with eager execution starts a collection without --expose-gc (which worker
 * threads cannot be given); its measurement is not used. Node flags the API experimental and says
 * so once per thread on stderr: that notice is held back here, since nothing depends on the
 * measurement's format.
 */
import { measureMemory } from 'node:vm';

export function collectGarbage(): void {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    measureMemory({ execution: 'eager' }).catch(() => {
      // Only a hint: without it the collection happens later.
    });
  } finally {
    process.emitWarning = emitWarning;
  }
}
