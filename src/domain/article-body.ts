import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { stripXmlIllegalChars } from './strip-xml-illegal-chars.ts';

export interface PackedArticleBody {
  readonly deflated: Uint8Array;
  readonly hash: string;
}

/**
 * An article's sanitised HTML body, held deflated. The store is read whole at start-up, but a
 * feed shows only the newest articles of each scope: most bodies are never read again, and
 * deflated they take a fraction of the memory, while inflating the few dozen a feed shows is
 * cheap (BENCHMARKS.md, "Memory").
 */
export class ArticleBody {
  readonly #deflated: Buffer;
  /** sha256 of the HTML: two bodies with the same hash are the same text. */
  readonly hash: string;

  private constructor(deflated: Buffer, hash: string) {
    this.#deflated = deflated;
    this.hash = hash;
  }

  /** Characters XML cannot carry are dropped, as from every other field, so the text survives UTF-8 intact. */
  static fromHtml(html: string): ArticleBody {
    const utf8 = Buffer.from(stripXmlIllegalChars(html), 'utf8');
    // zlib hands back a view of its 16 KB+ working buffer; a copy of the exact length lets that go.
    const deflated = Buffer.from(deflateRawSync(utf8));
    return new ArticleBody(deflated, createHash('sha256').update(utf8).digest('base64url'));
  }

  /** The body as plain data, for posting between threads (a class instance would not survive the copy). */
  pack(): PackedArticleBody {
    // A copy with a buffer of its own: posting a view would copy the whole 8 KB pool slab behind it.
    return { deflated: new Uint8Array(this.#deflated), hash: this.hash };
  }

  static unpack(packed: PackedArticleBody): ArticleBody {
    return new ArticleBody(Buffer.from(packed.deflated.buffer, packed.deflated.byteOffset, packed.deflated.byteLength), packed.hash);
  }

  html(): string {
    return inflateRawSync(this.#deflated).toString('utf8');
  }

  /** Bytes held in memory for the body. */
  get storedBytes(): number {
    return this.#deflated.length;
  }

  /** Tests and logs see the HTML, not a Buffer. */
  toJSON(): string {
    return this.html();
  }
}
