/**
 * A strict XML 1.0 (fifth edition) + Namespaces in XML 1.0 well-formedness check.
 *
 * Why not fast-xml-parser's XMLValidator plus a few scans: it accepts C0 controls, U+FFFE/FFFF
 * and lone surrogates, `]]>` in character data, undefined entities (`&foo;`), references to
 * characters XML forbids (`&#0;`), `<` in attribute values, `--` inside comments, several root
 * elements, text after the root, misplaced XML declarations, malformed names and unbound or
 * illegally bound namespace prefixes. Telling `]]>` in text from `]]>` closing a CDATA section,
 * or a `<` in an attribute from one opening a tag, already takes a tokenizer; this is that
 * tokenizer, with the grammar's productions written out, in one linear pass.
 *
 * Why not saxes (the oracle of the tests), measured against it on the feeds of a 10,000-article
 * store and on the tests' inputs: it rejects every input of the tests' table, but
 * - it reports a stray `&` (the commonest hand-made XML error) as "unclosed tag" at the end of
 *   the document instead of where the `&` is;
 * - it accepts a high surrogate followed by anything but a low one, local parts that cannot
 *   start a name ("p:1k", "xmlns:.p"), a processing instruction without whitespace after its
 *   target, a DOCTYPE and XML 1.1, and throws a RangeError on `<?a b?` followed by a lone surrogate;
 * - it trims namespace names, so it refuses the well-formed `xmlns:p=" "`;
 * - saxes plus the checks it lacks was slower than this scan, for the same memory.
 *
 * Deliberately stricter than XML 1.0 in two places, both documented in the report:
 * a DOCTYPE is refused (feeds have no use for one; internal entities are a denial-of-service
 * vector and external ones a data leak), and so is an XML 1.1 declaration (other rules).
 */
import { isXmlChar } from '../domain/strip-xml-illegal-chars.ts';
import { decodeXmlReferences } from './xml-parser.ts';

export interface XmlSyntaxError {
  /** Index into the text (UTF-16 code units). */
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  readonly reason: string;
}

/*
 * The sticky (`y`) patterns below are module-level and carry their position in `lastIndex`:
 * safe only because a scan is synchronous and never re-entered, and every use sets
 * `lastIndex` right before `exec`. A scan that yields or recurses into another document
 * would need its own copies.
 */

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

/* Productions [4] NameStartChar and [4a] NameChar, with the `u` flag so astral ranges work. */
const NAME_START_CHARS =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHARS = `${NAME_START_CHARS}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040`;
/**
 * A Name, colons allowed: the namespace rules are checked separately, with a clearer message.
 * The classes hold combining marks and ZWNJ/ZWJ on purpose: the grammar lists them.
 */
// eslint-disable-next-line no-misleading-character-class
const NAME = new RegExp(`[:${NAME_START_CHARS}][:${NAME_CHARS}]*`, 'uy');
// eslint-disable-next-line no-misleading-character-class
const NCNAME = new RegExp(`^[${NAME_START_CHARS}][${NAME_CHARS}]*$`, 'u');

/* Production [2] Char, negated, minus the markup characters each context must stop at. */
const ILLEGAL = '\\0-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF\\uD800-\\uDFFF';
/**
 * Character data, plus the five predefined references inline: escaped HTML has one every few
 * characters, and stopping at each would make the scan several times slower.
 */
const CHAR_DATA_RUN = new RegExp(`(?:[^<&\\]${ILLEGAL}]+|&(?:amp|lt|gt|quot|apos);)+`, 'uy');
const ATTRIBUTE_RUN: Readonly<Record<string, RegExp>> = {
  '"': new RegExp(`[^<&"${ILLEGAL}]+`, 'uy'),
  "'": new RegExp(`[^<&'${ILLEGAL}]+`, 'uy'),
};
const ILLEGAL_CHAR = new RegExp(`[${ILLEGAL}]`, 'u');
const WHITESPACE = /[ \t\r\n]*/y;
const REFERENCE = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/y;
const NAMED_REFERENCE = /&([^\s&;<]*);/y;

