import { expose } from '../../src/index';

// A worker that initialises for a while (a large WebAssembly module, say) before it exposes anything.
await new Promise((resolve) => setTimeout(resolve, 600));
expose({ add: (a: number, b: number) => a + b });
