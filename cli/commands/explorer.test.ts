// `cairn explorer` refuses what cannot work before it serves anything: a URL that is not a node's
// REST API (a CometBFT RPC, or nothing at all), and a listen address that is not host:port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../main.ts';
import { memoryIo } from '../../test/support/cli-io.ts';

describe('cairn explorer', () => {
  it('refuses a --node that does not answer as a REST API, naming the setting to give', async () => {
    // Something that answers HTTP, but not the REST API's node_info (as a CometBFT RPC would not).
    const other = createServer((_req, res) => res.writeHead(404).end('not here'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const io = memoryIo();
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      expect(await runCli(['explorer', '--node', url, '--listen', '127.0.0.1:0'], io)).toBe(1);
      expect(io.stderrText()).toContain(`${url} does not answer as a node's REST API`);
      expect(io.stderrText()).toContain('app.toml [api] address');
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it('refuses a --listen that is not host:port', async () => {
    const io = memoryIo();
    expect(await runCli(['explorer', '--listen', 'everywhere'], io)).toBe(1);
    expect(io.stderrText()).toMatch(/--listen must look like 127\.0\.0\.1:26661, got "everywhere"/);
  });
});
