/**
 * GET /user.tabs has two doors: Bun's router takes the front end's plain request straight to the
 * answer (src/http/front-door.ts), and Elysia takes everything else and serves `app.handle`. They
 * must give the same answers: status, headers and body, errors included, and the same log line.
 * Each case here goes through both, over real HTTP and through app.handle, with one request id.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { EmployeeEvidence } from "../../src/evidence/schema.ts";
import type { EvidenceLookup, EvidenceSource } from "../../src/evidence/source.ts";
import { userTabsFrontDoor } from "../../src/http/front-door.ts";
import { userTabsAnswerer } from "../../src/http/user-tabs.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { makeEmployee } from "../support/employees.ts";

const FRONT_END = "https://lk.example.ru";
const known = makeEmployee({ personnel_number: "00217542" });
const stale = makeEmployee({ personnel_number: "00000777" });

/** Known, stale (SAP failing, cache serving) and unavailable employees; anyone else is unknown. */
const evidence: EvidenceSource = {
  async lookup(pernr): Promise<EvidenceLookup> {
    const found = (e: EmployeeEvidence, isStale: boolean): EvidenceLookup => ({
      kind: "found",
      evidence: Object.freeze(e),
      ageS: isStale ? 4000 : 0,
      stale: isStale,
      from: isStale ? "memory" : "redis",
    });
    if (pernr === known.personnel_number) return found(known, false);
    if (pernr === stale.personnel_number) return found(stale, true);
    if (pernr === "00000503") return { kind: "unavailable", reason: "test", retryAfterS: 7 };
    return { kind: "unknown" };
  },
};

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ evidence, env: { CORS_ORIGINS: FRONT_END } });
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  base = `http://127.0.0.1:${t.app.server?.port}`;
}, 60_000);
afterAll(async () => {
  await t.app.stop();
  await t.close();
});

interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function seen(response: Response): Promise<Seen> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    // Set by the HTTP server on the wire only; app.handle has no connection to write them for.
    if (name !== "date" && name !== "content-length") headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}

let ids = 0;
/** The same request through both doors, with one request id; both answers. */
async function bothDoors(path: string, init: RequestInit = {}): Promise<{ wire: Seen; handle: Seen }> {
  const headers = new Headers(init.headers);
  if (!headers.has("x-request-id")) headers.set("x-request-id", `front-door-${++ids}`);
  const wire = await seen(await fetch(`${base}${path}`, { ...init, headers }));
  const handle = await seen(await t.app.handle(new Request(`http://localhost${path}`, { ...init, headers })));
  return { wire, handle };
}

const bearer = (pernr: string) => ({ authorization: `Bearer ${pernr}` });
const PLAIN = "/user.tabs?platform=web";

