import { connect } from '../../src/index';
import type { SharedApi, TabSide } from './sharedGroup.shared';

// One tab of the SharedWorker group: a plain connect() to the worker's port, with its own
// handlers for the worker to call back. The query string names the worker (`name`) and the
// group's heartbeat (`hb`).

const params = new URLSearchParams(location.search);
const url = new URL('./sharedGroup.shared.ts', import.meta.url);
url.searchParams.set('hb', params.get('hb') ?? '1000');
const worker = new SharedWorker(url, { type: 'module', name: params.get('name') ?? 'portwire-shared-group' });

const notes: string[] = [];
const tabSide: TabSide = {
  title: () => document.title,
  note: (text) => void notes.push(text),
  later: (value, ms) => new Promise((resolve) => setTimeout(resolve, ms, value)),
};
const shared = connect<SharedApi>(worker.port, { handlers: tabSide });

declare global {
  interface Window {
    shared: typeof shared;
    notes: () => string[];
  }
}
window.shared = shared;
window.notes = () => [...notes];
