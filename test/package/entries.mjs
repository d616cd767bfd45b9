import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

// What the checks need to know about an entry beyond package.json "exports":
// - exports: names that a plain `import` of it must give as functions (default: CORE_EXPORTS);
// - node: false for entries plain Node cannot import (Electron's): their import step is skipped,
//   their types are still checked. Entries under ./electron/ are node: false unless said here.
const CORE_EXPORTS = ['expose', 'connect', 'createPeer', 'transfer'];
const ERRORS = ['PortwireError', 'isPortwireError', 'TimeoutError', 'MethodNotFoundError', 'PeerClosedError', 'RemoteError'];
const DETAILS = {
  '.': { exports: [...CORE_EXPORTS, 'context', ...ERRORS] },
  './node': { exports: [...CORE_EXPORTS, 'nodeEndpoint', 'context', ...ERRORS] },
  // './electron/main': { exports: [...CORE_EXPORTS, 'electronEndpoint'] },
};

/**
 * Every code entry of package.json "exports" (not ./package.json):
 * { key: './node', specifier: 'portwire/node', slug: 'portwire-node', exports: [...], node: true }.
 */
export function readEntries() {
  return Object.entries(pkg.exports)
    .filter(([key, target]) => typeof target === 'object' && key !== './package.json')
    .map(([key]) => {
      if (key.includes('*')) throw new Error(`test/package: wildcard export "${key}" is not supported; list its entries`);
      const specifier = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
      const details = DETAILS[key] ?? {};
      return {
        key,
        specifier,
        slug: specifier.replaceAll('/', '-'),
        exports: details.exports ?? CORE_EXPORTS,
        node: details.node ?? !key.startsWith('./electron/'),
      };
    });
}
