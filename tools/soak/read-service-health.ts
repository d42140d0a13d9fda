export interface ServiceHealth {
  readonly status: string;
  readonly rejectedArticles: number;
  readonly failedDocuments: number;
  readonly outputProblems: number;
  /** The first few problems of any kind, for the report. */
  readonly problems: readonly string[];
}

interface HealthBody {
  readonly status?: unknown;
  readonly lastBuildError?: unknown;
  readonly rejectedArticles?: readonly { readonly message?: unknown }[];
  readonly failedDocuments?: readonly { readonly message?: unknown }[];
  readonly outputProblems?: readonly { readonly message?: unknown }[];
}

/**
 * The service's own account after the soak: the editor must not have produced rejected articles,
 * and no document may have failed the build's validation; either means the soak tested less than
 * it claims, or the service published less than it should have.
 */
export async function readServiceHealth(serviceUrl: string): Promise<ServiceHealth> {
  const body = (await (await fetch(`${serviceUrl}/healthz`)).json()) as HealthBody;
  const messages = (list: HealthBody['rejectedArticles']): string[] => (list ?? []).map((problem) => String(problem.message));
  const lastBuildError = body.lastBuildError === null || body.lastBuildError === undefined ? [] : [`last build failed: ${JSON.stringify(body.lastBuildError)}`];
  return {
    status: String(body.status),
    rejectedArticles: body.rejectedArticles?.length ?? 0,
    failedDocuments: body.failedDocuments?.length ?? 0,
    outputProblems: body.outputProblems?.length ?? 0,
    problems: [...lastBuildError, ...messages(body.failedDocuments), ...messages(body.outputProblems), ...messages(body.rejectedArticles)].slice(0, 5),
  };
}
