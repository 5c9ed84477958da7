// The payer gateway's Prometheus metrics, in its own prom-client Registry (served at GET /metrics on
// the gateway's listen address).
import { Counter, Gauge, Registry } from 'prom-client';
import type { PayerStore } from './store.ts';

export class PayerMetrics {
  readonly registry = new Registry();

  /** Gauges read from the store when scraped. */
  constructor(store: PayerStore) {
    new Gauge({
      name: 'cairn_payer_receipts_kept',
      help: 'Co-signed receipts in the store, by whether they were signed into a batch (batch="signed") or not yet (batch="unsigned").',
      labelNames: ['batch'],
      registers: [this.registry],
      collect() {
        const { receipts, signed } = store.counts();
        this.set({ batch: 'signed' }, signed);
        this.set({ batch: 'unsigned' }, receipts - signed);
      },
    });
  }

  /** result: ok, failed_over (served after at least one failover), upstream_error, no_operator, bad_request. */
  readonly requests = new Counter({ name: 'cairn_payer_requests_total', help: 'Application requests by result.', labelNames: ['result'], registers: [this.registry] });
  readonly units = new Counter({ name: 'cairn_payer_units_total', help: 'Units (tokens) in co-signed receipts, by direction.', labelNames: ['direction'], registers: [this.registry] });
  readonly spend = new Counter({ name: 'cairn_payer_spend_total', help: 'Amount (base denom) of co-signed receipts.', registers: [this.registry] });
  /** result: cosigned, refused (a bad or missing receipt). */
  readonly receipts = new Counter({ name: 'cairn_payer_receipts_total', help: 'Receipts judged, by result.', labelNames: ['result'], registers: [this.registry] });
  readonly cosignsDelivered = new Counter({ name: 'cairn_payer_cosignatures_delivered_total', help: 'Co-signatures delivered to operators.', registers: [this.registry] });
  /** result: signed, refused. */
  readonly batches = new Counter({ name: 'cairn_payer_batches_total', help: 'Pending batches judged, by result.', labelNames: ['result'], registers: [this.registry] });
  /** reason: error (the operator failed), receipt (a bad receipt). */
  readonly failovers = new Counter({ name: 'cairn_payer_failovers_total', help: 'Requests moved to another operator, by reason.', labelNames: ['reason'], registers: [this.registry] });
  readonly escrowTopUps = new Counter({ name: 'cairn_payer_escrow_topups_total', help: 'Escrow deposits sent, by result.', labelNames: ['result'], registers: [this.registry] });
  readonly escrowAvailable = new Gauge({ name: 'cairn_payer_escrow_available', help: 'The payer’s available escrow when last read (base denom).', registers: [this.registry] });
}
