// Unmodified CosmJS governs a real single-validator chain: a delegator's SigningStargateClient
// submits a v1beta1 TextProposal (CosmJS's own gov encoders) and a v1 proposal holding a registry
// MsgUpdateParams (with cairnRegistry), deposits and votes; a QueryClient with setupGovExtension
// reads the proposals, deposits, votes, tally and params, and both proposals pass.
import { type EncodeObject } from '@cosmjs/proto-signing';
import { GasPrice, QueryClient, SigningStargateClient, setupGovExtension } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { ProposalStatus, TextProposal, VoteOption } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleAddress, AddressCodec } from '../core/framework/address.ts';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { waitForHeight } from '../node/cometbft/rpc.ts';
import { defaultAppState } from '../node/genesis.ts';
import { silentLogger } from '../node/log.ts';
import { type RunningNode, startNode } from '../node/node.ts';
import { MsgUpdateParams as RegistryUpdateParams } from '../proto/gen/cairn/registry/v1/tx.ts';
import { cairnRegistry } from '../sdk/cosmjs-registry.ts';
import { govMsgs } from '../sdk/gov/messages.ts';
import { setupRegistryExtension } from '../sdk/registry/queries.ts';
import { REGISTRY_TYPE_URLS } from '../sdk/registry/messages.ts';
import { ed25519Key } from './support/registry.ts';
import { TEST_OPERATOR, TEST_SELF_BOND, createTestHome } from './support/node-home.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

const FUNDS = 10_000_000_000n;
let node: RunningNode;
let comet: CometClient;
let rpcUrl: string;
let alice: TestWallet;
let bob: TestWallet;
let client: SigningStargateClient;

beforeAll(async () => {
  [alice, bob] = await Promise.all([testWallet(0), testWallet(1)]);
  const state = defaultAppState();
  // Blocks are 300 ms apart here: proposals are decided 6 s after they reach their deposit.
  (state['gov'] as { params: Record<string, unknown> }).params = {
    ...(state['gov'] as { params: Record<string, unknown> }).params,
    min_deposit: [{ denom: 'ucairn', amount: '1000' }],
    max_deposit_period: '20s',
    voting_period: '6s',
    expedited_voting_period: '3s',
  };
  const home = await createTestHome([{ address: alice.address, amount: FUNDS }, { address: bob.address, amount: FUNDS }], 'cairn-gov-1', state);
  rpcUrl = home.rpcUrl;
  node = await startNode({ home: home.home, logger: silentLogger, withCometbft: true });
  await waitForHeight(rpcUrl, 2, 30_000);
  comet = await connectComet(rpcUrl);
  client = await SigningStargateClient.connectWithSigner(rpcUrl, alice.wallet, { registry: cairnRegistry(), gasPrice: GasPrice.fromString('0.025ucairn'), broadcastPollIntervalMs: 150 });
}, 90_000);

afterAll(async () => {
  client?.disconnect();
  comet?.disconnect();
  await node?.stop();
});

