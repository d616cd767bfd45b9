export const outDir: string;
/** Builds the demo into electron/out/; resolves to that folder. */
export function buildApp(): Promise<string>;