/* Production [23] XMLDecl with [24] VersionInfo, [80] EncodingDecl and [32] SDDecl. */
const XML_DECLARATION = new RegExp(
  '<\\?xml[ \\t\\r\\n]+version[ \\t\\r\\n]*=[ \\t\\r\\n]*(?:"(1\\.[0-9]+)"|\'(1\\.[0-9]+)\')' +
    '(?:[ \\t\\r\\n]+encoding[ \\t\\r\\n]*=[ \\t\\r\\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|\'[A-Za-z][A-Za-z0-9._-]*\'))?' +
    '(?:[ \\t\\r\\n]+standalone[ \\t\\r\\n]*=[ \\t\\r\\n]*(?:"(?:yes|no)"|\'(?:yes|no)\'))?' +
    '[ \\t\\r\\n]*\\?>',
  'y',
);

class NotWellFormed {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

function describeChar(text: string, offset: number): string {
  const codePoint = text.codePointAt(offset) ?? 0;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

interface OpenElement {
  readonly name: string;
  readonly offset: number;
  /** Prefix bindings this element declares, or undefined when it declares none (the usual case). */
  readonly bindings: ReadonlyMap<string, string> | undefined;
}

interface RawAttribute {
  readonly name: string;
  readonly value: string;
  readonly offset: number;
}

class Scanner {
  private pos = 0;
  private readonly open: OpenElement[] = [];

  constructor(private readonly text: string) {}

  check(): void {
    const { text } = this;
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    if (this.isXmlDeclarationAt(this.pos)) this.xmlDeclaration();
    this.misc('before the root element');
    if (this.pos >= text.length) this.fail(this.pos, 'the document has no root element');
    this.element();
    this.misc('after the root element');
    if (this.pos < text.length) this.fail(this.pos, 'unexpected content after the root element');
  }

  private fail(offset: number, reason: string): never {
    throw new NotWellFormed(offset, reason);
  }

  private isXmlDeclarationAt(offset: number): boolean {
    if (!this.text.startsWith('<?xml', offset)) return false;
    const next = this.text.charAt(offset + 5);
    return next === '' || next === '?' || next === ' ' || next === '\t' || next === '\r' || next === '\n';
  }

  private xmlDeclaration(): void {
    XML_DECLARATION.lastIndex = this.pos;
    const match = XML_DECLARATION.exec(this.text);
    if (!match) this.fail(this.pos, 'malformed XML declaration (expected version, then optional encoding and standalone)');
    if ((match[1] ?? match[2]) === '1.1') this.fail(this.pos, 'XML 1.1 documents are not accepted; declare version="1.0"');
    this.pos = XML_DECLARATION.lastIndex;
  }

  private skipWhitespace(): number {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    const skipped = WHITESPACE.lastIndex - this.pos;
    this.pos = WHITESPACE.lastIndex;
    return skipped;
  }

  /** Production [27] Misc*: whitespace, comments and processing instructions around the root. */
  private misc(where: string): void {
    const { text } = this;
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= text.length) return;
      if (text.startsWith('<!--', this.pos)) this.comment();
      else if (text.startsWith('<?', this.pos)) this.processingInstruction();
      else if (text.startsWith('<!DOCTYPE', this.pos)) {
        this.fail(this.pos, 'DOCTYPE declarations are not accepted (feeds need none, and entity declarations are unsafe)');
      } else if (text.charCodeAt(this.pos) === 0x3c /* < */ && where === 'before the root element') return;
      else if (text.charCodeAt(this.pos) === 0x3c) this.fail(this.pos, 'a document has exactly one root element');
      else this.fail(this.pos, `text is not allowed ${where}`);
    }
  }

