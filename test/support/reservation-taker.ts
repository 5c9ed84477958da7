// A process that takes and releases one reservation over and over for `ms` milliseconds (node/reservations.test.ts).
// While it holds the reservation it writes its pid to a shared `owner` file and reads it back a
// moment later: another pid there means two processes held the reservation at once. Prints
// {"takes": n, "overlaps": n}.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Reservations } from '../../node/reservations.ts';

const [dir, ms] = process.argv.slice(2) as [string, string];
const reservations = new Reservations(dir);
const owner = join(dir, 'owner');
let takes = 0;
let overlaps = 0;
const end = Date.now() + Number(ms);
while (Date.now() < end) {
  if (!reservations.take('x')) continue;
  takes++;
  writeFileSync(owner, String(process.pid));
  const held = performance.now();
  while (performance.now() - held < 0.05); // hold it for 50 µs
  if (readFileSync(owner, 'utf8') !== String(process.pid)) overlaps++;
  reservations.release('x');
}
console.log(JSON.stringify({ takes, overlaps }));
