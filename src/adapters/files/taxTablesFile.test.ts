import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeStateTable, TAX_DATA_DIR } from './taxTablesFile.js';

type Doc = { states: Record<string, Record<string, unknown>> } & Record<string, unknown>;
const original = (): Doc => JSON.parse(readFileSync(join(TAX_DATA_DIR, 'states-2025.json'), 'utf8')) as Doc;

function problems(edit: (d: Doc) => void): string {
  const d = original();
  edit(d);
  const r = decodeStateTable(d, 'states.json');
  return r.ok ? '' : r.issues.map((i) => `${i.at.field ?? ''}: ${i.message}`).join('\n');
}

describe('the state table loader catches transcription errors', () => {
  it('loads the 2025 file', () => {
    expect(problems(() => undefined)).toBe('');
  });

  it('a top rate that is not the schedule maximum', () => {
    expect(problems((d) => void ((d.states['CA'] as Record<string, unknown>)['topRate'] = 0.123))).toMatch(/states\.CA\.topRate: topRate 0.123 is not the schedule's highest rate 0.133/);
  });

  it('brackets that do not ascend or do not start at 0', () => {
    const ny = (d: Doc) => (d.states['NY'] as { bracketsByStatus: Record<string, Array<{ over: number }>> }).bracketsByStatus;
    expect(problems((d) => void ((ny(d)['single'] as Array<{ over: number }>)[3] = { over: 8000, rate: 0.055 } as never))).toMatch(/states\.NY\.brackets\.single\[2\]: brackets must ascend/);
    expect(problems((d) => void ((ny(d)['head_of_household'] as Array<{ over: number }>)[0] = { over: 10, rate: 0.04 } as never))).toMatch(/head_of_household\[0\]: the first bracket must start at 0/);
  });

  it('a schedule given twice, a flat state without one, an unknown key', () => {
    expect(problems((d) => void ((d.states['DC'] as Record<string, unknown>)['bracketsByStatus'] = (d.states['NY'] as Record<string, unknown>)['bracketsByStatus']))).toMatch(/not both/);
    expect(problems((d) => void delete (d.states['IL'] as Record<string, unknown>)['brackets'])).toMatch(/states\.IL: a flat-rate state needs its brackets/);
    expect(problems((d) => void ((d.states['OR'] as Record<string, unknown>)['bracketByStatus'] = {}))).toMatch(/bracketByStatus/);
  });

  it('a long-term gain treatment given two ways', () => {
    expect(problems((d) => void (((d.states['MT'] as Record<string, Record<string, unknown>>)['capitalGains'] as Record<string, unknown>)['longTermRate'] = 0.041))).toMatch(/give one of longTermBrackets, longTermRate or longTermExclusion/);
  });
});
