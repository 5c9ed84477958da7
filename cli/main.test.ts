import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allCommands } from './commands/table.ts';
import { runCli } from './main.ts';
import { memoryIo } from '../test/support/cli-io.ts';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cairn-cli-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('cairn help', () => {
  it('lists every command when run without arguments', async () => {
    const io = memoryIo();
    expect(await runCli([], io)).toBe(0);
    for (const { path } of allCommands()) expect(io.stdoutText()).toContain(path.join(' '));
    expect(io.stdoutText()).toContain('--keyring-backend <file|test>');
  });

  it('prints help for every built-in command with its usage, flags and examples', async () => {
    for (const { path, spec } of allCommands()) {
      if (spec.external === true) continue;
      const io = memoryIo();
      expect(await runCli([...path, '--help'], io), path.join(' ')).toBe(0);
      const text = io.stdoutText();
      expect(text).toContain(`Usage: cairn ${path.join(' ')}`);
      for (const arg of spec.args ?? []) expect(text).toContain(`<${arg.name}${arg.variadic === true ? '...' : ''}>`);
      for (const flag of Object.keys(spec.options ?? {})) expect(text).toContain(`--${flag}`);
      expect(text).toContain('Examples:');
      expect(text).toContain('--node <url>');
    }
  });

  it('prints the help of a plugged-in command whether or not its module exists yet', async () => {
    const io = memoryIo();
    expect(await runCli(['help', 'start'], io)).toBe(0);
    expect(io.stdoutText()).toContain('Usage: cairn start');
  });

  it('prints a group help for a bare group', async () => {
    const io = memoryIo();
    expect(await runCli(['query'], io)).toBe(0);
    expect(io.stdoutText()).toContain('bank balances');
  });
});

describe('cairn errors', () => {
  it('reports a usage error in one line with exit code 1 and no stack trace', async () => {
    const io = memoryIo();
    expect(await runCli(['keys', 'show'], io)).toBe(1);
    expect(io.stderrText()).toBe('Error: missing <name>: run `cairn keys show --help` for usage\n');
    expect(io.stdoutText()).toBe('');
  });

  it('adds the stack trace when CAIRN_DEBUG=1', async () => {
    const io = memoryIo({ env: { CAIRN_DEBUG: '1' } });
    expect(await runCli(['keys', 'show'], io)).toBe(1);
    expect(io.stderrText()).toMatch(/^Error: missing <name>/);
    expect(io.stderrText()).toMatch(/UsageError: missing <name>[\s\S]*at /);
  });

  it('says the node cannot be reached, how to start it and how to point elsewhere', async () => {
    const port = await closedPort();
    const io = memoryIo();
    expect(await runCli(['status', '--node', `127.0.0.1:${port}`], io)).toBe(1);
    expect(io.stderrText()).toBe(
      `Error: cannot reach the node at http://127.0.0.1:${port}: is \`cairn start\` running? Use --node to point elsewhere\n`,
    );
  });

  it('refuses to send a negative amount before touching the keyring or the node', async () => {
    const io = memoryIo();
    const code = await runCli(['tx', 'bank', 'send', 'alice', 'cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9', '-5ucairn', '--home', home], io);
    expect(code).toBe(1);
    expect(io.stderrText()).toMatch(/looks like a negative number/);
  });

  it('checks the amount and the recipient before asking for a passphrase', async () => {
    const bad = memoryIo();
    expect(await runCli(['tx', 'bank', 'send', 'alice', 'cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4', '5ucairn', '--home', home], bad)).toBe(1);
    expect(bad.stderrText()).toMatch(/has prefix 'cosmos'; Cairn addresses start with cairn1/);
    const decimal = memoryIo();
    expect(await runCli(['tx', 'bank', 'send', 'alice', 'cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9', '1.5CAIRN', '--home', home], decimal)).toBe(1);
    expect(decimal.stderrText()).toMatch(/write 1500000ucairn/);
  });

  it('says where a file-keyring passphrase can come from when stdin is not a terminal', async () => {
    const io = memoryIo();
    expect(await runCli(['keys', 'add', 'alice', '--home', home], io)).toBe(1);
    expect(io.stderrText()).toMatch(/needs its passphrase and stdin is not a terminal: pass --keyring-passphrase-file <file> or set CAIRN_KEYRING_PASSPHRASE/);
  });
});

describe('cairn keys, in process', () => {
  it('recovers a key from stdin and prints it as JSON', async () => {
    const io = memoryIo({
      stdin: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about\n',
      env: { CAIRN_KEYRING_PASSPHRASE: 'correct horse' },
    });
    expect(await runCli(['keys', 'add', 'alice', '--recover', '--home', home, '--output', 'json'], io)).toBe(0);
    const key = JSON.parse(io.stdoutText()) as Record<string, unknown>;
    expect(key).toMatchObject({ name: 'alice', address: 'cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9' });
    expect(key['mnemonic']).toBeUndefined();
  });

  it('warns on stderr, not stdout, when the test backend is used', async () => {
    const io = memoryIo();
    expect(await runCli(['keys', 'add', 'dev', '--keyring-backend', 'test', '--home', home, '-o', 'json'], io)).toBe(0);
    expect(io.stderrText()).toMatch(/^warning: the test keyring keeps mnemonics unencrypted/);
    expect(() => JSON.parse(io.stdoutText()) as unknown).not.toThrow();
  });

  it('will not delete a key without --yes when nobody can confirm', async () => {
    expect(await runCli(['keys', 'add', 'dev', '--keyring-backend', 'test', '--home', home], memoryIo())).toBe(0);
    const io = memoryIo();
    expect(await runCli(['keys', 'delete', 'dev', '--keyring-backend', 'test', '--home', home], io)).toBe(1);
    expect(io.stderrText()).toMatch(/refusing to delete key 'dev' without confirmation: stdin is not a terminal; pass --yes/);
    const yes = memoryIo();
    expect(await runCli(['keys', 'delete', 'dev', '--yes', '--keyring-backend', 'test', '--home', home, '-o', 'json'], yes)).toBe(0);
    expect(JSON.parse(yes.stdoutText())).toMatchObject({ deleted: 'dev' });
  });

  it('prints only the address with keys show --address', async () => {
    const add = memoryIo({ stdin: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about' });
    expect(await runCli(['keys', 'add', 'v', '--recover', '--keyring-backend', 'test', '--home', home], add)).toBe(0);
    const io = memoryIo();
    expect(await runCli(['keys', 'show', 'v', '-a', '--keyring-backend', 'test', '--home', home], io)).toBe(0);
    expect(io.stdoutText()).toBe('cairn19rl4cm2hmr8afy4kldpxz3fka4jguq0ad572w9\n');
  });
});
