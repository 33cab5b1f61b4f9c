/**
 * Golden files for reports: `lotsmith gains` and `lotsmith lots` on the shipped example households,
 * in every format, compared byte for byte with test/golden/. A change to a report shows up as a
 * diff to review; regenerate deliberately with UPDATE_GOLDEN=1 npx vitest run golden.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lotsmith } from './testIo.test-util.js';

const GOLDEN = 'test/golden';
const update = process.env['UPDATE_GOLDEN'] === '1';

const runs: [name: string, args: string[]][] = [
  ['household-2025.gains.table.txt', ['gains', '--input', 'examples/households/household-2025.json', '--explain']],
  ['household-2025.gains.json', ['gains', '--input', 'examples/households/household-2025.json', '--format', 'json', '--explain']],
  ['household-2025.gains-2025.csv', ['gains', '--input', 'examples/households/household-2025.json', '--year', '2025', '--format', 'csv']],
  ['household-2025.gains-2025.txf', ['gains', '--input', 'examples/households/household-2025.json', '--year', '2025', '--format', 'txf']],
  ['household-2025.lots-2024-12-31.table.txt', ['lots', '--input', 'examples/households/household-2025.json', '--as-of', '2024-12-31', '--price', 'VTI=289.81', '--price', 'SCHB=23.37', '--price', 'IEFA=70.55', '--price', 'VOO=538.81', '--price', 'VEA=47.66']],
  ['pub550-examples.gains.csv', ['gains', '--input', 'examples/households/pub550-examples.json', '--format', 'csv']],
  ['csv-household.gains.json', ['gains', '--input', 'examples/households/csv-household', '--format', 'json']],
  ['csv-household.lots.csv', ['lots', '--input', 'examples/households/csv-household/transactions.csv', '--format', 'csv', '--price', 'VTI=300', '--price', 'ITOT=140.25', '--price', 'VWO=48.10']],
];

describe('golden reports', () => {
  for (const [name, args] of runs) {
    it(`lotsmith ${args.join(' ')}`, async () => {
      const r = await lotsmith(...args);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const path = join(GOLDEN, name);
      if (update || !existsSync(path)) writeFileSync(path, r.out);
      expect(r.out).toBe(readFileSync(path, 'utf8'));
    });
  }
});
