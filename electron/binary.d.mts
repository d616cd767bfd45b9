/** { path } of an Electron binary that exists, or { path: undefined, why } saying what was looked at. */
export function findElectron(): { path: string; why?: undefined } | { path: undefined; why: string };
