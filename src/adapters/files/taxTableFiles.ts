/**
 * The `TaxTables` port over data/tax/: `federal-YYYY.json` and `states-YYYY.json`. A year without
 * both files is served by the latest earlier year that has them, or, before the first year, by the
 * first (the result names the year used, and the use case tells the user). Tables are decoded once.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { issue, type Result } from '../../core/kernel/errors.js';
import type { TaxTables, TaxYearTables } from '../../app/ports.js';
import { loadFederalTable, loadStateTable, TAX_DATA_DIR } from './taxInput.js';

export function taxTableFiles(dir: string = TAX_DATA_DIR): TaxTables {
  const cache = new Map<number, Result<TaxYearTables>>();
  const years = existsSync(dir)
    ? readdirSync(dir)
        .map((f) => /^federal-(\d{4})\.json$/.exec(f)?.[1])
        .filter((y): y is string => y !== undefined && existsSync(join(dir, `states-${y}.json`)))
        .map(Number)
        .sort((a, b) => a - b)
    : [];
  return {
    forYear(year: number): Result<TaxYearTables> {
      const use = [...years].reverse().find((y) => y <= year) ?? years[0];
      if (use === undefined) return { ok: false, issues: [issue('BAD_VALUE', `no tax tables in ${dir}`, { file: dir, field: 'taxYear' })] };
      let found = cache.get(use);
      if (found === undefined) {
        const federal = loadFederalTable(use, dir);
        const states = loadStateTable(use, dir);
        found = !federal.ok ? federal : !states.ok ? states : { ok: true, value: { year: use, federal: federal.value, states: states.value } };
        cache.set(use, found);
      }
      return found;
    },
  };
}
