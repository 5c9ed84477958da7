import { describe, expect, it } from 'vitest';
import { normalizeNodeUrl, parseCommandLine, resolveCommand, resolveGlobalOptions } from './args.ts';
import { allCommands, ROOT } from './commands/table.ts';
import type { CommandNode } from './commands/spec.ts';
import { UsageError } from './errors.ts';

const send = { options: { fees: { type: 'string', description: '' }, memo: { type: 'string', description: '' } }, args: [{ name: 'from', description: '' }, { name: 'to', description: '' }, { name: 'amount', description: '' }] } as const;

describe('resolveCommand', () => {
  it('walks the positionals down the command tree, skipping global flags and their values', () => {
    const resolved = resolveCommand<CommandNode>(['--home', '/tmp/h', 'tx', '--output', 'json', 'bank', 'send', 'a', 'b'], ROOT);
    expect(resolved.path).toEqual(['tx', 'bank', 'send']);
    expect(resolved.node.kind).toBe('command');
    expect(resolved.help).toBe(false);
  });

  it('stops at a group when no subcommand follows, so its help can be shown', () => {
    const resolved = resolveCommand<CommandNode>(['keys'], ROOT);
    expect(resolved.path).toEqual(['keys']);
    expect(resolved.node.kind).toBe('group');
  });

  it('notices --help, -h and the help command anywhere', () => {
    expect(resolveCommand<CommandNode>(['keys', 'add', '--help'], ROOT).help).toBe(true);
    expect(resolveCommand<CommandNode>(['-h', 'status'], ROOT).help).toBe(true);
    const viaHelp = resolveCommand<CommandNode>(['help', 'query', 'bank', 'balances'], ROOT);
    expect(viaHelp).toMatchObject({ path: ['query', 'bank', 'balances'], help: true });
  });

  it('suggests the closest command for a typo', () => {
    expect(() => resolveCommand<CommandNode>(['keys', 'lst'], ROOT)).toThrow(/unknown command 'lst' for 'cairn keys'\. Did you mean 'list'\?/);
    expect(() => resolveCommand<CommandNode>(['qeury'], ROOT)).toThrow(/Did you mean 'query'\?/);
    expect(() => resolveCommand<CommandNode>(['frobnicate'], ROOT)).toThrow(/Commands: init, start, genesis, dev, explorer, keys, tx, query, status/);
  });
});

describe('parseCommandLine', () => {
  const path = ['tx', 'bank', 'send'];

  it('separates arguments, the command flags and the global flags', () => {
    const parsed = parseCommandLine(['tx', 'bank', 'send', 'alice', '--fees', '5ucairn', 'cairn1x', '10ucairn', '-o', 'json'], path, send);
    expect(parsed.args).toEqual(['alice', 'cairn1x', '10ucairn']);
    expect(parsed.flags).toEqual({ fees: '5ucairn' });
    expect(parsed.globals).toEqual({ output: 'json' });
  });

  it('rejects unknown flags and points to the help', () => {
    expect(() => parseCommandLine(['tx', 'bank', 'send', 'a', 'b', 'c', '--feez', '1'], path, send)).toThrow(
      /unknown flag --feez: run `cairn tx bank send --help` for usage/,
    );
  });

  it('says which argument is missing and which are extra', () => {
    expect(() => parseCommandLine(['tx', 'bank', 'send', 'alice'], path, send)).toThrow(/missing <to> <amount>/);
    expect(() => parseCommandLine(['tx', 'bank', 'send', 'a', 'b', 'c', 'd'], path, send)).toThrow(/unexpected argument "d"/);
  });

  it('lets a variadic last argument take every remaining value, but not none', () => {
    const reveal = { args: [{ name: 'batch', description: '' }, { name: 'index', description: '', variadic: true }] } as const;
    expect(parseCommandLine(['tx', 'receipts', 'reveal', '12', '3', '17', '40'], ['tx', 'receipts', 'reveal'], reveal).args).toEqual(['12', '3', '17', '40']);
    expect(() => parseCommandLine(['tx', 'receipts', 'reveal', '12'], ['tx', 'receipts', 'reveal'], reveal)).toThrow(/missing <index>/);
  });

  it('says when a flag needs a value', () => {
    expect(() => parseCommandLine(['tx', 'bank', 'send', 'a', 'b', 'c', '--memo'], path, send)).toThrow(/--memo needs a value/);
  });

  it('explains a negative amount instead of calling it an unknown flag', () => {
    expect(() => parseCommandLine(['tx', 'bank', 'send', 'a', 'b', '-5ucairn'], path, send)).toThrow(
      /"-5ucairn" looks like a negative number: amounts and heights must be positive/,
    );
  });

  it('accepts anything after -- as arguments', () => {
    const parsed = parseCommandLine(['tx', 'bank', 'send', '--', 'a', '--b', 'c'], path, send);
    expect(parsed.args).toEqual(['a', '--b', 'c']);
  });
});

