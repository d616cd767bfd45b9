import { describe } from 'vitest';
import { createPeer, expose } from '../../src/index';
import { parentEndpoint } from '../../src/electron/parentEndpoint';
import { utilityEndpoint } from '../../src/electron/utilityEndpoint';
import { createFixtureApi, type FixtureApi } from '../contracts/fixtureApi';
import { nearHandlers, type HarnessFactory } from '../contracts/harness';
import { FakeUtilityProcess } from './fakeUtility';
import { runElectronContract } from './runElectronContract';

const NO_TRANSFER = 'process.parentPort cannot transfer, and main transfers only ports (see transfer.test.ts)';

// Main calls a utilityProcess child that exposes the fixture API on process.parentPort.
const mainCallsChild: HarnessFactory = async (options) => {
  const child = new FakeUtilityProcess();
  const far = expose(createFixtureApi(), parentEndpoint(child.parentPort));
  const peer = createPeer<FixtureApi>(utilityEndpoint(child), { handlers: nearHandlers, ...options });
  return {
    peer,
    postRaw: (data) => child.parentPort.postMessage(data),
    kill: () => void child.kill(),
    dispose: () => {
      peer.close();
      far.close();
      child.kill();
    },
  };
};

// The child calls main. Main cannot vanish while its child lives, so "going away" is main going
// silent (hung): the child's heartbeat notices.
const childCallsMain: HarnessFactory = async (options) => {
  const child = new FakeUtilityProcess();
  const far = expose(createFixtureApi(), utilityEndpoint(child));
  const peer = createPeer<FixtureApi>(parentEndpoint(child.parentPort), { handlers: nearHandlers, ...options });
  return {
    peer,
    postRaw: (data) => child.postMessage(data),
    kill: () => {
      child.removeAllListeners('message');
      child.postMessage = () => {};
    },
    dispose: () => {
      peer.close();
      far.close();
      child.kill();
    },
  };
};

describe('contract: Electron main → utilityProcess (utilityEndpoint ↔ parentEndpoint)', () => runElectronContract(mainCallsChild, NO_TRANSFER));
describe('contract: utilityProcess → main (parentEndpoint ↔ utilityEndpoint)', () => runElectronContract(childCallsMain, NO_TRANSFER));
