// Helpers for the store's tests: an independent model of the store and of its root.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Entry, KVRead, Range } from '../../core/store/types.ts';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Model state: latin1 key string -> value. */
export type Model = Map<string, Uint8Array>;

export const keyStr = (k: Uint8Array): string => Buffer.from(k).toString('latin1');
export const strKey = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/**
 * The root defined from scratch, written independently of the tree code: split the sorted paths
 * on the first bit where they differ; one path is a leaf; none is 32 zero bytes.
 */
export function referenceRoot(model: Model): Uint8Array {
  const leaves = [...model].map(([k, v]) => {
    const path = sha256(strKey(k));
    return { path, hash: sha256(Uint8Array.from([0, ...path, ...sha256(v)])) };
  });
  leaves.sort((a, b) => Buffer.compare(a.path, b.path));
  const bit = (p: Uint8Array, i: number): number => ((p[i >> 3] as number) >> (7 - (i % 8))) & 1;
  const rec = (ls: typeof leaves, depth: number): Uint8Array => {
    if (ls.length === 0) return new Uint8Array(32);
    if (ls.length === 1) return (ls[0] as (typeof leaves)[number]).hash;
    const left = ls.filter((l) => bit(l.path, depth) === 0);
    const right = ls.filter((l) => bit(l.path, depth) === 1);
    if (left.length === 0 || right.length === 0) return rec(ls, depth + 1);
    return sha256(Uint8Array.from([1, ...rec(left, depth + 1), ...rec(right, depth + 1)]));
  };
  return rec(leaves, 0);
}

/** What iterate(range) must return for a model, computed naively. */
export function modelRange(model: Model, range: Range): [string, string][] {
  const cmp = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);
  let rows = [...model]
    .map(([k, v]) => [strKey(k), v] as const)
    .filter(([k]) => {
      if (range.prefix !== undefined && !Buffer.from(k).subarray(0, range.prefix.length).equals(range.prefix)) return false;
      if (range.start !== undefined && cmp(k, range.start) < 0) return false;
      if (range.end !== undefined && cmp(k, range.end) >= 0) return false;
      return true;
    })
    .sort((a, b) => cmp(a[0], b[0]));
  if (range.reverse === true) rows = rows.reverse();
  if (range.limit !== undefined) rows = rows.slice(0, range.limit);
  return rows.map(([k, v]) => [hex(k), hex(v)]);
}

export async function collect(it: AsyncIterable<Entry>): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const [k, v] of it) out.push([hex(k), hex(v)]);
  return out;
}

export async function readAll(view: KVRead): Promise<Model> {
  const m: Model = new Map();
  for await (const [k, v] of view.iterate({})) m.set(keyStr(k), v);
  return m;
}

export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'cairn-store-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

