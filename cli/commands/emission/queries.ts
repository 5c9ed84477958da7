// cairn query emission status | params | budget | epoch | rewards | points | reputation | roots |
// challenge | challenges
import { arg, type CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { checkAddress } from '../../node-client.ts';
import { fields, table } from '../../output.ts';
import * as q from '../../../proto/gen/cairn/emission/v1/query.ts';
import { type CapacityChallenge, ChallengeStatus } from '../../../proto/gen/cairn/emission/v1/types.ts';
import { moduleQuery, parseId, withChain } from '../receipts/client.ts';

const S = 'cairn.emission.v1.Query';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function epochArg(ctx: CommandContext): bigint {
  const text = arg(ctx, 0);
  if (!/^\d{1,19}$/.test(text)) throw new UsageError(`epoch "${text}" must be a non-negative integer`);
  return BigInt(text);
}

export async function status(ctx: CommandContext): Promise<void> {
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'Status', q.QueryStatusRequest, q.QueryStatusResponse, {}));
  ctx.print({
    json: r,
    text: () =>
      fields([
        ['current epoch', `${r.currentEpoch} (ends at height ${r.epochEndHeight})`],
        ['epoch budget', r.epochBudget],
        ['minted so far', r.mintedTotal],
        ['supply', r.supply],
        ['max supply', r.maxSupply],
        ['remaining cap', r.remainingCap],
        ['era', r.era.toString()],
        ['next halving', `epoch ${r.nextHalvingEpoch} (height ${r.nextHalvingHeight}), budget then ${r.nextEpochBudgetAfterHalving}`],
      ]),
  });
}

export async function params(ctx: CommandContext): Promise<void> {
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'Params', q.QueryParamsRequest, q.QueryParamsResponse, {}));
  const p = r.params!;
  // Labelled by the param names of genesis and the module README (max_operator_share_bps, …).
  ctx.print({ json: p, text: () => fields(Object.entries(p).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), String(v)])) });
}

export async function budget(ctx: CommandContext): Promise<void> {
  const epoch = epochArg(ctx);
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'EpochBudget', q.QueryEpochBudgetRequest, q.QueryEpochBudgetResponse, { epoch }));
  ctx.print({ json: r, text: () => fields([['epoch', epoch.toString()], ['budget', r.budget], ['year', r.year.toString()], ['era', r.era.toString()]]) });
}

export async function epoch(ctx: CommandContext): Promise<void> {
  const e = epochArg(ctx);
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'Epoch', q.QueryEpochRequest, q.QueryEpochResponse, { epoch: e }));
  const m = r.emission!;
  ctx.print({
    json: r,
    text: () =>
      `${fields([
        ['epoch', m.epoch.toString()],
        ['scheduled / budget', `${m.scheduled} / ${m.budget}`],
        ['minted', `${m.minted} (operators ${m.operatorsMinted}, validators ${m.validatorsMinted})`],
        ['unminted', m.unminted],
        ['supply after', m.supplyAfter],
      ])}\n${table(['operator', 'total', 'validators', 'fee guard cut', 'capacity cut', 'share cap cut'], r.rewards.map((x) => [x.operator, x.total, x.validatorsReward, x.feeGuardCut, x.capacityCut, x.shareCapCut]))}`,
  });
}

export async function rewards(ctx: CommandContext): Promise<void> {
  const operator = checkAddress(arg(ctx, 0), 'operator');
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'OperatorRewards', q.QueryOperatorRewardsRequest, q.QueryOperatorRewardsResponse, { operator }));
  ctx.print({
    json: r,
    text: () =>
      table(
        ['epoch', 'total', 'validators', 'usage', 'jobs', 'uptime', 'availability', 'fee guard cut', 'capacity cut', 'share cap cut'],
        r.rewards.map((x) => [x.epoch.toString(), x.total, x.validatorsReward, x.usageReward, x.jobsReward, x.uptimeReward, x.availabilityReward, x.feeGuardCut, x.capacityCut, x.shareCapCut]),
      ),
  });
}

