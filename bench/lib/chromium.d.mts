/** See chromium.mjs: the system Chromium's path (undefined: Playwright's own browser) and the common flags. */
export const chromiumPath: string | undefined;
export const chromiumArgs: string[];
export function chromiumLaunchOptions(extraArgs?: string[]): { headless: boolean; args: string[]; executablePath?: string };
