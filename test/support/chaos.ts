// The chaos run behind `npm run chaos` and test/chaos.test.ts: a 4-validator localnet under a steady
// random load (sends, delegations, undelegations, governance proposals and votes from four wallets)
// while faults are injected one after another: SIGKILL of one node, SIGKILL of two at once (the
// chain halts until they return), SIGSTOP pauses, a node's app run with its clock 10 minutes
// ahead (libfaketime), a network partition (a node restarted on a fresh
// p2p port with no peers, then healed), and a full node (re)joining mid-run by state sync: the first
// time a new node, later the same node with its data wiped, each time from a newer snapshot. Afterwards
// it checks what a validator would bet on: every node reached the last height with no app-hash
// disagreement or broken invariant in its logs, every tx of every block is in every node's tx index,
// and a replay of every block from genesis gives the chain's app hashes. Everything runs on
// loopback, is bounded in blocks and time, and stops itself.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { TextProposal } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { Localnet } from '../../localnet/index.ts';
import { freePorts } from '../../node/cometbft/ports.ts';
import { configure, peerAddress } from '../../node/cometbft/config.ts';
import { rpcCall } from '../../node/cometbft/rpc.ts';
import { editAppConfig } from '../../node/config.ts';
import { latestHeight, validatorRegistry } from './localnet.ts';
import { replayChain, rpcWithRetry } from './replay.ts';
import { MNEMONICS } from './wallets.ts';
import { libfaketimePath } from '../../scripts/libfaketime.ts';

export type FaultKind = 'kill' | 'kill-two' | 'pause' | 'partition' | 'clock-skew' | 'state-sync';
export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'kill-two', 'pause', 'clock-skew', 'partition', 'state-sync'];
/** How far ahead the skewed node's clock runs. */
const SKEW_SECONDS = 600;

export interface ChaosOptions {
  /** Where the localnet lives (removed at the end). */
  readonly dir: string;
  /** Stop injecting faults and loading once the chain passes this height… */
  readonly blocks: number;
  /** …and every fault kind has been injected this many times. */
  readonly minEachFault: number;
  readonly blockTimeMs?: number;
  /** Give up (and report) after this long. */
  readonly deadlineMs: number;
  /** Progress lines for the person watching. */
  readonly note?: (line: string) => void;
  readonly seed?: number;
  /** Aborting it ends the run early (the localnet is still taken down). */
  readonly signal?: AbortSignal;
}

export interface ChaosReport {
  readonly blocks: number;
  readonly faults: Readonly<Record<FaultKind, number>>;
  /** Heights where a replay from genesis disagreed, plus nodes whose logs show an app-hash mismatch or a broken invariant. */
  readonly divergences: number;
  readonly divergenceDetail: readonly string[];
  /** Longest time from a node's restart (or resume, or heal) until it was back at the chain's height. */
  readonly worstRecoveryMs: number;
  readonly txs: number;
  readonly committedByLoad: number;
  readonly loadErrors: number;
  /** "node:hash" of committed txs a node's index did not find. */
  readonly unindexed: readonly string[];
  readonly seconds: number;
}

const CAIRN = 1_000_000n;
const SNAPSHOT_INTERVAL = 25;

