/**
 * XML read with fast-xml-parser into a small element tree that remembers each element's line, so
 * an importer can say "line 212, element UNITS: not a number". Malformed XML is an issue with the
 * validator's line and column; nothing is returned then.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fail, issue, ok, type Result } from '../../core/kernel/errors.js';

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text, trimmed (leaf elements). */
  readonly text: string;
  /** 1-based line of the element's start tag. */
  readonly line: number;
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

type OrderedNode = Record<string, unknown> & { [key: symbol]: { startIndex?: number } | undefined };

export function parseXml(text: string, file: string): Result<XmlElement> {
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    return fail([issue('PARSE', `malformed XML: ${valid.err.msg} (column ${valid.err.col})`, { file, row: valid.err.line })]);
  }
  const parser = new XMLParser({
    preserveOrder: true,
    captureMetaData: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
    htmlEntities: false,
  });
  const nodes = parser.parse(text) as OrderedNode[];
  const lines = lineStarts(text);
  const roots = convert(nodes, lines);
  const root = roots[0];
  if (root === undefined || roots.length > 1) return fail([issue('PARSE', 'expected exactly one root element', { file, row: roots[1]?.line ?? 1 })]);
  return ok(root);
}

function convert(nodes: readonly OrderedNode[], lines: readonly number[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
    if (name === undefined) continue;
    const body = (node[name] as OrderedNode[] | undefined) ?? [];
    const attrs = (node[':@'] as Record<string, string> | undefined) ?? {};
    const texts: string[] = [];
    for (const child of body) if (typeof child['#text'] === 'string') texts.push(child['#text']);
    out.push({
      name,
      attrs,
      children: convert(body, lines),
      text: texts.join('').trim(),
      line: lineOf(lines, node[META]?.startIndex ?? 0),
    });
  }
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] as number) <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The first child named `name`, if any. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The text of the leaf child `name`, or undefined when absent or empty. */
export function leaf(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  return c === undefined || c.text === '' ? undefined : c.text;
}

/** Every descendant (depth first) named `name`. */
export function descendants(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}
