// Child process for the crash test: commits block after block until it is killed.
// Usage: node crash-writer.ts <store path>

import { CommitStore } from '../../core/store/commit-store.ts';
import { writeBlock } from './store-blocks.ts';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: crash-writer.ts <store path>');
const store = await CommitStore.open({ path, keepRecent: 4, pruneInterval: 2 });
for (let h = store.lastHeight + 1n; ; h++) {
  writeBlock(store.working, h);
  await store.commit(h);
  process.stdout.write(`committed ${h}\n`);
}
