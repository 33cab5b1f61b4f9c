/**
 * OFX text -> well-formed XML, line for line, so one XML parser reads both OFX syntaxes.
 *
 * OFX 1.x is SGML: a `KEY:VALUE` header, then tags whose leaf elements have no end tag
 * (`<UNITS>100<UNITPRICE>25.6`), sometimes all on one line. OFX 2.x is XML with `<?xml?>` and
 * `<?OFX?>` processing instructions — yet real "XML" files also leave leaves unclosed, and real SGML
 * files sometimes close them. One rule covers all of it: an element that holds text is a leaf and
 * ends at its text (an explicit end tag right after is accepted); an element still open when an
 * enclosing end tag arrives, and holding no text, was an empty leaf. Aggregates must be closed
 * explicitly, as the OFX DTD requires.
 *
 * The output keeps every newline of the input where it was (the header becomes blank lines, end
 * tags are inserted on the line of their text), so the XML parser's line numbers are the file's.
 * Tag names are upper-cased; a bare `&` in text becomes `&amp;`.
 *
 * Example: `<STMTTRN><TRNAMT>-5.00<NAME>S&P</STMTTRN>` ->
 *          `<STMTTRN><TRNAMT>-5.00</TRNAMT><NAME>S&amp;P</NAME></STMTTRN>`.
 */
import { fail, issue, ok, type Issue, type Result } from '../../core/kernel/errors.js';

export interface OfxXml {
  /** The SGML header's fields, or the `<?OFX ...?>` attributes of an OFX 2.x file. */
  readonly header: Readonly<Record<string, string>>;
  readonly syntax: 'sgml' | 'xml';
  readonly xml: string;
}

interface Open {
  readonly name: string;
  readonly line: number;
  /** Index in `out` of the start tag (to turn it into `<X/>`), and of the piece ending its text. */
  readonly tagPiece: number;
  textPiece: number;
  hasChildren: boolean;
}

export function ofxToXml(input: string, file: string): Result<OfxXml> {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const first = text.indexOf('<');
  if (first < 0) return fail([issue('PARSE', 'no OFX tags found', { file, row: 1 })]);
  const headerText = text.slice(0, first);
  const header: Record<string, string> = {};
  for (const line of headerText.split(/\r?\n/)) {
    const m = /^\s*([A-Z]+)\s*:\s*(.*?)\s*$/i.exec(line);
    if (m) header[(m[1] as string).toUpperCase()] = m[2] as string;
  }
  const out: string[] = [headerText.replace(/[^\n]/g, '')];
  const stack: Open[] = [];
  const issues: Issue[] = [];
  let line = 1 + (out[0] as string).length;
  let syntax: 'sgml' | 'xml' = 'sgml';
  const at = (l: number, field?: string) => ({ file, row: l, ...(field !== undefined ? { field } : {}) });

  /**
   * Closes the elements above depth `keep`: leaves end at their text, others become `<X/>` (an
   * empty leaf; what followed it becomes its siblings). At the end of the file an element with
   * children was an aggregate left open: a truncated file.
   */
  const closeAbove = (keep: number, closer: string, l: number, strict: boolean): void => {
    while (stack.length > keep) {
      const top = stack.pop() as Open;
      if (top.textPiece >= 0) out[top.textPiece] += `</${top.name}>`;
      else if (!top.hasChildren || !strict) out[top.tagPiece] = `<${top.name}/>`;
      else {
        issues.push(issue('PARSE', `element <${top.name}> opened on line ${top.line} is not closed before ${closer} (is the file cut short?)`, at(l, top.name)));
        return;
      }
    }
  };

  let pos = first;
  while (pos < text.length && issues.length === 0) {
    const lt = text.indexOf('<', pos);
    const textEnd = lt < 0 ? text.length : lt;
    if (textEnd > pos) {
      const chunk = text.slice(pos, textEnd);
      const content = chunk.trim();
      if (content !== '') {
        const top = stack[stack.length - 1];
        if (top === undefined || top.hasChildren || top.textPiece >= 0) {
          issues.push(issue('PARSE', `text "${content.slice(0, 40)}" is outside any leaf element`, at(line + leadingNewlines(chunk), top?.name)));
          break;
        }
        const lead = chunk.slice(0, chunk.indexOf(content.charAt(0)));
        out.push(lead + escapeText(content));
        top.textPiece = out.length - 1;
        out.push(chunk.slice(lead.length + content.length));
      } else {
        out.push(chunk);
      }
      line += countNewlines(chunk);
    }
    if (lt < 0) break;
    if (text.startsWith('<?', lt) || text.startsWith('<!--', lt) || text.startsWith('<!', lt)) {
      const close = text.startsWith('<?', lt) ? '?>' : text.startsWith('<!--', lt) ? '-->' : '>';
      const end = text.indexOf(close, lt);
      if (end < 0) {
        issues.push(issue('PARSE', 'unterminated processing instruction or declaration', at(line)));
        break;
      }
      const raw = text.slice(lt, end + close.length);
      const pi = /^<\?OFX\s+([^?]*)\?>$/i.exec(raw);
      if (pi) {
        syntax = 'xml';
        for (const a of (pi[1] as string).matchAll(/([A-Z]+)\s*=\s*"([^"]*)"/gi)) header[(a[1] as string).toUpperCase()] = a[2] as string;
      }
      if (/^<\?xml/i.test(raw)) syntax = 'xml';
      out.push(raw.replace(/[^\n]/g, ''));
      line += countNewlines(raw);
      pos = end + close.length;
      continue;
    }
    const gt = text.indexOf('>', lt);
    const tag = gt < 0 ? undefined : /^<(\/?)\s*([A-Za-z][A-Za-z0-9_.]*)\s*(\/?)>$/.exec(text.slice(lt, gt + 1));
    if (tag === undefined || tag === null) {
      issues.push(issue('PARSE', `malformed tag "${text.slice(lt, Math.min(text.length, lt + 30)).split('\n')[0]}"`, at(line)));
      break;
    }
    const name = (tag[2] as string).toUpperCase();
    if (tag[1] === '/') {
      let depth = stack.length - 1;
      while (depth >= 0 && (stack[depth] as Open).name !== name) depth--;
      if (depth < 0) {
        issues.push(issue('PARSE', `closing tag </${name}> has no matching opening tag`, at(line, name)));
        break;
      }
      closeAbove(depth + 1, `</${name}>`, line, false);
      stack.pop();
      out.push(`</${name}>`);
      markChild(stack);
    } else {
      const top = stack[stack.length - 1];
      if (top !== undefined && top.textPiece >= 0) closeAbove(stack.length - 1, `<${name}>`, line, false);
      markChild(stack);
      if (tag[3] === '/') {
        out.push(`<${name}/>`);
      } else {
        out.push(`<${name}>`);
        stack.push({ name, line, tagPiece: out.length - 1, textPiece: -1, hasChildren: false });
      }
    }
    pos = gt + 1;
  }
  if (issues.length === 0) closeAbove(0, 'the end of the file', line, true);
  if (issues.length > 0) return fail(issues);
  return ok({ header, syntax: header['DATA']?.toUpperCase() === 'OFXSGML' ? 'sgml' : syntax, xml: out.join('') });
}

function markChild(stack: Open[]): void {
  const parent = stack[stack.length - 1];
  if (parent !== undefined) parent.hasChildren = true;
}

function escapeText(s: string): string {
  return s.replace(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g, '&amp;').replace(/>/g, '&gt;');
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function leadingNewlines(s: string): number {
  return countNewlines(s.slice(0, s.length - s.trimStart().length));
}
