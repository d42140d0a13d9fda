import type { FeedFormat } from '../../src/domain/documents.ts';
import { validateFeedText } from '../../src/validation/validate-feed-text.ts';

/** Dates after `now` are errors, and a feed cannot hold dates after the moment it was served. */
export function feedBodyProblem(bytes: Uint8Array, format: FeedFormat, subject: string, now: number = Date.now()): string | undefined {
  let text: string;
  try {
    // Fatal, because a lenient decoder would turn broken UTF-8 into U+FFFD and pass it.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'invalid feed: the body is not UTF-8';
  }
  try {
    const problems = validateFeedText(text, { now, format, subject });
    return problems.length === 0 ? undefined : `invalid feed: ${problems.slice(0, 3).map((problem) => problem.message).join('; ')}`;
  } catch (error) {
    return `invalid feed: the validator threw ${error instanceof Error ? error.message : String(error)}`;
  }
}
