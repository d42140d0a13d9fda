import type { FeedFormat } from '../../src/domain/documents.ts';
import { feedBodyProblem } from './feed-body-problem.ts';

/**
 * The soak's feed validator, in a process of its own (see validator-process.ts). Messages are
 * answered in the order they arrive; the parent matches them by id anyway.
 */
interface ValidationRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly format: FeedFormat;
  readonly subject: string;
}

process.on('message', (message: ValidationRequest) => {
  const problem = feedBodyProblem(message.bytes, message.format, message.subject);
  process.send?.({ id: message.id, problem: problem ?? null });
});
// Without a parent there is nothing to answer: leave rather than linger.
process.on('disconnect', () => process.exit(0));
