// How `cairn localnet up|status` and `cairn dev` show the playground (localnet/playground.ts): who
// the operators, the payer and the author are, their key names and files, and the operators' state
// on chain.
import { ADAPTER_ROYALTY_BPS, MODEL_ROYALTY_BPS, type OperatorReport, type Playground } from '../../localnet/playground.ts';
import { fields, table } from '../output.ts';

export interface PlaygroundView {
  readonly playground: Playground;
  readonly operators: readonly OperatorReport[];
  readonly escrow: { available: string; locked: string } | undefined;
}

/** The key flags that reach the playground's keys from the command line. */
export function keyFlags(p: Playground): string {
  return `--keyring-dir ${p.keyringDir} --keyring-backend test`;
}

export function playgroundJson(v: PlaygroundView): Record<string, unknown> {
  const p = v.playground;
  return {
    keyring_dir: p.keyringDir,
    model: p.model,
    adapter: p.adapter,
    author: p.author,
    payer: { ...p.payer, escrow: v.escrow ?? null },
    operators: p.operators.map((o) => ({ ...o, ...(v.operators.find((r) => r.address === o.address) ?? {}) })),
    set_up_at_height: p.setUpAtHeight ?? null,
  };
}

export function playgroundText(v: PlaygroundView): string {
  const p = v.playground;
  const pct = (bps: number): string => `${bps / 100}%`;
  return (
    `GPU operators (keys in ${p.keyringDir}/keyring-test: add \`${keyFlags(p)}\` to a tx):\n` +
    table(
      ['key', 'address', 'status', 'bond', 'GPUs', 'endpoint (none answers)', 'receipt key file'],
      p.operators.map((o) => {
        const r = v.operators.find((x) => x.address === o.address);
        return [o.key, o.address, r?.status ?? '-', r?.bond ?? '-', String(r?.gpus ?? '-'), o.endpoint, o.receiptKeyFile];
      }),
    ) +
    '\n\n' +
    fields([
      ['model', `${p.model} (royalty ${pct(MODEL_ROYALTY_BPS)} to the author)`],
      ['adapter', `${p.adapter} (on ${p.model}, royalty ${pct(ADAPTER_ROYALTY_BPS)})`],
      ['author', `${p.author.address} (key "${p.author.key}")`],
      ['payer', `${p.payer.address} (key "${p.payer.key}")`],
      ['payer key', `${p.payer.payerKey} (authorised; seed file ${p.payer.payerKeyFile})`],
      ['escrow', v.escrow === undefined ? '-' : `${v.escrow.available} available, ${v.escrow.locked} locked`],
    ])
  );
}
