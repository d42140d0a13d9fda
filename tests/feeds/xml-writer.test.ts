import { describe, expect, it } from 'vitest';
import { writeXmlDocument, writeXmlFragment } from '../../src/feeds/xml-writer.ts';
import { NS, childOf, childrenOf, readXml } from '../fixtures/articles/read-xml-with-saxes.ts';

describe('writeXmlDocument', () => {
  it('escapes every text and attribute value so that a strict parser reads back exactly what went in', () => {
    const text = 'a < b && c > d ]]> "q" \'s\' \r\n\ttab <![CDATA[x]]> &amp;';
    const attribute = 'x="1" & y<2>\t\n\r\'true\'';
    const root = readXml(writeXmlDocument('r', { '@a': attribute, '@b': 'true', c: { '#text': text } }));
    expect(root.attributes).toEqual({ a: attribute, b: 'true' });
    expect(childOf(root, NS.none, 'c').text).toBe(text);
  });

  it('removes characters XML cannot carry instead of writing them', () => {
    const root = readXml(writeXmlDocument('r', { '@a': 'x\u0001\uD800', c: { '#text': '\u0000y\uFFFF' } }));
    expect(root.attributes.a).toBe('x');
    expect(childOf(root, NS.none, 'c').text).toBe('y');
  });

  it('writes repeated, empty and left-out elements, and splices fragments at their depth', () => {
    const fragment = writeXmlFragment('item', { title: { '#text': 'one' } }, 1);
    const body = writeXmlDocument('r', { item: [fragment, { title: { '#text': 'two' } }], empty: {}, gone: undefined });
    expect(body).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<r>\n  <item>\n    <title>one</title>\n  </item>\n  <item>\n    <title>two</title>\n  </item>\n  <empty/>\n</r>\n');
    expect(childrenOf(readXml(body), NS.none, 'item')).toHaveLength(2);
  });

  it('refuses text next to child elements rather than dropping it', () => {
    expect(() => writeXmlDocument('r', { '#text': 'x', c: {} })).toThrow(/both text and child elements/);
  });
});
