#!/usr/bin/env node
// The `cairn` command. Everything happens in runCli; this file only binds it to the process.
// The stripped TypeScript cache is installed first, so the CLI's own modules come from it too.
import { useStripCache } from './strip-cache.ts';

useStripCache();
const { runCli } = await import('./main.ts');
const code = await runCli(process.argv.slice(2), process, { handleSignals: true });
// Exit explicitly: an idle HTTP keep-alive socket must not hold a finished command open. Waiting
// for both streams to flush first keeps piped output complete on every platform.
await Promise.all([
  new Promise((resolve) => process.stdout.write('', resolve)),
  new Promise((resolve) => process.stderr.write('', resolve)),
]);
process.exit(code);
