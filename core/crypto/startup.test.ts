// Every validator must verify with the same library, so a node whose libsecp256k1 addon is
// missing or wrong must refuse to start instead of quietly using another verifier. Each case runs
// a fresh Node process whose module hooks take the addon away or swap in a broken one.

import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const moduleUrl = new URL('./secp256k1.ts', import.meta.url).href;
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-crypto-startup-'));
  writeFileSync(join(dir, 'accepts-everything.cjs'), 'module.exports = { ecdsaVerify: () => true };\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Imports secp256k1.ts in a child Node whose resolve hook handles `secp256k1/bindings.js` with `body`. */
function importWithHook(name: string, body: string): { status: number | null; stderr: string } {
  const hook = join(dir, `${name}.mjs`);
  writeFileSync(
    hook,
    `import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'secp256k1/bindings.js') { ${body} }
    return nextResolve(specifier, context);
  },
});
`,
  );
  const child = spawnSync(
    process.execPath,
    ['--import', pathToFileURL(hook).href, '--input-type=module', '-e', `await import(${JSON.stringify(moduleUrl)});`],
    { encoding: 'utf8', timeout: 30_000 },
  );
  return { status: child.status, stderr: child.stderr };
}

describe('loading the secp256k1 verifier', () => {
  it('loads normally when the addon is there', () => {
    const { status, stderr } = importWithHook('untouched', '');
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('stops the process with NativeSecp256k1UnavailableError when the native addon is missing', () => {
    const { status, stderr } = importWithHook('missing', "throw new Error('no prebuild for this platform');");
    expect(status).not.toBe(0);
    expect(stderr).toContain('NativeSecp256k1UnavailableError');
    expect(stderr).toContain('no prebuild for this platform');
  });

  it('stops the process with Secp256k1SelfTestError when the addon accepts a high-S signature', () => {
    const fake = pathToFileURL(join(dir, 'accepts-everything.cjs')).href;
    const { status, stderr } = importWithHook('broken', `return { url: ${JSON.stringify(fake)}, format: 'commonjs', shortCircuit: true };`);
    expect(status).not.toBe(0);
    expect(stderr).toContain('Secp256k1SelfTestError');
  });
});
