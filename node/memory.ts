// Hands memory that a burst of allocation left behind back to the system. V8 (12.4, Node 22) keeps
// the pages of its heap that a full collection emptied, to reuse them, and only its "last resort"
// collection gives them back: a new chain's InitChain and first Commit of 100k accounts peak at
// ~700 MiB of heap and left the app at 1.6 GiB RSS with 80 MiB live (bench/README.md, memory).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
let gc: Gc | undefined;

/** A full, synchronous collection that also releases V8's emptied pages (hundreds of ms on a big heap: call it rarely). */
export function releaseFreedMemory(): void {
  if (gc === undefined) {
    // The collector is reachable from JS only as the `gc` global of a context made while --expose-gc is on.
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
    setFlagsFromString('--no-expose-gc');
  }
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
