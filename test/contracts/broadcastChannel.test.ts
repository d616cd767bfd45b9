import { describe } from 'vitest';
import { broadcast, type Peer } from '../../src/index';
import { startFixture } from '../groups/workers';
import type { FixtureApi } from './fixtureApi';
import { nearHandlers, type HarnessFactory } from './harness';
import { runContract } from './runContract';

// Two members of a group over Node's real BroadcastChannel: the near one in this thread, the far
// one in a worker thread (test/groups/fixtures/contractFar.worker.ts) exposing the fixture API.
// The near side's `peer` is the far member as the group gives it: `group.peer(farId)`.
let count = 0;

const make: HarnessFactory = async (options = {}) => {
  const name = `contract:broadcast:${process.pid}:${++count}`;
  const worker = await startFixture('contractFar.worker', { name });
  const farId = await new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { id: string }) => resolve(message.id));
    worker.once('error', reject);
  });
  const { channel: _channel, ...rest } = options;
  const group = broadcast<FixtureApi>(name, { handlers: nearHandlers, ...rest });
  await new Promise<void>((resolve) => {
    if (group.peers.includes(farId)) return resolve();
    const off = group.on('join', (id) => id === farId && (off(), resolve()));
  });
  const remote = group.peer(farId);
  const peer = {
    remote,
    get closed() {
      return !group.peers.includes(farId);
    },
    close: () => group.close(),
  } as unknown as Peer<FixtureApi>;
  const raw = new BroadcastChannel(name);
  return {
    peer,
    postRaw: (data) => raw.postMessage(data),
    kill: () => worker.terminate().then(() => undefined),
    dispose: async () => {
      group.close();
      raw.close();
      await worker.terminate();
    },
  };
};

describe('contract: BroadcastChannel group member (node BroadcastChannel, far member in a worker thread)', () =>
  runContract(make, {
    skip: {
      'transfer: buffers move both ways without a copy': 'a BroadcastChannel cannot transfer (refused at the caller: test/groups/transfer.test.ts)',
      'streams: transferred items and concurrent streams do not mix': 'its stream transfers every item, which a BroadcastChannel cannot',
    },
  }));
