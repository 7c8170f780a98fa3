import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface ProjectorProcessOptions {
  /** Node arguments that start the projector (by default its compiled main beside this app's). */
  readonly args?: readonly string[];
  /** The environment it reads its configuration from (the service's own). */
  readonly env: Readonly<Record<string, string>>;
  readonly log: (message: string) => void;
  /** First wait before starting it again after it stopped by itself; doubles up to `maxRestartDelayMs`. */
  readonly restartDelayMs?: number;
  readonly maxRestartDelayMs?: number;
  /** How long a stop waits for it to finish its batch before killing it. */
  readonly stopTimeoutMs?: number;
}

/** The compiled projector beside the compiled API (dist/apps/projector/src/main.js). */
export const PROJECTOR_MAIN = join(__dirname, '..', '..', 'projector', 'src', 'main.js');

/**
 * The projections in a process of their own (PROJECTIONS=process): the service starts apps/projector as its child,
 * connected by an IPC channel, so that the projector stops when the service does, even when the service is killed
 * (the channel closes). When the projector fails (a non-zero exit, or killed) it is started again, after 1 s, then
 * 2, 4… up to 30 s while it keeps failing; a run of a minute resets the wait. A clean exit (asked to stop, as by
 * Ctrl-C in a terminal) is left alone.
 */
export class ProjectorProcess {
  private child?: ChildProcess;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private delayMs: number;
  private startedAt = 0;
  private starts = 0;

  constructor(private readonly options: ProjectorProcessOptions) {
    this.delayMs = options.restartDelayMs ?? 1_000;
  }

  /** The running child's process id, or undefined while it is (re)starting. */
  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** How many times it was started (1 after `start`, more after restarts). */
  get startCount(): number {
    return this.starts;
  }

  start(): void {
    this.stopping = false;
    this.starts += 1;
    this.startedAt = Date.now();
    const child = spawn(process.execPath, [...(this.options.args ?? [PROJECTOR_MAIN])], {
      // One lease holder for every projector this service starts: one started again after a crash takes the
      // projections over at once, instead of waiting for the leases of the one that died to run out.
      env: { ...this.options.env, PROJECTOR_LEASE_OWNER: `${hostname()}:${process.pid}:projector` },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('error', (error) => this.options.log(`The projector process could not start: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.stopping) return;
      if (code === 0) {
        this.options.log('The projector process stopped cleanly; the projections run again when the service starts again');
        return;
      }
      if (Date.now() - this.startedAt > 60_000) this.delayMs = this.options.restartDelayMs ?? 1_000;
      this.options.log(`The projector process stopped (${signal ?? `exit code ${code}`}); starting it again in ${this.delayMs} ms`);
      this.restartTimer = setTimeout(() => this.start(), this.delayMs);
      this.restartTimer.unref();
      this.delayMs = Math.min(this.delayMs * 2, this.options.maxRestartDelayMs ?? 30_000);
    });
  }

  /** Asks the projector to stop after its current batch (SIGTERM), and kills it if it has not within the timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 10_000);
    await exited;
    clearTimeout(timer);
  }
}
