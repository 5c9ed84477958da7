// Printing results: a readable layout by default, exact JSON with --output json.
import type { OutputFormat, Printable } from './context.ts';

/** JSON for scripts: bigints become decimal strings, byte arrays upper-case hex. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (typeof item === 'bigint') return item.toString();
      if (item instanceof Uint8Array) return Buffer.from(item).toString('hex').toUpperCase();
      return item;
    },
    2,
  );
}

export function render(result: Printable, format: OutputFormat): string {
  if (format === 'json') return `${toJson(result.json)}\n`;
  const text = typeof result.text === 'function' ? result.text() : result.text;
  return text.endsWith('\n') || text === '' ? text : `${text}\n`;
}

/** `label: value` lines with the values aligned. */
export function fields(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(0, ...rows.map(([label]) => label.length + 1));
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}`).join('\n');
}

/** A plain column table with a header row. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
