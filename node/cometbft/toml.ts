// Targeted edits of single-line keys in CometBFT's config.toml, keeping every comment and every other
// line byte for byte. CometBFT's template (config/toml.go) writes each value on one line, so a full
// TOML library is not needed; anything this module does not understand is refused, never guessed.
import { ConfigKeyNotFoundError, TomlValueError } from './errors.ts';

export type TomlValue = string | boolean | number | readonly string[];

// `section` is '' for the keys before the first [table] header.
export interface TomlEdit {
  section: string;
  key: string;
  value: TomlValue;
  /** Add the key when the file lacks it (a home made before the key existed), at the end of its section or in a new one. */
  addIfMissing?: boolean;
}

const HEADER = /^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(?:#.*)?$/;
const ASSIGNMENT = /^(\s*)([A-Za-z0-9_-]+)(\s*=\s*)(.*)$/;

export function formatTomlValue(value: TomlValue): string {
  if (typeof value === 'string') return formatString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`config values must be safe integers, got ${value}`);
    return String(value);
  }
  return `[${value.map(formatString).join(', ')}]`;
}

function formatString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    // for…of yields a lone surrogate on its own; it has no UTF-8 encoding.
    if (code >= 0xd800 && code <= 0xdfff) throw new RangeError('config strings must be well-formed Unicode (no lone surrogates)');
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0').toUpperCase()}`;
    else out += ch;
  }
  return `${out}"`;
}

// Parses the value part of a `key = value` line: a basic or literal string, a boolean, an integer, or a
// one-line array of strings (a trailing comma is allowed, as CometBFT writes them). A trailing comment is ignored.
export function parseTomlValue(text: string): TomlValue {
  const reader = new Reader(text);
  reader.skipSpace();
  const value = reader.value();
  reader.skipSpace();
  if (!reader.atEnd() && reader.peek() !== '#') reader.fail('unexpected text after the value');
  return value;
}

class Reader {
  private pos = 0;
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  fail(why: string): never {
    throw new TomlValueError(`cannot read TOML value ${JSON.stringify(this.text)}: ${why} at offset ${this.pos}`);
  }
  skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  value(): TomlValue {
    const c = this.peek();
    if (c === '"' || c === "'") return this.string();
    if (c === '[') return this.array();
    const word = /^(true|false|[+-]?\d[\d_]*)/.exec(this.text.slice(this.pos));
    if (word === null) return this.fail('expected a string, boolean, integer or array');
    this.pos += word[0].length;
    if (word[0] === 'true') return true;
    if (word[0] === 'false') return false;
    const n = Number(word[0].replaceAll('_', ''));
    if (!Number.isSafeInteger(n)) this.fail('integer out of range');
    return n;
  }
  array(): string[] {
    this.pos++; // [
    const items: string[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === ']') break;
      items.push(this.string());
      this.skipSpace();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ']') this.fail('expected , or ] in array');
    }
    this.pos++; // ]
    return items;
  }
  string(): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'") return this.fail('expected a string');
    this.pos++;
    let out = '';
    for (;;) {
      if (this.atEnd()) this.fail('unterminated string');
      const ch = this.text[this.pos++] ?? '';
      if (ch === quote) return out;
      if (quote === "'" || ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = this.text[this.pos++] ?? '';
      const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
      const mapped = simple[esc];
      if (mapped !== undefined) {
        out += mapped;
      } else if (esc === 'u' || esc === 'U') {
        const len = esc === 'u' ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + len);
        if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) this.fail('bad unicode escape');
        this.pos += len;
        out += String.fromCodePoint(parseInt(hex, 16));
      } else {
        this.fail(`unknown escape \\${esc}`);
      }
    }
  }
}

interface Located {
  line: number;
  match: RegExpExecArray;
}

/** Every `key = value` line with the section it sits in, in file order. */
function* assignments(lines: readonly string[]): Generator<{ section: string } & Located> {
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const header = HEADER.exec(line);
    if (header !== null) {
      section = header[1] ?? '';
      continue;
    }
    const match = ASSIGNMENT.exec(line);
    if (match !== null) yield { section, line: i, match };
  }
}

function locate(lines: readonly string[], section: string, key: string): Located | undefined {
  for (const a of assignments(lines)) if (a.section === section && a.match[2] === key) return a;
  return undefined;
}

function describe(section: string, key: string): string {
  return section === '' ? key : `[${section}] ${key}`;
}

// Replaces the value of each edited key in place. Every key must already exist in its section: the
// template lists all keys CometBFT reads, so a missing one means a typo or a foreign file.
export function applyTomlEdits(text: string, edits: readonly TomlEdit[]): string {
  const lines = text.split('\n');
  for (const edit of edits) {
    const found = locate(lines, edit.section, edit.key);
    if (found === undefined && edit.addIfMissing === true) {
      addKey(lines, edit);
      continue;
    }
    if (found === undefined) {
      throw new ConfigKeyNotFoundError(`config.toml has no ${describe(edit.section, edit.key)} key to set`);
    }
    // Refuse to touch a value we cannot read (e.g. a multi-line array): rewriting it would corrupt the file.
    parseTomlValue(found.match[4] ?? '');
    lines[found.line] = `${found.match[1] ?? ''}${edit.key}${found.match[3] ?? ' = '}${formatTomlValue(edit.value)}`;
  }
  return lines.join('\n');
}

/** Puts `key = value` after the last non-blank line of its section, or in a new section at the end. */
function addKey(lines: string[], edit: TomlEdit): void {
  const line = `${edit.key} = ${formatTomlValue(edit.value)}`;
  const start = edit.section === '' ? -1 : lines.findIndex((l) => HEADER.exec(l)?.[1] === edit.section);
  if (start === -1 && edit.section !== '') {
    while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
    lines.push('', `[${edit.section}]`, line, '');
    return;
  }
  let end = lines.findIndex((l, i) => i > start && HEADER.test(l));
  if (end === -1) end = lines.length;
  while (end > start + 1 && lines[end - 1]!.trim() === '') end--;
  lines.splice(end, 0, line);
}

export function readTomlValue(text: string, section: string, key: string): TomlValue | undefined {
  const found = locate(text.split('\n'), section, key);
  return found === undefined ? undefined : parseTomlValue(found.match[4] ?? '');
}

/** The keys assigned in `section`, in file order. */
export function tomlSectionKeys(text: string, section: string): string[] {
  return [...assignments(text.split('\n'))].filter((a) => a.section === section).map((a) => a.match[2] ?? '');
}
