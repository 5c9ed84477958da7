// The operator gateway's Prometheus metrics, in a registry of its own (served on its /metrics):
// requests by result, units metered, receipts signed and co-signed, batches by state, earnings and
// the credit each payer uses. Gauges are read from the store when scraped.
import { Counter, Gauge, Registry } from 'prom-client';
import { BATCH_STATES, type GatewayStore } from './store.ts';

export interface OperatorMetrics {
  readonly registry: Registry;
  /** result: ok, or the refusal's code (bad_signature, unknown_payer_key, over_credit …). */
  readonly requests: Counter<'result'>;
  readonly units: Counter<'direction'>;
  readonly receiptsSigned: Counter;
  readonly receiptsCosigned: Counter;
  readonly earnings: Counter;
}

export function operatorMetrics(store: GatewayStore): OperatorMetrics {
  const registry = new Registry();
  const requests = new Counter({ name: 'cairn_operator_gateway_requests_total', help: 'Requests answered, by result (ok or the refusal code)', labelNames: ['result'], registers: [registry] });
  const units = new Counter({ name: 'cairn_operator_gateway_units_total', help: 'Units metered from the upstream usage (in: prompt tokens, out: completion tokens)', labelNames: ['direction'], registers: [registry] });
  const receiptsSigned = new Counter({ name: 'cairn_operator_gateway_receipts_signed_total', help: 'Receipts signed with the receipt key', registers: [registry] });
  const receiptsCosigned = new Counter({ name: 'cairn_operator_gateway_receipts_cosigned_total', help: 'Receipts the payer co-signed', registers: [registry] });
  const earnings = new Counter({ name: 'cairn_operator_gateway_earnings_total', help: 'What finalized batches paid the operator (price denom)', registers: [registry] });
  new Gauge({
    name: 'cairn_operator_gateway_batches',
    help: 'Batches in the store by settlement state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = new Map<string, number>(BATCH_STATES.map((s) => [s, 0]));
      for (const b of await store.batches()) counts.set(b.state, (counts.get(b.state) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'cairn_operator_gateway_credit_used',
    help: 'Amount of receipts signed and not co-signed, by payer (price denom)',
    labelNames: ['payer'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [payer, owed] of store.owedByPayer()) this.set({ payer }, Number(owed));
    },
  });
  return { registry, requests, units, receiptsSigned, receiptsCosigned, earnings };
}
