/**
 * A JSON tokenizer over a string, for readers that take large documents apart without JSON.parse
 * building every object (caseJson.ts). It accepts exactly JSON: at the first character that is
 * not, it throws NOT_JSON and the caller falls back to JSON.parse for the error message. Strings
 * are found with indexOf (the next backslash is looked up once and kept), nesting is skipped
 * iteratively (a deep document costs no stack), repeated keys and values are shared strings.
 */
import { Interner } from './interner.js';

const plain = { end: 0, escaped: false };
/** The result of stringEnd for a plain string, one object reused: stringEnd runs for every string. */
function plainString(end: number): { end: number; escaped: boolean } {
  plain.end = end;
  return plain;
}

/** Thrown inside the scanner at the first character it does not read as JSON. */
export const NOT_JSON = Symbol('not JSON');

/** The first position at or after p that is not JSON whitespace. */
export function skipWs(t: string, p: number): number {
  for (;;) {
    const c = t.charCodeAt(p);
    if (c === 32 || c === 10 || c === 13 || c === 9) p++;
    else return p;
  }
}

/** Whether text[start, end) holds a control character, which JSON forbids raw inside a string. */
export function hasControl(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) < 32) return true;
  return false;
}

export class Scanner {
  pos = 0;
  readonly pool = new Interner();
  /** Position of the next backslash at or after the last string read (text.length if none). */
  private backslash = -1;

  constructor(readonly text: string) {}

  ws(): void {
    this.pos = skipWs(this.text, this.pos);
  }

  /** The position of the first backslash at or after `from` (text.length if none), found once and kept. */
  backslashFrom(from: number): number {
    if (this.backslash < from) {
      const b = this.text.indexOf('\\', from);
      this.backslash = b === -1 ? this.text.length : b;
    }
    return this.backslash;
  }

  expect(code: number): void {
    if (this.text.charCodeAt(this.pos) !== code) throw NOT_JSON;
    this.pos++;
  }

  /**
   * The end (closing quote) of the string opening at pos, and whether it holds escapes. The next
   * backslash of the text is found once and kept, so a plain string costs one indexOf and no loop
   * over its characters; callers check control characters where a value is kept as text.
   */
  stringEnd(start: number): { end: number; escaped: boolean } {
    const t = this.text;
    const end = t.indexOf('"', start);
    if (end === -1) throw NOT_JSON;
    if (this.backslashFrom(start) > end) return plainString(end);
    let p = start;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 34) return { end: p, escaped: true };
      if (c === 92) p += 2;
      else if (c < 32 || Number.isNaN(c)) throw NOT_JSON;
      else p++;
    }
  }

  /** A string at pos; `shared` strings come from the pool. Escapes are decoded by JSON.parse. */
  string(shared: boolean): string {
    const t = this.text;
    const start = this.pos + 1;
    const { end, escaped } = this.stringEnd(start);
    this.pos = end + 1;
    if (escaped) return JSON.parse(t.slice(start - 1, end + 1)) as string;
    if (hasControl(t, start, end)) throw NOT_JSON;
    return shared ? this.pool.get(t, start, end) : t.slice(start, end);
  }

  /** `cached` when the string at pos is exactly it (a repeated key or value: one comparison), else the string. */
  stringLike(cached: string | undefined, shared: boolean): string {
    const t = this.text;
    const start = this.pos + 1;
    if (cached !== undefined && t.charCodeAt(start + cached.length) === 34 && t.startsWith(cached, start) && this.backslashFrom(start) > start + cached.length) {
      this.pos = start + cached.length + 1;
      return cached;
    }
    return this.string(shared);
  }

  /** Skips one JSON value of any kind, iteratively: nesting depth costs no stack. */
  skipValue(): void {
    const t = this.text;
    const open: number[] = [];
    for (;;) {
      this.ws();
      const c = t.charCodeAt(this.pos);
      if (c === 123 || c === 91) {
        this.pos++;
        this.ws();
        if (t.charCodeAt(this.pos) === (c === 123 ? 125 : 93)) this.pos++;
        else {
          open.push(c);
          if (c === 123) this.memberKey();
          continue;
        }
      } else if (c === 34) this.string(false);
      else if (c === 45 || (c >= 48 && c <= 57)) this.number();
      else this.literal();
      for (;;) {
        if (open.length === 0) return;
        this.ws();
        const n = t.charCodeAt(this.pos);
        const top = open[open.length - 1];
        if (n === 44) {
          this.pos++;
          if (top === 123) this.memberKey();
          break;
        }
        if ((top === 123 && n === 125) || (top === 91 && n === 93)) {
          open.pop();
          this.pos++;
          continue;
        }
        throw NOT_JSON;
      }
    }
  }

  /** `"key":` inside an object being skipped. */
  private memberKey(): void {
    this.ws();
    if (this.text.charCodeAt(this.pos) !== 34) throw NOT_JSON;
    this.string(false);
    this.ws();
    this.expect(58);
  }

  number(): number {
    const start = this.pos;
    this.numberEnd();
    return Number(this.text.slice(start, this.pos));
  }

  /** Moves past the JSON number at pos. */
  numberEnd(): void {
    const t = this.text;
    let p = this.pos;
    if (t.charCodeAt(p) === 45) p++;
    const digits = (): void => {
      const from = p;
      while (t.charCodeAt(p) >= 48 && t.charCodeAt(p) <= 57) p++;
      if (p === from) throw NOT_JSON;
    };
    if (t.charCodeAt(p) === 48) p++;
    else digits();
    if (t.charCodeAt(p) === 46) {
      p++;
      digits();
    }
    const e = t.charCodeAt(p);
    if (e === 101 || e === 69) {
      p++;
      const sign = t.charCodeAt(p);
      if (sign === 43 || sign === 45) p++;
      digits();
    }
    this.pos = p;
  }

  literal(): boolean | null {
    const t = this.text;
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (t.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    throw NOT_JSON;
  }

  /** One value of an event field: strings and numbers read directly, anything nested parsed. */
  value(shared: boolean): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === 34) return this.string(shared);
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    if (c === 123 || c === 91) return this.parsed();
    return this.literal();
  }

  /** The value at pos, skipped and then parsed by JSON.parse (small members: settings, lots). */
  parsed(): unknown {
    const start = this.pos;
    this.skipValue();
    return JSON.parse(this.text.slice(start, this.pos)) as unknown;
  }

  key(): string {
    if (this.text.charCodeAt(this.pos) !== 34) throw NOT_JSON;
    return this.string(true);
  }
}
