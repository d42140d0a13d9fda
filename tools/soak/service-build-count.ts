/** Builds the service has published since it started, from its own Prometheus metrics. */
export async function readBuildCount(serviceUrl: string): Promise<number> {
  const response = await fetch(`${serviceUrl}/metrics`);
  const text = await response.text();
  const count = /^wirefeed_build_duration_seconds_count(?:\{\})? (\d+)/m.exec(text)?.[1];
  return count === undefined ? Number.NaN : Number(count);
}
