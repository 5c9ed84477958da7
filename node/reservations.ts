// Machine-wide reservations that concurrent processes on one machine cannot both hold: a reservation
// is a file <dir>/<name> holding the reserving process's pid, created exclusively. It lasts as long
// as that process (one left by a dead process is taken over, so a crash never leaks it) or until it
// is released. Used for loopback ports (node/cometbft/ports.ts) and for the machine-wide slots
// every test file holds while it runs (test/support/machine-slots.ts).
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.#mine.add(name);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (readErr) {
          // Released between our open and this read: try the open again.
          if ((readErr as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw readErr;
        }
        const holder = Number(text.trim() || 'NaN');
        if (Number.isInteger(holder) && alive(holder)) return false;
        try {
          unlinkSync(file); // the holder is gone: take it over
        } catch {
          return false;
        }
      }
    }
    return false;
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
