/**
 * The corpus of malformed inputs in test/malformed (listed with the reason for each in
 * test/malformed/cases.json): every case runs through the CLI in-process from a copy of its
 * directory, and must exit 1 with each expected message — file, row or event, field — print
 * nothing on stdout and write nothing. The `ok-` cases are inputs the rules accept (a BOM, x_
 * fields, snake_case, the first and last accepted dates) and must exit 0.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from './testIo.test-util.js';
import { runCli } from './program.js';

interface CorpusCase {
  readonly case: string;
  readonly why: string;
  readonly run: readonly string[];
  readonly exit: number;
  readonly stderr: readonly string[];
}

const CORPUS = 'test/malformed';
const cases = JSON.parse(readFileSync(join(CORPUS, 'cases.json'), 'utf8')) as CorpusCase[];
const REPO = process.cwd();
const sandbox = mkdtempSync(join(tmpdir(), 'lotsmith-malformed-'));

afterAll(() => process.chdir(REPO));

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => `${f} ${statSync(join(dir, f)).size}`)
    .sort();
}

describe('the malformed-input corpus', () => {
  it('lists every case directory once', () => {
    const dirs = readdirSync(CORPUS).filter((f) => statSync(join(CORPUS, f)).isDirectory()).sort();
    expect(cases.map((c) => c.case).sort()).toEqual(dirs);
  });

  for (const c of cases) {
    it(`${c.case}: ${c.why}`, async () => {
      const dir = join(sandbox, c.case);
      cpSync(join(REPO, CORPUS, c.case), dir, { recursive: true });
      const before = listing(dir);
      process.chdir(dir);
      const io = captureIo();
      let code: number;
      try {
        code = await runCli(c.run, { ...io.io, cwd: dir });
      } finally {
        process.chdir(REPO);
      }
      const err = io.err();
      expect(code, err).toBe(c.exit);
      if (c.exit !== 0) {
        expect(io.out(), 'nothing on stdout').toBe('');
        for (const line of err.split('\n').filter((l) => l.startsWith('error: '))) expect(line, 'every error names its file').toMatch(/^error: [^\s,:]+[,:]/);
      } else expect(err).toBe('');
      for (const pattern of c.stderr) expect(err).toMatch(new RegExp(pattern));
      expect(listing(dir), `${relative(REPO, dir)}: nothing written`).toEqual(before);
    });
  }
});
