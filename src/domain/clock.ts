/** Current time in epoch ms. Injected everywhere time matters so that tests never wait on the wall clock. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
