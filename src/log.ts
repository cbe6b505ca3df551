import pino from "pino";

/**
 * One JSON line per event on stdout: `{"level","time","msg", ...fields}`. Callers pass plain
 * fields; never a token or a whole employee record (personnel number and rule ids are fine).
 *
 * Lines go through pino to an asynchronous destination: a request's log line is a string
 * appended to a buffer, written to stdout by the event loop in batches, not one blocking write
 * per line. What is still buffered is written out synchronously when the process exits.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const OPTIONS: pino.LoggerOptions = {
  base: null,
  messageKey: "msg",
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
};

/**
 * The service's logger. `write` replaces the destination with a synchronous one taking each
 * line without its newline (tests, tools).
 */
export function createLogger(
  level: LogLevel = "info",
  base: LogFields = {},
  write?: (line: string) => void,
): Logger {
  const root = pino(
    { ...OPTIONS, level },
    write ? { write: (line: string) => write(line.trimEnd()) } : stdout(),
  );
  return wrap(Object.keys(base).length > 0 ? root.child(base) : root);
}

let shared: pino.DestinationStream | undefined;

/** One asynchronous stdout destination per process, flushed when the process exits. */
function stdout(): pino.DestinationStream {
  if (!shared) {
    const destination = pino.destination({ dest: 1, sync: false });
    process.once("exit", () => destination.flushSync());
    shared = destination;
  }
  return shared;
}

function wrap(logger: pino.Logger): Logger {
  return {
    debug: (msg, fields) => (fields ? logger.debug(fields, msg) : logger.debug(msg)),
    info: (msg, fields) => (fields ? logger.info(fields, msg) : logger.info(msg)),
    warn: (msg, fields) => (fields ? logger.warn(fields, msg) : logger.warn(msg)),
    error: (msg, fields) => (fields ? logger.error(fields, msg) : logger.error(msg)),
    child: (fields) => wrap(logger.child(fields)),
  };
}

/** A logger that keeps lines in memory, for tests that assert on what was logged. */
export function createMemoryLogger(): Logger & {
  lines: Array<LogFields & { level: LogLevel; msg: string }>;
} {
  const lines: Array<LogFields & { level: LogLevel; msg: string }> = [];
  const logger = createLogger("debug", {}, (line) => lines.push(JSON.parse(line)));
  return Object.assign(logger, { lines });
}
