export interface LoopLag {
  /** The most this event loop ran late over the last window, milliseconds. */
  recentMaxMs(): number;
  stop(): void;
}

/**
 * How late this process's event loop has been lately, from a timer's lateness. A response's last
 * byte may wait that long before the client sees it, so a connection has been idle, as the server
 * counts, for up to that much longer than the client measured.
 */
export function trackLoopLag(intervalMs = 100, windowMs = 5000): LoopLag {
  const slots = Math.max(1, Math.ceil(windowMs / intervalMs));
  const lateness = new Float64Array(slots);
  let slot = 0;
  let expected = performance.now() + intervalMs;
  const timer = setInterval(() => {
    const now = performance.now();
    lateness[slot] = Math.max(0, now - expected);
    slot = (slot + 1) % slots;
    expected = now + intervalMs;
  }, intervalMs);
  return {
    recentMaxMs: () => Math.max(...lateness),
    stop: () => clearInterval(timer),
  };
}
