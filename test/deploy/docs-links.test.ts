import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ConfigSchema } from "../../src/config.ts";

/**
 * A clone of the repository is all a reader has: every link in the README and docs/ resolves to
 * a file inside it (anchors to a heading of that file), and none points at the planning folder
 * beside the checkout (`../shared`).
 */
const ROOT = resolve(import.meta.dir, "../..");
const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith(".md"),
);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

const anchorsOf = (file: string) =>
  new Set([...readFileSync(file, "utf8").matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1] ?? "")));

const linksOf = (text: string) =>
  [...text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? "").filter(Boolean);

describe("README and docs/", () => {
  test("docs/api.md exists and the README links it", () => {
    expect(existsSync(join(ROOT, "docs/api.md"))).toBe(true);
    expect(linksOf(readFileSync(join(ROOT, "README.md"), "utf8"))).toContain("docs/api.md");
  });

  test.each(DOCS)("every relative link of %s resolves inside the repository", (doc) => {
    const file = join(ROOT, doc);
    const problems: string[] = [];
    const links = linksOf(readFileSync(file, "utf8")).filter((l) => !/^(https?|mailto):/.test(l));
    for (const link of links) {
      const [path = "", anchor] = link.split("#");
      const target = path === "" ? file : resolve(dirname(file), path);
      if (!target.startsWith(ROOT + sep) && target !== ROOT) problems.push(`${link}: outside the repository`);
      else if (!existsSync(target)) problems.push(`${link}: ${relative(ROOT, target)} does not exist`);
      else if (anchor && target.endsWith(".md") && !anchorsOf(target).has(anchor)) {
        problems.push(`${link}: no heading #${anchor}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test.each(DOCS)("%s names no file of ../shared", (doc) => {
    const text = readFileSync(join(ROOT, doc), "utf8");
    expect(text.match(/[^\s`(]*shared\/[\w.-]+\.md/g) ?? []).toEqual([]);
  });

  test("the check catches a broken link (it can fail)", () => {
    expect(linksOf("see [x](../shared/api.md) and [y](docs/api.md#conventions)")).toEqual([
      "../shared/api.md",
      "docs/api.md#conventions",
    ]);
    expect(anchorsOf(join(ROOT, "docs/api.md")).has("employee-directory-and-impact")).toBe(true);
  });
});

describe("docs/api.md, Configuration", () => {
  test("its table names every variable the config knows, and no other", () => {
    const text = readFileSync(join(ROOT, "docs/api.md"), "utf8");
    const section = text.slice(text.indexOf("## Configuration"));
    const documented = new Set(
      [...section.matchAll(/^\| (.+?) \|/gm)].flatMap((m) =>
        [...(m[1] ?? "").matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((n) => n[1]),
      ),
    );
    const known = Object.keys((ConfigSchema as unknown as { in: { shape: object } }).in.shape);
    expect(known.filter((k) => !documented.has(k))).toEqual([]);
    expect([...documented].filter((k) => !known.includes(k ?? ""))).toEqual([]);
  });
});
