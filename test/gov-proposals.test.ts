// A proposal's life, in process: deposits start the voting period or expire (refunded, or burned if
// the params say so); a passed proposal's messages run as the gov account (a registry MsgUpdateParams
// adds a trusted verifier); a failing message leaves nothing behind and is recorded on the proposal;
// bad input is refused with the SDK's code and log and changes nothing; v1beta1 serves the same
// records; genesis export and import keep proposals, votes and deposits.
import type { EncodeObject } from '@cosmjs/proto-signing';
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import * as q from 'cosmjs-types/cosmos/gov/v1/query';
import * as legacyQ from 'cosmjs-types/cosmos/gov/v1beta1/query';
import { TextProposal } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { MsgUpdateParams as RegistryUpdateParams } from '../proto/gen/cairn/registry/v1/tx.ts';
import { QueryParamsResponse as RegistryParamsResponse, type QueryParamsResponse } from '../proto/gen/cairn/registry/v1/query.ts';
import type { Params as RegistryParams } from '../proto/gen/cairn/registry/v1/types.ts';
import { REGISTRY_TYPE_URLS } from '../sdk/registry/messages.ts';
import { BANK_TYPE_URLS } from '../sdk/bank/messages.ts';
import { govMsgs, govV1beta1Msgs, textProposalContent } from '../sdk/gov/messages.ts';
import { AppChain } from './support/app-chain.ts';
import { UNIT, finish, govAddress, govChain, proposal, submit, submitMsg, vote, voteMsg } from './support/gov.ts';
import { ed25519Key } from './support/registry.ts';
import { sendTx } from './support/staking.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

let a: TestWallet;
let b: TestWallet;
let c: TestWallet;

beforeAll(async () => {
  [a, b, c] = await Promise.all([testWallet(0), testWallet(1), testWallet(2)]);
});

const FUNDS = 10n ** 12n;
const chainOf = (govParams: Record<string, unknown> = {}) =>
  govChain({ validators: [{ address: a.address, selfBond: 600n * UNIT }, { address: b.address, selfBond: 400n * UNIT }], funded: [{ address: c.address, amount: FUNDS }], govParams });

async function registryParams(chain: AppChain): Promise<RegistryParams> {
  const r = await chain.query('/cairn.registry.v1.Query/Params', new Uint8Array());
  return (RegistryParamsResponse.decode(r.value) as QueryParamsResponse).params!;
}

function addVerifier(chain: AppChain, params: RegistryParams, key: Uint8Array) {
  const msg = { authority: govAddress(chain), params: { ...params, trustedVerifiers: [...params.trustedVerifiers, key] } };
  return { typeUrl: REGISTRY_TYPE_URLS.MsgUpdateParams, value: RegistryUpdateParams.encode(msg).finish() };
}

async function proposalsList(chain: AppChain): Promise<unknown> {
  const r = await chain.query('/cosmos.gov.v1.Query/Proposals', q.QueryProposalsRequest.encode({ proposalStatus: 0, voter: '', depositor: '' }).finish());
  return q.QueryProposalsResponse.decode(r.value).proposals;
}

const attrs = (r: ExecTxResult, type: string) => r.events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.filter((x) => x.key !== 'msg_index').map((x) => [x.key, x.value])));

