import { fileURLToPath } from 'node:url';

/** The repository root, and where bench bundles and results go. */
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const cacheDir = `${root}node_modules/.cache/portwire-bench/`;
export const resultsDir = `${root}bench/results/`;
