import { expose } from '../../src/index';

// A worker whose script fails at top level while it initialises, before it exposes anything: its
// 'error' event is the only sign the page gets, and it never answers a call.
function loadConfig(): { factor: number } {
  throw new Error('the worker script failed at top level on purpose');
}
const config = loadConfig();
expose({ scale: (n: number) => n * config.factor });
