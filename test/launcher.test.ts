// The `cairn` launcher (cli/launcher.cjs, `./cairn`, package.json "bin"): started by the machine's
// Node from any directory and through any symlink, it runs the CLI on the project's Node 22 and
// passes arguments, stdin, output, the exit code and signals through, printing nothing of its own.
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CAIRN, REPO, machinePath } from './support/dev-chain.ts';
import { testDir } from './support/test-dirs.ts';

const run = promisify(execFile);
const env = { ...process.env, PATH: machinePath() };
const DEV_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

/** Runs a command to its end without throwing on a non-zero exit. */
function exec(file: string, args: readonly string[], opts: { cwd?: string; input?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: opts.cwd ?? tmpdir(), env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the cairn launcher', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const tempDir = async (): Promise<string> => {
    const d = await testDir('cairn-launcher-');
    dirs.push(d);
    return d;
  };

  it('runs the CLI on the machine Node from another directory through a symlink, printing only the command\'s output', async () => {
    const bin = await tempDir();
    await symlink(CAIRN, join(bin, 'cairn')); // as `npm link` and node_modules/.bin link it
    const { stdout: machineNode } = await run('node', ['--version'], { env });
    const result = await exec(join(bin, 'cairn'), ['--help'], { cwd: bin });
    expect(result.stderr, `machine Node ${machineNode.trim()}`).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: cairn <command>');
  });

  it('runs as `npx cairn` in the checkout without npm warnings (package.json engines fits the machine Node)', { timeout: 60_000 }, async () => {
    const home = await tempDir();
    const result = await exec('npx', ['--no', 'cairn', 'keys', 'list', '--home', home, '--keyring-backend', 'test'], { cwd: REPO });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No keys in the test keyring');
  });

  it('passes arguments, stdin and output through', async () => {
    const home = await tempDir();
    const result = await exec(CAIRN, ['keys', 'add', 'dev', '--recover', '--home', home, '--keyring-backend', 'test', '-o', 'json'], { input: `${DEV_MNEMONIC}\n` });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'dev', address: 'cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9' });
  });

  it('exits with the command\'s code and its error line', async () => {
    const result = await exec(CAIRN, ['status', '--node', 'not a url']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: --node "not a url" is not a URL: write e.g. --node http://127.0.0.1:26657\n');
  });

  it('forwards SIGTERM to the command and ends the way it ended', { timeout: 60_000 }, async () => {
    // A node that accepts the connection and never answers keeps `cairn status` waiting.
    let connected!: () => void;
    const reached = new Promise<void>((r) => (connected = r));
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      connected();
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const child = spawn(CAIRN, ['status', '--node', `127.0.0.1:${port}`], { env, stdio: 'ignore' });
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
      await reached;
      child.kill('SIGTERM');
      expect(await ended).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('says to run npm install when the project\'s Node 22 is missing', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'cli'));
    await copyFile(join(REPO, 'cli', 'launcher.cjs'), join(root, 'cli', 'launcher.cjs'));
    const result = await exec('node', [join(root, 'cli', 'launcher.cjs'), 'status']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: the project's Node 22 is missing \(.*node_modules\/node\/bin\/node\): run `npm install` in .* first\n$/);
  });
});
