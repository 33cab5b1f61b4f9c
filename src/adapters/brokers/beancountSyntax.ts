/**
 * A tokenizer and parser for the part of the beancount language a ledger of investments uses:
 * dated directives (open, close, commodity, transactions, balance, pad, price, note, document,
 * event, query, custom), undated ones (option, include, plugin, pushtag/poptag, pushmeta/popmeta),
 * metadata on directives and postings, and postings with units, cost specs (`{}`, `{540.12 USD}`,
 * `{540.12 USD, 2025-01-06, "label"}`, `{{total USD}}`, `{per # total USD}`) and prices (`@`, `@@`).
 *
 * Not supported, each a located error (never skipped): arithmetic in amounts (`10/3 USD`), the
 * merge cost `{*}`, lines that are neither a directive, an indented line of one, a comment, nor an
 * org-mode heading (`* ...`, ignored as beancount ignores it).
 *
 * Numbers stay decimal text (`1,234.50` -> `1234.50`); the caller turns them into exact units.
 */
import { dayFromCivil, daysInMonth, type Day } from '../../core/kernel/calendar.js';
import { issue, type Issue } from '../../core/kernel/errors.js';

export interface Amount {
  readonly number: string;
  readonly currency: string;
}

export interface CostSpec {
  readonly total: boolean;
  /** Per-unit cost (or total with `{{}}`); with `#`, `extra` is added to the total. */
  readonly number?: string;
  readonly extra?: string;
  readonly currency?: string;
  readonly date?: Day;
  readonly label?: string;
}

export interface MetaEntry {
  readonly value: string;
  readonly line: number;
}
export type Meta = ReadonlyMap<string, MetaEntry>;

export interface Posting {
  readonly line: number;
  readonly account: string;
  readonly units?: Amount;
  readonly cost?: CostSpec;
  readonly price?: { readonly total: boolean; readonly amount: Amount };
  readonly meta: Meta;
}

export interface Directive {
  readonly line: number;
  /** 'open', 'txn', 'option', 'include'... ('txn' for every transaction flag). */
  readonly type: string;
  readonly date?: Day;
  /** The directive's tokens after its keyword (after the flag for transactions). */
  readonly args: readonly Token[];
  readonly meta: Meta;
  readonly postings: readonly Posting[];
  readonly tags: readonly string[];
}

export type TokenKind = 'date' | 'number' | 'account' | 'currency' | 'string' | 'tag' | 'link' | 'key' | 'word' | 'punct' | 'flag';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
}

interface Line {
  readonly indented: boolean;
  readonly tokens: Token[];
  readonly line: number;
}

const ROOTS = /^(?:[A-Z][A-Za-z0-9-]*)(?::[A-Z0-9\p{Lu}\p{Lo}][\p{L}\p{N}-]*)+/u;
const CURRENCY = /^[A-Z][A-Z0-9'._-]{0,22}[A-Z0-9]/;
const DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?![\d])/;
const NUMBER = /^[+-]?\d[\d,]*(?:\.\d*)?(?![\d])/;
const KEYWORDS = new Set(['open', 'close', 'commodity', 'txn', 'balance', 'pad', 'note', 'document', 'price', 'event', 'query', 'custom', 'option', 'include', 'plugin', 'pushtag', 'poptag', 'pushmeta', 'popmeta']);

export function parseDate(text: string): Day | undefined {
  const m = DATE.exec(text);
  if (m === null || m[0].length !== text.length) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return dayFromCivil(y, mo, d);
}

