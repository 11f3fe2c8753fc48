// The runbook's Prometheus names, on the service's own /metrics (port 8004), in a registry of
// their own: the service counts what reaches NATS and what it refuses, per process.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const EXEC_REGISTRY = new Registry();
const registers = [EXEC_REGISTRY];

export const EXEC_METRICS = {
  ordersReceived: new Counter({
    name: 'exec_sim_orders_received_total',
    help: 'Order intents received, by outcome (success, invalid, duplicate)',
    labelNames: ['status'],
    registers,
  }),
  fillsGenerated: new Counter({
    name: 'exec_sim_fills_generated_total',
    help: 'Fills generated, by fill type (full, partial)',
    labelNames: ['fill_type'],
    registers,
  }),
  validationErrors: new Counter({
    name: 'exec_sim_validation_errors_total',
    help: 'Invalid order intents, by reason',
    labelNames: ['reason'],
    registers,
  }),
  simulationDuration: new Histogram({
    name: 'exec_sim_simulation_duration_seconds',
    help: "From an intent's arrival to its reconcile event (sim time; 1:1 in the service)",
    buckets: [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10],
    registers,
  }),
  simulationResults: new Counter({
    name: 'exec_sim_simulation_results_total',
    help: 'Reconciled orders, by result (filled, unfilled)',
    labelNames: ['result'],
    registers,
  }),
  publishErrors: new Counter({
    name: 'exec_sim_nats_publish_errors_total',
    help: 'JetStream publishes that failed (the event stays in the outbox)',
    registers,
  }),
  pendingEvents: new Gauge({
    name: 'exec_sim_pending_events_count',
    help: 'Events in the outbox awaiting JetStream',
    registers,
  }),
  parkedEvents: new Gauge({
    name: 'exec_sim_parked_events_count',
    help: 'Events JetStream refused for what they are, parked in the outbox (tickwork exec parked)',
    registers,
  }),
};
