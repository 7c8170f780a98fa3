import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PoolRebuildOptions, Projection, RebuildPool, RebuildProgress, RebuildResult } from '#read-store';
import type { ServiceRules } from '#shared-kernel';
import { DEFAULT_REBUILD_THREADS } from '#config';
import type { StoresConfig } from './open-stores';

/**
 * The heap (old generation, MB) of a rebuild thread: what the documents a rebuild may hold in memory
 * (REBUILD_MEMORY_MB of them as JSON, several times that as objects, with the rows they derive and a batch of
 * events) need, and no more, so that V8 collects garbage before it piles up (with V8's default heap a rebuild of every
 * projection at 10,000 customers peaked at 0.85–1.5 GB, for no gain in speed). At least REBUILD_MIN_HEAP_MB.
 */
export const rebuildHeapMb = (memoryBudgetMb: number): number => Math.max(REBUILD_MIN_HEAP_MB, 6 * memoryBudgetMb);
/** A rebuild thread's smallest heap: enough for one built through the store (measured up to 100,000 customers). */
export const REBUILD_MIN_HEAP_MB = 384;

/**
 * The rebuild pool a configuration asks for: REBUILD_THREADS threads, or none (rebuilds in the process itself) when
 * it is 0, or when the code runs from its TypeScript sources (tests) and no loader for the threads is given.
 */
export const rebuildPoolFor = (
  config: StoresConfig & { readonly rules: ServiceRules; readonly rebuildThreads: number; readonly rebuildMemoryMb: number },
  execArgv?: readonly string[],
): RebuildThreads | undefined => {
  if (config.rebuildThreads === 0 || (extname(__filename) === '.ts' && !execArgv)) return undefined;
  const { dataDir, eventStore, readStore, rules } = config;
  return new RebuildThreads({ stores: { dataDir, eventStore, readStore }, rules }, { threads: config.rebuildThreads, heapMb: rebuildHeapMb(config.rebuildMemoryMb), ...(execArgv ? { execArgv } : {}) });
};

/** What a rebuild thread is started with. */
export interface RebuildThreadInput {
  readonly stores: StoresConfig;
  readonly rules: ServiceRules;
}

/** From the parent to a rebuild thread. */
export type ToRebuildThread = { readonly kind: 'rebuild'; readonly name: string; readonly options: Omit<PoolRebuildOptions, 'onProgress' | 'onResult'> } | { readonly kind: 'close' };
/** From a rebuild thread to the parent. */
export type FromRebuildThread =
  | { readonly kind: 'progress'; readonly progress: RebuildProgress }
  | { readonly kind: 'done'; readonly result: RebuildResult }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'closed' };

export interface RebuildThreadsOptions {
  /** Rebuilds at once (default DEFAULT_REBUILD_THREADS). */
  readonly threads?: number;
  /** Node options of the threads (the tests pass a TypeScript loader, as they run the sources). */
  readonly execArgv?: readonly string[];
  /** Each thread's heap (old generation, MB); V8's default (or the process's --max-old-space-size) without it. */
  readonly heapMb?: number;
}

/**
 * Rebuilds projections in threads of their own, each opening the configured stores itself (files or URLs): a
 * rebuild's long synchronous batches never hold up the requests of the process that started it, each thread
 * collects its garbage alone within a heap bounded for it, and a job of several projections runs `threads` of them
 * at once. Each thread holds its projection's read model in memory: peak memory grows with the
 * number of threads (REBUILD_THREADS=1 bounds it).
 */
export class RebuildThreads implements RebuildPool {
  readonly threads: number;

  constructor(
    private readonly input: RebuildThreadInput,
    private readonly options: RebuildThreadsOptions = {},
  ) {
    this.threads = Math.max(1, options.threads ?? DEFAULT_REBUILD_THREADS);
  }

  async rebuild(projections: readonly Projection[], options: PoolRebuildOptions = {}): Promise<RebuildResult[]> {
    const queue = [...projections];
    const results = new Map<string, RebuildResult>();
    let failure: Error | undefined;
    const lane = async (): Promise<void> => {
      const thread = new RebuildThread(this.input, this.options);
      try {
        for (let next = queue.shift(); next && !failure; next = queue.shift()) {
          try {
            const result = await thread.rebuild(next.name, options);
            results.set(next.name, result);
            options.onResult?.(result);
          } catch (error) {
            failure ??= error instanceof Error ? error : new Error(String(error));
          }
        }
      } finally {
        await thread.close();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.threads, projections.length) }, lane));
    if (failure) throw failure;
    return projections.map((projection) => results.get(projection.name)!);
  }
}

/** One thread, rebuilding one projection at a time as the parent asks. */
class RebuildThread {
  private readonly worker: Worker;
  private waiting: { what: string; resolve: (message: FromRebuildThread) => void; onProgress?: (progress: RebuildProgress) => void } | undefined;
  private ended: Error | undefined;

  constructor(input: RebuildThreadInput, options: RebuildThreadsOptions) {
    // The thread's file sits next to this one, compiled (.js) or, when the sources run directly, as TypeScript.
    this.worker = new Worker(join(__dirname, `rebuild.worker${extname(__filename)}`), {
      workerData: input,
      execArgv: options.execArgv ? [...options.execArgv] : undefined,
      ...(options.heapMb ? { resourceLimits: { maxOldGenerationSizeMb: options.heapMb } } : {}),
    });
    this.worker.on('message', (message: FromRebuildThread) => {
      if (message.kind === 'progress') this.waiting?.onProgress?.(message.progress);
      else this.settle(message);
    });
    this.worker.on('error', (error) => this.end(error));
    this.worker.on('exit', (code) => this.end(new Error(`The rebuild thread stopped (exit code ${code})`)));
  }

  async rebuild(name: string, options: PoolRebuildOptions): Promise<RebuildResult> {
    const { onProgress, onResult: _, ...rest } = options;
    const answer = await this.ask(`the rebuild of ${name}`, { kind: 'rebuild', name, options: rest }, onProgress);
    if (answer.kind === 'done') return answer.result;
    throw new Error(answer.kind === 'failed' ? answer.message : `The rebuild thread answered ${answer.kind} to a rebuild of ${name}`);
  }

  /** Lets the thread close its stores and end; a thread that already ended is left as it is. */
  async close(): Promise<void> {
    if (!this.ended) await this.ask('closing', { kind: 'close' });
    await this.worker.terminate();
  }

  private ask(what: string, message: ToRebuildThread, onProgress?: (progress: RebuildProgress) => void): Promise<FromRebuildThread> {
    if (this.ended) return Promise.resolve({ kind: 'failed', message: `${what} did not start: ${this.ended.message}` });
    return new Promise((resolve) => {
      this.waiting = { what, resolve, ...(onProgress ? { onProgress } : {}) };
      this.worker.postMessage(message);
    });
  }

  private settle(message: FromRebuildThread): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(message);
  }

  /** The thread ended or threw outside a rebuild (out of memory, for one): the rebuild asked for fails with why. */
  private end(error: Error): void {
    if (this.ended) return;
    this.ended = error;
    const hint =
      (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? ' (a lower REBUILD_MEMORY_MB holds less of a read model in memory; REBUILD_THREADS=0 rebuilds in the process itself, with its heap)'
        : '';
    if (this.waiting) this.settle({ kind: 'failed', message: `${this.waiting.what} stopped: ${error.message}${hint}` });
  }
}
