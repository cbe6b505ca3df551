import { createHash, timingSafeEqual } from "node:crypto";
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import { normalizePernr } from "../evidence/index.ts";
import type { Logger } from "../log.ts";

export interface EmployeePrincipal {
  personnelNumber: string;
}

export interface AdminPrincipal {
  /**
   * Who made a change, for the audit log and the rule revisions: the person named by the JWT
   * (`name`, else `preferred_username`, else `sub`), or "admin-token".
   */
  actor: string;
}

export interface Authenticator {
  employee(authorization: string | null | undefined): Promise<EmployeePrincipal>;
  admin(authorization: string | null | undefined): Promise<AdminPrincipal>;
}

export const ADMIN_ROLE = "lk-admin";
const CLOCK_SKEW_S = 30;

/**
 * Bearer tokens for employees and admins. `jwt` mode verifies with jose (HS256 secret or a
 * JWKS of RS256/ES256 keys; the personnel number is `sub`). `dev` mode takes the personnel
 * number itself as the token. Token values are never logged or echoed in errors.
 */
export function createAuthenticator(auth: Config["auth"], logger: Logger): Authenticator {
  if (auth.mode === "dev") {
    logger.warn(
      "AUTH_MODE=dev: any 'Bearer <personnel number>' logs in as that employee. Never in production.",
    );
  }
  const verifyJwt = auth.mode === "jwt" ? jwtVerifier(auth) : null;

  const adminTokenDigest = auth.adminToken ? sha256(auth.adminToken) : null;
  const isAdminToken = (token: string) =>
    adminTokenDigest !== null && timingSafeEqual(sha256(token), adminTokenDigest);

  return {
    async employee(header) {
      const token = bearer(header);
      if (verifyJwt) return { personnelNumber: personnelNumberOf((await verifyJwt(token)).sub) };
      return { personnelNumber: personnelNumberOf(token) };
    },
    async admin(header) {
      const token = bearer(header);
      if (isAdminToken(token)) return { actor: "admin-token" };
      if (!verifyJwt) {
        if (!adminTokenDigest)
          throw new AppError("forbidden", "the admin API is closed: ADMIN_TOKEN is not set");
        throw new AppError("unauthorized", "invalid admin token");
      }
      const claims = await verifyJwt(token);
      if (!rolesOf(claims).includes(ADMIN_ROLE)) {
        throw new AppError("forbidden", `the token lacks the ${ADMIN_ROLE} role`);
      }
      return { actor: actorOf(claims) };
    },
  };
}

function jwtVerifier(auth: Config["auth"]): (token: string) => Promise<JWTPayload> {
  const options = {
    algorithms: auth.jwksUrl ? ["RS256", "ES256"] : ["HS256"],
    clockTolerance: CLOCK_SKEW_S,
    issuer: auth.issuer,
    audience: auth.audience,
    requiredClaims: ["sub", "exp"],
  };
  const jwks: JWTVerifyGetKey | null = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : null;
  const secret = new TextEncoder().encode(auth.jwtSecret ?? "");
  return async (token) => {
    try {
      const { payload } = jwks
        ? await jwtVerify(token, jwks, options)
        : await jwtVerify(token, secret, options);
      return payload;
    } catch (error) {
      throw new AppError("unauthorized", jwtFailure(error));
    }
  };
}

/** A short reason for a rejected JWT; jose's codes, never the token. */
function jwtFailure(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return "token expired";
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "token signature invalid";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "token algorithm not allowed";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      return "token claims invalid";
    default:
      return "token invalid";
  }
}

function bearer(header: string | null | undefined): string {
  if (!header) throw new AppError("unauthorized", "missing Authorization header");
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header.trim());
  if (!match?.[1]) throw new AppError("unauthorized", "Authorization must be 'Bearer <token>'");
  return match[1];
}

function personnelNumberOf(subject: unknown): string {
  const pernr = normalizePernr(subject);
  if (pernr === undefined) throw new AppError("unauthorized", "the token does not name a personnel number");
  return pernr;
}

/** The person, as the audit shows them: a name an admin recognises before an opaque subject. */
function actorOf(claims: JWTPayload): string {
  for (const claim of [claims.name, claims.preferred_username, claims.sub]) {
    const text = typeof claim === "string" ? claim.trim().slice(0, 200) : "";
    if (text) return text;
  }
  return "unknown-admin";
}

function rolesOf(claims: JWTPayload): string[] {
  const roles = claims.roles ?? claims.role;
  if (Array.isArray(roles)) return roles.filter((r): r is string => typeof r === "string");
  return typeof roles === "string" ? roles.split(/[\s,]+/) : [];
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