  private name(what: string): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.text);
    if (!match) {
      const found = this.pos < this.text.length ? `"${this.text.charAt(this.pos)}" (${describeChar(this.text, this.pos)})` : 'the end';
      this.fail(this.pos, `expected ${what}, found ${found}`);
    }
    this.pos = NAME.lastIndex;
    return match[0];
  }

  /** Production [15] Comment: no `--` inside, no `-` right before the closing `-->`. */
  private comment(): void {
    const start = this.pos;
    const bodyStart = start + 4;
    const dashes = this.text.indexOf('--', bodyStart);
    if (dashes < 0) this.fail(start, 'comment is not closed');
    if (this.text.charCodeAt(dashes + 2) !== 0x3e /* > */) this.fail(dashes, '"--" is not allowed inside a comment');
    this.checkChars(bodyStart, dashes);
    this.pos = dashes + 3;
  }

  /** Production [16] PI, with the Namespaces rule that targets contain no colon. */
  private processingInstruction(): void {
    const start = this.pos;
    this.pos += 2;
    const target = this.name('a processing instruction target');
    if (target.toLowerCase() === 'xml') {
      this.fail(start, start === 0 || (start === 1 && this.text.charCodeAt(0) === 0xfeff)
        ? 'malformed XML declaration'
        : 'the XML declaration is only allowed at the very start of the document');
    }
    if (target.includes(':')) this.fail(start + 2, `processing instruction target "${target}" must not contain a colon`);
    if (this.text.startsWith('?>', this.pos)) {
      this.pos += 2;
      return;
    }
    if (this.skipWhitespace() === 0) this.fail(this.pos, 'expected whitespace or "?>" after the processing instruction target');
    const end = this.text.indexOf('?>', this.pos);
    if (end < 0) this.fail(start, 'processing instruction is not closed');
    this.checkChars(this.pos, end);
    this.pos = end + 2;
  }

  private checkChars(from: number, to: number): void {
    const match = ILLEGAL_CHAR.exec(this.text.slice(from, to));
    if (match) this.fail(from + match.index, `character ${describeChar(this.text, from + match.index)} is not allowed in XML`);
  }

  /** Production [67] Reference: the five predefined entities or a reference to a legal character. */
  private reference(): void {
    const start = this.pos;
    REFERENCE.lastIndex = start;
    const match = REFERENCE.exec(this.text);
    if (!match) {
      NAMED_REFERENCE.lastIndex = start;
      const named = NAMED_REFERENCE.exec(this.text);
      if (named && named[1] !== undefined && named[1] !== '' && !named[1].startsWith('#')) {
        this.fail(start, `undefined entity "&${named[1]};" (only amp, lt, gt, quot and apos exist without a DTD)`);
      }
      this.fail(start, '"&" must start a reference such as "&amp;" or "&#38;"');
    }
    const digits = match[1] ?? match[2];
    if (digits !== undefined) {
      const codePoint = Number.parseInt(digits, match[1] !== undefined ? 10 : 16);
      if (!isXmlChar(codePoint)) this.fail(start, `character reference "${match[0]}" names a character XML does not allow`);
    }
    this.pos = REFERENCE.lastIndex;
  }

  /** Productions [40] STag / [44] EmptyElemTag, [39] element and [43] content. */
  private element(): void {
    this.startTag();
    const { text } = this;
    while (this.open.length > 0) {
      CHAR_DATA_RUN.lastIndex = this.pos;
      if (CHAR_DATA_RUN.exec(text)) this.pos = CHAR_DATA_RUN.lastIndex;
      if (this.pos >= text.length) {
        const innermost = this.open[this.open.length - 1];
        this.fail(innermost?.offset ?? this.pos, `element <${innermost?.name ?? ''}> is not closed`);
      }
      const code = text.charCodeAt(this.pos);
      if (code === 0x3c /* < */) this.markupInContent();
      else if (code === 0x26 /* & */) this.reference();
      else if (code === 0x5d /* ] */) {
        // Production [14] CharData excludes "]]>", which may only close a CDATA section.
        if (text.startsWith(']]>', this.pos)) this.fail(this.pos, '"]]>" is not allowed in character data');
        this.pos += 1;
      } else this.fail(this.pos, `character ${describeChar(text, this.pos)} is not allowed in XML`);
    }
  }

  private markupInContent(): void {
    const { text } = this;
    const next = text.charCodeAt(this.pos + 1);
    if (next === 0x2f /* / */) this.endTag();
    else if (next === 0x3f /* ? */) this.processingInstruction();
    else if (text.startsWith('<!--', this.pos)) this.comment();
    else if (text.startsWith('<![CDATA[', this.pos)) this.cdata();
    else if (next === 0x21 /* ! */) this.fail(this.pos, '"<!" must start a comment or a CDATA section here');
    else this.startTag();
  }

  /** Production [18] CDSect. */
  private cdata(): void {
    const start = this.pos;
    const bodyStart = start + 9;
    const end = this.text.indexOf(']]>', bodyStart);
    if (end < 0) this.fail(start, 'CDATA section is not closed');
    this.checkChars(bodyStart, end);
    this.pos = end + 3;
  }

  private endTag(): void {
    const start = this.pos;
    this.pos += 2;
    const name = this.name('an element name in the end tag');
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== 0x3e /* > */) this.fail(this.pos, `end tag </${name}> is not closed by ">"`);
    this.pos += 1;
    const element = this.open.pop();
    if (element === undefined || element.name !== name) {
      this.fail(start, element === undefined ? `end tag </${name}> has no start tag` : `end tag </${name}> does not match <${element.name}>`);
    }
  }

  private attributeValue(): string {
    const { text } = this;
    const quote = text.charAt(this.pos);
    const run = ATTRIBUTE_RUN[quote];
    if (run === undefined) this.fail(this.pos, 'attribute value must be quoted');
    const valueStart = this.pos + 1;
    this.pos = valueStart;
    for (;;) {
      run.lastIndex = this.pos;
      if (run.exec(text)) this.pos = run.lastIndex;
      if (this.pos >= text.length) this.fail(valueStart - 1, 'attribute value is not closed');
      const char = text.charAt(this.pos);
      if (char === quote) break;
      if (char === '&') this.reference();
      else if (char === '<') this.fail(this.pos, '"<" is not allowed in an attribute value');
      else this.fail(this.pos, `character ${describeChar(text, this.pos)} is not allowed in XML`);
    }
    const raw = text.slice(valueStart, this.pos);
    this.pos += 1;
    return raw;
  }

  private startTag(): void {
    const { text } = this;
    const start = this.pos;
    this.pos += 1;
    const name = this.name('an element name after "<"');
    const attributes: RawAttribute[] = [];
    for (;;) {
      const spaced = this.skipWhitespace() > 0;
      const code = text.charCodeAt(this.pos);
      if (code === 0x3e /* > */) {
        this.pos += 1;
        this.open.push({ name, offset: start, bindings: this.bindNamespaces(name, start, attributes) });
        return;
      }
      if (code === 0x2f /* / */) {
        if (text.charCodeAt(this.pos + 1) !== 0x3e) this.fail(this.pos, '"/" in a tag must be followed by ">"');
        this.pos += 2;
        // An empty element still has to pass the namespace checks; it has no content to scope.
        this.bindNamespaces(name, start, attributes);
        return;
      }
      if (this.pos >= text.length) this.fail(start, `start tag <${name}> is not closed`);
      if (!spaced) this.fail(this.pos, `expected whitespace, ">" or "/>" in <${name}>`);
      const attributeStart = this.pos;
      const attributeName = this.name(`an attribute name in <${name}>`);
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== 0x3d /* = */) this.fail(this.pos, `attribute "${attributeName}" has no "=" and value`);
      this.pos += 1;
      this.skipWhitespace();
      const value = this.attributeValue();
      if (attributes.some((attribute) => attribute.name === attributeName)) {
        this.fail(attributeStart, `attribute "${attributeName}" appears twice in <${name}>`);
      }
      attributes.push({ name: attributeName, value, offset: attributeStart });
    }
  }

  private lookup(prefix: string): string | undefined {
    for (let index = this.open.length - 1; index >= 0; index -= 1) {
      const bound = this.open[index]?.bindings?.get(prefix);
      if (bound !== undefined) return bound;
    }
    return prefix === 'xml' ? XML_NAMESPACE : undefined;
  }

  /** A QName: one optional prefix and a local part, each an NCName. Returns the prefix or ''. */
  private qualifiedName(name: string, offset: number): string {
    const colon = name.indexOf(':');
    if (colon < 0) return '';
    const prefix = name.slice(0, colon);
    const local = name.slice(colon + 1);
    if (!NCNAME.test(prefix) || !NCNAME.test(local)) this.fail(offset, `"${name}" is not a valid qualified name (prefix:local)`);
    return prefix;
  }

  /** The Namespaces in XML 1.0 constraints, checked once the whole start tag is known. */
  private bindNamespaces(name: string, offset: number, attributes: readonly RawAttribute[]): ReadonlyMap<string, string> | undefined {
    let bindings: Map<string, string> | undefined;
    for (const attribute of attributes) {
      const isDefault = attribute.name === 'xmlns';
      if (!isDefault && !attribute.name.startsWith('xmlns:')) continue;
      const prefix = isDefault ? '' : attribute.name.slice(6);
      if (!isDefault && !NCNAME.test(prefix)) this.fail(attribute.offset, `"${attribute.name}" is not a valid namespace declaration`);
      // Namespace names are compared after reference expansion; the value is already known to be well-formed.
      const uri = decodeXmlReferences(attribute.value);
      if (prefix === 'xmlns') this.fail(attribute.offset, 'the prefix "xmlns" cannot be declared');
      if (prefix === 'xml' && uri !== XML_NAMESPACE) this.fail(attribute.offset, `the prefix "xml" can only be bound to ${XML_NAMESPACE}`);
      if (prefix !== 'xml' && uri === XML_NAMESPACE) this.fail(attribute.offset, `${XML_NAMESPACE} can only be bound to the prefix "xml"`);
      if (uri === XMLNS_NAMESPACE) this.fail(attribute.offset, `${XMLNS_NAMESPACE} cannot be declared`);
      if (!isDefault && uri === '') this.fail(attribute.offset, `prefix "${prefix}" cannot be bound to an empty namespace name in XML 1.0`);
      bindings ??= new Map();
      bindings.set(prefix, uri);
    }
    const inScope = (prefix: string): string | undefined => bindings?.get(prefix) ?? this.lookup(prefix);

    const elementPrefix = this.qualifiedName(name, offset);
    if (elementPrefix === 'xmlns') this.fail(offset, `element <${name}> cannot use the prefix "xmlns"`);
    if (elementPrefix !== '' && inScope(elementPrefix) === undefined) {
      this.fail(offset, `namespace prefix "${elementPrefix}" of <${name}> is not declared`);
    }
    const expandedNames = new Set<string>();
    for (const attribute of attributes) {
      const prefix = this.qualifiedName(attribute.name, attribute.offset);
      if (prefix === '' || prefix === 'xmlns') continue;
      const uri = inScope(prefix);
      if (uri === undefined) this.fail(attribute.offset, `namespace prefix "${prefix}" of attribute "${attribute.name}" is not declared`);
      const expanded = `{${uri}}${attribute.name.slice(prefix.length + 1)}`;
      if (expandedNames.has(expanded)) this.fail(attribute.offset, `attribute ${expanded} appears twice in <${name}>`);
      expandedNames.add(expanded);
    }
    return bindings;
  }
}

function locate(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first well-formedness error in the text, or undefined if a strict XML 1.0 parser accepts it. */
export function findXmlSyntaxError(text: string): XmlSyntaxError | undefined {
  try {
    new Scanner(text).check();
    return undefined;
  } catch (error) {
    if (!(error instanceof NotWellFormed)) throw error;
    return { offset: error.offset, ...locate(text, error.offset), reason: error.reason };
  }
}
