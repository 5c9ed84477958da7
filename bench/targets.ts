// Issue 18's targets. Every bench script that measures one ends with a `| figure | value | target |
// met? |` table; `npm run bench` (run.ts) runs them and gathers the rows that name a target into one
// table at its end, so a single command prints each figure beside its target.

export type TargetRow = readonly [figure: string, value: string, target: string, met: string];

const HEAD = '| figure | value | target | met? |';

/** The met? cell: empty when the figure has no target or could not be judged. */
export function metCell(met: boolean | undefined): string {
  return met === undefined ? '' : met ? 'yes' : '**no**';
}

export function targetTable(rows: readonly TargetRow[]): string {
  return [HEAD, '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The rows with a target from every figure | value | target | met? table in a script's output. */
export function targetRows(output: string): TargetRow[] {
  const rows: TargetRow[] = [];
  let inTable = false;
  for (const line of output.split('\n')) {
    if (line.trim() === HEAD) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    if (!line.startsWith('|')) {
      inTable = false;
      continue;
    }
    const cells = line.slice(1, -1).split(' | ').map((c) => c.trim());
    if (cells.length === 4 && cells[2] !== '') rows.push(cells as unknown as TargetRow);
  }
  return rows;
}
