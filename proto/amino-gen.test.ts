import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTPUT, generateAmino } from '../scripts/gen-amino.ts';

describe('the generated amino fields of Cairn messages', () => {
  it('match the .proto descriptors (run npm run proto after changing a message)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(generateAmino());
  });
});
