// What the usual import ships: the core and its MessagePort transport, tree-shaken (npm run size).
export { expose, connect, transfer } from '../../src/index';
