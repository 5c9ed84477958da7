import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressCodec } from '../../core/framework/address.ts';
import * as E from './errors.ts';
import { checkSpdxId } from './spdx.ts';
import { checkContentHash, checkEndpoints, checkHttpsUrl, checkModelId, checkRoyalty } from './validate.ts';

const codec = new AddressCodec('cairn');
const addr = (i: number) => codec.encode(new Uint8Array(20).fill(i + 1));

describe('checkRoyalty', () => {
  it('accepts exactly the recipient lists whose weights add up to 10000', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 }), (weights) => {
        const recipients = weights.map((weightBps, i) => ({ address: addr(i), weightBps }));
        const sum = weights.reduce((a, b) => a + b, 0);
        if (sum === 10_000) expect(() => checkRoyalty(100, recipients, codec)).not.toThrow();
        else expect(() => checkRoyalty(100, recipients, codec)).toThrow(E.ErrInvalidRecipients.description);
      }),
    );
  });
});

describe('https endpoints', () => {
  it('accept https URLs with a host, path, port and query', () => {
    expect(() => checkEndpoints(['https://gpu.example.com', 'https://10.0.0.1:8443/v1/chat?x=1'])).not.toThrow();
  });

  it('refuse anything that does not parse as an https URL', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        let ok = true;
        try {
          checkHttpsUrl(s, E.ErrInvalidEndpoint, 'endpoint');
        } catch (e) {
          expect(E.ErrInvalidEndpoint.is(e)).toBe(true);
          ok = false;
        }
        if (ok) expect(new URL(s).protocol).toBe('https:');
      }),
    );
  });
});

describe('ids, hashes and licenses', () => {
  it('accept slug model ids and refuse the rest', () => {
    for (const id of ['llama-3.1-8b', 'meta/llama_3', 'a', 'x1.2/y-3']) expect(() => checkModelId(id, 'id')).not.toThrow();
    for (const id of ['', 'A', 'a b', 'a//b', '/a', 'a/', 'é']) expect(() => checkModelId(id, 'id')).toThrow(E.ErrInvalidModelId.description);
  });

  it('accept sha256 hashes and IPFS CIDs as content hashes', () => {
    expect(() => checkContentHash(`sha256:${'ab'.repeat(32)}`)).not.toThrow();
    expect(() => checkContentHash('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi')).not.toThrow();
    expect(() => checkContentHash('QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG')).not.toThrow();
    expect(() => checkContentHash(`sha256:${'AB'.repeat(32)}`)).toThrow(E.ErrInvalidContentHash.description);
  });

  it('accept listed SPDX ids exactly and LicenseRef- names, and suggest the canonical case', () => {
    expect(checkSpdxId('Apache-2.0')).toEqual({ ok: true });
    expect(checkSpdxId('LicenseRef-Llama-3-Community')).toEqual({ ok: true });
    expect(checkSpdxId('mit')).toEqual({ ok: false, suggestion: 'MIT' });
    expect(checkSpdxId('Apache-2.0 OR MIT')).toEqual({ ok: false });
    expect(checkSpdxId('LicenseRef-')).toEqual({ ok: false });
  });
});
