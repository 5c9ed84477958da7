// `cairn query emission …` and `cairn tx emission …`: the commands are listed with their help, and
// bad arguments are refused before any key is opened or node contacted. (Against a node they go
// through the same ABCI queries and messages the in-process tests check.)
import { toBech32 } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';
import { parseUptimeReports } from '../cli/commands/emission/tx.ts';
import { runCli } from '../cli/main.ts';
import { memoryIo } from './support/cli-io.ts';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('cairn query emission', () => {
  it('lists status, params, budget, epoch, rewards, points, reputation, roots, challenge and challenges', async () => {
    const r = await cli('query', 'emission', '--help');
    expect(r.code).toBe(0);
    for (const name of ['status', 'params', 'budget', 'epoch', 'rewards', 'points', 'reputation', 'roots', 'challenge', 'challenges']) expect(r.out + r.err).toContain(name);
  });

  it('refuses an epoch or challenge id that is not a number and an operator that is not an address, without contacting a node', async () => {
    const bad = await cli('query', 'emission', 'budget', 'soon', '--node', 'http://127.0.0.1:9');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/epoch "soon" must be a non-negative integer/);
    const addr = await cli('query', 'emission', 'points', 'nobody', '--node', 'http://127.0.0.1:9');
    expect(addr.code).not.toBe(0);
    expect(addr.err).toMatch(/operator/);
    const id = await cli('query', 'emission', 'challenge', 'seven', '--node', 'http://127.0.0.1:9');
    expect(id.code).not.toBe(0);
    expect(id.err).toMatch(/challenge id "seven" must be a non-negative integer/);
  });
});

describe('cairn tx emission', () => {
  const op1 = toBech32('cairn', new Uint8Array(20).fill(1));
  const op2 = toBech32('cairn', new Uint8Array(20).fill(2));
  const offline = ['--node', 'http://127.0.0.1:9', '--keyring-backend', 'test', '--home', '/nonexistent-cairn-home'];

  it('lists report-availability, challenge-capacity and prove-capacity with their arguments', async () => {
    const r = await cli('tx', 'emission', '--help');
    expect(r.code).toBe(0);
    for (const name of ['report-availability', 'set-reporter', 'challenge-capacity', 'prove-capacity']) expect(r.out).toContain(name);
    const prove = await cli('tx', 'emission', 'prove-capacity', '--help');
    expect(prove.out).toMatch(/<from-key> <challenge-id> <measured-count>/);
    expect(prove.out).toContain('--verifier <hex>');
  });

  it('parses uptime reports: operator=bps pairs, each operator once, at most 10000 bps', () => {
    expect(parseUptimeReports(`${op1}=9950,${op2}=10000`)).toEqual([
      { operator: op1, uptimeBps: 9950 },
      { operator: op2, uptimeBps: 10_000 },
    ]);
    expect(() => parseUptimeReports(`${op1}=10001`)).toThrow(/10001 bps .* above 10000/);
    expect(() => parseUptimeReports(`${op1}=1,${op1}=2`)).toThrow(/reported twice/);
    expect(() => parseUptimeReports(`${op1}:9950`)).toThrow(/must be <operator>=<uptime_bps>/);
    expect(() => parseUptimeReports('nobody=9950')).toThrow(/operator "nobody" is not a valid bech32 address/);
  });

  it.each([
    [['report-availability', 'val', 'soon', `${op1}=9950`], /epoch "soon" must be a non-negative integer/],
    [['set-reporter', 'val', 'not-an-address'], /reporter "not-an-address" is not a valid bech32 address/],
    [['report-availability', 'val', '3', `${op1}=200%`], /must be <operator>=<uptime_bps>/],
    [['challenge-capacity', 'alice', 'nobody', 'h100-a'], /operator "nobody" is not a valid bech32 address/],
    [['challenge-capacity', 'alice', op1, 'x'.repeat(129)], /gpu-id must be 1 to 128 characters/],
    [['prove-capacity', 'ops', '7', 'eight', '--verifier', '00'.repeat(32), '--signature', '00'.repeat(64)], /measured count "eight"/],
    [['prove-capacity', 'ops', '7', '8', '--signature', '00'.repeat(64)], /--verifier <hex> is required/],
    [['prove-capacity', 'ops', '7', '8', '--verifier', '00'.repeat(31), '--signature', '00'.repeat(64)], /--verifier must be 32 bytes of hex/],
    [['prove-capacity', 'ops', '7', '8', '--verifier', '00'.repeat(32), '--signature', 'zz'], /--signature must be 64 bytes of hex/],
  ])('refuses %j before opening a keyring or contacting a node', async (argv, message) => {
    const r = await cli('tx', 'emission', ...argv, ...offline);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });
});
