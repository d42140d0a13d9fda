export type ContentCoding = 'br' | 'gzip' | 'identity';

/** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** Where the client leaves a choice, the smallest bytes win: br, then gzip, then none. */
const PREFERENCE: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

interface Weights {
  br?: number;
  gzip?: number;
  identity?: number;
  any?: number;
  /** Lowest non-zero weight given to any coding; see identity below. */
  lowestListed: number;
}

function weigh(header: string): Weights {
  const weights: Weights = { lowestListed: 1 };
  for (const member of header.split(',')) {
    const [rawName = '', ...parameters] = member.split(';');
    const name = rawName.trim().toLowerCase();
    if (name === '') continue;
    let weight = 1;
    let valid = true;
    for (const parameter of parameters) {
      const [key = '', value = ''] = parameter.split('=', 2).map((part) => part.trim());
      if (key.toLowerCase() !== 'q') continue;
      if (QVALUE.test(value)) weight = Number(value);
      else valid = false;
    }
    // A member with an unreadable weight is ignored rather than guessed at.
    if (!valid) continue;
    if (weight > 0) weights.lowestListed = Math.min(weights.lowestListed, weight);
    // x-gzip is the historical name for gzip (RFC 9110 §8.4.1.3); the first mention of a coding counts.
    const coding = name === 'x-gzip' ? 'gzip' : name === '*' ? 'any' : name;
    if ((coding === 'br' || coding === 'gzip' || coding === 'identity' || coding === 'any') && weights[coding] === undefined) {
      weights[coding] = weight;
    }
  }
  return weights;
}

/**
 * The content coding to send for an Accept-Encoding value (RFC 9110 §12.5.3), or undefined when
 * the client refuses all three (answer 406). No header means identity: some clients that send
 * none cannot decode anything. Identity is acceptable unless refused by `identity;q=0` or by
 * `*;q=0` without an identity member; when the client does not weigh it, it ranks with the
 * client's least wanted coding, so `gzip;q=0.5` still gets gzip.
 */
export function negotiateEncoding(header: string | undefined): ContentCoding | undefined {
  if (header === undefined) return 'identity';
  const weights = weigh(header);
  const quality: Record<ContentCoding, number> = {
    br: weights.br ?? weights.any ?? 0,
    gzip: weights.gzip ?? weights.any ?? 0,
    identity: weights.identity ?? weights.any ?? weights.lowestListed,
  };
  let best: ContentCoding | undefined;
  for (const coding of PREFERENCE) {
    if (quality[coding] > 0 && (best === undefined || quality[coding] > quality[best])) best = coding;
  }
  return best;
}
