// cairn status
import { toHex } from '@cosmjs/encoding';
import type { CommandContext } from '../context.ts';
import { withNode } from '../node-client.ts';
import type { NodeConnection } from '../node-client.ts';
import { fields } from '../output.ts';

export interface NodeStatus {
  readonly node: string;
  readonly chainId: string;
  readonly moniker: string;
  readonly nodeId: string;
  /** CometBFT's version. */
  readonly nodeVersion: string;
  /** What the application says about itself in ABCI Info (`data`), e.g. its name and version. */
  readonly appInfo: string;
  readonly latestBlockHeight: number;
  readonly latestBlockHash: string;
  readonly latestAppHash: string;
  readonly latestBlockTime: string;
  readonly catchingUp: boolean;
  /** The node's own validator key and power (power 0: not a validator). */
  readonly validatorAddress: string;
  readonly votingPower: bigint;
}

export async function queryStatus(connection: NodeConnection): Promise<NodeStatus> {
  const [status, abci] = await Promise.all([connection.comet.status(), connection.comet.abciInfo()]);
  return {
    node: connection.node,
    chainId: status.nodeInfo.network,
    moniker: status.nodeInfo.moniker,
    nodeId: toHex(status.nodeInfo.id),
    nodeVersion: status.nodeInfo.version,
    appInfo: abci.data ?? '',
    latestBlockHeight: status.syncInfo.latestBlockHeight,
    latestBlockHash: toHex(status.syncInfo.latestBlockHash).toUpperCase(),
    latestAppHash: toHex(status.syncInfo.latestAppHash).toUpperCase(),
    latestBlockTime: status.syncInfo.latestBlockTime.toISOString(),
    catchingUp: status.syncInfo.catchingUp,
    validatorAddress: toHex(status.validatorInfo.address).toUpperCase(),
    votingPower: status.validatorInfo.votingPower,
  };
}

export async function run(ctx: CommandContext): Promise<void> {
  const status = await withNode(ctx.global.node, queryStatus);
  ctx.print({
    json: status,
    text: () =>
      fields([
        ['node', status.node],
        ['chain id', status.chainId],
        ['moniker', status.moniker],
        ['node version', `CometBFT ${status.nodeVersion}`],
        ['app', status.appInfo === '' ? '(no info)' : status.appInfo],
        ['height', String(status.latestBlockHeight)],
        ['block time', status.latestBlockTime],
        ['block hash', status.latestBlockHash],
        ['app hash', status.latestAppHash],
        ['catching up', status.catchingUp ? 'yes (still syncing; state may be behind)' : 'no'],
        ['validator', status.votingPower > 0n ? `${status.validatorAddress} (power ${status.votingPower})` : 'no'],
      ]),
  });
}
