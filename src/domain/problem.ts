/**
 * A problem with one input (an article file, a feed document) reported as a value,
 * so that one bad input never stops the others.
 */
export interface Problem {
  /** What the problem is about: a store-relative file path, or a feed path such as "category/world/rss.xml". */
  readonly subject: string;
  /** The field, element or rule concerned, when there is one. */
  readonly field?: string;
  /** Human sentence naming what is wrong and what to do about it. */
  readonly message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.subject}: ${problem.message}`;
}
