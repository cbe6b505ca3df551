import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { createAuthenticator } from "../../src/auth/index.ts";
import { loadConfig } from "../../src/config.ts";
import { AppError } from "../../src/errors.ts";
import { createMemoryLogger } from "../../src/log.ts";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const secretKey = new TextEncoder().encode(SECRET);
const nowS = () => Math.floor(Date.now() / 1000);

const hs256 = (claims: Record<string, unknown>, expiresAt: number = nowS() + 600, key = secretKey) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(key);

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("JWT with an HS256 secret", () => {
  const logger = createMemoryLogger();
  const auth = createAuthenticator(loadConfig({ AUTH_MODE: "jwt", AUTH_JWT_SECRET: SECRET }).auth, logger);

  test("a good token gives the personnel number from sub, zero-padded", async () => {
    expect(await auth.employee(`Bearer ${await hs256({ sub: "123456" })}`)).toEqual({
      personnelNumber: "00123456",
    });
  });

  test("expired beyond the clock skew → 401 'token expired'; within the skew → accepted", async () => {
    const expired = await rejection(auth.employee(`Bearer ${await hs256({ sub: "1" }, nowS() - 120)}`));
    expect([expired.code, expired.message]).toEqual(["unauthorized", "token expired"]);
    expect(await auth.employee(`Bearer ${await hs256({ sub: "1" }, nowS() - 5)}`)).toEqual({
      personnelNumber: "00000001",
    });
  });

  test("a wrong signature → 401", async () => {
    const forged = await hs256(
      { sub: "1" },
      undefined,
      new TextEncoder().encode("another-secret-of-enough-length-000"),
    );
    const error = await rejection(auth.employee(`Bearer ${forged}`));
    expect([error.code, error.message]).toEqual(["unauthorized", "token signature invalid"]);
  });

  test("a wrong algorithm (alg none, RS256) → 401", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const body = Buffer.from(JSON.stringify({ sub: "1", exp: nowS() + 600 })).toString("base64url");
    expect((await rejection(auth.employee(`Bearer ${header}.${body}.`))).code).toBe("unauthorized");
    const { privateKey } = await generateKeyPair("RS256");
    const rs = await new SignJWT({ sub: "1" })
      .setProtectedHeader({ alg: "RS256" })
      .setExpirationTime("5m")
      .sign(privateKey);
    const error = await rejection(auth.employee(`Bearer ${rs}`));
    expect([error.code, error.message]).toEqual(["unauthorized", "token algorithm not allowed"]);
  });

  test("missing exp or a sub that is not a personnel number → 401", async () => {
    const noExp = await new SignJWT({ sub: "1" }).setProtectedHeader({ alg: "HS256" }).sign(secretKey);
    expect((await rejection(auth.employee(`Bearer ${noExp}`))).code).toBe("unauthorized");
    const badSub = await rejection(auth.employee(`Bearer ${await hs256({ sub: "../../etc" })}`));
    expect(badSub.message).toBe("the token does not name a personnel number");
  });

  test("malformed headers → 401 and the token never appears in a message or a log line", async () => {
    for (const header of [
      undefined,
      "",
      "Bearer",
      "Basic abc",
      "Bearer a b",
      `Bearer ${"x".repeat(5000)}`,
      "bearer",
    ]) {
      const error = await rejection(auth.employee(header));
      expect(error.code).toBe("unauthorized");
    }
    const token = await hs256({ sub: "1" }, nowS() - 3600);
    const error = await rejection(auth.employee(`Bearer ${token}`));
    expect(error.message).not.toContain(token.slice(0, 20));
    expect(JSON.stringify(logger.lines)).not.toContain(token.slice(0, 20));
  });

  test("admins need the lk-admin role; an employee token is 403", async () => {
    expect(await auth.admin(`Bearer ${await hs256({ sub: "admin-7", roles: ["lk-admin"] })}`)).toEqual({
      actor: "admin-7",
    });
    const error = await rejection(
      auth.admin(`Bearer ${await hs256({ sub: "00123456", roles: ["employee"] })}`),
    );
    expect(error.code).toBe("forbidden");
  });

  test("the admin's actor is the person: name, else preferred_username, else sub", async () => {
    const actor = async (claims: Record<string, unknown>) =>
      (await auth.admin(`Bearer ${await hs256({ sub: "u-7", roles: ["lk-admin"], ...claims })}`)).actor;
    expect(await actor({ name: "Мария Иванова", preferred_username: "m.ivanova" })).toBe("Мария Иванова");
    expect(await actor({ preferred_username: "m.ivanova" })).toBe("m.ivanova");
    expect(await actor({ name: "  ", preferred_username: 7 })).toBe("u-7");
  });
});

