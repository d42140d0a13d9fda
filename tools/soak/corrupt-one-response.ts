import type { SoakRequest } from './check-response.ts';
import type { RawResponse } from './http-get.ts';

export interface Corruption {
  /** The response to check instead of `response`: changed once, passed through otherwise. */
  apply(request: SoakRequest, response: RawResponse): RawResponse;
  injected(): number;
}

const LOWER_A = 0x61;
const LOWER_Z = 0x7a;

/**
 * Proves the soak can fail: changes one letter in the middle of the first uncompressed 200 body
 * after `afterResponses` responses. Length, Content-Length and syntax stay intact, so only the
 * comparison of the ETag with the bytes can notice.
 */
export function corruptOneResponse(afterResponses: number): Corruption {
  let seen = 0;
  let injected = 0;
  return {
    apply(request, response) {
      seen += 1;
      if (injected > 0 || seen <= afterResponses || response.status !== 200 || request.coding !== 'identity') return response;
      const body = Buffer.from(response.body);
      for (let at = Math.floor(body.length / 2); at < body.length; at += 1) {
        const code = body[at] ?? 0;
        if (code >= LOWER_A && code <= LOWER_Z) {
          body[at] = code === LOWER_Z ? LOWER_A : code + 1;
          injected += 1;
          return { ...response, body };
        }
      }
      return response;
    },
    injected: () => injected,
  };
}
