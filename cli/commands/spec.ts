// The shape of `cairn`'s command tree (table.ts puts it together; each module's commands.ts adds its
// groups), and what those groups share: the builder of a command whose module loads when it runs,
// and the arguments that several modules' commands take.
import type { ArgSpec, CommandModule, OptionSpecs } from '../context.ts';

export interface CommandSpec {
  readonly kind: 'command';
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly args?: readonly ArgSpec[];
  readonly options?: OptionSpecs;
  readonly examples?: readonly string[];
  /** Runs until stopped: SIGINT/SIGTERM abort ctx.signal instead of killing the process. */
  readonly longRunning?: boolean;
  /** Written outside this directory: its module supplies options, args and help, and may be absent. */
  readonly external?: boolean;
  readonly load: () => Promise<CommandModule>;
}

export interface CommandGroup {
  readonly kind: 'group';
  readonly name: string;
  readonly summary: string;
  readonly children: readonly CommandNode[];
}

export type CommandNode = CommandGroup | CommandSpec;

export const from: ArgSpec = { name: 'from-key', description: 'name (or address) of the signing key' };
export const validatorArg: ArgSpec = { name: 'validator', description: 'validator operator address, cairnvaloper1…' };
export const delegatorArg: ArgSpec = { name: 'delegator', description: 'delegator address, cairn1…' };

/** A command whose module is imported only when it runs; `load` gives its run function. */
export function cmd(
  name: string,
  summary: string,
  load: () => Promise<(ctx: Parameters<CommandModule['run']>[0]) => Promise<void>>,
  extra: Partial<Pick<CommandSpec, 'args' | 'options' | 'description' | 'examples'>> = {},
): CommandSpec {
  return { kind: 'command', name, summary, load: async () => ({ run: await load() }), ...extra };
}
