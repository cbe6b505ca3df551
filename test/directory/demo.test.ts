import { expect, setDefaultTimeout, test } from "bun:test";
import { loadConfig } from "../../src/config.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { startService } from "../../src/server.ts";

setDefaultTimeout(180_000);

test("the demo start syncs the demo directory in the background and says so", async () => {
  const logger = createMemoryLogger();
  const service = await startService(
    loadConfig({ PORT: "0", PGLITE_DIR: "memory://", DIRECTORY_SYNC_INTERVAL_H: "0" }),
    logger,
  );
  try {
    expect(logger.lines.some((l) => l.msg.startsWith("syncing the demo directory in the background"))).toBe(
      true,
    );
    // It is listening while the sync runs: the status shows the pages coming in.
    for (;;) {
      const status = await (
        await fetch(`${service.url}/admin/directory`, {
          headers: { authorization: `Bearer ${service.devAdminToken}` },
        })
      ).json();
      expect(status.status).toBe("running");
      if (status.pages >= 3) {
        expect(status.total).toBe(300_000);
        // Small pages on embedded PGlite (it writes on the service's own thread).
        expect(status.employees).toBe(status.pages * 100);
        break;
      }
      await Bun.sleep(200);
    }
  } finally {
    await service.stop(); // interrupts the sync: the next start resumes it
  }
});
