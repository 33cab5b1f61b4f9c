/**
 * A JSON case file read for size: a household's `events` can run to millions. The top-level
 * members other than `events` are small and go through JSON.parse; the events array is scanned
 * here. A common event (buy, sell, dividend, cash) is decoded straight from ranges of the text by
 * the direct path the CSV reader uses (directEvent.ts): no object or string per field, keys and
 * repeated values matched by one comparison. Any other record goes field by field to the generic
 * event decoder (eventRecord.ts). The strict field rule holds on both paths: an unknown key sends
 * a record to the generic decoder, which reports it.
 *
 * The scanner accepts exactly JSON. On anything it does not read as JSON it steps aside and the
 * document goes through JSON.parse, whose error (with line and column) is reported, or — were the
 * document valid after all — through the same decoder on the parsed objects.
 */
import type { Issue, Result } from '../../core/kernel/errors.js';
import { issue } from '../../core/kernel/errors.js';
import type { LedgerEvent } from '../../core/ledger/events.js';
import { Cells, COLUMN_NAMES, direct, emptyColumnsByAction, type Columns } from './directEvent.js';
import { EVENT_FIELDS, EVENT_SLOT, EXTRA, UNKNOWN, eventSlotOf, type EventField } from './eventFields.js';
import { EventDecoder, type RawValue } from './eventRecord.js';
import { hasControl, NOT_JSON, Scanner, skipWs } from './jsonScanner.js';
import { parseJsonText } from './inputText.js';
import { describeJson } from './zodInput.js';

/** A case document split into its envelope (parsed) and its events (decoded). */
export interface ScannedCase {
  readonly envelope: Record<string, unknown>;
  /** Absent when the document has no `events` member; a problem when it is not an array. */
  readonly events?: DecodedRecords | { readonly notAnArray: unknown };
}

/** The decoded records of an `events` array: `count` records, the events of those that decoded. */
export interface DecodedRecords {
  readonly count: number;
  readonly events: LedgerEvent[];
  readonly issues: Issue[];
}

/** The issue for an `events` entry that is not an object. */
export function notAnEvent(v: unknown, file: string, row: number): Issue {
  return issue('BAD_VALUE', `an event must be a JSON object, got ${describeJson(v)}`, { file, row, field: `events[${row - 1}]` });
}

/** Values of these fields repeat across events and are shared; others (ids, amounts) are sliced. */
const SHARED_VALUES = new Set(['date', 'account', 'action', 'symbol', 'lotMethod', 'lot_method', 'toAccount', 'to_account', 'fees']);

/** Fields that are text: a JSON number there is left to the generic decoder. */
const TEXT_SLOTS = new Set(['id', 'date', 'account', 'action', 'symbol', 'lotMethod', 'toAccount'].map((f) => EVENT_SLOT[f as EventField]));
/** Text the direct path keeps as it stands (dates, actions and numbers are checked by their parsers). */
const PLAIN_TEXT_SLOTS = [EVENT_SLOT.id, EVENT_SLOT.account, EVENT_SLOT.symbol];
const JSON_COLUMNS = Object.fromEntries(COLUMN_NAMES.map((n) => [n, EVENT_SLOT[n]])) as Columns;
const JSON_EMPTY = emptyColumnsByAction(EVENT_FIELDS);

/**
 * Reads the events array. Each record is first read the direct way: its fields as ranges of the
 * text (keys and values tried against those at the same position in the record before), decoded
 * by `direct` without a string per number. A record that is not plain — an unknown or repeated
 * key, a nested value, an escape, an action the direct path does not decode — is read again from
 * its start, field by field, by the generic decoder, which reports its problems.
 */
class EventsReader {
  private readonly decoder = new EventDecoder();
  private readonly cells: Cells;
  private readonly present = new Uint8Array(EVENT_FIELDS.length);
  private readonly filled: number[] = [];
  private readonly keys: (string | undefined)[] = [];
  private readonly slots: number[] = [];
  private readonly shared: boolean[] = [];
  private readonly lastValues: (string | undefined)[] = [];
  readonly events: LedgerEvent[] = [];
  readonly issues: Issue[] = [];

  constructor(
    private readonly s: Scanner,
    private readonly file: string,
  ) {
    this.cells = new Cells(s.text, EVENT_FIELDS.length, s.pool);
  }

  /** The key at member position k, the last key seen there tried first. */
  private key(k: number): string {
    const s = this.s;
    if (s.text.charCodeAt(s.pos) !== 34) throw NOT_JSON;
    const name = s.stringLike(this.keys[k], true);
    if (name !== this.keys[k]) {
      this.keys[k] = name;
      this.slots[k] = eventSlotOf(name);
      this.shared[k] = SHARED_VALUES.has(name);
      this.lastValues[k] = undefined;
    }
    return name;
  }

