// The watcher checks gossiped attestations by itself: an operator gossips (over real libp2p on
// loopback) an envelope vouching for an attestation no trusted verifier signed; the watcher on
// another host reports it and the operator loses its whole bond. No test code builds the report.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { silentLogger } from '../node/log.ts';
import { sealAttestations } from '../node/p2p/envelope.ts';
import type { P2pHost } from '../node/p2p/host.ts';
import { appChainView } from '../node/p2p/service.ts';
import { attestationsTopic } from '../node/p2p/topics.ts';
import { MemoryChain, eventually, startTestHost } from './support/p2p.ts';
import { MessageValidator } from '../node/p2p/validate.ts';
import { feedAttestations, queryWatcherChain } from '../node/watcher/sources.ts';
import { Watcher } from '../node/watcher/watcher.ts';
import { MAX_EVIDENCE_BYTES } from '../sdk/registry/evidence.ts';
import { SignedBody, Envelope } from '../proto/gen/cairn/p2p/v1/gossip.ts';
import { QueryOperatorRequest, QueryOperatorResponse } from '../proto/gen/cairn/registry/v1/query.ts';
import { type Attestation, OperatorStatus, TeeType } from '../proto/gen/cairn/registry/v1/types.ts';
import { CHAIN_ID } from './support/app-chain.ts';
import { DENOM, FEE, MIN_BOND, RegistryChain, attestation, ed25519Key, gpu, msgs } from './support/registry.ts';
import { openClaims } from './support/watcher.ts';

const [OP, REPORTER] = [0, 3];
const OP_KEY = 10;
const FORGER = 901;

let rc: RegistryChain;
let op: string;
let sent: EncodeObject[];
const hosts: P2pHost[] = [];

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

async function chain(params: Record<string, unknown> = {}): Promise<void> {
  rc = await RegistryChain.start({ params });
  op = rc.wallets[OP]!.address;
  sent = [];
  await rc.ok(rc.wallets[OP]!, msgs.registerOperator(op, OP_KEY));
  await rc.ok(rc.wallets[OP]!, msgs.commitGpus(op, [gpu('g0'), gpu('g1')]));
}

async function watcherOptions(): Promise<ConstructorParameters<typeof Watcher>[0]> {
  const reporter = rc.wallets[REPORTER]!;
  return {
    claims: await openClaims(),
    chain: queryWatcherChain(async (path, bytes) => rc.chain.query(path, bytes), appChainView(rc.chain.app)),
    source: { receiptsOf: async () => undefined },
    submitter: {
      address: reporter.address,
      submit: async (m) => {
        sent.push(...m);
        await rc.ok(reporter, m);
      },
    },
    logger: silentLogger,
    requestBond: { denom: DENOM, amount: '1000' },
  };
}

const watcher = async (): Promise<Watcher> => new Watcher(await watcherOptions());

/** An attestation for `gpuId` as the operator gossips it, signed by the trusted verifier or by `forger`. */
function gossiped(gpuId: string, forger?: number): Attestation {
  const now = rc.nextBlockTime;
  const raw = rc.chain.app.addresses.decode(op);
  const m = attestation(raw, op, gpuId, { issuedAt: now - 60n, expiresAt: now + 3600n, ...(forger === undefined ? {} : { verifier: ed25519Key(forger) }) });
  return { id: new Uint8Array(), ...m, submittedHeight: 0n };
}

function envelope(attestations: Attestation[]): Uint8Array {
  return sealAttestations(attestations, { chainId: CHAIN_ID, operator: op, height: rc.height }, ed25519Key(OP_KEY));
}

const bodyOf = (data: Uint8Array) => SignedBody.decode(Envelope.decode(data).body);

async function operatorStatus(): Promise<OperatorStatus> {
  const r = await rc.chain.query('/cairn.registry.v1.Query/Operator', QueryOperatorRequest.encode({ address: op }).finish());
  return QueryOperatorResponse.decode(r.value).operator!.status;
}

