// What each side of the demo exposes, shared by main, the pages and the utility process.

/** What main exposes to its windows. */
export interface MainApi {
  info(): { electron: string; chrome: string; node: string; platform: string; pid: number };
  add(a: number, b: number): number;
  /** The time every `intervalMs`, until the page stops reading. */
  clock(intervalMs: number): AsyncGenerator<string>;
  /** Opens the second window and links the two pages with a brokered port. */
  openPeer(): void;
  /** Runs a job in a utilityProcess and streams its progress back. */
  runJob(size: number): AsyncGenerator<JobProgress>;
  /** Loads a foreign page (a data: URL) into a window and lets it ask main for a port. */
  tryForeignPage(): Promise<string>;
  /** What main's sender checks ignored so far. */
  ignored(): Array<{ reason: string; url: string }>;
}

/** What every window's page exposes to main. */
export interface PageApi {
  notice(text: string): void;
}

/** What the two pages expose to each other over their brokered port. */
export interface PeerApi {
  hello(from: string, text: string): string;
  /** Takes a buffer moved over (zero-copy between renderers) and says how big it was. */
  bytes(buffer: ArrayBuffer): number;
}

/** What the utility process exposes to main. */
export interface JobApi {
  crunch(size: number): AsyncGenerator<JobProgress>;
}

export interface JobProgress {
  done: number;
  total: number;
  /** With the last item: the sum of square roots. */
  result?: number;
  pid?: number;
}
