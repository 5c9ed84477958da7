#!/usr/bin/env node
// The `cairn` command (`./cairn` at the repository root, package.json "bin"): runs cli/cairn.ts on
// the project's own Node 22 (the `node` npm package, which `npm install` puts in node_modules),
// whatever Node started this file. The CLI is TypeScript run by Node 22's type stripping and
// libp2p needs Node >= 22, so the machine's Node only has to be able to start a child process.
// Plain CommonJS (.cjs, whatever package.json "type" says) so that Node 18 and later all run it.
'use strict';
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { constants } = require('node:os');

// Node runs a symlinked script from its real path (`./cairn`, node_modules/.bin/cairn, `npm link`),
// so __dirname is this checkout's cli/ wherever the command was started from.
const root = join(__dirname, '..');
const node = join(root, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
if (!existsSync(node)) {
  process.stderr.write(`Error: the project's Node 22 is missing (${node}): run \`npm install\` in ${root} first\n`);
  process.exit(1);
}

// node/process.json: the flags and environment every node process starts with (node/memory.ts applies
// the same file where other code spawns one); a setting the user already made wins.
const settings = require('../node/process.json');
const own = process.env.NODE_OPTIONS || '';
const flags = settings.nodeFlags.filter((f) => !own.includes(f.slice(0, f.indexOf('='))));
const env = { ...settings.env, ...process.env };
const child = spawn(node, [...flags, join(__dirname, 'cairn.ts'), ...process.argv.slice(2)], { stdio: 'inherit', env });

// The child shares this process group, so Ctrl-C in a terminal reaches it directly as well; the CLI
// counts a signal repeated within a moment as one (cli/main.ts), so forwarding never doubles a stop.
const FORWARDED = ['SIGINT', 'SIGTERM'];
const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of FORWARDED) process.on(signal, forward);

child.on('error', (error) => {
  process.stderr.write(`Error: could not start ${node}: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal === null) process.exit(code === null ? 1 : code);
  // Die of the same signal, so a calling shell sees what the user sees (e.g. a script stops on Ctrl-C).
  for (const s of FORWARDED) process.off(s, forward);
  process.kill(process.pid, signal);
  setTimeout(() => process.exit(128 + (constants.signals[signal] || 0)), 1000).unref();
});
