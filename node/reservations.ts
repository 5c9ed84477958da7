// Machine-wide reservations that concurrent processes on one machine cannot both hold: a reservation
// is a file <dir>/<name> holding the reserving process's pid, created exclusively. It lasts as long
// as that process (one left by a dead process is taken over, so a crash never leaks it) or until it
// is released. Used for loopback ports (node/cometbft/ports.ts) and for the machine-wide slots
// every test file holds while it runs (test/support/machine-slots.ts).
import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a reservation file and the file's inode; undefined once it is gone. */
function readHolder(file: string): { pid: number; ino: number } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const text = readFileSync(fd, 'utf8');
    return { pid: Number(text.trim() || 'NaN'), ino: fstatSync(fd).ino };
  } finally {
    closeSync(fd);
  }
}

/**
 * Unlinks `file` if it is still the inode that was read; false if it is gone or another file took the
 * name. (A taker that replaces it between the check and the unlink, microseconds, would lose its
 * reservation: that needs a dead holder and two takers of its name at that instant.)
 */
function unlinkIfSame(file: string, ino: number): boolean {
  try {
    if (statSync(file).ino !== ino) return false;
    unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}

export class Reservations {
  readonly dir: string;
  readonly #mine = new Set<string>();

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    // Released at exit; a SIGKILLed process leaves its files behind, and they are taken over.
    process.once('exit', () => {
      for (const name of [...this.#mine]) this.release(name);
    });
  }

  /** Claims `name` for this process unless a live process (this one included) holds it. */
  take(name: string): boolean {
    const file = join(this.dir, name);
    for (let attempt = 0; attempt < 2; attempt++) {
      const held = readHolder(file);
      if (held !== undefined) {
        if (Number.isInteger(held.pid) && alive(held.pid)) return false;
        // Left by a dead process: remove that file (not one another taker put there since).
        if (!unlinkIfSame(file, held.ino)) return false;
      }
      if (this.#create(name, file)) {
        this.#mine.add(name);
        return true;
      }
      // Another process created it first: see who holds it now.
    }
    return false;
  }

  /**
   * Creates `file` with our pid in it, whole, unless it exists: the pid is written to a draft of our
   * own, which is then linked under the name (the link fails if the name exists). Created empty and
   * written after, a reservation read in between looked like one left by a dead process and was taken
   * over: both held it.
   */
  #create(name: string, file: string): boolean {
    const draft = join(this.dir, `.${name}.${process.pid}`);
    writeFileSync(draft, String(process.pid));
    try {
      linkSync(draft, file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      rmSync(draft, { force: true });
    }
  }

  release(name: string): void {
    this.#mine.delete(name);
    try {
      unlinkSync(join(this.dir, name));
    } catch {
      // already gone
    }
  }
}
