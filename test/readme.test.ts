// The README's quick start, run as written: every sh and js block of its "Quick start" section, in
// order, against a fresh dev chain, from a directory that stands in for the checkout's root (it has
// `./cairn` and `node_modules`; `.dev` is the dev home), on the machine's Node. So the README cannot
// drift from what the code does.
//
// What is not typed literally, and why:
// - `npm install && npm start` starts the dev chain the way package.json "start" does (test/dev-chain.test.ts
//   checks that script), on free ports (`--port-offset`); every command then finds it through
//   CAIRN_NODE, the environment form of --node. `npm install` already ran: this test runs inside it.
// - `npm install && npm test` is the suite this test belongs to.
// - `<name's address>` is the address of key `name` in the test keyring of `.dev`.
// - A js block whose first line is `// <file>.mjs…` is saved as that file, as the README says to.
// - An HTML comment `readme-test: retry up to N s` just before a block retries each of its commands
//   until it succeeds, for results that need a few blocks.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Keyring } from '../sdk/keyring/keyring.ts';
import { REPO, devWorkdir, freePortOffset, machinePath, removeWorkdir, startDevChain, ucairnBalance, type DevChain } from './support/dev-chain.ts';

interface Block {
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
  readonly retrySeconds: number | undefined;
}

/** The fenced sh and js blocks between `## Quick start` and the next `## ` heading. */
function quickStartBlocks(readme: string): Block[] {
  const lines = readme.split('\n');
  const start = lines.indexOf('## Quick start');
  if (start === -1) throw new Error('README.md has no "## Quick start" section');
  const blocks: Block[] = [];
  let retrySeconds: number | undefined;
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith('## '); i++) {
    const marker = /<!--\s*readme-test:\s*retry up to (\d+) s\s*-->/.exec(lines[i]!);
    if (marker !== null) retrySeconds = Number(marker[1]);
    const fence = /^```(\w*)\s*$/.exec(lines[i]!);
    if (fence === null) continue;
    const end = lines.indexOf('```', i + 1);
    if (end === -1) throw new Error(`README.md line ${i + 1}: a code block is never closed`);
    const lang = fence[1] ?? '';
    if (lang === 'sh' || lang === 'js') blocks.push({ lang, code: lines.slice(i + 1, end).join('\n'), line: i + 1, retrySeconds });
    retrySeconds = undefined;
    i = end;
  }
  return blocks;
}

/** The commands of an sh block: `\`-continued lines joined, blank and comment-only lines dropped. */
function commandsOf(code: string): string[] {
  return code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The command without a trailing `# comment`. */
const bare = (command: string): string => command.replace(/\s+#.*$/, '').trim();

function sh(dir: string, command: string, rpcUrl: string | undefined): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, PATH: machinePath(), ...(rpcUrl === undefined ? {} : { CAIRN_NODE: rpcUrl }) };
    const child = spawn('sh', ['-c', command], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** README.md, docs/ and every README.md below the code folders. */
function markdownFiles(): string[] {
  const found = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(REPO, dir), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) walk(`${dir}/${entry.name}`);
      else if (entry.name === 'README.md') found.push(`${dir}/${entry.name}`);
    }
  };
  for (const top of ['cli', 'core', 'sdk', 'modules', 'node', 'localnet', 'bench', 'test', 'scripts']) walk(top);
  return found;
}

