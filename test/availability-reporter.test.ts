// A validator's node reports operators' uptime by itself: it probes their endpoints each round and,
// near the epoch's end, sends one MsgReportAvailability signed by the hot key the validator named.
// The chain's median of that report becomes the operators' uptime.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { EMISSION_TYPE_URLS } from '../sdk/emission/messages.ts';
import { EPOCH_BLOCKS, emissionQuery, startEmissionChain } from './support/emission-chain.ts';
import { queryReporterChain } from '../node/availability/chain.ts';
import { AvailabilityReporter, type Probe, httpProbe } from '../node/availability/reporter.ts';
import { silentLogger } from '../node/log.ts';
import * as q from '../proto/gen/cairn/emission/v1/query.ts';
import { CHAIN_ID } from './support/app-chain.ts';
import { msgs as registryMsgs } from './support/registry.ts';
import { signTx, testWallet } from './support/wallets.ts';

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

async function serve(status: number): Promise<string> {
  const s = createServer((_req, res) => res.writeHead(status).end('ok'));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
}

describe('the availability reporter', () => {
  it('probes every active operator, reports once near the epoch end for its validator, and the chain takes the figure', async () => {
    const validator = await testWallet(0);
    const rc = await startEmissionChain({ validators: [{ address: validator.address, selfBond: 10_000_000n }] });
    const hot = rc.w.challenger;
    // operator2 moves to an endpoint that will never answer.
    await rc.ok('operator2', registryMsgs.updateOperator(rc.address('operator2'), { endpoints: ['https://down.example.com'] }));
    const name = { typeUrl: EMISSION_TYPE_URLS.MsgSetAvailabilityReporter, value: { validator: validator.address, reporter: hot.address } };
    const acc = await rc.chain.account(validator.address);
    const [named] = await rc.block([await signTx(validator, [name], { chainId: CHAIN_ID, accountNumber: acc.accountNumber, sequence: acc.sequence, fee: [{ denom: 'ucairn', amount: '5000' }], gas: 500_000n })]);
    expect(named!.code).toBe(0);

    const operator = rc.address('operator');
    const operator2 = rc.address('operator2');
    // The operator's endpoint answers 3 rounds in 4; operator2's never does.
    let round = 0;
    const seen: string[] = [];
    const probe: Probe = async (url) => {
      seen.push(url);
      return url === 'https://gpu.example.com/v1' ? round % 4 !== 3 : false;
    };
    const sent: EncodeObject[] = [];
    const reporter = new AvailabilityReporter({
      chain: queryReporterChain(async (path, data) => rc.chain.query(path, data), () => rc.height),
      probe,
      submitter: { address: hot.address, submit: async (m) => void (sent.push(...m), await rc.ok('challenger', m)) },
      validator: validator.address,
      logger: silentLogger,
      probeIntervalMs: 0,
    });
    const epoch = rc.height / EPOCH_BLOCKS;
    const end = (epoch + 1n) * EPOCH_BLOCKS;
    // A tick every block: a probe round each time, the report once the height is within 5 blocks of the end.
    while (sent.length === 0) {
      await reporter.tick();
      round++;
      if (sent.length === 0) await rc.block();
    }
    expect(rc.height).toBeLessThanOrEqual(end);
    expect(rc.height).toBeGreaterThanOrEqual(end - 5n);
    await reporter.tick();
    expect(sent).toHaveLength(1);
    const value = sent[0]!.value as { validator: string; reporter: string; epoch: bigint; reports: { operator: string; uptimeBps: number }[] };
    expect(value).toMatchObject({ validator: validator.address, reporter: hot.address, epoch });
    const rounds = reporter.metrics.rounds;
    const upRounds = Array.from({ length: rounds }, (_, i) => i % 4 !== 3).filter(Boolean).length;
    expect(value.reports.find((r) => r.operator === operator)!.uptimeBps).toBe(Math.floor((upRounds * 10_000) / rounds));
    expect(value.reports.find((r) => r.operator === operator2)!.uptimeBps).toBe(0);
    expect(seen.length).toBeGreaterThan(0);

    await rc.advanceTo(end);
    const rep = (await emissionQuery(rc, 'Reputation', q.QueryReputationRequest, q.QueryReputationResponse, { operator })).reputation!;
    expect(rep.uptimeBps).toBe(Math.floor((upRounds * 10_000) / rounds));
    expect(reporter.metrics).toMatchObject({ reportsSubmitted: 1, submitFailures: 0 });
  });

  it('counts an endpoint as up when it answers below 500, and down when it answers 5xx or not at all', async () => {
    const probe = httpProbe(2_000);
    const closed = await serve(200);
    await new Promise((r) => servers.pop()!.close(r));
    expect(await probe(await serve(200))).toBe(true);
    expect(await probe(await serve(404))).toBe(true);
    expect(await probe(await serve(503))).toBe(false);
    expect(await probe(closed)).toBe(false);
  });
});
