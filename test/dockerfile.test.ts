import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";

// No Docker engine runs on CI machines, so this checks that the image's commands stay in step
// with the package scripts and the files the service needs at run time.
const dockerfile = readFileSync(new URL("../Dockerfile", import.meta.url), "utf8");
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

describe("Dockerfile", () => {
  test("builds on the official Bun image, pinned to one exact release, in more than one stage", () => {
    const froms = instructions.filter((l) => l.startsWith("FROM "));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM oven\/bun:\d+\.\d+\.\d+(-[a-z]+)? AS \w+$/);
    expect(new Set(froms.map((f) => f.split(" ")[1])).size).toBe(1);
  });

  test("installs production dependencies only, from the lockfile", () => {
    expect(instructions).toContain("RUN bun install --frozen-lockfile --production");
    expect(existsSync(new URL("../bun.lock", import.meta.url))).toBe(true);
  });

  test("runs as a non-root user with NODE_ENV=production", () => {
    expect(instructions.some((l) => /^USER (?!root)\w+/.test(l))).toBe(true);
    expect(dockerfile).toContain("NODE_ENV=production");
  });

  test("its CMD is a package script that exists, and that script's entry file exists", () => {
    const cmd = instructions.find((l) => l.startsWith("CMD "));
    const args = JSON.parse(cmd?.slice(4) ?? "[]") as string[];
    expect(args.slice(0, 2)).toEqual(["bun", "run"]);
    const script = pkg.scripts[args[2] ?? ""];
    expect(script).toBeDefined();
    const entry = script?.split(" ").find((part) => part.endsWith(".ts"));
    expect(entry && existsSync(new URL(`../${entry}`, import.meta.url))).toBe(true);
  });

  test("copies every folder the service imports at run time", () => {
    for (const folder of ["src", "wasm", "db"]) expect(instructions).toContain(`COPY ${folder} ./${folder}`);
  });

  test("HEALTHCHECK probes readiness (/readyz), on the port the image sets", () => {
    const healthcheck = instructions.find((l) => l.startsWith("HEALTHCHECK"));
    expect(healthcheck).toContain("/readyz");
    expect(healthcheck).toContain("process.env.PORT");
    expect(dockerfile).toMatch(/PORT=8000/);
  });

  test(".dockerignore keeps node_modules, .data and .git out, and every file the image copies in", () => {
    const ignored = readFileSync(new URL("../.dockerignore", import.meta.url), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const entry of ["node_modules", ".data", ".git"]) expect(ignored).toContain(entry);
    const copied = instructions
      .filter((l) => l.startsWith("COPY ") && !l.includes("--from"))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(copied).toEqual(expect.arrayContaining(["package.json", "bun.lock", "src", "wasm", "db"]));
    for (const path of copied) {
      const excluded = ignored.some(
        (pattern) => new Bun.Glob(pattern).match(path) || path.startsWith(`${pattern}/`),
      );
      expect({ path, excluded }).toEqual({ path, excluded: false });
    }
  });

  test("a run-time import never needs a dev dependency", () => {
    // playwright-core, fast-check, drizzle-kit… are for tests and tooling only.
    const sources = new Bun.Glob("src/**/*.ts").scanSync({ cwd: new URL("..", import.meta.url).pathname });
    for (const file of sources) {
      const text = readFileSync(new URL(`../${file}`, import.meta.url), "utf8");
      for (const [, specifier = ""] of text.matchAll(/from "([^"]+)"/g)) {
        if (/^(\.|node:|bun(:|$))/.test(specifier)) continue;
        const name = specifier
          .split("/")
          .slice(0, specifier.startsWith("@") ? 2 : 1)
          .join("/");
        expect({ file, name, known: name in pkg.dependencies }).toEqual({ file, name, known: true });
      }
    }
  });
});
