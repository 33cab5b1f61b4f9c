import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDay } from '../../core/kernel/calendar.js';
import { describeIssue } from '../../core/kernel/errors.js';
import { DEFAULT_UNIVERSE_FILE, loadUniverse, readUniverse } from './universeFile.js';

const dir = mkdtempSync(join(tmpdir(), 'lotsmith-universe-'));
const shipped = (): Record<string, unknown> => JSON.parse(readFileSync(DEFAULT_UNIVERSE_FILE, 'utf8')) as Record<string, unknown>;
type Doc = ReturnType<typeof shipped> & { classes: Record<string, unknown>[]; riskScores: { points: { weights: Record<string, number> }[] } };
let n = 0;
function write(edit: (doc: Doc) => void): string {
  const doc = shipped() as Doc;
  edit(doc);
  const file = join(dir, `u${n++}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}
const errors = (r: ReturnType<typeof readUniverse>): string[] => (r.ok ? [] : r.issues.map(describeIssue));
const security = (doc: Doc, c: number, s: number): Record<string, unknown> => (doc.classes[c]!['securities'] as Record<string, unknown>[])[s]!;

describe('the universe file', () => {
  it('is found beside the package and decodes into days and symbols', () => {
    const r = loadUniverse();
    expect(r.ok).toBe(true);
    const mub = r.ok ? r.value.classes[8]?.securities[1] : undefined;
    expect(mub?.formerIndexes.map((f) => `${f.index} until ${formatDay(f.until)}`)).toEqual(['S&P National AMT-Free Municipal Bond Index until 2021-09-14']);
    expect(r.ok && formatDay(r.value.statisticsThrough)).toBe('2024-12-31');
  });

  it('names the file and JSON path of a wrong type, a bad date and a misspelt key', () => {
    const file = write((doc) => {
      security(doc, 0, 1)['expenseRatioBps'] = '3';
      (security(doc, 8, 1)['formerIndexes'] as { until: string }[])[0]!.until = '2021-09-31';
      security(doc, 2, 0)['expenceRatioSource'] = 'typo';
    });
    const found = errors(readUniverse(file));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${file}, field classes\\[0\\]\\.securities\\[1\\]\\.expenseRatioBps: .*number.*\\[BAD_VALUE\\]$`)),
        expect.stringMatching(/field classes\[8\]\.securities\[1\]\.formerIndexes\[0\]\.until: "2021-09-31" is not a calendar date in YYYY-MM-DD form \[BAD_VALUE\]/),
        expect.stringMatching(/field classes\[2\]\.securities\[0\]\.expenceRatioSource: unknown field \(did you mean "expenseRatioSource"\?\).*\[UNKNOWN_FIELD\]/),
      ]),
    );
  });

  it('reports missing files and broken JSON', () => {
    expect(errors(readUniverse(join(dir, 'none.json')))).toEqual([`${join(dir, 'none.json')}: file not found [PARSE]`]);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"version": 1,');
    expect(errors(readUniverse(broken))[0]).toMatch(/broken\.json: not valid JSON/);
  });

  it('reads a universe that breaks the rules, but will not load it for trading', () => {
    const file = write((doc) => {
      doc.riskScores.points[2]!.weights['us_bonds'] = 0.5;
    });
    expect(readUniverse(file).ok).toBe(true);
    expect(errors(loadUniverse(file))).toEqual([`${file}, field riskScores.points[2].weights: weights sum to 1.280000, not 1 [BAD_VALUE]`]);
  });
});
