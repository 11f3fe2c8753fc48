// Maintenance mode: the service stops taking new intents (health and metrics stay up, the outbox
// keeps draining). On from MAINTENANCE_MODE=true at start; flipped while running by SIGUSR2 (a
// reload signal) or POST /maintenance on the service port.
import { maintenanceFromEnv } from '../config/service-config.js';

let on: boolean | undefined;

export function maintenanceOn(): boolean {
  return (on ??= maintenanceFromEnv());
}

export function setMaintenance(value: boolean): void {
  on = value;
}

/** SIGUSR2 flips maintenance mode while the service runs (the reload signal); returns how to stop listening. */
export function flipOnReloadSignal(log: { warn(o: object, msg: string): void }): () => void {
  const flip = () => {
    setMaintenance(!maintenanceOn());
    log.warn({ maintenance: maintenanceOn() }, `SIGUSR2: maintenance mode ${maintenanceOn() ? 'on' : 'off'}`);
  };
  process.on('SIGUSR2', flip);
  return () => process.off('SIGUSR2', flip);
}
