// Ed25519 verification off the main thread, for the watcher: a batch's 2 × 10,000 signatures are
// verified on the machine's other cores while the node's main thread goes on serving blocks. Jobs
// are packed into one buffer. With a verifier process (verifier-process.ts) they go to it first and
// only what it refuses, or could not answer, to the worker threads; a worker that fails or dies is
// replaced and its job is verified again by the next worker, so a bad input can cost a retry, never
// an answer.
//
// Not consensus code: the chain verifies again whatever the watcher submits.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ED25519_KEY_LENGTH, ED25519_SIGNATURE_LENGTH } from '../../sdk/ed25519.ts';
import { verifyEd25519Fast } from './fast-ed25519.ts';
import { VerifierProcess } from './verifier-process.ts';

export interface SignatureCheck {
  readonly key: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** Packs checks as [u32 count] then per check [32 key][64 signature][u32 length][message]. */
export function packChecks(checks: readonly SignatureCheck[]): Uint8Array {
  let size = 4;
  for (const c of checks) size += ED25519_KEY_LENGTH + ED25519_SIGNATURE_LENGTH + 4 + c.message.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, checks.length);
  let o = 4;
  for (const c of checks) {
    out.set(c.key, o);
    out.set(c.signature, o + ED25519_KEY_LENGTH);
    o += ED25519_KEY_LENGTH + ED25519_SIGNATURE_LENGTH;
    view.setUint32(o, c.message.length);
    out.set(c.message, o + 4);
    o += 4 + c.message.length;
  }
  return out;
}

/** The checks of a packed job, as views into it; throws RangeError on a buffer that is not packChecks' output. */
export function unpackChecks(packed: Uint8Array): SignatureCheck[] {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (packed.length < 4) throw new RangeError('a packed job has a 4-byte count');
  const count = view.getUint32(0);
  if (count > packed.length) throw new RangeError(`check 0 runs past the end`);
  const checks: SignatureCheck[] = [];
  let o = 4;
  for (let i = 0; i < count; i++) {
    if (o + ED25519_KEY_LENGTH + ED25519_SIGNATURE_LENGTH + 4 > packed.length) throw new RangeError(`check ${i} runs past the end`);
    const key = packed.subarray(o, o + ED25519_KEY_LENGTH);
    const signature = packed.subarray(o + ED25519_KEY_LENGTH, o + ED25519_KEY_LENGTH + ED25519_SIGNATURE_LENGTH);
    o += ED25519_KEY_LENGTH + ED25519_SIGNATURE_LENGTH;
    const n = view.getUint32(o);
    if (o + 4 + n > packed.length) throw new RangeError(`check ${i}'s message runs past the end`);
    checks.push({ key, message: packed.subarray(o + 4, o + 4 + n), signature });
    o += 4 + n;
  }
  if (o !== packed.length) throw new RangeError('bytes after the last check');
  return checks;
}

/** Verifies packed checks; throws RangeError on a buffer that is not packChecks' output. */
export function verifyPacked(packed: Uint8Array): Uint8Array {
  const checks = unpackChecks(packed);
  const out = new Uint8Array(checks.length);
  for (let i = 0; i < checks.length; i++) out[i] = verifyEd25519Fast(checks[i]!.key, checks[i]!.message, checks[i]!.signature) ? 1 : 0;
  return out;
}

