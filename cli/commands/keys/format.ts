// How keys are shown by the keys commands.
import type { CommandContext } from '../../context.ts';
import type { Keyring, KeyInfo } from '../../../sdk/keyring/keyring.ts';
import { fields } from '../../output.ts';

export function keyJson(key: KeyInfo): Record<string, unknown> {
  return {
    name: key.name,
    address: key.address,
    algo: key.algo,
    pubkey: { '@type': key.pubkeyType, key: key.pubkey },
    hdPath: key.hdPath,
  };
}

export function keyText(key: KeyInfo, keyring: Keyring): string {
  return fields([
    ['name', key.name],
    ['address', key.address],
    ['pubkey', `${key.pubkey} (${key.pubkeyType})`],
    ['algo', key.algo],
    ['hd path', key.hdPath],
    ['keyring', `${keyring.path} (${keyring.backend})`],
  ]);
}

export function warnIfTestBackend(ctx: CommandContext, keyring: Keyring): void {
  if (keyring.backend === 'test') {
    ctx.warn(`the test keyring keeps mnemonics unencrypted in ${keyring.path}; use it only for local development`);
  }
}