describe("JWT with a JWKS URL (RS256/ES256)", () => {
  let server: ReturnType<typeof Bun.serve>;
  let keys: { rs: CryptoKey; es: CryptoKey };

  beforeAll(async () => {
    const rs = await generateKeyPair("RS256");
    const es = await generateKeyPair("ES256");
    keys = { rs: rs.privateKey, es: es.privateKey };
    const jwks = {
      keys: [
        { ...(await exportJWK(rs.publicKey)), kid: "rs", alg: "RS256", use: "sig" },
        { ...(await exportJWK(es.publicKey)), kid: "es", alg: "ES256", use: "sig" },
      ],
    };
    server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json(jwks) });
  });
  afterAll(() => server.stop(true));

  const sign = (
    alg: "RS256" | "ES256",
    kid: string,
    key: CryptoKey,
    claims: Record<string, unknown> = { sub: "42" },
  ) => new SignJWT(claims).setProtectedHeader({ alg, kid }).setExpirationTime("5m").sign(key);

  test("RS256 and ES256 tokens signed by the published keys are accepted", async () => {
    const auth = createAuthenticator(
      loadConfig({ AUTH_MODE: "jwt", AUTH_JWKS_URL: `http://127.0.0.1:${server.port}/jwks` }).auth,
      createMemoryLogger(),
    );
    expect(await auth.employee(`Bearer ${await sign("RS256", "rs", keys.rs)}`)).toEqual({
      personnelNumber: "00000042",
    });
    expect(await auth.employee(`Bearer ${await sign("ES256", "es", keys.es)}`)).toEqual({
      personnelNumber: "00000042",
    });
  });

  test("a key that is not published → 401; an HS256 token → 401", async () => {
    const auth = createAuthenticator(
      loadConfig({ AUTH_MODE: "jwt", AUTH_JWKS_URL: `http://127.0.0.1:${server.port}/jwks` }).auth,
      createMemoryLogger(),
    );
    const stranger = (await generateKeyPair("RS256")).privateKey;
    expect((await rejection(auth.employee(`Bearer ${await sign("RS256", "rs", stranger)}`))).code).toBe(
      "unauthorized",
    );
    expect((await rejection(auth.employee(`Bearer ${await hs256({ sub: "1" })}`))).code).toBe("unauthorized");
  });
});

describe("dev mode and the admin token", () => {
  test("dev: the bearer token is the personnel number, and a warning is logged at start", async () => {
    const logger = createMemoryLogger();
    const auth = createAuthenticator(loadConfig({}).auth, logger);
    expect(await auth.employee("Bearer 217542")).toEqual({ personnelNumber: "00217542" });
    expect((await rejection(auth.employee("Bearer ivanova"))).code).toBe("unauthorized");
    // The same definition of a personnel number as the SAP client's: all zeros is no one.
    for (const nobody of ["0", "00000000", "123456789"]) {
      expect((await rejection(auth.employee(`Bearer ${nobody}`))).message).toBe(
        "the token does not name a personnel number",
      );
    }
    expect(logger.lines.some((l) => l.level === "warn" && l.msg.includes("AUTH_MODE=dev"))).toBe(true);
  });

  test("ADMIN_TOKEN opens the admin API; an employee token does not; without ADMIN_TOKEN it is closed", async () => {
    const token = "an-admin-token-of-some-length";
    const auth = createAuthenticator(loadConfig({ ADMIN_TOKEN: token }).auth, createMemoryLogger());
    expect(await auth.admin(`Bearer ${token}`)).toEqual({ actor: "admin-token" });
    expect((await rejection(auth.admin("Bearer 00217542"))).code).toBe("unauthorized");
    expect((await rejection(auth.admin(`Bearer ${token}x`))).code).toBe("unauthorized");
    const closed = createAuthenticator(loadConfig({}).auth, createMemoryLogger());
    expect((await rejection(closed.admin(`Bearer ${token}`))).code).toBe("forbidden");
  });
});