describe('the docs run the CLI one way', () => {
  it('every shell line in the docs starts it as ./cairn, never node cli/cairn.ts, npx cairn or a bare cairn', () => {
    const offenders: string[] = [];
    for (const file of markdownFiles()) {
      const lines = readFileSync(join(REPO, file), 'utf8').split('\n');
      let shell = false;
      lines.forEach((line, i) => {
        const fence = /^\s*```(\w*)/.exec(line);
        if (fence !== null) {
          shell = !shell && (fence[1] === 'sh' || fence[1] === 'bash');
          return;
        }
        if (shell && (/(?<![\w./-])cairn (?=[a-z-])|cli\/cairn\.ts|npx cairn/.test(line.replace(/#.*$/, '')))) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});

describe('README quick start', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  let dir: string | undefined;
  let chain: DevChain | undefined;
  afterAll(async () => {
    chain?.kill();
    if (dir !== undefined) await removeWorkdir(dir);
  });

  it('has the start command, the Try it commands and the CosmJS script', () => {
    const blocks = quickStartBlocks(readme);
    const commands = blocks.filter((b) => b.lang === 'sh').flatMap((b) => commandsOf(b.code).map(bare));
    expect(commands[0]).toBe('npm install && npm start');
    expect(commands).toContain('./cairn status');
    expect(blocks.some((b) => b.lang === 'js')).toBe(true);
    // One way to run the CLI: no `node cli/cairn.ts`, no `npx cairn`.
    expect(commands.filter((c) => /\bcli\/cairn\.ts\b|\bnpx cairn\b/.test(c))).toEqual([]);
  });

  it('runs every block as written against a fresh dev chain', { timeout: 900_000 }, async () => {
    const workdir = await devWorkdir();
    dir = workdir;
    let rpcUrl: string | undefined;
    const address = async (name: string): Promise<string> => (await new Keyring({ dir: join(workdir, '.dev'), backend: 'test' }).show(name)).address;
    for (const block of quickStartBlocks(readme)) {
      if (block.lang === 'js') {
        const file = /^\/\/ (\S+\.mjs)\b/.exec(block.code)?.[1];
        if (file === undefined) throw new Error(`README.md line ${block.line}: a js block must start with "// <file>.mjs" so it can be saved and run`);
        await writeFile(join(workdir, file), `${block.code}\n`);
        continue;
      }
      for (const command of commandsOf(block.code)) {
        const where = `README.md line ${block.line}: ${command}`;
        if (bare(command) === 'npm install && npm start') {
          chain = await startDevChain(workdir, { offset: await freePortOffset(), minHeight: 2 });
          rpcUrl = chain.rpcUrl;
          continue;
        }
        if (bare(command) === 'npm install && npm test') continue;
        if (rpcUrl === undefined) throw new Error(`${where}: runs before the README starts the dev chain`);

        let text = command;
        const recipients: { name: string; amount?: bigint }[] = [];
        for (const m of command.matchAll(/<(\w+)'s address>/g)) {
          text = text.replaceAll(m[0], await address(m[1]!));
          const send = new RegExp(`tx bank send \\S+ <${m[1]}'s address> (\\d+)ucairn\\b`).exec(command);
          recipients.push({ name: m[1]!, ...(send === null ? {} : { amount: BigInt(send[1]!) }) });
        }
        const unknown = /<[^<>\s][^<>]*>/.exec(text);
        if (unknown !== null) throw new Error(`${where}: the placeholder ${unknown[0]} is not one this test knows; add it to test/readme.test.ts`);

        const sending = command.includes(' tx bank send ') || /^node \S+\.mjs /.test(command);
        const before = sending ? await Promise.all(recipients.map(async (r) => ucairnBalance(rpcUrl!, await address(r.name)))) : [];
        const deadline = Date.now() + (block.retrySeconds ?? 0) * 1000;
        let result = await sh(workdir, text, rpcUrl);
        while (result.code !== 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 2000));
          result = await sh(workdir, text, rpcUrl);
        }
        expect(result.code, `${where}\n${result.output}`).toBe(0);

        // A send in the README must land: the recipient's balance rises by the amount (or at all, for the script).
        for (const [i, r] of recipients.entries()) {
          if (!sending) continue;
          const after = await ucairnBalance(rpcUrl, await address(r.name));
          if (r.amount !== undefined) expect(after - before[i]!, where).toBe(r.amount);
          else expect(after, where).toBeGreaterThan(before[i]!);
        }
      }
    }
    expect(chain, 'the README starts a dev chain').toBeDefined();
  });
});
