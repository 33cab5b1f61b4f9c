/**
 * The core is pure: no IO, no clock, no randomness, no logger, no adapters. The lint rule says the
 * same; this test checks it independently, on the source text of every core module.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function coreModules(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return coreModules(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.test-util.ts') ? [p] : [];
  });
}

const FORBIDDEN: [RegExp, string][] = [
  [/from ['"](node:|fs|path|os|http|https|net|child_process|worker_threads|pg|fastify|commander|csv-parse|cli-table3)/, 'an IO module'],
  [/from ['"][^'"]*\/adapters\//, 'an adapter'],
  [/\bnew Date\b|\bDate\.now\b/, 'the clock'],
  [/\bMath\.random\b/, 'unseeded randomness'],
  [/\bconsole\./, 'a logger'],
  [/\bprocess\./, 'the process environment'],
  [/\bperformance\.now\b/, 'the clock'],
];

describe('the core stays pure', () => {
  const files = coreModules('src/core');
  it('has modules to check', () => expect(files.length).toBeGreaterThan(10));
  for (const file of files) {
    it(file, () => {
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const [pattern, what] of FORBIDDEN) expect(pattern.test(text), `${file} uses ${what}`).toBe(false);
    });
  }
});
