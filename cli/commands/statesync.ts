// `cairn statesync <rpc> <rpc>`: sets up an empty node home to join its chain from a snapshot
// (CometBFT state sync) instead of replaying every block: a trusted height and block hash taken from
// two RPC endpoints that must agree, written to config.toml [statesync].
import { existsSync } from 'node:fs';
import { configure } from '../../node/cometbft/config.ts';
import { rpcCall } from '../../node/cometbft/rpc.ts';
import { dataDir } from '../../node/node.ts';
import type { CommandContext } from '../context.ts';
import { stringFlag } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { fields } from '../output.ts';

/** CometBFT's default, and about 2/3 of the 21-day unbonding period a validator stays slashable for. */
const DEFAULT_TRUST_PERIOD_HOURS = 168;

export async function run(ctx: CommandContext): Promise<void> {
  const servers = ctx.args.map((a) => a.replace(/\/+$/, ''));
  if (servers.length < 2) throw new UsageError('give two RPC endpoints the light client can check each other with (the same one twice on a localnet), e.g. cairn statesync http://a:26657 http://b:26657');
  const home = ctx.global.home;
  if (existsSync(dataDir(home))) throw new CliError(`${home} already has state (${dataDir(home)}): state sync only fills an empty node. Use a new home (\`cairn init\`), or remove its data directory first`);
  const hoursText = stringFlag(ctx, 'trust-period-hours') ?? String(DEFAULT_TRUST_PERIOD_HOURS);
  const hours = Number(hoursText);
  if (!Number.isSafeInteger(hours) || hours < 1) throw new UsageError(`--trust-period-hours must be a whole number of hours >= 1, got ${hoursText}`);

  ctx.note(`asking ${servers[0]} for a recent block…`);
  const status = (await ask(servers[0]!, 'status', {})) as { sync_info: { latest_block_height: string } };
  const trustHeight = Number(status.sync_info.latest_block_height);
  if (!(trustHeight >= 1)) throw new CliError(`${servers[0]} has no block yet; try again once the chain runs`);
  const hashes = await Promise.all(servers.map(async (s) => ((await ask(s, 'block', { height: String(trustHeight) })) as { block_id: { hash: string } }).block_id.hash));
  if (new Set(hashes).size !== 1) throw new CliError(`the endpoints disagree on block ${trustHeight} (${hashes.join(' vs ')}): one of them is on another chain or lying; use endpoints you trust`);
  await configure(home, { statesync: { enable: true, rpcServers: servers, trustHeight, trustHash: hashes[0]!, trustPeriodMs: hours * 3600_000 } });
  const result = { home, rpc_servers: servers, trust_height: trustHeight, trust_hash: hashes[0]!, trust_period: `${hours}h` };
  ctx.print({
    json: result,
    text: () =>
      `${fields([
        ['home', home],
        ['rpc servers', servers.join(', ')],
        ['trust height', String(trustHeight)],
        ['trust hash', hashes[0]!],
        ['trust period', `${hours}h`],
      ])}\nstate sync is on: start the node (\`cairn start --home ${home}\`) and it restores the newest snapshot its peers serve`,
  });
}

async function ask(server: string, method: string, params: Record<string, string>): Promise<unknown> {
  try {
    return await rpcCall(server, method, params, { timeoutMs: 10_000 });
  } catch (err) {
    throw new CliError(`cannot reach ${server} (${(err as Error).message}): check the address and that the node's RPC is reachable`, { cause: err });
  }
}
