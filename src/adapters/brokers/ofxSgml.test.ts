import { describe, expect, it } from 'vitest';
import { describeIssue } from '../../core/kernel/errors.js';
import { ofxToXml } from './ofxSgml.js';

const xml = (text: string): string => {
  const r = ofxToXml(text, 'f.ofx');
  if (!r.ok) throw new Error(r.issues.map(describeIssue).join('\n'));
  return r.value.xml;
};
const problems = (text: string): string[] => {
  const r = ofxToXml(text, 'f.ofx');
  return r.ok ? [] : r.issues.map(describeIssue);
};

describe('OFX SGML -> XML', () => {
  it('closes leaves at their text and keeps explicit end tags', () => {
    expect(xml('<STMTTRN><TRNAMT>-5.00<NAME>S&P</STMTTRN>')).toBe('<STMTTRN><TRNAMT>-5.00</TRNAMT><NAME>S&amp;P</NAME></STMTTRN>');
    expect(xml('<A><B>1</B><C>2</A>')).toBe('<A><B>1</B><C>2</C></A>');
    expect(xml('<a><b>x</a>')).toBe('<A><B>x</B></A>');
  });

  it('treats an element with no text and no end tag as an empty leaf', () => {
    expect(xml('<INVTRAN><MEMO><FITID>1</INVTRAN>')).toBe('<INVTRAN><MEMO/><FITID>1</FITID></INVTRAN>');
  });

  it('keeps every line where it was: the header becomes blank lines, end tags go on their text line', () => {
    const out = xml('OFXHEADER:100\nDATA:OFXSGML\n\n<OFX>\n<CODE>0\n</OFX>');
    expect(out).toBe('\n\n\n<OFX>\n<CODE>0</CODE>\n</OFX>');
    const r = ofxToXml('OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX></OFX>', 'f');
    expect(r.ok && r.value.header).toEqual({ OFXHEADER: '100', DATA: 'OFXSGML', VERSION: '102' });
    expect(r.ok && r.value.syntax).toBe('sgml');
  });

  it('passes OFX 2.x XML through, reading the OFX processing instruction', () => {
    const r = ofxToXml('<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n<OFX><A>1</A></OFX>', 'f');
    expect(r.ok && r.value.xml).toBe('\n\n<OFX><A>1</A></OFX>');
    expect(r.ok && r.value.header).toEqual({ OFXHEADER: '200', VERSION: '220' });
    expect(r.ok && r.value.syntax).toBe('xml');
  });

  it('locates structural errors', () => {
    expect(problems('<OFX>\n<A>1\n</B>\n</OFX>')).toEqual(['f.ofx, row 3, field B: closing tag </B> has no matching opening tag [PARSE]']);
    expect(problems('<OFX>\n<A>1</A>\ntext\n</OFX>')).toEqual(['f.ofx, row 3, field OFX: text "text" is outside any leaf element [PARSE]']);
    expect(problems('<OFX>\n<A <B>')).toEqual(['f.ofx, row 2: malformed tag "<A <B>" [PARSE]']);
    expect(problems('no tags')).toEqual(['f.ofx, row 1: no OFX tags found [PARSE]']);
  });
});
