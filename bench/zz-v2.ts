import { performance } from 'node:perf_hooks';
import { MemoryChain, sealedTestBatch, testBatch, testOperator } from '../test/support/p2p.ts';
import { MessageValidator } from '../node/p2p/validate.ts';
const chain = new MemoryChain();
const op = testOperator('x');
chain.register(op.address, op.key.publicKey);
const sealed = sealedTestBatch(op, testBatch(op, 10_000));
for (let i = 0; i < 8; i++) {
  const v = new MessageValidator(chain);
  const a = performance.now(); const c0 = process.cpuUsage();
  const r = await v.validate('batch', sealed);
  const c = process.cpuUsage(c0);
  console.log(r.result, (performance.now() - a).toFixed(0), 'ms wall', ((c.user + c.system) / 1000).toFixed(0), 'ms cpu');
}
