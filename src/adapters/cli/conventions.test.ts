/**
 * Command-line conventions every command keeps: --version, one exit-code rule (0 ok, 1 input or
 * data problems, 2 usage), flags that cannot apply refused rather than ignored, and `demo` over
 * every shipped example household, checked in full before anything is printed.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lotsmith } from './testIo.test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'lotsmith-conventions-'));

describe('lotsmith conventions', () => {
  it('prints its version', async () => {
    const r = await lotsmith('--version');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('refuses --explain with a format that cannot show it (usage: exit 2)', async () => {
    for (const format of ['csv', 'txf']) {
      const r = await lotsmith('gains', '--input', 'examples/households/household-2025.json', '--explain', '--format', format);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`--explain: the ${format} format has no room for explanations`));
    }
  });

  it('gives exit 1 for missing prices in every command that needs them', async () => {
    const nowhere = join(dir, 'no-prices');
    for (const args of [
      ['universe', '--prices', nowhere],
      ['backtest', '--prices', nowhere, '--quiet'],
      ['harvest', '--input', 'examples/households/harvest-2025-04.json', '--date', '2025-04-08', '--prices', nowhere],
    ]) {
      const r = await lotsmith(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.out, args.join(' ')).toBe('');
    }
  });
});

describe('lotsmith demo', () => {
  it('books every example household: the JSON cases and the CSV case directory', async () => {
    const r = await lotsmith('demo');
    expect(r.code).toBe(0);
    const shown = [...r.out.matchAll(/^=== (\S+)/gm)].map((m) => m[1]);
    const shipped = readdirSync('examples/households').sort();
    expect(shown).toEqual(shipped);
  });

  it('says what is wrong with --dir instead of crashing', async () => {
    const missing = await lotsmith('demo', '--dir', join(dir, 'nonexistent'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nonexistent: directory not found \[PARSE\]/);
    const file = await lotsmith('demo', '--dir', 'README.md');
    expect(file.code).toBe(1);
    expect(file.err).toMatch(/README\.md: --dir takes a directory of household cases/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect((await lotsmith('demo', '--dir', empty)).err).toMatch(/no household cases here/);
  });

  it('checks every household before printing any: one bad file prints nothing', async () => {
    const d = join(dir, 'one-bad');
    mkdirSync(d);
    copyFileSync('examples/households/household-2025.json', join(d, 'a-good.json'));
    writeFileSync(join(d, 'b-bad.json'), JSON.stringify({ accounts: [{ id: 'x', type: 'taxable' }], events: [{ id: 'e1', date: '2025-01-02', account: 'x', action: 'buy', symbol: 'VTI', shares: '1', price: '1', feez: '4.95' }] }));
    const r = await lotsmith('demo', '--dir', d);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/b-bad\.json, row 1 \(event e1\), field feez: unknown field \(did you mean "fees"\?\)/);
  });
});