  /**
   * The record at pos (its '{') the direct way, or undefined with pos unspecified. Positions are
   * kept in a local and the common steps written out: this loop runs once per field of every event.
   */
  private direct(row: number): LedgerEvent | undefined {
    const s = this.s;
    const t = s.text;
    const { starts, ends } = this.cells;
    const present = this.present;
    for (const slot of this.filled) {
      present[slot] = 0;
      starts[slot] = 0;
      ends[slot] = 0;
    }
    this.filled.length = 0;
    let p = skipWs(t, s.pos + 1);
    if (t.charCodeAt(p) === 125) return undefined;
    for (let k = 0; ; k++) {
      p = skipWs(t, p);
      if (t.charCodeAt(p) !== 34) return undefined;
      const cached = this.keys[k];
      if (cached !== undefined && t.charCodeAt(p + 1 + cached.length) === 34 && t.startsWith(cached, p + 1) && s.backslashFrom(p + 1) > p + cached.length) {
        p += cached.length + 2;
      } else {
        s.pos = p;
        this.key(k);
        p = s.pos;
      }
      const slot = this.slots[k] as number;
      p = skipWs(t, p);
      if (t.charCodeAt(p) !== 58) return undefined;
      p = skipWs(t, p + 1);
      if (slot === EXTRA) {
        s.pos = p;
        s.skipValue();
        p = s.pos;
      } else {
        if (slot === UNKNOWN || present[slot] === 1) return undefined;
        const c = t.charCodeAt(p);
        if (c === 34) {
          const end = t.indexOf('"', p + 1);
          if (end === -1 || s.backslashFrom(p + 1) < end) return undefined;
          starts[slot] = p + 1;
          ends[slot] = end;
          p = end + 1;
        } else if ((c === 45 || (c >= 48 && c <= 57)) && !TEXT_SLOTS.has(slot)) {
          starts[slot] = p;
          s.pos = p;
          s.numberEnd();
          p = ends[slot] = s.pos;
        } else return undefined;
        present[slot] = 1;
        this.filled.push(slot);
      }
      p = skipWs(t, p);
      const next = t.charCodeAt(p++);
      if (next === 125) break;
      if (next !== 44) return undefined;
    }
    s.pos = p;
    if (present[EVENT_SLOT.id] === 1 && this.cells.empty(EVENT_SLOT.id)) return undefined;
    for (const slot of PLAIN_TEXT_SLOTS) if (hasControl(t, starts[slot] as number, ends[slot] as number)) return undefined;
    return direct(this.cells, JSON_COLUMNS, JSON_EMPTY, this.file, row);
  }

  /** The record at pos (its '{') field by field through the generic decoder. */
  private generic(row: number): void {
    const s = this.s;
    const t = s.text;
    const decoder = this.decoder;
    s.pos++;
    decoder.start(this.file, row);
    s.ws();
    if (t.charCodeAt(s.pos) === 125) s.pos++;
    else {
      for (let k = 0; ; k++) {
        s.ws();
        const name = this.key(k);
        s.ws();
        s.expect(58);
        s.ws();
        let v: RawValue;
        if (t.charCodeAt(s.pos) !== 34) v = s.value(false);
        else if (this.shared[k] === true) v = this.lastValues[k] = s.stringLike(this.lastValues[k], true);
        else v = s.string(false);
        decoder.put(name, v);
        s.ws();
        const c = t.charCodeAt(s.pos++);
        if (c === 125) break;
        if (c !== 44) throw NOT_JSON;
      }
    }
    const d = decoder.finish(`row${row}`);
    if (d.ok) this.events.push(d.event);
    else for (const x of d.issues) this.issues.push(x);
  }

  record(row: number): void {
    const s = this.s;
    if (s.text.charCodeAt(s.pos) !== 123) {
      this.issues.push(notAnEvent(s.parsed(), this.file, row));
      return;
    }
    const start = s.pos;
    const event = this.direct(row);
    if (event !== undefined) {
      this.events.push(event);
      return;
    }
    s.pos = start;
    this.generic(row);
  }
}

function scanEvents(s: Scanner, file: string): DecodedRecords {
  const reader = new EventsReader(s, file);
  const t = s.text;
  s.expect(91);
  s.ws();
  if (t.charCodeAt(s.pos) === 93) {
    s.pos++;
    return { count: 0, events: reader.events, issues: reader.issues };
  }
  for (let row = 1; ; row++) {
    s.ws();
    reader.record(row);
    s.ws();
    const c = t.charCodeAt(s.pos++);
    if (c === 93) return { count: row, events: reader.events, issues: reader.issues };
    if (c !== 44) throw NOT_JSON;
  }
}

function scan(text: string, file: string): ScannedCase {
  const s = new Scanner(text);
  const envelope: Record<string, unknown> = {};
  let events: ScannedCase['events'];
  s.ws();
  s.expect(123);
  s.ws();
  if (text.charCodeAt(s.pos) === 125) s.pos++;
  else {
    for (;;) {
      s.ws();
      const name = s.key();
      s.ws();
      s.expect(58);
      s.ws();
      if (name === 'events' && events === undefined) {
        if (text.charCodeAt(s.pos) === 91) events = scanEvents(s, file);
        else events = { notAnArray: s.parsed() };
      } else if (name === 'events') throw NOT_JSON;
      else envelope[name] = s.parsed();
      s.ws();
      const c = text.charCodeAt(s.pos++);
      if (c === 125) break;
      if (c !== 44) throw NOT_JSON;
    }
  }
  s.ws();
  if (s.pos !== text.length) throw NOT_JSON;
  return { envelope, ...(events !== undefined ? { events } : {}) };
}

/**
 * The case document in `text`, scanned; or, when the scanner steps aside (not JSON, not an object
 * at the top, a key given twice), the document as JSON.parse reads it.
 */
export function scanCaseJson(text: string, file: string): Result<ScannedCase | { readonly parsed: unknown }> {
  try {
    return { ok: true, value: scan(text, file) };
  } catch (err) {
    if (err !== NOT_JSON) throw err;
    const parsed = parseJsonText(text, file);
    return parsed.ok ? { ok: true, value: { parsed: parsed.value } } : parsed;
  }
}