export async function points(ctx: CommandContext): Promise<void> {
  const operator = checkAddress(arg(ctx, 0), 'operator');
  const p = (await withChain(ctx, (c) => moduleQuery(c, S, 'Points', q.QueryPointsRequest, q.QueryPointsResponse, { operator }))).points!;
  ctx.print({ json: p, text: () => fields([['operator', p.operator], ['work points', p.workPoints.toString()], ['uptime points', p.uptimePoints.toString()], ['total', p.total.toString()], ['updated in epoch', p.updatedEpoch.toString()]]) });
}

export async function reputation(ctx: CommandContext): Promise<void> {
  const operator = checkAddress(arg(ctx, 0), 'operator');
  const r = (await withChain(ctx, (c) => moduleQuery(c, S, 'Reputation', q.QueryReputationRequest, q.QueryReputationResponse, { operator }))).reputation!;
  ctx.print({
    json: r,
    text: () =>
      fields([
        ['operator', r.operator],
        ['score', `${r.score} / 10000`],
        ['paid epochs', r.activeEpochs.toString()],
        ['paid amount', r.paidAmount],
        ['receipts', r.receipts.toString()],
        ['uptime', `${r.uptimeBps} bps`],
        ['challenges passed', r.challengesPassed.toString()],
        ['faults', r.faults.toString()],
      ]),
  });
}

export async function roots(ctx: CommandContext): Promise<void> {
  const e = epochArg(ctx);
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'Roots', q.QueryRootsRequest, q.QueryRootsResponse, { epoch: e }));
  ctx.print({
    json: r,
    text: () =>
      fields([
        ['epoch', e.toString()],
        ['reputation root', `${hex(r.reputation!.root)} (${r.reputation!.operators} operators)`],
        ['receipts root', hex(r.receiptsRoot)],
        ['royalty root', hex(r.royaltyRoot)],
        ['store key (reputation)', hex(r.reputationStoreKey)],
      ]),
  });
}

const STATUS: Record<number, string> = {
  [ChallengeStatus.CHALLENGE_STATUS_OPEN]: 'open',
  [ChallengeStatus.CHALLENGE_STATUS_PASSED]: 'passed',
  [ChallengeStatus.CHALLENGE_STATUS_FAILED]: 'failed (fake capacity)',
};

const challengeRow = (c: CapacityChallenge): string[] => [c.id.toString(), c.gpuId, String(c.gpuCount), c.deadline.toString(), c.challenger === '' ? '(chain pick)' : `${c.challenger} (bond ${c.bond})`];

export async function challenge(ctx: CommandContext): Promise<void> {
  const id = parseId(arg(ctx, 0), 'challenge id');
  const c = (await withChain(ctx, (n) => moduleQuery(n, S, 'Challenge', q.QueryChallengeRequest, q.QueryChallengeResponse, { id }))).challenge!;
  ctx.print({
    json: c,
    text: () =>
      fields([
        ['id', c.id.toString()],
        ['status', STATUS[c.status] ?? String(c.status)],
        ['operator', c.operator],
        ['gpu', `${c.gpuId} (${c.gpuCount} committed)`],
        ['prove by height', c.deadline.toString()],
        ['opened in epoch', c.epoch.toString()],
        ['challenger', c.challenger === '' ? '(chain pick)' : `${c.challenger}, bond ${c.bond}`],
      ]),
  });
}

export async function challenges(ctx: CommandContext): Promise<void> {
  const operator = checkAddress(arg(ctx, 0), 'operator');
  const r = await withChain(ctx, (c) => moduleQuery(c, S, 'OpenChallenges', q.QueryOpenChallengesRequest, q.QueryOpenChallengesResponse, { operator }));
  ctx.print({ json: r, text: () => (r.challenges.length === 0 ? 'no open capacity challenges' : table(['id', 'gpu', 'count', 'prove by height', 'challenger'], r.challenges.map(challengeRow))) });
}
