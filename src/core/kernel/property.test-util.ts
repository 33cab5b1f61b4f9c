/**
 * The one way property tests run: `checkProperty` is `fc.assert` with the run's seed, and a
 * failure names that seed so the counterexample — or a mutant's kill — can be reproduced.
 *
 *   LOTSMITH_SEED unset    the fixed default seed: CI, `npm test` and `npm run mutate` are repeatable
 *   LOTSMITH_SEED=123      that seed (what a failure message tells you to set)
 *   LOTSMITH_SEED=random   a fresh seed each run, to explore further; printed if a property fails
 */
import fc from 'fast-check';

const DEFAULT_SEED = 20_250_101;

function seedFrom(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_SEED;
  if (text.trim() === 'random') return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`LOTSMITH_SEED must be an integer or "random", not "${text}"`);
  return n | 0;
}

export const PROPERTY_SEED: number = seedFrom(process.env['LOTSMITH_SEED']);

type Params<Ts> = Omit<fc.Parameters<Ts>, 'seed'>;

/** Adds to a property failure the line that reruns it: fast-check's own report keeps the path. */
function withSeed(err: unknown): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  e.message = `${e.message}\n\nProperty seed ${PROPERTY_SEED}: rerun with LOTSMITH_SEED=${PROPERTY_SEED}`;
  return e;
}

export function checkProperty<Ts>(property: fc.IProperty<Ts>, params?: Params<Ts>): void;
export function checkProperty<Ts>(property: fc.IAsyncProperty<Ts>, params?: Params<Ts>): Promise<void>;
export function checkProperty<Ts>(property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>, params: Params<Ts> = {}): void | Promise<void> {
  const parameters: fc.Parameters<Ts> = { ...params, seed: PROPERTY_SEED };
  try {
    const run = fc.assert(property as fc.IRawProperty<Ts>, parameters) as void | Promise<void>;
    if (run instanceof Promise) return run.catch((err: unknown) => Promise.reject(withSeed(err)));
  } catch (err) {
    throw withSeed(err);
  }
}
