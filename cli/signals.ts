// SIGTERM/SIGINT: the first finishes the current tick, checkpoints, flushes and marks the run
// interrupted (exit 0), ending a tick stuck past the interrupt grace; a second marks the run
// interrupted (its last checkpoint stands) and exits at once with 130.
import type { Run } from '../runtime/run/run.js';
import { EXIT } from '../runtime/edge/exit-codes.js';

export function handleSignals(run: Run): () => void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received++;
    if (received > 1) {
      run.abandon();
      process.exit(EXIT.interruptedTwice);
    }
    process.stderr.write(`\n${signal}: finishing the current tick, checkpointing; send again to exit at once\n`);
    run.requestInterrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
