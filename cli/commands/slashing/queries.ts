// cairn query slashing signing-info | signing-infos | params
import { toBech32 } from '@cosmjs/encoding';
import type { ValidatorSigningInfo } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import { arg, type CommandContext } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { fields, table } from '../../output.ts';
import { consensusAddress, consensusKeyBytes } from '../../../modules/staking/addresses.ts';
import { decFromBytes, formatDec } from '../../../core/framework/dec.ts';
import { withQueries } from '../staking/client.ts';

function jailText(info: ValidatorSigningInfo): string {
  if (info.tombstoned) return 'tombstoned (double sign): jailed forever';
  return info.jailedUntil.seconds > 0n ? `until ${new Date(Number(info.jailedUntil.seconds) * 1000).toISOString()}` : 'never jailed';
}

/** A valcons address, or a validator operator address resolved to its consensus address. */
export async function signingInfo(ctx: CommandContext): Promise<void> {
  const text = arg(ctx, 0);
  const info = await withQueries(ctx, async (q) => {
    let cons = text;
    if (text.includes('valoper1')) {
      const v = (await q.staking.validator(text)).validator;
      cons = toBech32(text.slice(0, text.indexOf('valoper1')) + 'valcons', consensusAddress(consensusKeyBytes(v.consensusPubkey)));
    } else if (!text.includes('valcons1')) {
      throw new UsageError(`"${text}" is neither a consensus address (cairnvalcons1…) nor an operator address (cairnvaloper1…)`);
    }
    return (await q.slashing.signingInfo(cons)).valSigningInfo;
  });
  ctx.print({
    json: info,
    text: () =>
      fields([
        ['address', info.address],
        ['start height', info.startHeight.toString()],
        ['missed blocks in window', info.missedBlocksCounter.toString()],
        ['jail', jailText(info)],
      ]),
  });
}

export async function signingInfos(ctx: CommandContext): Promise<void> {
  const r = await withQueries(ctx, (q) => q.slashing.signingInfos());
  ctx.print({ json: r, text: () => table(['address', 'missed', 'jail'], r.info.map((i) => [i.address, i.missedBlocksCounter.toString(), jailText(i)])) });
}

export async function params(ctx: CommandContext): Promise<void> {
  const p = await withQueries(ctx, async (q) => (await q.slashing.params()).params);
  const pct = (b: Uint8Array): string => formatDec(decFromBytes(b)).replace(/\.?0+$/, '');
  ctx.print({
    json: p,
    text: () =>
      fields([
        ['signed blocks window', p.signedBlocksWindow.toString()],
        ['min signed per window', pct(p.minSignedPerWindow)],
        ['downtime jail', `${p.downtimeJailDuration.seconds} s`],
        ['slash for double sign', pct(p.slashFractionDoubleSign)],
        ['slash for downtime', pct(p.slashFractionDowntime)],
      ]),
  });
}