async function send(msgs: EncodeObject[]): Promise<number> {
  const r = await client.signAndBroadcast(alice.address, msgs, 'auto');
  expect(r.code, r.rawLog).toBe(0);
  const submitted = r.events.find((e) => e.type === 'submit_proposal' && e.attributes.some((a) => a.key === 'proposal_id'));
  return submitted === undefined ? 0 : Number(submitted.attributes.find((a) => a.key === 'proposal_id')!.value);
}

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('governance with unmodified CosmJS', () => {
  it('submits, deposits and votes on a v1beta1 TextProposal and a v1 proposal; setupGovExtension reads them; both pass', async () => {
    const q = QueryClient.withExtensions(comet, setupGovExtension, setupRegistryExtension);
    // alice delegates twice the validator's self bond, so her own votes decide.
    const delegated = await client.delegateTokens(alice.address, valoperOf(TEST_OPERATOR), { denom: 'ucairn', amount: (2n * TEST_SELF_BOND).toString() }, 'auto');
    expect(delegated.code).toBe(0);

    // v1beta1, with CosmJS's own encoders: half the deposit now, the rest from bob.
    const text = { typeUrl: '/cosmos.gov.v1beta1.TextProposal', value: TextProposal.encode({ title: 'Signal', description: 'Shall we?' }).finish() };
    const textId = await send([{ typeUrl: '/cosmos.gov.v1beta1.MsgSubmitProposal', value: { content: text, initialDeposit: [{ denom: 'ucairn', amount: '500' }], proposer: alice.address } }]);
    expect(textId).toBe(1);
    expect((await q.gov.proposal(textId)).proposal.status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    const bobClient = await SigningStargateClient.connectWithSigner(rpcUrl, bob.wallet, { gasPrice: GasPrice.fromString('0.025ucairn'), broadcastPollIntervalMs: 150 });
    const deposited = await bobClient.signAndBroadcast(bob.address, [{ typeUrl: '/cosmos.gov.v1beta1.MsgDeposit', value: { proposalId: BigInt(textId), depositor: bob.address, amount: [{ denom: 'ucairn', amount: '500' }] } }], 'auto');
    bobClient.disconnect();
    expect(deposited.code, deposited.rawLog).toBe(0);
    const deposits = await q.gov.deposits(textId);
    expect(deposits.deposits.map((d) => d.depositor).sort()).toEqual([alice.address, bob.address].sort());
    await send([{ typeUrl: '/cosmos.gov.v1beta1.MsgVote', value: { proposalId: BigInt(textId), voter: alice.address, option: VoteOption.VOTE_OPTION_YES } }]);

    // v1: a registry MsgUpdateParams run by the gov account, adding a trusted verifier.
    const { params } = await q.registry.params();
    const verifier = ed25519Key(777).publicKey;
    const gov = new AddressCodec('cairn').encode(moduleAddress('gov'));
    const update = { typeUrl: REGISTRY_TYPE_URLS.MsgUpdateParams, value: RegistryUpdateParams.encode({ authority: gov, params: { ...params!, trustedVerifiers: [...params!.trustedVerifiers, verifier] } }).finish() };
    const v1Id = await send([govMsgs.MsgSubmitProposal({ messages: [update], initialDeposit: [{ denom: 'ucairn', amount: '1000' }], proposer: alice.address, title: 'Trust verifier 777', summary: 'Adds a TEE verifier key.' })]);
    await send([govMsgs.MsgVote({ proposalId: BigInt(v1Id), voter: alice.address, option: VoteOption.VOTE_OPTION_YES, metadata: '' })]);

    const voting = await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, '', '');
    expect(voting.proposals.map((p) => Number(p.proposalId))).toContain(v1Id);
    const votes = await q.gov.votes(v1Id);
    expect(votes.votes).toEqual([expect.objectContaining({ voter: alice.address, options: [{ option: VoteOption.VOTE_OPTION_YES, weight: '1000000000000000000' }] })]);
    const vote = await q.gov.vote(textId, alice.address);
    expect(vote.vote.option).toBe(VoteOption.VOTE_OPTION_YES);
    const tally = await q.gov.tally(v1Id);
    expect(tally.tally.yes).toBe((2n * TEST_SELF_BOND).toString());
    const tallying = await q.gov.params('tallying');
    expect(new TextDecoder().decode(tallying.tallyParams.quorum)).toBe('334000000000000000');
    expect((await q.gov.params('voting')).votingParams.votingPeriod.seconds).toBe(6n);

    const passed = await until('both proposals to pass', async () => [(await q.gov.proposal(textId)).proposal, (await q.gov.proposal(v1Id)).proposal], (ps) => ps.every((p) => p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD));
    expect(passed.map((p) => p.status)).toEqual([ProposalStatus.PROPOSAL_STATUS_PASSED, ProposalStatus.PROPOSAL_STATUS_PASSED]);
    expect(passed[0]!.content!.typeUrl).toBe('/cosmos.gov.v1beta1.TextProposal');
    expect(passed[1]!.finalTallyResult.yes).toBe((2n * TEST_SELF_BOND).toString());
    expect((await q.registry.params()).params!.trustedVerifiers).toContainEqual(verifier);
  }, 120_000);
});