describe("the front door and Elysia give the same answers", () => {
  test("200 with the tree, its ETag and Cache-Control", async () => {
    const { wire, handle } = await bothDoors(PLAIN, { headers: bearer(known.personnel_number) });
    expect(wire.status).toBe(200);
    expect(wire.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(JSON.parse(wire.body)).toHaveProperty("banners");
    expect(wire).toEqual(handle);
  });

  test("304 for the current ETag, on every platform the front end sends", async () => {
    for (const platform of ["web", "ios", "android"]) {
      const path = `/user.tabs?platform=${platform}`;
      const first = await fetch(`${base}${path}`, { headers: bearer(known.personnel_number) });
      const etag = first.headers.get("etag") ?? "";
      const { wire, handle } = await bothDoors(path, {
        headers: { ...bearer(known.personnel_number), "if-none-match": etag },
      });
      expect(wire.status).toBe(304);
      expect(wire.body).toBe("");
      expect(wire).toEqual(handle);
    }
  });

  test("401 without a token and with one that is not a personnel number", async () => {
    for (const headers of [{}, bearer("not a number")]) {
      const { wire, handle } = await bothDoors(PLAIN, { headers });
      expect(wire.status).toBe(401);
      expect(JSON.parse(wire.body).error.code).toBe("unauthorized");
      expect(wire).toEqual(handle);
    }
  });

  test("404 for an employee SAP does not know; 503 with Retry-After when SAP cannot be asked", async () => {
    const unknown = await bothDoors(PLAIN, { headers: bearer("00000404") });
    expect(unknown.wire.status).toBe(404);
    expect(JSON.parse(unknown.wire.body).error).toMatchObject({
      code: "employee_not_found",
      request_id: unknown.wire.headers["x-request-id"],
    });
    expect(unknown.wire).toEqual(unknown.handle);
    const away = await bothDoors(PLAIN, { headers: bearer("00000503") });
    expect(away.wire.status).toBe(503);
    expect(away.wire.headers["retry-after"]).toBe("7");
    expect(away.wire).toEqual(away.handle);
  });

  test("X-Evidence-Stale when the answer rests on cached data", async () => {
    const { wire, handle } = await bothDoors(PLAIN, { headers: bearer(stale.personnel_number) });
    expect(wire.status).toBe(200);
    expect(wire.headers["x-evidence-stale"]).toBe("true");
    expect(wire).toEqual(handle);
  });

  test("CORS headers for an allowed origin, none but Vary for another", async () => {
    const allowed = await bothDoors(PLAIN, {
      headers: { ...bearer(known.personnel_number), origin: FRONT_END },
    });
    expect(allowed.wire.headers["access-control-allow-origin"]).toBe(FRONT_END);
    expect(allowed.wire.headers["access-control-expose-headers"]).toContain("etag");
    expect(allowed.wire).toEqual(allowed.handle);
    const other = await bothDoors(PLAIN, {
      headers: { ...bearer(known.personnel_number), origin: "https://evil.example" },
    });
    expect(other.wire.headers["access-control-allow-origin"]).toBeUndefined();
    expect(other.wire.headers.vary).toBe("Origin");
    expect(other.wire).toEqual(other.handle);
  });

  test("431 for oversized headers, in the error shape", async () => {
    const { wire, handle } = await bothDoors(PLAIN, {
      headers: { ...bearer(known.personnel_number), "x-padding": "a".repeat(13 * 1024) },
    });
    expect(wire.status).toBe(431);
    expect(JSON.parse(wire.body).error.code).toBe("headers_too_large");
    expect(wire).toEqual(handle);
  });

  test("an unsafe request id is replaced by a UUID by both", async () => {
    const { wire, handle } = await bothDoors(PLAIN, {
      headers: { ...bearer(known.personnel_number), "x-request-id": "bad id <script>" },
    });
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(wire.headers["x-request-id"]).toMatch(uuid);
    expect(handle.headers["x-request-id"]).toMatch(uuid);
    expect(wire.status).toBe(handle.status);
  });

  test("what the front door leaves to Elysia: another query, a bad platform, another method", async () => {
    const search = await bothDoors(`${PLAIN}&query=${encodeURIComponent("почта")}`, {
      headers: bearer(known.personnel_number),
    });
    expect(search.wire.status).toBe(200);
    expect(search.wire).toEqual(search.handle);
    const bad = await bothDoors("/user.tabs?platform=desktop", { headers: bearer(known.personnel_number) });
    expect(bad.wire.status).toBe(400);
    expect(bad.wire).toEqual(bad.handle);
    const post = await bothDoors(PLAIN, { method: "POST", headers: bearer(known.personnel_number) });
    expect(post.wire.status).toBe(405);
    expect(post.wire.headers.allow).toContain("GET");
    expect(post.wire).toEqual(post.handle);
  });

  test("one log line per request with the same fields, whichever door", async () => {
    const requestId = "front-door-log-line";
    const lineOf = () => {
      const lines = t.logger.lines.filter((l) => l.msg === "request" && l.request_id === requestId);
      expect(lines).toHaveLength(1);
      const { ms: _ms, time: _time, ...rest } = lines[0] as Record<string, unknown>;
      t.logger.lines.length = 0;
      return rest;
    };
    t.logger.lines.length = 0;
    const headers = { ...bearer(known.personnel_number), "x-request-id": requestId };
    await (await fetch(`${base}${PLAIN}`, { headers })).text();
    const wire = lineOf();
    await (await t.app.handle(new Request(`http://localhost${PLAIN}`, { headers }))).text();
    // Elysia writes its line after the answer has gone.
    await Bun.sleep(20);
    const handle = lineOf();
    // Where the evidence came from (memory, redis, sap; stale when served while SAP fails).
    expect(wire).toMatchObject({
      route: "/user.tabs",
      status: 200,
      method: "GET",
      answer_cache: true,
      evidence: "redis",
    });
    expect(wire).toEqual(handle);
  });
});

describe("the front door itself", () => {
  test("it is what Bun's router serves GET /user.tabs with", () => {
    const routes = (t.app.config.serve as { routes?: Record<string, { GET?: unknown }> }).routes;
    expect(typeof routes?.[PLAIN.split("?")[0] as string]?.GET).toBe("function");
  });

  test("it answers the plain request itself and hands every other one to Elysia", async () => {
    const handedOn: string[] = [];
    const door = userTabsFrontDoor(t.ctx, userTabsAnswerer(t.ctx), (request) => {
      handedOn.push(new URL(request.url).search);
      return new Response("elysia");
    });
    const ask = (search: string) =>
      door(new Request(`http://localhost/user.tabs${search}`, { headers: bearer(known.personnel_number) }));
    for (const platform of ["web", "ios", "android"]) {
      const response = await ask(`?platform=${platform}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toHaveProperty("banners");
    }
    expect(handedOn).toEqual([]);
    for (const search of ["", "?platform=desktop", "?platform=web&query=x", "?query=x&platform=web"]) {
      expect(await (await ask(search)).text()).toBe("elysia");
    }
    expect(handedOn).toEqual(["", "?platform=desktop", "?platform=web&query=x", "?query=x&platform=web"]);
  });
});
