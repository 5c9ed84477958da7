// The watcher's ed25519 verifier process (ed25519-verifier/main.go, built by `npm run setup` into
// .tools/bin): jobs in verify-pool.ts's packed layout go to its stdin, answers come back on its
// stdout, both framed as [u32 id][u32 length][bytes]. It verifies ~35 % cheaper than libsodium
// (bench/README.md, "Twelfth round", 34); the pool asks OpenSSL about everything it refuses.
//
// Not consensus code. A process that is missing, dies or answers out of turn costs speed, never an
// answer: run() then resolves undefined and the pool verifies the job on its threads.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolsBinDir } from '../cometbft/binary.ts';

/** The binary's name carries its protocol's version: a change to main.go's framing gets a new name. */
export const VERIFIER_BINARY_NAME = 'cairn-ed25519-1';
const SOURCE_DIR = fileURLToPath(new URL('./ed25519-verifier/', import.meta.url));
const MALFORMED = 0xffffffff;

export function verifierBinary(): string {
  return join(toolsBinDir(), VERIFIER_BINARY_NAME);
}

/** Whether the binary is there and newer than every file it is built from. */
function upToDate(binary: string): boolean {
  if (!existsSync(binary)) return false;
  const built = statSync(binary).mtimeMs;
  return ['main.go', 'go.mod', 'go.sum'].every((f) => statSync(join(SOURCE_DIR, f)).mtimeMs <= built);
}

/**
 * Builds the verifier into .tools/bin with `go build` when it is missing or older than its source (Go
 * is already needed for CometBFT). When it cannot, it says so in a line for the user and the watcher
 * verifies on worker threads alone.
 */
export async function ensureVerifierBinary(log: (line: string) => void, go = 'go'): Promise<void> {
  const binary = verifierBinary();
  if (upToDate(binary)) return;
  log('building the watcher’s ed25519 verifier (go build, a few seconds)…');
  return new Promise((resolve) => {
    execFile(go, ['build', '-trimpath', '-o', binary, '.'], { cwd: SOURCE_DIR, timeout: 5 * 60_000 }, (error, _out, stderr) => {
      if (error === null) return resolve();
      log(`could not build the watcher’s ed25519 verifier (${error.message.split('\n')[0]}${stderr === '' ? '' : `; ${stderr.trim().split('\n').slice(-3).join(' ')}`}); the watcher will verify on worker threads only, ~20 % slower. Run \`npm run setup\` again once \`go build\` works in ${SOURCE_DIR}.`);
      resolve();
    });
  });
}

export class VerifierProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (answer: Uint8Array | undefined) => void>();
  #buffered: Buffer = Buffer.alloc(0);
  #nextId = 0;
  #alive = true;

  /** Starts the binary at `binary`; undefined when there is none. */
  static start(binary: string = verifierBinary()): VerifierProcess | undefined {
    return existsSync(binary) ? new VerifierProcess(binary) : undefined;
  }

  private constructor(binary: string) {
    this.#child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.#child.on('error', () => this.#fail());
    this.#child.on('exit', () => this.#fail());
    this.#child.stdin!.on('error', () => this.#fail());
    this.#child.stdout!.on('data', (chunk: Buffer) => this.#receive(chunk));
    // The process and its pipes keep the event loop alive only while a job waits for its answer.
    this.#child.unref();
    this.#pipes(false);
  }

  #pipes(ref: boolean): void {
    for (const pipe of [this.#child.stdin, this.#child.stdout] as unknown as { ref?: () => void; unref?: () => void }[]) {
      if (ref) pipe.ref?.();
      else pipe.unref?.();
    }
  }

  get alive(): boolean {
    return this.#alive;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** One byte per check, 1 = verified; undefined when the job was malformed or the process is gone. */
  run(packed: Uint8Array): Promise<Uint8Array | undefined> {
    if (!this.#alive) return Promise.resolve(undefined);
    const id = this.#nextId++ >>> 0;
    const header = Buffer.allocUnsafe(8);
    header.writeUInt32BE(id, 0);
    header.writeUInt32BE(packed.length, 4);
    return new Promise((resolve) => {
      if (this.#pending.size === 0) this.#pipes(true);
      this.#pending.set(id, resolve);
      this.#child.stdin!.write(header);
      this.#child.stdin!.write(packed);
    });
  }

  /** Stops it; what is still pending is answered with undefined. */
  close(): void {
    this.#fail();
  }

  /** As a crash would (tests). */
  kill(): void {
    this.#child.kill('SIGKILL');
  }

  #receive(chunk: Buffer): void {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    while (this.#buffered.length >= 8) {
      const id = this.#buffered.readUInt32BE(0);
      const size = this.#buffered.readUInt32BE(4);
      const body = size === MALFORMED ? 0 : size;
      if (this.#buffered.length < 8 + body) return;
      const answer = size === MALFORMED ? undefined : Uint8Array.from(this.#buffered.subarray(8, 8 + body));
      this.#buffered = this.#buffered.subarray(8 + body);
      const resolve = this.#pending.get(id);
      if (resolve === undefined) return this.#fail(); // out of turn: stop trusting it
      this.#pending.delete(id);
      if (this.#pending.size === 0) this.#pipes(false);
      resolve(answer);
    }
  }

  #fail(): void {
    if (this.#alive) this.#child.kill();
    this.#alive = false;
    for (const resolve of this.#pending.values()) resolve(undefined);
    this.#pending.clear();
    this.#pipes(false);
  }
}
