import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from './context.ts';
import { passphraseProvider, readPassphraseFile } from './passphrase.ts';
import { confirm, readHidden } from './prompt.ts';
import { memoryIo } from '../test/support/cli-io.ts';

/** A terminal whose keystrokes the test types. */
function terminal(): { io: CliIo; type: (text: string) => void; stderr: () => string; rawModes: boolean[] } {
  const stdin = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (mode: boolean) => void };
  const rawModes: boolean[] = [];
  stdin.isTTY = true;
  stdin.setRawMode = (mode) => rawModes.push(mode);
  const base = memoryIo();
  return { io: { ...base, stdin }, type: (text) => stdin.write(text), stderr: () => base.stderrText(), rawModes };
}

const request = { purpose: 'unlock', keyName: 'alice', keyringPath: '/k' } as const;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-prompt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readHidden', () => {
  it('reads a line in raw mode without echoing it, honouring backspace', async () => {
    const tty = terminal();
    const answer = readHidden(tty.io, 'Secret: ');
    tty.type('hunter3\u007f2\r');
    expect(await answer).toBe('hunter2');
    expect(tty.stderr()).toBe('Secret: \n');
    expect(tty.rawModes).toEqual([true, false]);
  });

  it('cancels on Ctrl-C with exit code 130 and restores the terminal', async () => {
    const tty = terminal();
    const answer = readHidden(tty.io, 'Secret: ');
    tty.type('abc\u0003');
    await expect(answer).rejects.toMatchObject({ message: 'cancelled at the prompt; nothing was changed', exitCode: 130 });
    expect(tty.rawModes).toEqual([true, false]);
  });
});

describe('confirm', () => {
  it('counts only an explicit yes', async () => {
    for (const [typed, expected] of [['y\n', true], ['YES\n', true], ['\n', false], ['no\n', false], ['yep\n', false]] as const) {
      const io = memoryIo({ stdin: typed });
      expect(await confirm(io, 'Delete?'), typed).toBe(expected);
    }
  });
});

describe('passphrase sources', () => {
  it('reads the passphrase file without its final newline', async () => {
    const file = join(dir, 'pass');
    await writeFile(file, 'correct horse\r\n');
    expect(await readPassphraseFile(file)).toBe('correct horse');
  });

  it('refuses an empty or multi-line passphrase file and a missing one', async () => {
    const file = join(dir, 'pass');
    await writeFile(file, '\n');
    await expect(readPassphraseFile(file)).rejects.toThrow(/is empty/);
    await writeFile(file, 'one\ntwo\n');
    await expect(readPassphraseFile(file)).rejects.toThrow(/has several lines/);
    await expect(readPassphraseFile(join(dir, 'missing'))).rejects.toThrow(/cannot read the passphrase file/);
  });

  it('prefers the file over the environment, and the environment over a prompt', async () => {
    const file = join(dir, 'pass');
    await writeFile(file, 'from-file\n');
    const env = { CAIRN_KEYRING_PASSPHRASE: 'from-env' };
    expect(await passphraseProvider({ file, io: memoryIo({ env }) })(request)).toBe('from-file');
    expect(await passphraseProvider({ file: undefined, io: memoryIo({ env }) })(request)).toBe('from-env');
  });

  it('asks twice in a terminal when creating the keyring and refuses a mismatch', async () => {
    const tty = terminal();
    const provider = passphraseProvider({ file: undefined, io: tty.io });
    const answer = provider({ ...request, purpose: 'create' });
    tty.type('correct horse\r');
    // Type the second answer only once the second prompt is listening.
    while (!tty.stderr().includes('Repeat the passphrase')) await new Promise((resolve) => setImmediate(resolve));
    tty.type('correct hoarse\r');
    await expect(answer).rejects.toThrow(/the two passphrases differ; nothing was written/);
  });

  it('asks only once per invocation', async () => {
    const tty = terminal();
    const provider = passphraseProvider({ file: undefined, io: tty.io });
    const first = provider(request);
    tty.type('correct horse\r');
    expect(await first).toBe('correct horse');
    expect(await provider(request)).toBe('correct horse');
    expect(tty.stderr().match(/Passphrase for/g)).toHaveLength(1);
  });

  it('explains every source when none is available', async () => {
    await expect(passphraseProvider({ file: undefined, io: memoryIo() })(request)).rejects.toThrow(
      /needs its passphrase and stdin is not a terminal: pass --keyring-passphrase-file <file> or set CAIRN_KEYRING_PASSPHRASE \(or use --keyring-backend test on a dev chain\)/,
    );
  });
});
