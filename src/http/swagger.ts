import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Elysia } from "elysia";
import { AppError } from "../errors.ts";

/**
 * Swagger UI's files, served by the service itself from the installed, pinned `swagger-ui-dist`
 * package: integrators work on closed networks, where the openapi plugin's default (a CDN,
 * `@latest`) leaves /swagger a blank page. The version is in the path, so the files can be
 * cached for good and a new version is a new URL.
 */
const PACKAGE_DIR = dirname(Bun.resolveSync("swagger-ui-dist/package.json", import.meta.dir));
const VERSION = (JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as { version: string })
  .version;

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

export const SWAGGER_ASSETS_PATH = `/swagger/assets/${VERSION}`;

/** What the openapi plugin's Swagger UI page loads instead of the CDN. */
export const swaggerUiAssets = {
  theme: `${SWAGGER_ASSETS_PATH}/swagger-ui.css`,
  cdn: `${SWAGGER_ASSETS_PATH}/swagger-ui-bundle.js`,
  version: VERSION,
};

export function swaggerAssetRoutes() {
  return new Elysia().get(
    `${SWAGGER_ASSETS_PATH}/:file`,
    ({ params, set }) => {
      const type = ASSETS[params.file];
      if (!type) throw new AppError("not_found", "no such Swagger UI file");
      set.headers["content-type"] = type;
      set.headers["cache-control"] = "public, max-age=31536000, immutable";
      return Bun.file(join(PACKAGE_DIR, params.file));
    },
    { detail: { hide: true } },
  );
}
