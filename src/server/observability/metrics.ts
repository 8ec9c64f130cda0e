/**
 * Prometheus metrics at /metrics (prom-client), on a registry of our own so
 * that two apps in one process (tests) do not collide.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  observeRequest(interaction: string, method: string, status: number, seconds: number): void;
  observeQuery(operation: string, milliseconds: number): void;
  /** A write unit run again after a conflict the database reported (deadlock, serialisation, unique key, moved row). */
  observeRetry(reason: string): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'socle_' });
  const requests = new Counter({
    name: 'socle_http_requests_total',
    help: 'HTTP requests served, by FHIR interaction, method and status',
    labelNames: ['interaction', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'socle_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by FHIR interaction',
    labelNames: ['interaction'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const queries = new Histogram({
    name: 'socle_db_query_duration_seconds',
    help: 'Time spent in database statements, by kind (query returns rows, execute changes them)',
    labelNames: ['operation'] as const,
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'socle_db_unit_retries_total',
    help: 'Write units run again after a conflict, by reason (deadlock, serialization, unique-violation, concurrent-write)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Label children are cached: looking labels up on every request costs more than the observation.
  const requestChildren = new Map<string, { count: Counter.Internal; time: Histogram.Internal<'interaction'> }>();
  const queryChildren = new Map<string, Histogram.Internal<'operation'>>();
  return {
    registry,
    observeRequest(interaction, method, status, seconds) {
      const key = `${interaction} ${method} ${status}`;
      let child = requestChildren.get(key);
      if (!child) {
        child = { count: requests.labels(interaction, method, String(status)), time: latency.labels(interaction) };
        requestChildren.set(key, child);
      }
      child.count.inc();
      child.time.observe(seconds);
    },
    observeQuery(operation, milliseconds) {
      let child = queryChildren.get(operation);
      if (!child) {
        child = queries.labels(operation);
        queryChildren.set(operation, child);
      }
      child.observe(milliseconds / 1000);
    },
    observeRetry(reason) {
      retries.labels(reason).inc();
    },
  };
}
