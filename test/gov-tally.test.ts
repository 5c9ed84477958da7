// The tally when voting ends, as the SDK 0.50 counts it: bonded stake, quorum, veto, threshold,
// abstentions, weighted votes, delegators' own votes overriding their validator's, and the stake as
// it is at the end (not when votes were cast). Deposits are refunded, or burned on a veto.
import { describe, expect, it, beforeAll } from 'vitest';
import { stakingMsgs } from '../sdk/staking/messages.ts';
import { govMsgs } from '../sdk/gov/messages.ts';
import { valoperOf } from '../modules/staking/genesis-builder.ts';
import { sendTx } from './support/staking.ts';
import { ProposalStatus, UNIT, VoteOption, finish, govChain, submit, tallyNow, vote } from './support/gov.ts';
import { type TestWallet, testWallet } from './support/wallets.ts';

let a: TestWallet;
let b: TestWallet;
let c: TestWallet;
let d: TestWallet;

beforeAll(async () => {
  [a, b, c, d] = await Promise.all([testWallet(0), testWallet(1), testWallet(2), testWallet(3)]);
});

const FUNDS = 10n ** 12n;
const tokens = (units: bigint): string => (units * UNIT).toString();

/** Two validators, a with `aUnits` and b with the rest of 1000 units of power; d a funded delegator. */
function twoValidators(aUnits: bigint) {
  return govChain({
    validators: [
      { address: a.address, selfBond: aUnits * UNIT },
      { address: b.address, selfBond: (1000n - aUnits) * UNIT },
    ],
    funded: [{ address: d.address, amount: FUNDS }, { address: c.address, amount: FUNDS }],
  });
}

