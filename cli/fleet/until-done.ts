// A fleet write that must not be lost to a NATS outage: tried again every second until it is
// done. Only a stop gives up, by throwing, so whoever waits acknowledges nothing it did not send.
export async function untilDone<T>(what: string, fn: () => Promise<T>, stopping: () => boolean): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await fn();
    } catch (err) {
      if (stopping()) throw new Error(`stopped before ${what}`);
      if (tries === 0) console.error(`${what}: ${(err as Error).message}; trying again until NATS answers`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
