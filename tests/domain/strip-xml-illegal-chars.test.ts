import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isXmlChar, stripXmlIllegalChars } from '../../src/domain/strip-xml-illegal-chars.ts';

describe('stripXmlIllegalChars', () => {
  it('removes C0 controls, U+FFFE, U+FFFF and lone surrogates', () => {
    expect(stripXmlIllegalChars('a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\uFFFEg\uFFFFh')).toBe('abcdefgh');
    expect(stripXmlIllegalChars('x\uD800y\uDC00z\uDBFF')).toBe('xyz');
  });

  it('keeps tab, line ends, DEL/C1, and surrogate pairs (emoji)', () => {
    const text = 'tab\tLF\nCR\r \u007F\u0085 caf\u00E9 \uD83D\uDCF0 \uFFFD';
    expect(stripXmlIllegalChars(text)).toBe(text);
  });

  it('leaves only XML characters, and removes nothing else, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const result = stripXmlIllegalChars(text);
        const kept = [...text].filter((ch) => isXmlChar(ch.codePointAt(0)!)).join('');
        expect(result).toBe(kept);
      }),
    );
  });
});