describe('quorum', () => {
  it('just missed (333 of 1000 units voting, quorum 0.334): rejected, deposits refunded', async () => {
    const chain = await twoValidators(333n);
    const id = await submit(chain, c);
    const before = await chain.balance(c.address);
    await vote(chain, a, id, VoteOption.VOTE_OPTION_YES);
    const p = await finish(chain, id);
    expect(p!.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(p!.failedReason).toBe('proposal did not get enough votes to pass');
    expect(p!.finalTallyResult).toEqual({ yesCount: tokens(333n), abstainCount: '0', noCount: '0', noWithVetoCount: '0' });
    expect(await chain.balance(c.address)).toBe(before + 1000n);
  });

  it('just reached (334 of 1000 units voting): passes', async () => {
    const chain = await twoValidators(334n);
    const id = await submit(chain, c);
    await vote(chain, a, id, VoteOption.VOTE_OPTION_YES);
    expect((await finish(chain, id))!.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  });
});

describe('veto', () => {
  it('at exactly the veto threshold (334 of 1000 with veto) does not veto: the yes majority passes it', async () => {
    const chain = await twoValidators(334n);
    const id = await submit(chain, c);
    await vote(chain, a, id, VoteOption.VOTE_OPTION_NO_WITH_VETO);
    await vote(chain, b, id, VoteOption.VOTE_OPTION_YES);
    expect((await finish(chain, id))!.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  });

  it('just above the threshold (335 of 1000) rejects it and burns the deposits (burn_vote_veto)', async () => {
    const chain = await twoValidators(335n);
    const id = await submit(chain, c);
    const before = await chain.balance(c.address);
    const supply = async () => (await chain.app.bank.supplyOf(chain.store.committed, 'ucairn'));
    await vote(chain, a, id, VoteOption.VOTE_OPTION_NO_WITH_VETO);
    await vote(chain, b, id, VoteOption.VOTE_OPTION_YES);
    const supplyBefore = await supply();
    const p = await finish(chain, id);
    expect(p!.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(p!.finalTallyResult).toEqual({ yesCount: tokens(665n), abstainCount: '0', noCount: '0', noWithVetoCount: tokens(335n) });
    expect(await chain.balance(c.address)).toBe(before);
    // Fees of the empty blocks stay in circulation; the 1000ucairn deposit is gone.
    expect(await supply()).toBe(supplyBefore - 1000n);
  });
});

describe('abstain', () => {
  it('counts for quorum but not for the threshold: 600 abstain and 400 yes passes', async () => {
    const chain = await twoValidators(600n);
    const id = await submit(chain, c);
    await vote(chain, a, id, VoteOption.VOTE_OPTION_ABSTAIN);
    await vote(chain, b, id, VoteOption.VOTE_OPTION_YES);
    const p = await finish(chain, id);
    expect(p!.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(p!.finalTallyResult).toMatchObject({ yesCount: tokens(400n), abstainCount: tokens(600n) });
  });

  it('when everyone abstains the proposal is rejected and the deposits refunded', async () => {
    const chain = await twoValidators(600n);
    const id = await submit(chain, c);
    const before = await chain.balance(c.address);
    await vote(chain, a, id, VoteOption.VOTE_OPTION_ABSTAIN);
    await vote(chain, b, id, VoteOption.VOTE_OPTION_ABSTAIN);
    expect((await finish(chain, id))!.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(await chain.balance(c.address)).toBe(before + 1000n);
  });
});

describe('weighted votes', () => {
  const weighted = (voter: TestWallet, id: bigint, yes: string, no: string) =>
    govMsgs.MsgVoteWeighted({ proposalId: id, voter: voter.address, metadata: '', options: [{ option: VoteOption.VOTE_OPTION_YES, weight: yes }, { option: VoteOption.VOTE_OPTION_NO, weight: no }] });

  it('split the voter power: 0.6 yes / 0.4 no of all the stake passes, with the split in the tally', async () => {
    const chain = await twoValidators(500n);
    const id = await submit(chain, c);
    expect((await sendTx(chain, a, [weighted(a, id, '0.6', '0.4')])).code).toBe(0);
    expect((await sendTx(chain, b, [weighted(b, id, '0.6', '0.4')])).code).toBe(0);
    const p = await finish(chain, id);
    expect(p!.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(p!.finalTallyResult).toEqual({ yesCount: tokens(600n), abstainCount: '0', noCount: tokens(400n), noWithVetoCount: '0' });
  });

  it('0.5 yes / 0.5 no is not more than half: rejected', async () => {
    const chain = await twoValidators(500n);
    const id = await submit(chain, c);
    await sendTx(chain, a, [weighted(a, id, '0.5', '0.5')]);
    await sendTx(chain, b, [weighted(b, id, '0.5', '0.5')]);
    expect((await finish(chain, id))!.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
  });
});

describe('delegators and their validators', () => {
  const delegate = (units: bigint, to: TestWallet) => stakingMsgs.MsgDelegate({ delegatorAddress: d.address, validatorAddress: valoperOf(to.address), amount: { denom: 'ucairn', amount: tokens(units) } });

  it("a delegator's own vote overrides the one its validator casts for it", async () => {
    const chain = await twoValidators(500n);
    expect((await sendTx(chain, d, [delegate(300n, a)])).code).toBe(0);
    const id = await submit(chain, c);
    await vote(chain, a, id, VoteOption.VOTE_OPTION_YES);
    expect(await tallyNow(chain, id)).toMatchObject({ yesCount: tokens(800n), noCount: '0' });
    await vote(chain, d, id, VoteOption.VOTE_OPTION_NO);
    await vote(chain, b, id, VoteOption.VOTE_OPTION_NO);
    const p = await finish(chain, id);
    expect(p!.finalTallyResult).toEqual({ yesCount: tokens(500n), abstainCount: '0', noCount: tokens(800n), noWithVetoCount: '0' });
    expect(p!.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
  });

  it("a validator that does not vote casts nothing: only its delegator's own vote counts", async () => {
    const chain = await twoValidators(500n);
    expect((await sendTx(chain, d, [delegate(300n, a)])).code).toBe(0);
    const id = await submit(chain, c);
    await vote(chain, d, id, VoteOption.VOTE_OPTION_YES);
    await vote(chain, b, id, VoteOption.VOTE_OPTION_NO);
    const p = await finish(chain, id);
    // yes 300 of the 1300 bonded, no 500: the 500 units a kept for itself did not vote.
    expect(p!.finalTallyResult).toEqual({ yesCount: tokens(300n), abstainCount: '0', noCount: tokens(500n), noWithVetoCount: '0' });
    expect(p!.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
  });

  it('counts the stake as it is when voting ends, not when the votes were cast', async () => {
    const chain = await twoValidators(500n);
    const id = await submit(chain, c);
    await vote(chain, a, id, VoteOption.VOTE_OPTION_YES);
    await vote(chain, b, id, VoteOption.VOTE_OPTION_NO);
    expect(await tallyNow(chain, id)).toMatchObject({ yesCount: tokens(500n), noCount: tokens(500n) });
    // d delegates to a during the vote without voting: a's yes now carries d's stake too.
    expect((await sendTx(chain, d, [delegate(300n, a)])).code).toBe(0);
    const p = await finish(chain, id);
    expect(p!.finalTallyResult).toEqual({ yesCount: tokens(800n), abstainCount: '0', noCount: tokens(500n), noWithVetoCount: '0' });
    expect(p!.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  });
});
