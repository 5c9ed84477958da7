// `cairn explorer`: the web explorer and GPU marketplace page (node/explorer) against any node's
// REST API, served on this machine until Ctrl-C. `cairn start --explorer` and `cairn dev` serve the
// same page from the node itself.
import { createLogger } from '../../node/log.ts';
import { DEFAULT_API_PORT, parseHostPort } from '../../node/config.ts';
import { ExplorerServer } from '../../node/explorer/server.ts';
import { redact } from '../../node/indexer/psql.ts';
import { normalizeNodeUrl } from '../args.ts';
import { DEFAULT_NODE } from '../../sdk/chain.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { stringFlag } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { fields } from '../output.ts';

const DEFAULT_LISTEN = '127.0.0.1:1318';
const DEFAULT_REST = `http://127.0.0.1:${DEFAULT_API_PORT}`;

/** The REST URL: --node here names the node's REST API (app.toml [api]), not its CometBFT RPC. */
function restUrl(ctx: CommandContext): string {
  return ctx.global.node === normalizeNodeUrl(DEFAULT_NODE) ? DEFAULT_REST : ctx.global.node;
}

/** Refuses a URL that is not a Cosmos REST API (a CometBFT RPC, say) before serving a page that cannot work. */
async function checkRest(url: string): Promise<string> {
  let chainId: string | undefined;
  try {
    const r = await fetch(`${url}/cosmos/base/tendermint/v1beta1/node_info`, { signal: AbortSignal.timeout(10_000) });
    const body = (await r.json()) as { default_node_info?: { network?: string } };
    chainId = body.default_node_info?.network;
  } catch {
    chainId = undefined;
  }
  if (chainId === undefined) throw new CliError(`${url} does not answer as a node's REST API (GET /cosmos/base/tendermint/v1beta1/node_info); give --node the REST URL, app.toml [api] address, e.g. ${DEFAULT_REST}`);
  return chainId;
}

const command: CommandModule = {
  description: 'Serve the web explorer and GPU marketplace page for a node. It reads only that node\'s public REST API (--node, default http://127.0.0.1:1317); open the printed URL in a browser. Ctrl-C stops it.',
  options: {
    listen: { type: 'string', valueName: 'host:port', description: `where the page is served (default ${DEFAULT_LISTEN}); keep it on 127.0.0.1 and publish it through a reverse proxy` },
    psql: { type: 'string', valueName: 'url', description: 'read tx search and history from the PostgreSQL database of CometBFT\'s psql event sink (postgres://…) instead of the node\'s kv index' },
  },
  examples: ['cairn explorer', 'cairn explorer --node http://10.0.0.5:1317 --listen 127.0.0.1:8080', 'cairn explorer --node http://10.0.0.5:1317 --psql postgres://explorer:secret@10.0.0.6:5432/cairn'],
  async run(ctx: CommandContext) {
    let listen: { host: string; port: number };
    try {
      listen = parseHostPort(stringFlag(ctx, 'listen') ?? DEFAULT_LISTEN, '--listen');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const psql = stringFlag(ctx, 'psql');
    const rest = restUrl(ctx);
    const chainId = await checkRest(rest);
    let server: ExplorerServer;
    try {
      server = new ExplorerServer({ host: listen.host, port: listen.port, rest, logger: createLogger({ name: 'explorer' }), ...(psql === undefined ? {} : { psql: { url: psql, chainId } }) });
      await server.start();
    } catch (err) {
      throw new CliError((err as Error).message, { cause: err });
    }
    const history = psql === undefined ? `${rest} (the node's kv index)` : `PostgreSQL ${redact(psql)}`;
    ctx.print({ json: { url: server.url, rest, chain_id: chainId, tx_index: server.txIndex }, text: () => `${fields([['explorer', server.url], ['reads', `${rest} (chain ${chainId})`], ['tx history', history]])}\n\nPress Ctrl-C to stop.` });
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    await server.stop();
    ctx.note('stopped cleanly');
  },
};

export const { run, options, description, examples } = command;
