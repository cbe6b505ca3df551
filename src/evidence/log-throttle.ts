import type { LogFields, Logger, LogLevel } from "../log.ts";

/**
 * Logs a repeating event at most once per interval per key, with how many were suppressed in
 * between: a 503 storm or a wrong SAP password must say so loudly, not once per request.
 */
export class LogThrottle {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  log(key: string, level: LogLevel, msg: string, fields: LogFields = {}): void {
    const t = this.now();
    const seen = this.last.get(key);
    if (seen && t - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(key, { at: t, suppressed: 0 });
    this.logger[level](msg, suppressed > 0 ? { ...fields, suppressed } : fields);
  }
}
