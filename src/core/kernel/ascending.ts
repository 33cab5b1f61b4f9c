/**
 * Items in ascending order, found one at a time: what `[...items].sort(compare)` lists, for a
 * caller that usually stops after the first few (a sale raising a little cash from hundreds of
 * lots). Building the heap is linear; each item taken costs a logarithm, so a full sort is paid
 * only by a caller that takes everything. Items `compare` calls equal come in their given order,
 * as the stable sort gives them.
 */
export function* ascending<T>(items: readonly T[], compare: (a: T, b: T) => number): Generator<T, void, undefined> {
  const heap = items.map((_, i) => i);
  const before = (i: number, j: number): boolean => {
    const c = compare(items[i] as T, items[j] as T);
    return c < 0 || (c === 0 && i < j);
  };
  const down = (from: number): void => {
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as number, heap[left] as number) ? right : left;
      if (!before(heap[child] as number, heap[at] as number)) return;
      [heap[at], heap[child]] = [heap[child] as number, heap[at] as number];
      at = child;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const top = heap[0] as number;
    const last = heap.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      down(0);
    }
    yield items[top] as T;
  }
}