describe('the watcher and gossiped attestations', () => {
  beforeEach(async () => chain());

  it('reports an attestation no trusted verifier signed, gossiped to its host: the operator is tombstoned and the watcher paid', async () => {
    const view = appChainView(rc.chain.app);
    const publisher = await startTestHost(view);
    const watching = await startTestHost(view, { bootstrap: publisher.addresses() });
    hosts.push(publisher, watching);
    const w = await watcher();
    feedAttestations(watching, w);
    const topic = attestationsTopic(CHAIN_ID);
    await eventually('a gossip mesh on the attestations topic', () => publisher.pubsub.getMeshPeers(topic).includes(watching.peerId));

    const reporterBefore = await rc.chain.balance(rc.wallets[REPORTER]!.address);
    await publisher.publish('attestations', envelope([gossiped('g0'), gossiped('g1', FORGER)]));
    await eventually('the envelope at the watching host', () => watching.counters.accepted === 1);
    await w.checkOnce();

    expect(sent.map((m) => m.typeUrl)).toEqual(['/cairn.registry.v1.MsgReportForgedAttestation']);
    expect((sent[0]!.value as { index: number }).index).toBe(1);
    expect(await operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_TOMBSTONED);
    expect(await rc.chain.balance(rc.wallets[REPORTER]!.address)).toBe(reporterBefore - FEE + MIN_BOND / 5n);
    expect(w.metrics).toMatchObject({ attestationsChecked: 2, reportForgedAttestation: 1, submitFailures: 0 });
  }, 30_000);

  it('reports one piece of evidence once, however many envelopes repeat it', async () => {
    const w = await watcher();
    const forged = gossiped('g1', FORGER);
    for (const data of [envelope([forged]), envelope([gossiped('g0'), forged])]) w.observeAttestations(data, bodyOf(data));
    await w.checkOnce();
    await w.checkOnce();
    expect(sent).toHaveLength(1);
    expect(w.metrics).toMatchObject({ attestationsChecked: 3, reportForgedAttestation: 1 });
  });

  it('leaves alone attestations a trusted verifier signed, TEE_TYPE_NONE ones, and those naming another operator', async () => {
    const w = await watcher();
    const other = { ...gossiped('g1', FORGER), operator: rc.wallets[1]!.address };
    const none = { ...gossiped('g0'), teeType: TeeType.TEE_TYPE_NONE, signature: new Uint8Array() };
    const data = envelope([gossiped('g0'), none, other]);
    w.observeAttestations(data, bodyOf(data));
    await w.checkOnce();
    expect(sent).toHaveLength(0);
    expect(await operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
    expect(w.metrics.attestationsChecked).toBe(3);
  });

  it('keeps at most the queue’s size of envelopes between passes, dropping the oldest', async () => {
    const w = new Watcher({ ...(await watcherOptions()), attestationQueue: 2 });
    for (const gpuId of ['g0', 'g1', 'g0']) {
      const data = envelope([gossiped(gpuId, FORGER)]);
      w.observeAttestations(data, bodyOf(data));
    }
    expect(w.metrics.attestationsDropped).toBe(1);
  });
});

describe('with no trusted verifier', () => {
  beforeEach(async () => chain({ trusted_verifiers: [] }));

  it('reports nothing: nothing can be called forged', async () => {
    const w = await watcher();
    const data = envelope([gossiped('g1', FORGER)]);
    w.observeAttestations(data, bodyOf(data));
    await w.checkOnce();
    expect(sent).toHaveLength(0);
    expect(await operatorStatus()).toBe(OperatorStatus.OPERATOR_STATUS_ACTIVE);
  });
});

describe('the gossip validator', () => {
  it('rejects an attestation envelope larger than the chain takes as evidence, so no forgery can hide in one', async () => {
    const v = new MessageValidator(new MemoryChain());
    const big = new Uint8Array(MAX_EVIDENCE_BYTES + 1).fill(7);
    expect(await v.validate('attestations', big)).toMatchObject({ result: 'reject', reason: 'oversized' });
    // The batch topic's limit is far larger: the same bytes fail later, as undecodable.
    expect(await v.validate('batch', big)).toMatchObject({ result: 'reject', reason: 'undecodable' });
  });
});
