import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigKeyNotFoundError, TomlValueError } from './errors.ts';
import { applyTomlEdits, formatTomlValue, parseTomlValue, readTomlValue } from './toml.ts';

const SAMPLE = [
  '# top comment',
  'proxy_app = "tcp://127.0.0.1:26658"',
  'moniker = "vm"',
  '',
  '[rpc]',
  '# The address to listen on',
  'laddr = "tcp://127.0.0.1:26657"',
  'cors_allowed_origins = []',
  'cors_allowed_methods = ["HEAD", "GET", "POST", ]',
  '',
  '[p2p]',
  'laddr = "tcp://0.0.0.0:26656"',
  'pex = true',
  'max_num_inbound_peers = 40',
  '',
].join('\n');

// Strings without lone surrogates, including quotes, backslashes and control characters.
const wellFormed = fc.string({ unit: 'binary' }).filter((s) => !/[\uD800-\uDFFF]/.test(s));

describe('config.toml values', () => {
  it('reads back every string it writes, whatever characters it holds', () => {
    fc.assert(
      fc.property(wellFormed, (s) => {
        const text = formatTomlValue(s);
        expect(text).not.toMatch(/[\n\r]/);
        expect(parseTomlValue(text)).toBe(s);
      }),
    );
  });

  it('reads back arrays of strings, booleans and integers', () => {
    fc.assert(
      fc.property(fc.array(wellFormed, { maxLength: 5 }), fc.boolean(), fc.integer(), (list, b, n) => {
        expect(parseTomlValue(formatTomlValue(list))).toEqual(list);
        expect(parseTomlValue(formatTomlValue(b))).toBe(b);
        expect(parseTomlValue(formatTomlValue(n))).toBe(n);
      }),
    );
  });

  it('reads the forms CometBFT writes: trailing commas, literal strings and trailing comments', () => {
    expect(parseTomlValue('["HEAD", "GET", "POST", ]')).toEqual(['HEAD', 'GET', 'POST']);
    expect(parseTomlValue("'C:\\path' # a comment")).toBe('C:\\path');
    expect(parseTomlValue('1_000')).toBe(1000);
    expect(parseTomlValue('"\\u00e9\\U0001F600"')).toBe('é😀');
  });

  it('refuses values it cannot read instead of guessing', () => {
    for (const bad of ['"unterminated', '[', '["a" "b"]', '1.5', '"a" b', '{ x = 1 }', '"\\q"']) {
      expect(() => parseTomlValue(bad), bad).toThrow(TomlValueError);
    }
  });

  it('refuses lone surrogates and non-integer numbers when writing', () => {
    expect(() => formatTomlValue('\uD800')).toThrow(RangeError);
    expect(() => formatTomlValue(1.5)).toThrow(RangeError);
  });
});

describe('editing config.toml', () => {
  it('changes only the edited lines and keeps comments and other keys', () => {
    const after = applyTomlEdits(SAMPLE, [
      { section: 'rpc', key: 'laddr', value: 'tcp://127.0.0.1:9000' },
      { section: '', key: 'moniker', value: 'node-0' },
      { section: 'p2p', key: 'pex', value: false },
    ]);
    const before = SAMPLE.split('\n');
    const changed = after
      .split('\n')
      .map((line, i) => [i, line] as const)
      .filter(([i, line]) => before[i] !== line);
    expect(changed).toEqual([
      [2, 'moniker = "node-0"'],
      [6, 'laddr = "tcp://127.0.0.1:9000"'],
      [12, 'pex = false'],
    ]);
  });

  it('edits the key in the named section, not a same-named key elsewhere', () => {
    const after = applyTomlEdits(SAMPLE, [{ section: 'p2p', key: 'laddr', value: 'tcp://127.0.0.1:1' }]);
    expect(readTomlValue(after, 'p2p', 'laddr')).toBe('tcp://127.0.0.1:1');
    expect(readTomlValue(after, 'rpc', 'laddr')).toBe('tcp://127.0.0.1:26657');
  });

  it('reports a key that is not in the file rather than adding a line CometBFT would ignore', () => {
    expect(() => applyTomlEdits(SAMPLE, [{ section: 'rpc', key: 'pex', value: true }])).toThrow(ConfigKeyNotFoundError);
    expect(() => applyTomlEdits(SAMPLE, [{ section: 'nope', key: 'laddr', value: 'x' }])).toThrow(/\[nope\] laddr/);
  });

  it('refuses to rewrite a value spread over several lines', () => {
    const text = '[rpc]\ncors_allowed_origins = [\n  "a",\n]\n';
    expect(() => applyTomlEdits(text, [{ section: 'rpc', key: 'cors_allowed_origins', value: [] }])).toThrow(TomlValueError);
  });

  it('adds a key the file lacks when asked: at the end of its section, or in a new section', () => {
    const text = '[a]\nx = 1\n\n[b]\ny = 2\n';
    expect(applyTomlEdits(text, [{ section: 'a', key: 'z', value: 'v', addIfMissing: true }])).toBe('[a]\nx = 1\nz = "v"\n\n[b]\ny = 2\n');
    expect(applyTomlEdits(text, [{ section: 'c', key: 'z', value: 3, addIfMissing: true }])).toBe('[a]\nx = 1\n\n[b]\ny = 2\n\n[c]\nz = 3\n');
    expect(applyTomlEdits(text, [{ section: 'b', key: 'y', value: 5, addIfMissing: true }])).toBe('[a]\nx = 1\n\n[b]\ny = 5\n');
    expect(() => applyTomlEdits(text, [{ section: 'a', key: 'z', value: 'v' }])).toThrow(ConfigKeyNotFoundError);
  });
});
