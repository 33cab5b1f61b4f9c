/**
 * JSON with object keys sorted and undefined members left out, so two equal values always give the
 * same text whatever order their fields were built in: the basis of content hashes (idempotency
 * keys) and of comparisons between a kept state and a recomputed one.
 *
 * Example: canonicalJson({ b: 1, a: undefined, c: [{ y: 2, x: 1 }] }) === '{"b":1,"c":[{"x":1,"y":2}]}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)),
        )
      : v,
  );
}