// The worker's whole program: answer each packed job with its results, or with the error.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(({ verifyPacked }) => {
  parentPort.on('message', ({ id, packed }) => {
    try {
      const results = verifyPacked(new Uint8Array(packed));
      parentPort.postMessage({ id, results }, [results.buffer]);
    } catch (e) {
      parentPort.postMessage({ id, error: String(e && e.message || e) });
    }
  });
  parentPort.postMessage({ ready: true });
});
`;

interface Job {
  readonly id: number;
  readonly packed: Uint8Array;
  readonly resolve: (r: Uint8Array) => void;
  readonly reject: (e: Error) => void;
  tries: number;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

export class VerifyPoolClosedError extends Error {
  override readonly name = 'VerifyPoolClosedError';
}

export interface VerifyPoolOptions {
  /** Worker threads; default one per core. 0 verifies on the calling thread. */
  readonly threads?: number;
  /** Checks sent to a worker at a time. */
  readonly chunk?: number;
  /**
   * The verifier process's binary (verifier-process.ts): jobs go to it first, and only the checks it
   * refuses, or a job it could not answer, to the threads. Default none: threads alone.
   */
  readonly process?: string;
}

export class VerifyPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  readonly #chunk: number;
  readonly #threads: number;
  #nextId = 0;
  #closed = false;
  /** Workers replaced after failing (for tests and metrics). */
  replaced = 0;

  readonly #processBinary: string | undefined;
  #process: VerifierProcess | undefined;
  /** Times the verifier process failed a job (missing answer, dead process); the threads answered it. */
  processFailures = 0;

  constructor(opts: VerifyPoolOptions = {}) {
    this.#chunk = opts.chunk ?? 512;
    this.#threads = opts.threads ?? availableParallelism();
    this.#processBinary = opts.process;
  }

  /** The verifier process's pid once a job started it, while it serves (benches read its CPU). */
  get processPid(): number | undefined {
    return this.#process?.alive === true ? this.#process.pid : undefined;
  }

  get threads(): number {
    return this.#threads;
  }

  /** Whether each check's signature verifies; a malformed key or signature is simply false. */
  async verify(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    if (this.#closed) throw new VerifyPoolClosedError('the verify pool is closed');
    const out = new Array<boolean>(checks.length).fill(false);
    // Only well-formed checks travel; the others are false already.
    const index: number[] = [];
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i]!;
      if (c.key.length === ED25519_KEY_LENGTH && c.signature.length === ED25519_SIGNATURE_LENGTH) index.push(i);
    }
    const parts: Promise<void>[] = [];
    for (let start = 0; start < index.length; start += this.#chunk) {
      const slice = index.slice(start, start + this.#chunk);
      const packed = packChecks(slice.map((i) => checks[i]!));
      parts.push(
        this.#run(packed).then((results) => {
          for (let k = 0; k < slice.length; k++) out[slice[k]!] = results[k] === 1;
        }),
      );
    }
    await Promise.all(parts);
    return out;
  }

  /** Stops the workers; verify() calls still waiting are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#process?.close();
    for (const job of this.#queue.splice(0)) job.reject(new VerifyPoolClosedError('the verify pool is closed'));
    await Promise.all(
      this.#slots.splice(0).map(async (s) => {
        s.job?.reject(new VerifyPoolClosedError('the verify pool is closed'));
        await s.worker.terminate();
      }),
    );
  }

  /** Sends raw bytes to a worker as a job (tests: what a garbage job does to the pool). */
  runRaw(packed: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(new VerifyPoolClosedError('the verify pool is closed'));
    return this.#run(packed);
  }

  /** Kills a worker as a crash would (tests). */
  async crashOne(): Promise<void> {
    await this.#slots[0]?.worker.terminate();
  }

  /** Kills the verifier process as a crash would (tests). */
  crashProcess(): void {
    this.#process?.kill();
  }

  #verifierProcess(): VerifierProcess | undefined {
    if (this.#process === undefined && this.#processBinary !== undefined) this.#process = VerifierProcess.start(this.#processBinary);
    return this.#process?.alive === true ? this.#process : undefined;
  }

  /**
   * The process's answers where it verified a signature; the threads' (libsodium, then OpenSSL, the
   * chain's verifier) for every check it refused and for a whole job it could not answer.
   */
  async #run(packed: Uint8Array): Promise<Uint8Array> {
    const process = this.#verifierProcess();
    if (process === undefined) return this.#runThreads(packed);
    const answers = await process.run(packed);
    const count = packed.length >= 4 ? new DataView(packed.buffer, packed.byteOffset).getUint32(0) : -1;
    if (answers === undefined || answers.length !== count) {
      if (answers !== undefined || !process.alive) this.processFailures++;
      return this.#runThreads(packed);
    }
    const refused: number[] = [];
    for (let i = 0; i < answers.length; i++) if (answers[i] !== 1) refused.push(i);
    if (refused.length === 0) return answers;
    const checks = unpackChecks(packed);
    const second = await this.#runThreads(packChecks(refused.map((i) => checks[i]!)));
    refused.forEach((i, k) => (answers[i] = second[k]!));
    return answers;
  }

  #runThreads(packed: Uint8Array): Promise<Uint8Array> {
    if (this.#threads === 0) {
      try {
        return Promise.resolve(verifyPacked(packed));
      } catch (e) {
        return Promise.reject(new RangeError(`verification job refused: ${(e as Error).message}`));
      }
    }
    // Workers start with the first job: a node with nothing to watch keeps no isolates around.
    while (this.#slots.length < this.#threads) this.#slots.push({ worker: this.#spawn(), job: undefined });
    return new Promise<Uint8Array>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, packed, resolve, reject, tries: 0 });
      this.#pump();
    });
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (slot.job !== undefined) continue;
      const job = this.#queue.shift();
      if (job === undefined) return;
      slot.job = job;
      job.tries++;
      // A copy travels, moved rather than cloned again (the caller's buffer stays usable for a retry).
      const copy = job.packed.slice().buffer;
      slot.worker.postMessage({ id: job.id, packed: copy }, [copy]);
    }
  }

  #spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: new URL(import.meta.url).href } });
    worker.unref();
    worker.on('message', (m: { id?: number; results?: Uint8Array; error?: string; ready?: boolean }) => {
      const slot = this.#slots.find((s) => s.worker === worker);
      if (slot === undefined || m.ready === true) return;
      const job = slot.job;
      if (job === undefined || job.id !== m.id) return;
      slot.job = undefined;
      if (m.error !== undefined) job.reject(new RangeError(`verification job refused: ${m.error}`));
      else job.resolve(m.results!);
      this.#pump();
    });
    const replace = (): void => {
      const slot = this.#slots.find((s) => s.worker === worker);
      if (slot === undefined || this.#closed) return;
      this.replaced++;
      const job = slot.job;
      slot.job = undefined;
      slot.worker = this.#spawn();
      // The job a dying worker held goes back to the front, once more at most.
      if (job !== undefined) {
        if (job.tries < 2) this.#queue.unshift(job);
        else job.reject(new RangeError('verification job failed twice'));
      }
      this.#pump();
    };
    worker.on('error', replace);
    worker.on('exit', replace);
    return worker;
  }
}
