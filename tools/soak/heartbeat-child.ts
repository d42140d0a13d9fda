import { Agent } from 'node:http';
import { httpGet } from './http-get.ts';

/**
 * Asks the service for /healthz four times a second over one kept-alive connection, from a
 * process with nothing else to do, and reports how long the answers took. The clients' own
 * latencies mix the service's delays with their busy event loop's; these do not.
 */
interface HeartbeatOrders {
  readonly port: number;
  readonly durationMs: number;
}

const INTERVAL_MS = 250;

async function beat(orders: HeartbeatOrders): Promise<{ latencies: number[]; failures: string[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  const failures: string[] = [];
  const deadline = performance.now() + orders.durationMs;
  try {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const response = await httpGet({ port: orders.port, path: '/healthz', headers: {}, agent, timeoutMs: 60_000 });
        if (response.status !== 200) failures.push(`/healthz answered ${response.status}`);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
      const latency = performance.now() - started;
      latencies.push(latency);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, INTERVAL_MS - latency)));
    }
  } finally {
    agent.destroy();
  }
  return { latencies, failures };
}

process.once('message', (orders: HeartbeatOrders) => {
  void beat(orders).then((result) => process.send?.(result, () => process.disconnect()));
});
process.on('disconnect', () => process.exit(0));
