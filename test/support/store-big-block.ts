// Child process for the store's big-block test, run with a small `--stack-size`: a block that rewrites
// every key replaces twice as many tree nodes as there are keys, and pruning the old version deletes
// a history entry per key and frees every node it replaced. Nothing in a commit may pass one argument
// per node or key (a spread), or a big enough block overflows the stack at any stack size. Prints "ok" once both blocks are committed.
// Usage: node --stack-size=<kB> store-big-block.ts <keys>

import { CommitStore } from '../../core/store/commit-store.ts';

const keys = Number(process.argv[2]);
const store = await CommitStore.memory({ keepRecent: 1, pruneInterval: 1 });
const te = new TextEncoder();
for (const height of [1n, 2n]) {
  for (let i = 0; i < keys; i++) store.working.set(te.encode(`k/${i}`), te.encode(`${height}/${i}`));
  await store.commit(height);
}
const last = await store.committed.get(te.encode(`k/${keys - 1}`));
if (store.earliestHeight !== 2n || new TextDecoder().decode(last) !== `2/${keys - 1}`) throw new Error('the big block did not land as written');
process.stdout.write('ok\n');
