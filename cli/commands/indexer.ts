// `cairn indexer psql --conn <url>`: turns on CometBFT's PostgreSQL event sink for a node home:
// creates the sink's tables in that database (node/indexer/psql-schema.sql, idempotent), sets
// config.toml [tx_index] indexer = "psql" and psql-conn, and app.toml [explorer] psql, so the
// explorer's search and history read PostgreSQL. `cairn indexer kv` goes back to CometBFT's kv index.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { POSTGRES_URL, configPath, configure } from '../../node/cometbft/config.ts';
import { readTomlValue } from '../../node/cometbft/toml.ts';
import { appConfigPath, editAppConfig } from '../../node/config.ts';
import { applyPsqlSchema, redact } from '../../node/indexer/psql.ts';
import type { CommandContext } from '../context.ts';
import { booleanFlag, stringFlag } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { fields } from '../output.ts';

function checkHome(home: string): void {
  if (!existsSync(configPath(home)) || !existsSync(appConfigPath(home))) throw new CliError(`${home} is not a node home (no config/config.toml and app.toml): run \`cairn init\` first, or give --home`);
}

/** Sets app.toml [explorer] psql (added to a home made before the key existed). */
async function setExplorerPsql(home: string, value: string): Promise<void> {
  if (value === '' && readTomlValue(await readFile(appConfigPath(home), 'utf8'), 'explorer', 'psql') === undefined) return;
  await editAppConfig(home, [{ section: 'explorer', key: 'psql', value, addIfMissing: true }]);
}

export async function psql(ctx: CommandContext): Promise<void> {
  const conn = stringFlag(ctx, 'conn');
  if (conn === undefined) throw new UsageError('give the database: --conn postgres://user:password@host:5432/database?sslmode=disable');
  if (!POSTGRES_URL.test(conn)) throw new UsageError(`--conn must be a postgres:// URL, got ${JSON.stringify(redact(conn))}`);
  const explorer = stringFlag(ctx, 'explorer-conn') ?? conn;
  if (!POSTGRES_URL.test(explorer)) throw new UsageError(`--explorer-conn must be a postgres:// URL, got ${JSON.stringify(redact(explorer))}`);
  const schemaOnly = booleanFlag(ctx, 'schema-only');
  const home = ctx.global.home;
  if (!schemaOnly) checkHome(home);
  ctx.note(`creating the event sink's tables in ${redact(conn)}…`);
  try {
    await applyPsqlSchema(conn);
  } catch (err) {
    throw new CliError(`${(err as Error).message}. Check that PostgreSQL runs, the database exists and the user may create tables in it`, { cause: err });
  }
  if (!schemaOnly) {
    await configure(home, { txIndex: { indexer: 'psql', psqlConn: conn } });
    await setExplorerPsql(home, explorer);
  }
  ctx.print({
    json: { database: redact(conn), schema: 'applied', home: schemaOnly ? null : home, indexer: schemaOnly ? null : 'psql' },
    text: () =>
      `${fields([
        ['database', redact(conn)],
        ['schema', 'applied (tables blocks, tx_results, events, attributes; views event_attributes, block_events, tx_events)'],
        ...(schemaOnly ? [] : ([['home', home], ['config.toml', '[tx_index] indexer = "psql", psql-conn set'], ['app.toml', `[explorer] psql = ${redact(explorer)}`]] as [string, string][])),
      ])}\n${schemaOnly ? '' : 'restart the node to index into PostgreSQL. Its RPC then cannot look txs up (tx, tx_search): see the validator guide, "A public explorer with PostgreSQL"'}`,
  });
}

export async function kv(ctx: CommandContext): Promise<void> {
  const home = ctx.global.home;
  checkHome(home);
  await configure(home, { txIndex: { indexer: 'kv', psqlConn: '' } });
  await setExplorerPsql(home, '');
  ctx.print({ json: { home, indexer: 'kv' }, text: () => `${fields([['home', home], ['indexer', 'kv']])}\nrestart the node; txs indexed while psql was on are not in the kv index (cometbft reindex-event can rebuild it)` });
}
