/**
 * The admin page's script: client/main.ts and what it imports (CodeMirror included) bundled by
 * Bun when the page is first asked for, once per process. No build step to forget: `bun run
 * start` and the tests serve the code as it is in the tree, and nothing comes from a CDN.
 */
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("./client/main.ts", import.meta.url));

let bundle: Promise<string> | undefined;

export function adminScript(): Promise<string> {
  bundle ??= build().catch((error: unknown) => {
    bundle = undefined; // a failed build is retried on the next request
    throw error;
  });
  return bundle;
}

async function build(): Promise<string> {
  const result = await Bun.build({
    entrypoints: [ENTRY],
    target: "browser",
    format: "esm",
    minify: true,
    // The bundle is served as one file: no chunks, no source maps pointing elsewhere.
    splitting: false,
  });
  const [output] = result.outputs;
  if (!result.success || !output) {
    throw new Error(`admin UI bundle failed: ${result.logs.map((log) => String(log)).join("; ")}`);
  }
  return output.text();
}
