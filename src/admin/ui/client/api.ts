/**
 * The admin API, typed by the server's own schemas (type-only imports: nothing of the server is
 * bundled). The token lives in sessionStorage (gone with the tab) and goes with every call; a
 * 401 signs the page out.
 */
import type { AuditPage } from "../../audit/schemas.ts";
import type { BannerView, CardGroupView, SectionView, SidebarGroupView } from "../../components/schemas.ts";
import type { Preview } from "../../preview/schemas.ts";
import type { RuleRevisionView, RuleView, ValidateResult } from "../../rules/schemas.ts";
import type { Vocabulary } from "../../rules/vocabulary.ts";
import { errorTitle, fieldName, translate, translateKnown } from "./texts.ts";

export type {
  AuditPage,
  BannerView,
  CardGroupView,
  Preview,
  RuleRevisionView,
  RuleView,
  SectionView,
  SidebarGroupView,
  ValidateResult,
  Vocabulary,
};
export type AuditEntry = AuditPage["items"][number];

/** POST /admin/rules/impact (the directory's estimate; issue 9). */
export interface Impact {
  matches: number;
  total: number;
  errors: number;
  sample_matching: ImpactEmployee[];
  sample_not: ImpactEmployee[];
  directory_synced_at: string | null;
  ms: number;
}
export interface ImpactEmployee {
  personnel_number: string;
  full_name?: string;
  position?: string;
  region_name?: string;
  [field: string]: unknown;
}

export interface ErrorDetail {
  message: string;
  path?: string;
  line?: number;
  column?: number;
  personnel_number?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly serverMessage: string,
    readonly details: ErrorDetail[],
  ) {
    super(serverMessage);
  }

  /** What the admin reads: the code's meaning, the server's reason when it is known, the fields. */
  describe(): string {
    const known = translateKnown(this.serverMessage);
    const details = this.details.map((d) =>
      d.path ? `${fieldName(d.path)}: ${translate(d.message)}` : translate(d.message),
    );
    const parts = [errorTitle(this.code, this.status), known && !details.length ? known : null, ...details];
    return parts.filter(Boolean).join(". ");
  }
}

const TOKEN_KEY = "lk-admin-token";
let onSignedOut: (reason: string) => void = () => {};

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
  onSignedOut: (handler: (reason: string) => void) => {
    onSignedOut = handler;
  },
};

interface CallOptions {
  json?: unknown;
  ifMatch?: number;
}

export async function api<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const token = session.token();
  if (!token) throw new ApiError(401, "unauthorized", "no token", []);
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (options.ifMatch !== undefined) headers["if-match"] = String(options.ifMatch);
  let body: string | undefined;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  const response = await fetch(path, { method, headers, body });
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (response.ok) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | null)
    ?.error;
  const failure = new ApiError(
    response.status,
    error?.code,
    error?.message ?? `HTTP ${response.status}`,
    error?.details ?? [],
  );
  if (response.status === 401) {
    session.signOut();
    onSignedOut("Токен не принят: войдите снова");
  }
  throw failure;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const rulesApi = {
  list: () => api<RuleView[]>("GET", "/admin/rules"),
  get: (id: number) => api<RuleView>("GET", `/admin/rules/${id}`),
  vocabulary: () => api<Vocabulary>("GET", "/admin/rules/vocabulary"),
  validate: (body: {
    expression: string;
    name?: string;
    kind?: string;
    app_codes?: string[];
    enabled?: boolean;
  }) => api<ValidateResult>("POST", "/admin/rules/validate", { json: body }),
  impact: (body: { expression: string; platform?: string }) =>
    api<Impact>("POST", "/admin/rules/impact", { json: body }),
  revisions: (id: number) => api<RuleRevisionView[]>("GET", `/admin/rules/${id}/revisions`),
  rollback: (id: number, version: number, current: number) =>
    api<RuleView>("POST", `/admin/rules/${id}/rollback`, { json: { version }, ifMatch: current }),
};
