// `cairn receipts publish <batch-file> --key <seed> --peer <multiaddr>…`: gossips a batch file over
// libp2p, signed by the operator's receipt key, so that watchers can check it before it is submitted.
import { arg, stringFlag, type CommandContext, type OptionSpecs } from '../context.ts';
import { UsageError } from '../errors.ts';
import { withNode } from '../node-client.ts';
import { silentLogger } from '../../node/log.ts';
import { publishBatch } from '../../node/p2p/publish.ts';
import type { Ed25519Signer } from '../../sdk/index.ts';
import { readBatch, readKey } from './receipts/files.ts';

export const description = 'Gossips a batch (all its receipts) to the given libp2p peers, signed by the operator receipt key; run it before `cairn receipts submit`.';

export const args = [{ name: 'batch-file', description: 'written by `cairn receipts batch`' }];

export const gossipOptions: OptionSpecs = {
  key: { type: 'string', valueName: 'file', description: "the operator's receipt key seed (`cairn receipts keygen`)" },
  peer: { type: 'string', multiple: true, valueName: 'multiaddr', description: "a node's libp2p address with /p2p/<peer id> (repeatable)" },
};

export const options = gossipOptions;

export const examples = ['cairn receipts publish batch.json --key ~/.cairn/receipt-key --peer /ip4/127.0.0.1/tcp/26659/p2p/12D3Koo…'];

export async function run(ctx: CommandContext): Promise<void> {
  const batch = await readBatch(arg(ctx, 0));
  const target = await gossipTarget(ctx);
  if (target.chainId !== batch.header.chainId) throw new UsageError(`the batch is for chain ${batch.header.chainId}, the node runs ${target.chainId}`);
  const sent = await publishBatch({ ...target, batch, logger: silentLogger });
  const root = Buffer.from(batch.header.root).toString('hex');
  ctx.print({ json: { root, receipts: batch.receipts.length, peers: sent }, text: `published batch ${root} (${batch.receipts.length} receipts) to ${sent} peer(s)` });
}

export interface GossipTarget {
  readonly signer: Ed25519Signer;
  readonly peers: string[];
  readonly chainId: string;
  readonly height: bigint;
}

/** The --key and --peer flags, and the chain id and height of --node: what a publish command needs. */
export async function gossipTarget(ctx: CommandContext): Promise<GossipTarget> {
  const keyFile = stringFlag(ctx, 'key');
  if (keyFile === undefined) throw new UsageError('--key <file> is required');
  const signer = await readKey(keyFile);
  const peerFlag = ctx.flags['peer'];
  const peers = (Array.isArray(peerFlag) ? peerFlag : typeof peerFlag === 'string' ? [peerFlag] : []).filter((p): p is string => typeof p === 'string');
  if (peers.length === 0) throw new UsageError('--peer <multiaddr> is required (a node’s [p2p] address with /p2p/<peer id>)');
  const { chainId, height } = await withNode(ctx.global.node, async (c) => ({ chainId: await c.stargate.getChainId(), height: BigInt(await c.stargate.getHeight()) }));
  return { signer, peers, chainId, height };
}
