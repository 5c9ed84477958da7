// What a running node exposes on /metrics: the app's height, the libp2p host's message counters,
// peers and batch store, and the watcher's findings. Each scrape reads the live counters.
import type { CairnApp } from '../app.ts';
import type { P2pService } from '../p2p/service.ts';
import type { WatcherService } from '../watcher/service.ts';
import type { MetricFamily } from './exposition.ts';
import type { Collector } from './server.ts';
import { processFamilies } from './process.ts';

export interface NodeParts {
  readonly app: CairnApp;
  readonly p2p?: P2pService | undefined;
  readonly watcher?: WatcherService | undefined;
}

const counter = (name: string, help: string, value: number | bigint, labels?: Record<string, string>): MetricFamily => ({
  name,
  help,
  type: 'counter',
  samples: [labels === undefined ? { value } : { labels, value }],
});
const gauge = (name: string, help: string, value: number | bigint): MetricFamily => ({ name, help, type: 'gauge', samples: [{ value }] });

/** Families for the parts that run; a part that is off exposes nothing (not zeros). */
export function nodeCollector(parts: () => NodeParts): Collector {
  return () => {
    const { app, p2p, watcher } = parts();
    const out: MetricFamily[] = [gauge('cairn_app_height', 'Last committed block height.', app.store.lastHeight), ...processFamilies()];
    if (p2p !== undefined) {
      const c = p2p.host.counters;
      out.push(
        {
          name: 'cairn_p2p_messages_total',
          help: 'Gossip messages judged by the validator, by result (accepted: delivered and forwarded; rejected: the sender penalised; ignored: dropped; blocked: rejected unread, from a peer that sent 3 invalid messages).',
          type: 'counter',
          samples: [
            { labels: { result: 'accepted' }, value: c.accepted },
            { labels: { result: 'rejected' }, value: c.rejected },
            { labels: { result: 'ignored' }, value: c.ignored },
            { labels: { result: 'blocked' }, value: c.blocked },
          ],
        },
        counter('cairn_p2p_published_total', 'Messages this node published.', c.published),
        counter('cairn_p2p_fetch_served_total', 'Batches served to peers by root.', c.served),
        counter('cairn_p2p_fetched_total', 'Batches fetched from peers by root.', c.fetched),
        gauge('cairn_p2p_peers', 'Connected libp2p peers.', peersOf(p2p)),
        gauge('cairn_p2p_graylisted_peers', 'Connected peers whose gossipsub score is below the graylist threshold (their messages are dropped unread).', graylistedOf(p2p)),
        gauge('cairn_p2p_batch_store_batches', 'Batches held in the batch store (data/p2p.db).', p2p.store.size),
      );
    }
    if (watcher !== undefined) {
      const m = watcher.watcher.metrics;
      out.push(
        counter('cairn_watcher_batches_checked_total', 'Pending batches whose data was found and judged.', m.batchesChecked),
        counter('cairn_watcher_receipts_verified_total', 'Receipts verified against the chain’s keys and the batch.', m.receiptsVerified),
        counter('cairn_watcher_data_missing_total', 'Checks of a pending batch whose data could not be found.', m.dataMissing),
        counter('cairn_watcher_attestations_checked_total', 'Gossiped attestations checked against the trusted verifiers.', m.attestationsChecked),
        counter('cairn_watcher_attestations_dropped_total', 'Gossiped attestation envelopes dropped unchecked (queue full).', m.attestationsDropped),
        {
          name: 'cairn_watcher_challenges_submitted_total',
          help: 'Challenges and requests the watcher submitted and the chain accepted, by kind.',
          type: 'counter',
          samples: [
            { labels: { kind: 'receipt' }, value: m.challengeReceipt },
            { labels: { kind: 'double_claim' }, value: m.challengeDoubleClaim },
            { labels: { kind: 'sum' }, value: m.challengeSum },
            { labels: { kind: 'request_receipt' }, value: m.requestReceipt },
            { labels: { kind: 'forged_attestation' }, value: m.reportForgedAttestation },
          ],
        },
        counter('cairn_watcher_submit_failures_total', 'Challenges refused by the chain or not broadcast (e.g. an unfunded key).', m.submitFailures),
      );
      const a = watcher.availability?.metrics;
      if (a !== undefined) {
        out.push(
          counter('cairn_availability_probe_rounds_total', 'Rounds in which every active operator was probed.', a.rounds),
          counter('cairn_availability_probes_total', 'HTTP probes of operator endpoints.', a.probes),
          counter('cairn_availability_reports_total', 'Availability report messages the chain accepted.', a.reportsSubmitted),
          counter('cairn_availability_report_failures_total', 'Availability reports refused or not broadcast.', a.submitFailures),
        );
      }
      const balance = watcher.balance();
      if (balance !== undefined) out.push(gauge('cairn_watcher_balance', 'The watcher key’s balance in the challenge bond’s denom (0: its challenges fail).', balance));
    }
    return out;
  };
}

function peersOf(p2p: P2pService): number {
  try {
    return p2p.host.libp2p.getPeers().length;
  } catch {
    return 0;
  }
}

function graylistedOf(p2p: P2pService): number {
  try {
    const { host } = p2p;
    return host.libp2p.getPeers().filter((p) => host.scoreOf(p.toString()) < host.graylistThreshold).length;
  } catch {
    return 0;
  }
}