describe('deposit period', () => {
  it('reaching min_deposit with a second deposit starts the voting period', async () => {
    const chain = await chainOf();
    const id = await submit(chain, c, [], '400');
    expect((await proposal(chain, id))!.status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    const r = await sendTx(chain, a, [govMsgs.MsgDeposit({ proposalId: id, depositor: a.address, amount: [{ denom: 'ucairn', amount: '600' }] })]);
    expect(r.code).toBe(0);
    expect(attrs(r, 'proposal_deposit')).toEqual([{ amount: '600ucairn', proposal_id: String(id), depositor: a.address }, { voting_period_start: String(id) }]);
    const p = (await proposal(chain, id))!;
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(p.totalDeposit).toEqual([{ denom: 'ucairn', amount: '1000' }]);
    const deposits = await chain.query('/cosmos.gov.v1.Query/Deposits', q.QueryDepositsRequest.encode({ proposalId: id }).finish());
    expect(q.QueryDepositsResponse.decode(deposits.value).deposits.map((d) => [d.depositor, d.amount[0]!.amount]).sort()).toEqual([[a.address, '600'], [c.address, '400']].sort());
  });

  it('ending without min_deposit deletes the proposal and refunds the deposits', async () => {
    const chain = await chainOf();
    const before = await chain.balance(c.address);
    const id = await submit(chain, c, [], '400');
    expect(await chain.balance(c.address)).toBe(before - 400n - 5000n);
    expect(await finish(chain, id)).toBeUndefined();
    expect(await chain.balance(c.address)).toBe(before - 5000n);
    expect(chain.lastBlock!.events.some((e) => e.type === 'inactive_proposal')).toBe(true);
  });

  it('with burn_proposal_deposit_prevote, ending without min_deposit burns the deposits', async () => {
    const chain = await chainOf({ burn_proposal_deposit_prevote: true });
    const before = await chain.balance(c.address);
    const id = await submit(chain, c, [], '400');
    const supply = await chain.app.bank.supplyOf(chain.store.committed, 'ucairn');
    expect(await finish(chain, id)).toBeUndefined();
    expect(await chain.balance(c.address)).toBe(before - 400n - 5000n);
    expect(await chain.app.bank.supplyOf(chain.store.committed, 'ucairn')).toBe(supply - 400n);
  });
});

describe('a passed proposal', () => {
  it("runs its messages as the gov account: the registry's MsgUpdateParams adds a trusted verifier", async () => {
    const chain = await chainOf();
    const params = await registryParams(chain);
    const key = ed25519Key(4242).publicKey;
    const id = await submit(chain, c, [addVerifier(chain, params, key)]);
    await vote(chain, a, id, VoteOption.VOTE_OPTION_YES);
    const p = await finish(chain, id);
    expect(p!.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(p!.failedReason).toBe('');
    expect((await registryParams(chain)).trustedVerifiers).toEqual([...params.trustedVerifiers, key]);
  });

  it('whose second message fails changes nothing, is FAILED and says why', async () => {
    const chain = await chainOf();
    const params = await registryParams(chain);
    const gov = govAddress(chain);
    // The gov account holds nothing once the deposit is refunded, so the send fails.
    const send = { typeUrl: BANK_TYPE_URLS.MsgSend, value: MsgSend.encode({ fromAddress: gov, toAddress: c.address, amount: [{ denom: 'ucairn', amount: '1000000' }] }).finish() };
    const id = await submit(chain, c, [addVerifier(chain, params, ed25519Key(4243).publicKey), send]);
    await vote(chain, a, id, VoteOption.VOTE_OPTION_YES);
    const cBefore = await chain.balance(c.address);
    const p = await finish(chain, id);
    expect(p!.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(p!.failedReason).toMatch(/insufficient funds/);
    expect(await registryParams(chain)).toEqual(params);
    // The deposit came back; the send did not happen.
    expect(await chain.balance(c.address)).toBe(cBefore + 1000n);
    const ended = chain.lastBlock!.events.find((e) => e.type === 'active_proposal')!;
    expect(Object.fromEntries(ended.attributes.map((x) => [x.key, x.value]))).toMatchObject({ proposal_id: String(id), proposal_result: 'proposal_failed' });
  });
});

describe('bad input is refused with the SDK code and log, and changes nothing', () => {
  const cases: [string, (chain: AppChain, open: bigint, closed: bigint) => EncodeObject, string, number, string][] = [
    ['a proposal with no messages and no metadata', (_ch) => submitMsg(c.address, []), 'gov', 11, 'either metadata or Msgs length must be non-nil: no messages proposed'],
    ['a proposal with an unknown message type', () => submitMsg(c.address, [{ typeUrl: '/cosmos.nft.v1beta1.MsgSend', value: new Uint8Array() }]), 'gov', 10, '/cosmos.nft.v1beta1.MsgSend: proposal message not recognized by router'],
    [
      'a proposal whose message is signed by someone else than the gov account',
      () => submitMsg(c.address, [{ typeUrl: BANK_TYPE_URLS.MsgSend, value: MsgSend.encode({ fromAddress: c.address, toAddress: a.address, amount: [{ denom: 'ucairn', amount: '1' }] }).finish() }]),
      'gov',
      13,
      'expected gov account as only signer for proposal message',
    ],
    [
      'a proposal whose message has a field its type does not have',
      (ch) => {
        const send = MsgSend.encode({ fromAddress: govAddress(ch), toAddress: c.address, amount: [{ denom: 'ucairn', amount: '1' }] }).finish();
        // field 9, varint 1: not a field of MsgSend
        return submitMsg(c.address, [{ typeUrl: BANK_TYPE_URLS.MsgSend, value: Uint8Array.from([...send, 0x48, 0x01]) }]);
      },
      'gov',
      12,
      '/cosmos.bank.v1beta1.MsgSend has unknown field 9; this chain does not understand them: invalid proposal message',
    ],
    ['an expedited proposal', () => submitMsg(c.address, [], '1000', { metadata: 'x', expedited: true }), 'gov', 21, 'expedited proposals are not supported by Cairn'],
    ['an initial deposit in the wrong denom', () => submitMsg(c.address, [], '', { metadata: 'x', initialDeposit: [{ denom: 'uatom', amount: '1000' }] }), 'gov', 23, 'deposited 1000uatom, but gov accepts only the following denom(s): [ucairn]'],
    ['a deposit in the wrong denom', (_ch, open) => govMsgs.MsgDeposit({ proposalId: open, depositor: c.address, amount: [{ denom: 'uatom', amount: '10' }] }), 'gov', 23, 'gov accepts only the following denom(s): [ucairn]'],
    ['a deposit on an unknown proposal', () => govMsgs.MsgDeposit({ proposalId: 99n, depositor: c.address, amount: [{ denom: 'ucairn', amount: '10' }] }), 'gov', 2, '99: unknown proposal'],
    ['a vote on an unknown proposal', () => voteMsg(c.address, 99n, VoteOption.VOTE_OPTION_YES), 'gov', 2, '99: unknown proposal'],
    ['a vote on a closed proposal', (_ch, _open, closed) => voteMsg(c.address, closed, VoteOption.VOTE_OPTION_YES), 'gov', 3, 'inactive proposal'],
    ['a vote with an option out of range', (_ch, open) => voteMsg(c.address, open, 7 as VoteOption), 'gov', 7, 'invalid vote option'],
    ['a vote with no option', (_ch, open) => voteMsg(c.address, open, VoteOption.VOTE_OPTION_UNSPECIFIED), 'gov', 7, 'VOTE_OPTION_UNSPECIFIED: invalid vote option'],
    [
      'a weighted vote whose weights sum to less than 1',
      (_ch, open) => govMsgs.MsgVoteWeighted({ proposalId: open, voter: c.address, metadata: '', options: [{ option: VoteOption.VOTE_OPTION_YES, weight: '0.5' }, { option: VoteOption.VOTE_OPTION_NO, weight: '0.4' }] }),
      'gov',
      7,
      'total weight lower than 1.00: invalid vote option',
    ],
    [
      'a weighted vote whose weights sum to more than 1',
      (_ch, open) => govMsgs.MsgVoteWeighted({ proposalId: open, voter: c.address, metadata: '', options: [{ option: VoteOption.VOTE_OPTION_YES, weight: '0.7' }, { option: VoteOption.VOTE_OPTION_NO, weight: '0.4' }] }),
      'gov',
      7,
      'total weight overflow 1.00',
    ],
    [
      'a weighted vote naming an option twice',
      (_ch, open) => govMsgs.MsgVoteWeighted({ proposalId: open, voter: c.address, metadata: '', options: [{ option: VoteOption.VOTE_OPTION_YES, weight: '0.5' }, { option: VoteOption.VOTE_OPTION_YES, weight: '0.5' }] }),
      'gov',
      7,
      'duplicated vote option',
    ],
    ['a v1beta1 proposal with a blank title', () => govV1beta1Msgs.MsgSubmitProposal({ content: textProposalContent('', 'why'), initialDeposit: [], proposer: c.address }), 'gov', 5, 'proposal title cannot be blank'],
    ['a gov MsgUpdateParams signed by an account', () => govMsgs.MsgUpdateParams({ authority: c.address, params: undefined as never }), 'gov', 13, 'invalid authority'],
  ];

  let chain: AppChain;
  let open: bigint;
  let closed: bigint;
  beforeAll(async () => {
    // Voting lasts 40 blocks here, so the open proposal stays open through every case (one block each).
    chain = await chainOf({ voting_period: '200s', expedited_voting_period: '100s' });
    closed = await submit(chain, c);
    await finish(chain, closed);
    open = await submit(chain, c);
  });

  for (const [name, build, codespace, code, log] of cases) {
    it(name, async () => {
      const before = { proposals: await proposalsList(chain), gov: await chain.balance(govAddress(chain)), votes: (await chain.query('/cosmos.gov.v1.Query/Votes', q.QueryVotesRequest.encode({ proposalId: open }).finish())).value };
      const r = await sendTx(chain, c, [build(chain, open, closed)]);
      expect({ codespace: r.codespace, code: r.code }).toEqual({ codespace, code });
      expect(r.log).toContain(log);
      expect({ proposals: await proposalsList(chain), gov: await chain.balance(govAddress(chain)), votes: (await chain.query('/cosmos.gov.v1.Query/Votes', q.QueryVotesRequest.encode({ proposalId: open }).finish())).value }).toEqual(before);
    });
  }
});

describe('cosmos.gov.v1beta1', () => {
  it('takes a TextProposal, v1beta1 votes and deposits, and answers the v1beta1 queries', async () => {
    const chain = await chainOf();
    const sub = await sendTx(chain, c, [govV1beta1Msgs.MsgSubmitProposal({ content: textProposalContent('Signal', 'Do we agree?'), initialDeposit: [{ denom: 'ucairn', amount: '500' }], proposer: c.address })]);
    expect(sub.log).toBe('');
    expect((await sendTx(chain, b, [govV1beta1Msgs.MsgDeposit({ proposalId: 1n, depositor: b.address, amount: [{ denom: 'ucairn', amount: '500' }] })])).code).toBe(0);
    expect((await sendTx(chain, a, [govV1beta1Msgs.MsgVote({ proposalId: 1n, voter: a.address, option: VoteOption.VOTE_OPTION_YES })])).code).toBe(0);
    // v1beta1 weights are the Dec's atomics.
    const weighted = govV1beta1Msgs.MsgVoteWeighted({ proposalId: 1n, voter: b.address, options: [{ option: VoteOption.VOTE_OPTION_YES, weight: '250000000000000000' }, { option: VoteOption.VOTE_OPTION_NO, weight: '750000000000000000' }] });
    expect((await sendTx(chain, b, [weighted])).log).toBe('');

    const L = '/cosmos.gov.v1beta1.Query';
    const p = legacyQ.QueryProposalResponse.decode((await chain.query(`${L}/Proposal`, legacyQ.QueryProposalRequest.encode({ proposalId: 1n }).finish())).value).proposal;
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(p.content!.typeUrl).toBe('/cosmos.gov.v1beta1.TextProposal');
    expect(TextProposal.decode(p.content!.value)).toEqual({ title: 'Signal', description: 'Do we agree?' });
    const vote = legacyQ.QueryVoteResponse.decode((await chain.query(`${L}/Vote`, legacyQ.QueryVoteRequest.encode({ proposalId: 1n, voter: b.address }).finish())).value).vote;
    expect(vote.options).toEqual([{ option: VoteOption.VOTE_OPTION_YES, weight: '250000000000000000' }, { option: VoteOption.VOTE_OPTION_NO, weight: '750000000000000000' }]);
    const tally = legacyQ.QueryTallyResultResponse.decode((await chain.query(`${L}/TallyResult`, legacyQ.QueryTallyResultRequest.encode({ proposalId: 1n }).finish())).value).tally;
    expect(tally).toEqual({ yes: (700n * UNIT).toString(), abstain: '0', no: (300n * UNIT).toString(), noWithVeto: '0' });
    const tallying = legacyQ.QueryParamsResponse.decode((await chain.query(`${L}/Params`, legacyQ.QueryParamsRequest.encode({ paramsType: 'tallying' }).finish())).value);
    expect(new TextDecoder().decode(tallying.tallyParams.quorum)).toBe('334000000000000000');
    const bad = await chain.query(`${L}/Params`, legacyQ.QueryParamsRequest.encode({ paramsType: 'nope' }).finish());
    expect(bad.log).toContain('nope is not a valid parameter type');
    expect((await finish(chain, 1n))!.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  });
});

describe('genesis', () => {
  it('export and import keep proposals, votes and deposits, and the imported chain ends the vote', async () => {
    const chain = await chainOf();
    const open = await submit(chain, c, [], '400');
    const voting = await submit(chain, c);
    await vote(chain, a, voting, VoteOption.VOTE_OPTION_YES);
    const ctx = { store: chain.store.committed, height: chain.height, addresses: chain.app.addresses };
    const state: Record<string, unknown> = {};
    for (const m of chain.app.modules) state[m.name] = await m.genesis.export(ctx);
    const json = JSON.parse(JSON.stringify(state, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
    const gov = json['gov'] as { proposals: unknown[]; votes: unknown[]; deposits: unknown[]; starting_proposal_id: string };
    expect([gov.proposals.length, gov.votes.length, gov.deposits.length, gov.starting_proposal_id]).toEqual([2, 1, 2, '3']);

    const imported = await AppChain.start({ appState: json });
    const again: Record<string, unknown> = {};
    const ctx2 = { store: imported.store.working, height: 0n, addresses: imported.app.addresses };
    for (const m of imported.app.modules) if (m.name === 'gov') again[m.name] = await m.genesis.export(ctx2);
    expect(JSON.parse(JSON.stringify(again))).toEqual({ gov: json['gov'] });
    await imported.block();
    expect((await proposal(imported, open))!.status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    expect((await finish(imported, voting))!.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  });

  it('refuses a vote on a proposal that is not in its voting period, and a gov account not holding the deposits', async () => {
    const chain = await chainOf();
    await submit(chain, c, [], '400');
    const ctx = { store: chain.store.committed, height: chain.height, addresses: chain.app.addresses };
    const state: Record<string, unknown> = {};
    for (const m of chain.app.modules) state[m.name] = await m.genesis.export(ctx);
    const json = JSON.parse(JSON.stringify(state, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, { votes: unknown[]; deposits: { amount: { amount: string }[] }[] }>;
    const withVote = structuredClone(json);
    withVote['gov']!.votes.push({ proposal_id: '1', voter: a.address, options: [{ option: 'VOTE_OPTION_YES', weight: '1' }], metadata: '' });
    await expect(AppChain.start({ appState: withVote })).rejects.toThrow('gov.votes[0]: proposal 1 is not in its voting period');
    const padded = structuredClone(json);
    padded['gov']!.deposits[0]!.amount[0]!.amount = '401';
    await expect(AppChain.start({ appState: padded })).rejects.toThrow('the gov module account holds 400ucairn but the deposits add up to 401ucairn');
  });
});
