// The big genesis of bench/state.ts: a bench home's genesis plus filler accounts and registered
// operators, written as text so that a million accounts take seconds, not minutes of JSON work.
import { open, readFile } from 'node:fs/promises';
import { toBech32 } from '@cosmjs/encoding';
import { moduleAddress } from '../core/framework/address.ts';
import { BONDS_ACCOUNT } from '../modules/registry/keys.ts';
import { genesisPath } from '../node/cometbft/genesis.ts';

const FILL_AMOUNT = 1_000_000n;
const OPERATOR_BOND = 100_000_000n;

/** Filler account i: a 20-byte address no key signs for, distinct from the random signers'. */
export function fillerAddress(i: number): string {
  const raw = new Uint8Array(20);
  raw.set([0x57, 0x41, 0x54, 0x45]); // a fixed tag, then the index
  new DataView(raw.buffer).setUint32(16, i);
  return toBech32('cairn', raw);
}

/**
 * The bench home's genesis plus `fill` accounts (the first `operators` of them registered
 * operators, their bonds held by the registry's bonds account). The small document is serialized
 * with a placeholder in each list and the big lists are streamed in its place as text, so a
 * million accounts cost string concatenation, not a JSON tree of a million objects.
 */
export async function writeBigGenesis(home: string, fill: number, operators: number): Promise<void> {
  const path = genesisPath(home);
  const doc = JSON.parse(await readFile(path, 'utf8')) as { app_state: Record<string, Record<string, unknown>> };
  const state = doc.app_state;
  const auth = state['auth'] as { accounts: unknown[] };
  const bank = state['bank'] as { balances: unknown[]; supply: { denom: string; amount: string }[] };
  const registry = state['registry'] as { operators?: unknown[] };
  const bonds = toBech32('cairn', moduleAddress(BONDS_ACCOUNT));
  const firstNumber = auth.accounts.length;
  const bonded = BigInt(operators) * OPERATOR_BOND;
  if (operators > 0) {
    auth.accounts.push({ '@type': '/cosmos.auth.v1beta1.BaseAccount', address: bonds, pub_key: null, account_number: String(firstNumber + fill), sequence: '0' });
    bank.balances.push({ address: bonds, coins: [{ denom: 'ucairn', amount: bonded.toString() }] });
  }
  const supply = BigInt(bank.supply.find((c) => c.denom === 'ucairn')?.amount ?? '0') + BigInt(fill) * FILL_AMOUNT + bonded;
  bank.supply = [{ denom: 'ucairn', amount: supply.toString() }];
  auth.accounts.push('@ACCOUNTS@');
  bank.balances.push('@BALANCES@');
  registry.operators = [...(registry.operators ?? []), '@OPERATORS@'];
  const text = JSON.stringify(doc);
  const addresses = Array.from({ length: fill }, (_, i) => fillerAddress(i));
  const lists: Record<string, (i: number) => string> = {
    '"@ACCOUNTS@"': (i) => `{"@type":"/cosmos.auth.v1beta1.BaseAccount","address":"${addresses[i]}","pub_key":null,"account_number":"${firstNumber + i}","sequence":"0"}`,
    '"@BALANCES@"': (i) => `{"address":"${addresses[i]}","coins":[{"denom":"ucairn","amount":"${FILL_AMOUNT}"}]}`,
    '"@OPERATORS@"': (i) => operatorJson(addresses[i]!, i),
  };
  const counts: Record<string, number> = { '"@ACCOUNTS@"': fill, '"@BALANCES@"': fill, '"@OPERATORS@"': operators };
  const file = await open(path, 'w');
  try {
    let rest = text;
    for (;;) {
      const at = Math.min(...Object.keys(lists).map((k) => (rest.indexOf(k) < 0 ? Infinity : rest.indexOf(k))));
      if (at === Infinity) break;
      const key = Object.keys(lists).find((k) => rest.startsWith(k, at))!;
      let head = rest.slice(0, at);
      const n = counts[key]!;
      // The placeholder was pushed last: drop its separating comma when its list adds nothing.
      if (n === 0 && head.endsWith(',')) head = head.slice(0, -1);
      await file.write(head);
      for (let i = 0; i < n; i += 10_000) {
        const chunk: string[] = [];
        for (let j = i; j < Math.min(n, i + 10_000); j++) chunk.push(lists[key]!(j));
        await file.write((i === 0 ? '' : ',') + chunk.join(','));
      }
      rest = rest.slice(at + key.length);
    }
    await file.write(rest);
  } finally {
    await file.close();
  }
}

function operatorJson(address: string, i: number): string {
  const key = Buffer.alloc(32, 0x5a);
  key.writeUInt32BE(i, 0);
  const operator = {
    address,
    moniker: `op-${i}`,
    endpoints: [`https://op-${i}.example.com`],
    region: 'eu-west',
    linked_hosts: [],
    receipt_key: key.toString('base64'),
    receipt_key_since: '0',
    bond: { denom: 'ucairn', amount: OPERATOR_BOND.toString() },
    status: 'OPERATOR_STATUS_ACTIVE',
    reputation: '0',
    registered_height: '0',
    jailed_until: '0',
  };
  return JSON.stringify({ operator, gpus: [], retired_receipt_keys: [], unbonding: [], serves: [], current_attestations: [] });
}
