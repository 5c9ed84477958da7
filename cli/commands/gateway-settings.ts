// The settings of `cairn operator serve` and `cairn payer serve`: each flag given, else its key in the
// home's app.toml ([operator-gateway], [payer-gateway]; node/gateway/config.ts), else that key's
// default. Each setting carries its source, so an error names the flag or the key that was wrong.
import { readFile } from 'node:fs/promises';
import { appConfigPath, parseHostPort } from '../../node/config.ts';
import { type GatewayConfig, GatewayConfigError, type GatewaySection, type Setting, parseGatewayConfig } from '../../node/gateway/config.ts';
import { type Coin, parseCoin, parseGasPrice } from '../amount.ts';
import type { CommandContext, GlobalOptions } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';

export class GatewaySettings {
  readonly #flags: CommandContext['flags'];
  readonly #config: GatewayConfig;

  constructor(flags: CommandContext['flags'], config: GatewayConfig) {
    this.#flags = flags;
    this.#config = config;
  }

  /** The flag's value, else its key's; undefined when neither sets it. */
  get(flag: string): Setting<string> | undefined {
    const v = this.#flags[flag];
    if (typeof v === 'string') return { value: v, what: `--${flag}` };
    return this.#config.strings.get(flag);
  }

  /** The value, or a usage error naming both the flag and the key. */
  required(flag: string, hint: string): Setting<string> {
    const s = this.get(flag);
    if (s === undefined || s.value === '') throw new UsageError(`--${flag} is required (or ${this.#keyOf(flag)} in app.toml [${this.#config.section}]): ${hint}`);
    return s;
  }

  /** A repeatable flag's values when given (they replace the key's list), else the key's list. */
  list(flag: string): Setting<readonly string[]> {
    const v = this.#flags[flag];
    const given = (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).filter((x): x is string => typeof x === 'string');
    if (given.length > 0) return { value: given, what: `--${flag}` };
    return this.#config.lists.get(flag) ?? { value: [], what: `--${flag}` };
  }

  /** A whole number >= min (the flag's or the key's). */
  int(flag: string, min: number): number {
    const s = this.required(flag, `a whole number >= ${min}`);
    if (!/^[0-9]{1,9}$/.test(s.value) || Number(s.value) < min) throw new UsageError(`${s.what} must be a whole number >= ${min}, got "${s.value}"`);
    return Number(s.value);
  }

  /** host:port (port 0: any free port). */
  hostPort(flag: string): { host: string; port: number } {
    const s = this.required(flag, 'host:port, e.g. 127.0.0.1:8480');
    try {
      return parseHostPort(s.value, s.what);
    } catch (e) {
      throw new UsageError((e as Error).message, { cause: e });
    }
  }

  /** A coin, e.g. 10000000ucairn; undefined when not set (a usage error if `required`). */
  coin(flag: string, required: true): Coin;
  coin(flag: string, required?: boolean): Coin | undefined;
  coin(flag: string, required = false): Coin | undefined {
    const s = required ? this.required(flag, 'a coin, e.g. 10000000ucairn') : this.get(flag);
    return s === undefined ? undefined : parseCoin(s.value, { what: s.what });
  }

  /** A gas price, e.g. 0.025ucairn (the flag's or the key's). */
  gasPrice(flag: string): string {
    const s = this.required(flag, 'a price per gas, e.g. 0.025ucairn');
    try {
      return parseGasPrice(s.value);
    } catch (e) {
      throw new UsageError(`${s.what}: ${(e as Error).message}`, { cause: e });
    }
  }

  #keyOf(flag: string): string {
    const list = this.#config.lists.get(flag);
    return list === undefined ? flag : list.what.slice(list.what.lastIndexOf(' ') + 1);
  }
}

/** The command's settings over `section` of <home>/config/app.toml (all defaults when there is none). */
export async function gatewaySettings(ctx: { readonly flags: CommandContext['flags']; readonly global: Pick<GlobalOptions, 'home'> }, section: GatewaySection): Promise<GatewaySettings> {
  const path = appConfigPath(ctx.global.home);
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return new GatewaySettings(ctx.flags, parseGatewayConfig(text, section, ctx.global.home));
  } catch (e) {
    if (e instanceof GatewayConfigError) throw new UsageError(`${e.message} (${path})`, { cause: e });
    throw e;
  }
}