describe('resolveGlobalOptions', () => {
  it('applies the documented defaults', () => {
    const options = resolveGlobalOptions({}, { env: {} }, '/work');
    expect(options.node).toBe('http://127.0.0.1:26657');
    expect(options.output).toBe('text');
    expect(options.keyringBackend).toBe('file');
    expect(options.chainId).toBeUndefined();
    expect(options.home.endsWith('/.cairn')).toBe(true);
    expect(options.keyringDir).toBe(options.home);
  });

  it('takes the home from CAIRN_HOME and resolves relative paths', () => {
    const options = resolveGlobalOptions({ 'keyring-dir': 'keys' }, { env: { CAIRN_HOME: 'h' } }, '/work');
    expect(options.home).toBe('/work/h');
    expect(options.keyringDir).toBe('/work/keys');
  });

  it('takes the node from CAIRN_NODE unless --node is given', () => {
    expect(resolveGlobalOptions({}, { env: { CAIRN_NODE: '127.0.0.1:36657' } }).node).toBe('http://127.0.0.1:36657');
    expect(resolveGlobalOptions({ node: 'tcp://10.0.0.5:26657' }, { env: { CAIRN_NODE: '127.0.0.1:36657' } }).node).toBe('http://10.0.0.5:26657');
  });

  it('rejects bad values with the accepted ones in the message', () => {
    expect(() => resolveGlobalOptions({ output: 'yaml' }, { env: {} })).toThrow(/--output must be text or json, not "yaml"/);
    expect(() => resolveGlobalOptions({ 'keyring-backend': 'os' }, { env: {} })).toThrow(/must be file or test/);
    expect(() => resolveGlobalOptions({ 'chain-id': 'a b' }, { env: {} })).toThrow(UsageError);
  });

  it('accepts CometBFT-style tcp:// and bare host:port node addresses', () => {
    expect(normalizeNodeUrl('tcp://127.0.0.1:26657')).toBe('http://127.0.0.1:26657');
    expect(normalizeNodeUrl('localhost:26657')).toBe('http://localhost:26657');
    expect(normalizeNodeUrl('https://rpc.example.org/')).toBe('https://rpc.example.org');
    expect(() => normalizeNodeUrl('ftp://x')).toThrow(/use http:\/\/, https:\/\/ or ws:\/\//);
  });
});

describe('the command table', () => {
  it('has the commands the spec names, each with a summary', () => {
    const paths = allCommands().map(({ path }) => path.join(' '));
    for (const expected of [
      'init',
      'start',
      'genesis',
      'dev',
      'keys add',
      'keys import',
      'keys list',
      'keys show',
      'keys delete',
      'tx bank send',
      'query auth account',
      'query bank balances',
      'query bank total-supply',
      'status',
    ]) {
      expect(paths).toContain(expected);
    }
    for (const { spec } of allCommands()) expect(spec.summary.length).toBeGreaterThan(10);
  });

  it('gives every built-in command an example', () => {
    for (const { path, spec } of allCommands()) {
      if (spec.external === true) continue;
      expect(spec.examples?.length, path.join(' ')).toBeGreaterThan(0);
      for (const example of spec.examples ?? []) expect(example.startsWith(`cairn ${path.join(' ')}`)).toBe(true);
    }
  });
});
