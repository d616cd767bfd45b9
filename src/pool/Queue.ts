import type { CallOptions } from '../core/options.js';
import { takeTransfer, transfer } from '../core/transfer.js';
import { AbortError } from '../errors/AbortError.js';
import { TimeoutError } from '../errors/TimeoutError.js';

/** One call made through a pool's `remote`, from when it is made until it settles. */
export class Task {
  /** It waited in the queue: its worker gets what is left of its timeout. */
  waited = false;
  /** It may go back to the queue (once) if its worker dies before answering: see `idempotent`. */
  retryable = false;
  prev: Task | undefined;
  next: Task | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  constructor(
    readonly method: string,
    readonly args: unknown[],
    readonly options: CallOptions | undefined,
    /** Milliseconds, 0 for none; `own` when given per call rather than by the pool. */
    readonly timeout: number,
    readonly own: boolean,
    /** `Date.now()` when the timeout runs out: counted from when the call was made. 0 for none. */
    readonly deadline: number,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

const isAsyncIterable = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

/** Whether running the call again would send the same thing: nothing transferred, nothing uploaded. */
export function repeatable(args: unknown[], options: CallOptions | undefined): boolean {
  if (options?.transfer?.length) return false;
  for (const arg of args) {
    const marked = takeTransfer(arg);
    if (marked) transfer(arg as object, marked); // looked at, not taken: the worker's call takes it
    if (marked || isAsyncIterable(arg)) return false;
  }
  return true;
}

const unref = (timer: ReturnType<typeof setTimeout>) => (timer as { unref?: () => void }).unref?.();

/**
 * The calls waiting for a free worker, in the order they were made (a retried call goes first).
 * A waiting call leaves it when its signal aborts or its timeout runs out: `expire` is then told,
 * with the error to reject it with.
 */
export class Queue {
  #head: Task | undefined;
  #tail: Task | undefined;
  #size = 0;
  #expire: (task: Task, error: Error) => void;
  // One 'abort' listener per signal, however many waiting calls share it.
  #signals = new Map<AbortSignal, Set<Task>>();
  // Calls on the pool's timeout were queued in the order they expire, so one timer, for the
  // oldest, serves them all; a per-call timeout has its own.
  #sweeper: ReturnType<typeof setTimeout> | undefined;
  #sweepAt = 0;

  constructor(expire: (task: Task, error: Error) => void) {
    this.#expire = expire;
  }

  get size(): number {
    return this.#size;
  }

  push(task: Task): void {
    task.prev = this.#tail;
    if (this.#tail) this.#tail.next = task;
    else this.#head = task;
    this.#tail = task;
    this.#watch(task);
  }

  unshift(task: Task): void {
    task.next = this.#head;
    if (this.#head) this.#head.prev = task;
    else this.#tail = task;
    this.#head = task;
    this.#watch(task);
  }

  /** Takes the oldest waiting call out. */
  shift(): Task | undefined {
    const task = this.#head;
    if (task) this.#remove(task);
    return task;
  }

  /** Takes every waiting call out (the pool closed). */
  clear(): Task[] {
    const tasks: Task[] = [];
    for (let task = this.shift(); task; task = this.shift()) tasks.push(task);
    clearTimeout(this.#sweeper);
    this.#sweeper = undefined;
    return tasks;
  }

  #watch(task: Task): void {
    this.#size++;
    task.waited = true;
    const signal = task.options?.signal;
    if (signal) {
      let tasks = this.#signals.get(signal);
      if (!tasks) {
        this.#signals.set(signal, (tasks = new Set()));
        signal.addEventListener('abort', this.#onAbort);
      }
      tasks.add(task);
    }
    if (!task.deadline) return;
    if (task.own) unref((task.timer = setTimeout(this.#timeOut, Math.max(0, task.deadline - Date.now()), task)));
    // A retried call goes first and may expire before the oldest call the sweeper waits for.
    else if (this.#sweeper === undefined || task.deadline < this.#sweepAt) this.#arm(task.deadline);
  }

  #arm(at: number): void {
    clearTimeout(this.#sweeper);
    this.#sweepAt = at;
    unref((this.#sweeper = setTimeout(this.#sweep, Math.max(0, at - Date.now()))));
  }

  #remove(task: Task): void {
    if (task.prev) task.prev.next = task.next;
    else this.#head = task.next;
    if (task.next) task.next.prev = task.prev;
    else this.#tail = task.prev;
    task.prev = task.next = undefined;
    this.#size--;
    if (task.timer !== undefined) clearTimeout(task.timer);
    task.timer = undefined;
    const signal = task.options?.signal;
    const tasks = signal && this.#signals.get(signal);
    if (tasks && tasks.delete(task) && tasks.size === 0) {
      this.#signals.delete(signal!);
      signal!.removeEventListener('abort', this.#onAbort);
    }
  }

  #onAbort = (event: Event): void => {
    const signal = event.target as AbortSignal;
    for (const task of [...(this.#signals.get(signal) ?? [])]) {
      this.#remove(task);
      this.#expire(task, new AbortError(task.method, signal.reason));
    }
  };

  #timeOut = (task: Task): void => {
    task.timer = undefined;
    this.#remove(task);
    this.#expire(task, new TimeoutError(task.method, task.timeout, 'it waited in the pool for a free worker all that time'));
  };

  #sweep = (): void => {
    this.#sweeper = undefined;
    const now = Date.now();
    for (let task = this.#head; task; ) {
      const next = task.next;
      if (task.deadline && !task.own) {
        if (task.deadline > now) return this.#arm(task.deadline);
        this.#timeOut(task);
      }
      task = next;
    }
  };
}