/** Splits the text into logical lines of tokens (a string may run over several lines). */
function tokenize(text: string, file: string, issues: Issue[]): Line[] {
  const lines: Line[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 1;
  while (pos < text.length) {
    const start = lineNo;
    const indented = text[pos] === ' ' || text[pos] === '\t';
    const tokens: Token[] = [];
    // An org-mode heading (`* Accounts`): beancount ignores the line.
    if (!indented && text[pos] === '*') while (pos < text.length && text[pos] !== '\n') pos++;
    while (pos < text.length && text[pos] !== '\n') {
      const c = text[pos] as string;
      if (c === ' ' || c === '\t' || c === '\r') {
        pos++;
        continue;
      }
      if (c === ';') {
        while (pos < text.length && text[pos] !== '\n') pos++;
        break;
      }
      const rest = text.slice(pos, pos + 200);
      if (c === '"') {
        let end = pos + 1;
        let value = '';
        while (end < text.length && text[end] !== '"') {
          if (text[end] === '\\' && end + 1 < text.length) end++;
          if (text[end] === '\n') lineNo++;
          value += text[end];
          end++;
        }
        if (end >= text.length) {
          issues.push(issue('PARSE', 'unterminated string', { file, row: start }));
          return lines;
        }
        tokens.push({ kind: 'string', text: value, line: lineNo });
        pos = end + 1;
        continue;
      }
      const match = (kind: TokenKind, re: RegExp): boolean => {
        const m = re.exec(rest);
        if (m === null) return false;
        tokens.push({ kind, text: m[0], line: lineNo });
        pos += m[0].length;
        return true;
      };
      if (match('date', DATE) || match('number', NUMBER)) continue;
      if (/^[a-z][A-Za-z0-9_-]*:(?=\s|$)/.test(rest)) {
        const m = /^[a-z][A-Za-z0-9_-]*/.exec(rest) as RegExpExecArray;
        tokens.push({ kind: 'key', text: m[0], line: lineNo });
        pos += m[0].length + 1;
        continue;
      }
      if (match('account', ROOTS)) continue;
      if (/^(TRUE|FALSE)(?![A-Z0-9'._-])/.test(rest)) {
        const v = rest.startsWith('TRUE') ? 'TRUE' : 'FALSE';
        tokens.push({ kind: 'word', text: v, line: lineNo });
        pos += v.length;
        continue;
      }
      if (match('currency', CURRENCY)) continue;
      if (match('tag', /^#[A-Za-z0-9\-_/.]+/) || match('link', /^\^[A-Za-z0-9\-_/.]+/)) continue;
      if (match('word', /^[a-z]+(?![A-Za-z0-9_-])/)) continue;
      if (match('punct', /^(\{\{|\}\}|@@|[{},@#~*!&?%()+\-/|])/)) continue;
      if (match('flag', /^[A-Z](?![A-Za-z0-9])/)) continue;
      const rest0 = text.slice(pos, text.indexOf('\n', pos) < 0 ? text.length : text.indexOf('\n', pos)).trim();
      issues.push(issue('PARSE', `cannot read "${rest0.slice(0, 40)}": not a date, number, account, commodity, string or keyword`, { file, row: lineNo }));
      while (pos < text.length && text[pos] !== '\n') pos++;
      break;
    }
    if (tokens.length > 0) lines.push({ indented, tokens, line: start });
    pos++;
    lineNo++;
  }
  return lines;
}

/** Parses a beancount file into directives, or fills `issues` with located errors. */
export function parseBeancount(text: string, file: string, issues: Issue[]): Directive[] {
  const found: Issue[] = [];
  const directives = parseLines(tokenize(text, file, found), file, found);
  found.sort((a, b) => (a.at.row ?? 0) - (b.at.row ?? 0));
  issues.push(...found);
  return directives;
}

function parseLines(lines: readonly Line[], file: string, issues: Issue[]): Directive[] {
  const out: Directive[] = [];
  let current: { d: Directive; meta: Map<string, MetaEntry>; postings: Posting[]; tags: string[] } | undefined;
  const fail = (line: number, message: string, field?: string): void => {
    issues.push(issue('PARSE', message, { file, row: line, ...(field !== undefined ? { field } : {}) }));
  };
  for (const ln of lines) {
    const t = ln.tokens;
    const first = t[0] as Token;
    if (ln.indented) {
      if (current === undefined) {
        fail(ln.line, 'indented line outside any directive');
        continue;
      }
      if (first.kind === 'key') {
        const value = metaValue(t.slice(1));
        const target = current.postings.length > 0 ? (current.postings[current.postings.length - 1] as Posting).meta as Map<string, MetaEntry> : current.meta;
        target.set(first.text, { value, line: ln.line });
        continue;
      }
      if (t.every((x) => x.kind === 'tag' || x.kind === 'link')) {
        for (const x of t) if (x.kind === 'tag') current.tags.push(x.text.slice(1));
        continue;
      }
      if (current.d.type !== 'txn') {
        fail(ln.line, `a ${current.d.type} directive takes only metadata lines`);
        continue;
      }
      const p = posting(t, ln.line, fail);
      if (p !== undefined) current.postings.push(p);
      continue;
    }
    current = undefined;
    if (first.kind === 'date') {
      const date = parseDate(first.text);
      if (date === undefined) {
        fail(ln.line, `not a calendar date: ${first.text}`, 'date');
        continue;
      }
      const kw = t[1];
      let type: string;
      let args: Token[];
      if (kw !== undefined && kw.kind === 'word' && KEYWORDS.has(kw.text) && kw.text !== 'txn') {
        type = kw.text;
        args = t.slice(2);
      } else if (kw !== undefined && (kw.text === 'txn' || kw.text === '*' || kw.text === '!' || kw.kind === 'flag' || ['&', '#', '?', '%'].includes(kw.text))) {
        type = 'txn';
        args = t.slice(2);
      } else {
        fail(ln.line, `unknown directive "${kw?.text ?? ''}" after the date`, 'directive');
        continue;
      }
      const d = { line: ln.line, type, date, args, meta: new Map<string, MetaEntry>(), postings: [] as Posting[], tags: [] as string[] };
      current = { d, meta: d.meta, postings: d.postings, tags: d.tags };
      for (const x of args) if (x.kind === 'tag') d.tags.push(x.text.slice(1));
      out.push(d);
      continue;
    }
    if (first.kind === 'word' && KEYWORDS.has(first.text)) {
      const d = { line: ln.line, type: first.text, args: t.slice(1), meta: new Map<string, MetaEntry>(), postings: [] as Posting[], tags: [] as string[] };
      out.push(d);
      if (first.text === 'pushmeta' || first.text === 'popmeta') current = undefined;
      continue;
    }
    fail(ln.line, `not a beancount directive: "${first.text}"`);
  }
  return out;
}

function metaValue(tokens: readonly Token[]): string {
  return tokens.map((x) => x.text).join(' ');
}

function posting(t: readonly Token[], line: number, fail: (line: number, message: string, field?: string) => void): Posting | undefined {
  let i = 0;
  if (t[i]?.kind === 'flag' || t[i]?.text === '*' || t[i]?.text === '!') i++;
  const account = t[i];
  if (account === undefined || account.kind !== 'account') {
    fail(line, `a posting starts with an account, found "${account?.text ?? ''}"`, 'account');
    return undefined;
  }
  i++;
  let units: Amount | undefined;
  if (t[i]?.kind === 'number') {
    if (t[i + 1]?.kind === 'punct' && /^[+\-*/()]$/.test((t[i + 1] as Token).text)) {
      fail(line, 'arithmetic in amounts is not supported: write the resulting number', 'units');
      return undefined;
    }
    if (t[i + 1]?.kind !== 'currency') {
      fail(line, 'an amount needs its currency', 'units');
      return undefined;
    }
    units = { number: number((t[i] as Token).text), currency: (t[i + 1] as Token).text };
    i += 2;
  } else if (t[i]?.text === '(') {
    fail(line, 'arithmetic in amounts is not supported: write the resulting number', 'units');
    return undefined;
  }
  let cost: CostSpec | undefined;
  if (t[i]?.text === '{' || t[i]?.text === '{{') {
    const total = (t[i] as Token).text === '{{';
    const close = total ? '}}' : '}';
    const end = t.findIndex((x, k) => k > i && x.text === close);
    if (end < 0) {
      fail(line, `cost spec without its closing ${close}`, 'cost');
      return undefined;
    }
    cost = costSpec(t.slice(i + 1, end), total, line, fail);
    if (cost === undefined) return undefined;
    i = end + 1;
  }
  let price: Posting['price'];
  if (t[i]?.text === '@' || t[i]?.text === '@@') {
    const total = (t[i] as Token).text === '@@';
    if (t[i + 1]?.kind !== 'number' || t[i + 2]?.kind !== 'currency') {
      fail(line, 'a price is a number and a currency', 'price');
      return undefined;
    }
    price = { total, amount: { number: number((t[i + 1] as Token).text), currency: (t[i + 2] as Token).text } };
    i += 3;
  }
  if (i < t.length) {
    fail(line, `unexpected "${(t[i] as Token).text}" in a posting`, 'posting');
    return undefined;
  }
  return { line, account: account.text, ...(units ? { units } : {}), ...(cost ? { cost } : {}), ...(price ? { price } : {}), meta: new Map() };
}

function number(text: string): string {
  return text.replace(/,/g, '');
}

function costSpec(t: readonly Token[], total: boolean, line: number, fail: (line: number, message: string, field?: string) => void): CostSpec | undefined {
  const spec: { -readonly [K in keyof CostSpec]: CostSpec[K] } = { total };
  const parts: Token[][] = [[]];
  for (const x of t) {
    if (x.text === ',') parts.push([]);
    else (parts[parts.length - 1] as Token[]).push(x);
  }
  for (const part of parts) {
    if (part.length === 0) continue;
    const [a, b, c, d] = part;
    if (a?.text === '*') return void fail(line, 'the merge cost {*} (average cost) is not supported', 'cost');
    if (a?.kind === 'date' && part.length === 1) {
      const day = parseDate(a.text);
      if (day === undefined) return void fail(line, `not a calendar date: ${a.text}`, 'cost');
      spec.date = day;
    } else if (a?.kind === 'string' && part.length === 1) spec.label = a.text;
    else if (a?.kind === 'number' && b?.kind === 'currency' && part.length === 2) {
      spec.number = number(a.text);
      spec.currency = b.text;
    } else if (a?.kind === 'number' && b?.text === '#' && c?.kind === 'number' && d?.kind === 'currency' && part.length === 4) {
      spec.number = number(a.text);
      spec.extra = number(c.text);
      spec.currency = d.text;
    } else if (a?.text === '#' && b?.kind === 'number' && c?.kind === 'currency' && part.length === 3) {
      spec.number = '0';
      spec.extra = number(b.text);
      spec.currency = c.text;
    } else {
      return void fail(line, `unsupported cost component "${part.map((x) => x.text).join(' ')}"`, 'cost');
    }
  }
  return spec;
}
