/**
 * The worked wash-sale examples (test/fixtures/examples/wash_sales.json, sources cited in each
 * case) run through `lotsmith gains --format json`. Fields an example marks as ambiguous are
 * checked against the reading the example names; alternative readings are ignored.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lotsmith } from './testIo.test-util.js';

interface Example {
  id: string;
  description: string;
  input: unknown;
  expected: { dispositions: Record<string, unknown>[]; openLots: Record<string, unknown>[]; totals: Record<string, unknown> };
}

const examples = JSON.parse(readFileSync('test/fixtures/examples/wash_sales.json', 'utf8')) as Example[];
const dir = mkdtempSync(join(tmpdir(), 'lotsmith-ws-'));

/** The expected object without alternative-reading annotations. */
function contract(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'ambiguousFields' && !k.endsWith('UnionReading')));
}

describe('wash_sales.json through the CLI', () => {
  for (const ex of examples) {
    it(`${ex.id}: ${ex.description}`, async () => {
      const file = join(dir, `${ex.id}.json`);
      writeFileSync(file, JSON.stringify(ex.input));
      const run = await lotsmith('gains', '--input', file, '--format', 'json');
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      const got = JSON.parse(run.out) as Example['expected'];
      expect(got.dispositions).toHaveLength(ex.expected.dispositions.length);
      ex.expected.dispositions.forEach((d, i) => expect(got.dispositions[i]).toMatchObject(contract(d)));
      expect(got.openLots).toHaveLength(ex.expected.openLots.length);
      ex.expected.openLots.forEach((l, i) => expect(got.openLots[i]).toMatchObject(contract(l)));
      expect(got.totals).toMatchObject(ex.expected.totals);
    });
  }
});