/** A small deterministic PRNG (mulberry32), so a run can be repeated with its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const note = opts.note ?? (() => {});
  const random = rng(opts.seed ?? Date.now());
  const wallets = await Promise.all(MNEMONICS.map((m) => DirectSecp256k1HdWallet.fromMnemonic(m, { prefix: 'cairn' })));
  const addresses = await Promise.all(wallets.map(async (w) => (await w.getAccounts())[0]!.address));
  const net = await Localnet.create({
    dir: opts.dir,
    validators: 4,
    blockTimeMs: opts.blockTimeMs ?? 500,
    accounts: addresses.map((address) => ({ address, amount: 1_000_000n * CAIRN })),
  });
  const validators = net.nodes.map((n) => n.name);
  for (const name of validators) await editAppConfig(net.node(name).home, [{ section: 'state-sync', key: 'snapshot-interval', value: SNAPSHOT_INTERVAL }]);
  const faults: Record<FaultKind, number> = { kill: 0, 'kill-two': 0, pause: 0, partition: 0, 'clock-skew': 0, 'state-sync': 0 };
  const libfaketime = libfaketimePath();
  if (libfaketime === undefined) throw new Error('the clock-skew fault needs libfaketime: `npm run setup` installs it as root, or `sudo apt-get install libfaketime`');
  let worstRecoveryMs = 0;
  let stopLoad = false;
  let committedByLoad = 0;
  /** The highest block a load tx was committed in: the checks count at least up to it. */
  let loadTop = 0;
  let loadErrors = 0;
  const timedOut = (): boolean => Date.now() - started > opts.deadlineMs || opts.signal?.aborted === true;
  try {
    await net.up({ timeoutMs: 120_000, killOnExit: true });
    note(`localnet up: ${validators.join(', ')}`);
    const running = (): string[] => net.nodes.map((n) => n.name).filter((n) => net.isRunning(n).cometbft);
    const height = async (): Promise<number> => Math.max(0, ...(await Promise.all(running().map((n) => latestHeight(net.rpcUrl(n)).catch(() => 0)))));

    // ---- load: each wallet sends its own stream, through whichever node answers ----
    const load = wallets.map(async (wallet, i) => {
      const me = addresses[i]!;
      let proposals = 0;
      while (!stopLoad && !timedOut()) {
        const node = running()[Math.floor(random() * running().length)];
        if (node === undefined) {
          await sleep(500);
          continue;
        }
        try {
          const client = await SigningStargateClient.connectWithSigner(net.rpcUrl(node), wallet, { gasPrice: GasPrice.fromString('0.025ucairn'), registry: validatorRegistry, broadcastTimeoutMs: 20_000, broadcastPollIntervalMs: 300 });
          const r = random();
          const other = addresses[(i + 1 + Math.floor(random() * 3)) % addresses.length]!;
          let result;
          if (r < 0.5) {
            result = await client.sendTokens(me, other, [{ denom: 'ucairn', amount: String(1 + Math.floor(random() * 1000)) }], 'auto');
          } else if (r < 0.7) {
            result = await client.delegateTokens(me, await someValidator(net, node, random), { denom: 'ucairn', amount: String(CAIRN) }, 'auto');
          } else if (r < 0.8) {
            result = await client.undelegateTokens(me, await someValidator(net, node, random), { denom: 'ucairn', amount: '1000' }, 'auto');
          } else if (r < 0.9 || proposals > 3) {
            const id = await votingProposal(net, node);
            if (id === undefined) continue;
            result = await client.signAndBroadcast(me, [{ typeUrl: '/cosmos.gov.v1beta1.MsgVote', value: { proposalId: id, voter: me, option: 1 + Math.floor(random() * 4) } }], 'auto');
          } else {
            proposals++;
            result = await client.signAndBroadcast(me, [{ typeUrl: '/cosmos.gov.v1beta1.MsgSubmitProposal', value: { content: { typeUrl: '/cosmos.gov.v1beta1.TextProposal', value: TextProposal.encode({ title: `chaos ${i}.${proposals}`, description: 'a proposal made during a chaos run' }).finish() }, initialDeposit: [{ denom: 'ucairn', amount: String(10n * CAIRN) }], proposer: me } }], 'auto');
          }
          if (result !== undefined) {
            committedByLoad++;
            loadTop = Math.max(loadTop, result.height);
          }
          client.disconnect();
        } catch {
          loadErrors++; // a node went away mid-call, a sequence raced a restart: try again
          await sleep(300);
        }
      }
    });

    // ---- faults, one at a time, until the chain has passed the target height ----
    const others = (name: string): string[] => validators.filter((n) => n !== name);
    /** Waits until `name` has caught up with the highest other node; returns how long it took. */
    const recovery = async (name: string, since: number): Promise<void> => {
      const target = Math.max(0, ...(await Promise.all(others(name).filter((n) => net.isRunning(n).cometbft).map((n) => latestHeight(net.rpcUrl(n)).catch(() => 0)))));
      await net.waitForHeight(target, 180_000, [name]);
      worstRecoveryMs = Math.max(worstRecoveryMs, Date.now() - since);
    };
    const signal = (name: string, sig: NodeJS.Signals): void => {
      const pids = net.node(name).pids ?? {};
      for (const pid of [pids.cometbft, pids.app]) if (pid !== undefined) process.kill(pid, sig);
    };
    /** The full node that (re)joins by state sync; created by the first state-sync fault. */
    let joiner: string | undefined;
    let round = 0;
    const enough = (): boolean => FAULT_KINDS.every((k) => faults[k] >= opts.minEachFault);
    while (((await height()) < opts.blocks || !enough()) && !timedOut()) {
      await sleep((3 + random() * 5) * (opts.blockTimeMs ?? 500));
      const kind = FAULT_KINDS[round++ % FAULT_KINDS.length]!;
      const victim = validators[Math.floor(random() * validators.length)]!;
      const at = await height();
      if (kind === 'state-sync') {
        // A snapshot must exist (and a block above it, for the light client) before anyone can join.
        if (at < SNAPSHOT_INTERVAL + 5) continue;
        if (joiner === undefined) joiner = (await net.addNode()).name;
        else {
          // Rejoin from nothing, as an operator would after losing a disk: stop, wipe the chain data
          // (blocks, state, index, the app's store and snapshots), keep the keys and config.
          await net.stopNode(joiner);
          const data = join(net.node(joiner).home, 'data');
          await rm(data, { recursive: true, force: true });
          await mkdir(data, { recursive: true });
          await writeFile(join(data, 'priv_validator_state.json'), '{"height":"0","round":0,"step":0}\n');
        }
        const rpc = net.rpcUrl(running().find((n) => validators.includes(n))!);
        const trustHeight = await latestHeight(rpc);
        const hash = ((await rpcCall(rpc, 'block', { height: String(trustHeight) })) as { block_id: { hash: string } }).block_id.hash;
        await configure(net.node(joiner).home, { statesync: { enable: true, rpcServers: [rpc, rpc], trustHeight, trustHash: hash, trustPeriodMs: 168 * 3600_000, discoveryTimeMs: 5_000 } });
        const since = Date.now();
        await net.startNode(joiner, { timeoutMs: 120_000 });
        await recovery(joiner, since);
        faults['state-sync']++;
        note(`height ${await height()}: ${joiner} joined by state sync in ${Date.now() - since} ms`);
        continue;
      }
      if (kind === 'kill') {
        signal(victim, 'SIGKILL');
        await sleep(1000 + random() * 2000);
        const since = Date.now();
        await net.startNode(victim, { timeoutMs: 120_000 });
        await recovery(victim, since);
      } else if (kind === 'kill-two') {
        const second = others(victim)[Math.floor(random() * 3)]!;
        signal(victim, 'SIGKILL');
        signal(second, 'SIGKILL');
        await sleep(1000 + random() * 2000);
        const since = Date.now();
        await Promise.all([net.startNode(victim, { timeoutMs: 120_000 }), net.startNode(second, { timeoutMs: 120_000 })]);
        await net.waitForHeight(at + 2, 180_000, [victim, second]);
        await recovery(victim, since);
        await recovery(second, since);
      } else if (kind === 'pause') {
        signal(victim, 'SIGSTOP');
        await sleep(2000 + random() * 4000);
        const since = Date.now();
        signal(victim, 'SIGCONT');
        await recovery(victim, since);
      } else if (kind === 'clock-skew') {
        // The node's app restarts with its clock 10 minutes ahead (libfaketime preloaded into the
        // processes started now). Consensus must not care: the app reads time only from blocks.
        // CometBFT reads the clock through Go's vDSO calls, which libfaketime cannot shift; BFT time
        // (the median of the validators' vote times) is what bounds a skewed CometBFT anyway.
        await net.stopNode(victim);
        process.env['LD_PRELOAD'] = libfaketime;
        process.env['FAKETIME'] = `+${SKEW_SECONDS}`;
        try {
          await net.startNode(victim, { timeoutMs: 120_000 });
        } finally {
          delete process.env['LD_PRELOAD'];
          delete process.env['FAKETIME'];
        }
        await recovery(victim, Date.now());
        // The newest line the app's logger wrote (each a JSON object with its ISO time; other lines,
        // such as a stack trace's, are not).
        const lines = (await readFile(join(net.node(victim).home, 'app.log'), 'utf8')).trimEnd().split('\n');
        const stamp = lines.reverse().map((l) => /^\{"level":"\w+","time":"(\d{4}-\d\d-\d\dT[\d:.]+Z)"/.exec(l)?.[1]).find((t) => t !== undefined);
        const ahead = (Date.parse(stamp ?? '') - Date.now()) / 1000;
        if (!(ahead > SKEW_SECONDS / 2)) throw new Error(`the clock-skew fault did not skew ${victim}'s app (its last log line is ${ahead.toFixed(0)} s from now)`);
        await sleep(3000 + random() * 3000);
        await net.stopNode(victim);
        const since = Date.now();
        await net.startNode(victim, { timeoutMs: 120_000 });
        await recovery(victim, since);
      } else {
        // Partition: the node comes back on a p2p port nobody knows, with no peers, for a while.
        const node = net.node(victim);
        const [port] = await freePorts(1);
        await net.stopNode(victim);
        await configure(node.home, { p2p: { laddr: `tcp://127.0.0.1:${port}`, persistentPeers: [], pex: false } });
        await net.startNode(victim, { timeoutMs: 120_000 });
        await sleep(3000 + random() * 4000);
        await net.stopNode(victim);
        await configure(node.home, { p2p: { laddr: `tcp://127.0.0.1:${node.ports.p2p}`, persistentPeers: net.nodes.filter((n) => n.name !== victim && validators.includes(n.name)).map((n) => peerAddress(n.nodeId, '127.0.0.1', n.ports.p2p)), pex: true } });
        const since = Date.now();
        await net.startNode(victim, { timeoutMs: 120_000 });
        await recovery(victim, since);
      }
      faults[kind]++;
      note(`height ${await height()}: ${kind} of ${victim} done (worst recovery so far ${worstRecoveryMs} ms)`);
    }
    stopLoad = true;
    await Promise.all(load);

    // ---- checks ----
    // The nodes' heights are asked one by one, so one answering late (or not) could leave out the
    // block the last load tx went into.
    const final = Math.max(await height(), loadTop);
    const names = net.nodes.map((n) => n.name);
    await net.waitForHeight(final, 180_000, names);
    const divergenceDetail: string[] = [];
    for (const name of names) {
      const home = net.node(name).home;
      const logs = (await readFile(join(home, 'app.log'), 'utf8').catch(() => '')) + (await readFile(join(home, 'cometbft.log'), 'utf8').catch(() => ''));
      for (const bad of [/invariant broken/, /wrong Block\.Header\.AppHash/, /CONSENSUS FAILURE/]) if (bad.test(logs)) divergenceDetail.push(`${name}: ${bad.source}`);
    }
    const rpc0 = net.rpcUrl('node0');
    const replay = await replayChain(net.node('node0').home, rpc0, BigInt(final - 1));
    divergenceDetail.push(...replay.mismatches.map((h) => `replay differs at height ${h}`));
    const unindexed: string[] = [];
    let txs = 0;
    const bases = new Map<string, number>();
    for (const name of names) bases.set(name, Number(((await rpcCall(net.rpcUrl(name), 'status', {})) as { sync_info: { earliest_block_height: string } }).sync_info.earliest_block_height));
    for (let h = 1; h <= final; h++) {
      const { block } = (await rpcWithRetry(rpc0, 'block', { height: String(h) })) as { block: { data: { txs: string[] | null } } };
      for (const tx of block.data.txs ?? []) {
        txs++;
        const hash = createHash('sha256').update(Buffer.from(tx, 'base64')).digest('hex').toUpperCase();
        // Every node at once (one by one, the long run's check took half its time on a loaded machine).
        await Promise.all(
          names.map(async (name) => {
            if (h < bases.get(name)!) return; // a state-synced node has no block (and no index) below its snapshot
            // "not found" is an RPC error too: a transient failure is told apart by asking again.
            const found = await rpcWithRetry(net.rpcUrl(name), 'tx', { hash: Buffer.from(hash, 'hex').toString('base64') }).then(() => true, () => false);
            if (!found) unindexed.push(`${name}:${hash}`);
          }),
        );
      }
    }
    return { blocks: final, faults, divergences: divergenceDetail.length, divergenceDetail, worstRecoveryMs, txs, committedByLoad, loadErrors, unindexed, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    stopLoad = true;
    await net.down({ reset: true });
  }
}

async function someValidator(net: Localnet, node: string, random: () => number): Promise<string> {
  const r = (await fetch(`http://127.0.0.1:${net.node(node).ports.api}/cosmos/staking/v1beta1/validators`, { signal: AbortSignal.timeout(5_000) }).then((x) => x.json())) as { validators: { operator_address: string }[] };
  const list = r.validators.map((v) => v.operator_address);
  return list[Math.floor(random() * list.length)]!;
}

/** The newest proposal in its voting period, if any. */
async function votingProposal(net: Localnet, node: string): Promise<bigint | undefined> {
  const url = `http://127.0.0.1:${net.node(node).ports.api}/cosmos/gov/v1beta1/proposals?proposal_status=PROPOSAL_STATUS_VOTING_PERIOD&pagination.reverse=true&pagination.limit=1`;
  const r = (await fetch(url, { signal: AbortSignal.timeout(5_000) }).then((x) => x.json())) as { proposals?: { proposal_id: string }[] };
  const id = r.proposals?.[0]?.proposal_id;
  return id === undefined ? undefined : BigInt(id);
}
