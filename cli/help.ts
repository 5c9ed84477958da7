// Help text, built from the command table so that it cannot drift from what the parser accepts.
import { GLOBAL_OPTIONS } from './args.ts';
import type { ArgSpec, CommandModule, OptionSpecs } from './context.ts';
import type { CommandGroup, CommandNode, CommandSpec } from './commands/spec.ts';
import { allCommands } from './commands/table.ts';

export function helpFor(node: CommandNode, path: readonly string[], module?: CommandModule): string {
  return node.kind === 'group' ? groupHelp(node, path) : commandHelp(node, path, module);
}

function groupHelp(group: CommandGroup, path: readonly string[]): string {
  const prefix = ['cairn', ...path].join(' ');
  const commands = allCommands(group, []).map(({ path: sub, spec }) => [sub.join(' '), spec.summary] as const);
  const lines = [
    path.length === 0 ? group.summary : `${prefix}: ${group.summary}`,
    '',
    `Usage: ${prefix} <command> [args] [flags]`,
    '',
    'Commands:',
    ...columns(commands),
    '',
    'Global flags:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    `Run \`${prefix} <command> --help\` for the arguments and flags of a command.`,
  ];
  if (path.length === 0) {
    lines.push('Environment: CAIRN_HOME, CAIRN_NODE, CAIRN_KEYRING_PASSPHRASE, CAIRN_DEBUG=1 (stack traces on errors).');
  }
  return `${lines.join('\n')}\n`;
}

function commandHelp(spec: CommandSpec, path: readonly string[], module?: CommandModule): string {
  const args: readonly ArgSpec[] | undefined = spec.args ?? module?.args;
  const options: OptionSpecs = { ...(module?.options ?? {}), ...(spec.options ?? {}) };
  const description = spec.description ?? module?.description;
  const examples = spec.examples ?? module?.examples ?? [];
  const argText = (args ?? []).map((arg) => ` ${argLabel(arg)}`).join('');
  const lines = [`cairn ${path.join(' ')}: ${spec.summary}`, '', `Usage: cairn ${path.join(' ')}${argText} [flags]`];
  if (description !== undefined) lines.push('', description);
  if (args !== undefined && args.length > 0) {
    const shown = args.map((arg) => [argLabel(arg), arg.description] as const);
    lines.push('', 'Arguments:', ...columns(shown));
  }
  if (Object.keys(options).length > 0) lines.push('', 'Flags:', ...optionLines(options));
  lines.push('', 'Global flags:', ...optionLines(GLOBAL_OPTIONS));
  if (examples.length > 0) lines.push('', 'Examples:', ...examples.map((example) => `  ${example}`));
  return `${lines.join('\n')}\n`;
}

function optionLines(options: OptionSpecs): string[] {
  return columns(
    Object.entries(options).map(([name, spec]) => {
      const flag = `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}`;
      const value = spec.type === 'string' ? ` <${spec.valueName ?? 'value'}>` : '';
      return [`${flag}${value}`, spec.description] as const;
    }),
  );
}

function columns(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** `<name>`, `[name]`, or with `...` for an argument that takes the rest. */
function argLabel(arg: ArgSpec): string {
  const name = `${arg.name}${arg.variadic === true ? '...' : ''}`;
  return arg.optional === true ? `[${name}]` : `<${name}>`;
}
