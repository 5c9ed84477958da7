// `cairn query emission …`: the commands are listed with their help, and bad arguments are refused
// before any node is contacted. (Against a node they go through the same ABCI queries the
// in-process tests check.)
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.ts';
import { memoryIo } from '../cli/test-support/io.ts';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('cairn query emission', () => {
  it('lists status, params, budget, epoch, rewards, points, reputation and roots', async () => {
    const r = await cli('query', 'emission', '--help');
    expect(r.code).toBe(0);
    for (const name of ['status', 'params', 'budget', 'epoch', 'rewards', 'points', 'reputation', 'roots']) expect(r.out + r.err).toContain(name);
  });

  it('refuses an epoch that is not a number and an operator that is not an address, without contacting a node', async () => {
    const bad = await cli('query', 'emission', 'budget', 'soon', '--node', 'http://127.0.0.1:9');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/epoch "soon" must be a non-negative integer/);
    const addr = await cli('query', 'emission', 'points', 'nobody', '--node', 'http://127.0.0.1:9');
    expect(addr.code).not.toBe(0);
    expect(addr.err).toMatch(/operator/);
  });
});
