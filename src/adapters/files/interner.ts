/**
 * Repeated values of a large file (accounts, symbols, actions, dates, field names) as one shared
 * string each: no copy per row, and map lookups keyed by them hash once. Keys are FNV-1a hashes
 * of the characters, checked.
 */
export class Interner {
  private readonly buckets = new Map<number, string[]>();

  get(text: string, start: number, end: number): string {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const bucket = this.buckets.get(h);
    if (bucket !== undefined) {
      for (const s of bucket) if (s.length === end - start && text.startsWith(s, start)) return s;
    }
    const s = text.slice(start, end);
    if (bucket !== undefined) bucket.push(s);
    else this.buckets.set(h, [s]);
    return s;
  }
}
