/**
 * All the cores: WEB_CONCURRENCY=N runs N HTTP processes on one port. The process started by
 * `bun run start` serves like any other and starts N-1 more of itself (the same entry point, with
 * LK_WEB_WORKER set); the kernel spreads new connections over their sockets (Linux SO_REUSEPORT).
 * Each process is a whole service: its own catalog snapshot, kept current the way every instance
 * keeps it (LISTEN and the periodic version check), its own sandboxes and caches.
 *
 * Sharing a port is on purpose only: a process claims the port before it starts (a listen
 * without reusePort fails while anyone holds it), so a second, accidental `bun run start` on a
 * port in use stops with one line instead of silently taking half the traffic.
 */
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";

/** Set in the processes the first one starts: they share its port instead of claiming it. */
export const WEB_WORKER_ENV = "LK_WEB_WORKER";

export function isWebWorker(): boolean {
  return process.env[WEB_WORKER_ENV] !== undefined;
}

/** What the HTTP server listens with: the port is shared only when the config says so. */
export function listenOptions(config: Pick<Config, "port" | "webConcurrency">) {
  return { port: config.port, hostname: "0.0.0.0", reusePort: config.webConcurrency > 1 };
}

export class PortInUseError extends Error {}

/**
 * Fails when the port is in use, by anyone (ours with reusePort included): called before the
 * service opens anything. Extra workers skip it, the first process holds the port by then.
 */
export function claimPort(config: Pick<Config, "port">): void {
  if (isWebWorker() || config.port === 0) return;
  try {
    Bun.serve({ port: config.port, hostname: "0.0.0.0", reusePort: false, fetch: () => new Response() }).stop(
      true,
    );
  } catch (error) {
    if ((error as { code?: string }).code !== "EADDRINUSE") throw error;
    throw new PortInUseError(
      `port ${config.port} is in use (is the service already running?): stop the other process or set PORT; ` +
        "WEB_CONCURRENCY=N runs several processes on one port on purpose",
    );
  }
}

/** For the entry point: claims the port, or prints why it cannot and exits 1. */
export function claimPortOrExit(config: Pick<Config, "port">): void {
  try {
    claimPort(config);
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

export interface WebWorkers {
  /** Stops the extra processes (SIGTERM, then SIGKILL after 5 s) and waits for them. */
  stop(): Promise<void>;
}

/** A worker that dies this soon after it started, this many times in a row, is not restarted. */
const QUICK_DEATH_MS = 5_000;
const MAX_QUICK_DEATHS = 3;

/**
 * In the first process: starts the other WEB_CONCURRENCY-1 once it serves itself (so migrations
 * and the demo seed ran once), and restarts one that dies. In an extra worker: makes it stop when
 * the first process goes (the IPC channel closes), and starts nothing.
 */
export function startWebWorkers(config: Pick<Config, "webConcurrency">, logger: Logger): WebWorkers {
  if (isWebWorker()) {
    process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
    return { stop: async () => {} };
  }
  let stopping = false;
  const running = new Map<number, ReturnType<typeof Bun.spawn>>();
  const start = (index: number, quickDeaths: number) => {
    const startedAt = Date.now();
    const child = Bun.spawn([process.execPath, Bun.main], {
      env: { ...process.env, [WEB_WORKER_ENV]: String(index) },
      stdio: ["ignore", "inherit", "inherit"],
      ipc: () => {},
      onExit: (_proc, exitCode, signal) => {
        running.delete(index);
        if (stopping) return;
        const quick = Date.now() - startedAt < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
        if (quick >= MAX_QUICK_DEATHS) {
          logger.error("web worker keeps dying; not restarted", {
            worker: index,
            exit_code: exitCode,
            signal,
          });
          return;
        }
        logger.warn("web worker died; restarting", { worker: index, exit_code: exitCode, signal });
        setTimeout(() => stopping || start(index, quick), 1_000);
      },
    });
    running.set(index, child);
  };
  for (let index = 1; index < config.webConcurrency; index += 1) start(index, 0);
  if (config.webConcurrency > 1) logger.info("web workers started", { processes: config.webConcurrency });
  return {
    async stop() {
      stopping = true;
      await Promise.all(
        [...running.values()].map(async (child) => {
          child.kill("SIGTERM");
          const exited = await Promise.race([
            child.exited.then(() => true),
            Bun.sleep(5_000).then(() => false),
          ]);
          if (!exited) child.kill("SIGKILL");
          await child.exited;
        }),
      );
    },
  };
}
