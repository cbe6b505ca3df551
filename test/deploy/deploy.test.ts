import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigSchema, loadConfig } from "../../src/config.ts";
import { SERVICE_PATH } from "../../src/evidence/mock-sap/server.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

/**
 * No Docker engine or cluster runs here, so this checks what can be checked of deploy/: the
 * files parse, every command they run is a package script, every variable they give the service
 * is one its config knows (and the whole set is a configuration it accepts in production), and
 * ports, probes and names agree with each other and with the service.
 */
const ROOT = resolve(import.meta.dir, "../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, which the assertions below walk field by field
type Manifest = Record<string, any>;
const yaml = (path: string) => Bun.YAML.parse(read(path)) as Manifest;
const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
const CONFIG_KEYS = new Set(Object.keys((ConfigSchema as unknown as { in: { shape: object } }).in.shape));

/** `${VAR:-default}` → default, `${VAR:?message}` → a stand-in value, as compose would need it set. */
const interpolate = (value: string) =>
  value
    .replace(/\$\{(\w+):-([^}]*)\}/g, (_, _name, fallback: string) => fallback)
    .replace(/\$\{(\w+):\?[^}]*\}/g, (_, name: string) => `${name.toLowerCase()}-stand-in-0123456789abcdef`);

/** A command given as an exec array: `bun run <script> …` must name a script that exists. */
function expectPackageScript(command: unknown, where: string) {
  expect({ where, command: Array.isArray(command) }).toEqual({ where, command: true });
  const args = command as string[];
  expect({ where, runner: args.slice(0, 2) }).toEqual({ where, runner: ["bun", "run"] });
  const script = args[2] ?? "";
  expect({ where, script, exists: script in scripts }).toEqual({ where, script, exists: true });
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const answers = async (path: string) => (await t.request(path)).status;

describe("deploy/compose.yaml", () => {
  const compose = yaml("deploy/compose.yaml");
  const services = compose.services as Manifest;
  const appServices = Object.entries(services).filter(([, s]) => s.image === "lk-personalisation:local");

  test("at least two service replicas behind nginx, with PostgreSQL, Redis and the demo SAP", () => {
    expect(services.lk.deploy.replicas).toBeGreaterThanOrEqual(2);
    expect(services.lb.image).toStartWith("nginx:");
    expect(services.postgres.image).toStartWith("postgres:");
    expect(services.redis.image).toStartWith("redis:");
    expect(services.sap.command.slice(0, 3)).toEqual(["bun", "run", "mock-sap"]);
    expect(services.sap.build.dockerfile).toBe("Dockerfile");
    expect(existsSync(join(ROOT, "deploy", services.sap.build.context, "Dockerfile"))).toBe(true);
  });

  test("every image is an official one pinned to an exact version", () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.image === "lk-personalisation:local") continue;
      expect({ name, image: service.image }).toEqual({
        name,
        image: expect.stringMatching(/^(nginx|postgres|redis):\d+\.\d+(\.\d+)?(-[a-z0-9]+)?$/),
      });
    }
  });

  test("every command it runs in our image is a package script", () => {
    expect(appServices.length).toBeGreaterThanOrEqual(3);
    for (const [name, service] of appServices) {
      // No command: the image's CMD (`bun run start`, checked in dockerfile.test.ts).
      if (service.command) expectPackageScript(service.command, name);
    }
  });

  test("every variable it gives the service is one the config knows, and production accepts them", () => {
    for (const [name, service] of appServices) {
      if (!service.environment) continue;
      const env = Object.fromEntries(
        Object.entries(service.environment as Record<string, string>).map(([k, v]) => [
          k,
          interpolate(String(v)),
        ]),
      );
      for (const key of Object.keys(env))
        expect({ name, key, known: CONFIG_KEYS.has(key) }).toEqual({ name, key, known: true });
      const config = loadConfig(env);
      expect(config.nodeEnv).toBe("production");
      expect(config.database.kind).toBe("postgres");
      expect(config.evidence.redisUrl).toBe("redis://redis:6379");
    }
  });

  test("the SAP URL, the nginx upstream and the service port agree", () => {
    const env = services.lk.environment as Record<string, string>;
    const sapUrl = new URL(env.SAP_BASE_URL ?? "");
    const sapArgs = services.sap.command as string[];
    expect(sapUrl.hostname).toBe("sap");
    expect(sapUrl.port).toBe(sapArgs[sapArgs.indexOf("--port") + 1] ?? "");
    expect(sapUrl.pathname).toBe(SERVICE_PATH);
    expect(sapArgs[sapArgs.indexOf("--hostname") + 1]).toBe("0.0.0.0");

    const nginx = read("deploy/nginx.conf");
    expect(services.lb.volumes).toContain("./nginx.conf:/etc/nginx/nginx.conf:ro");
    const upstream = /server\s+lk:(\d+)/.exec(nginx);
    expect(upstream?.[1]).toBe(env.PORT);
    expect(services.lk.expose).toContain(env.PORT);
    expect(/listen\s+(\d+)/.exec(nginx)?.[1]).toBe(String(services.lb.ports[0]).split(":")[1]);
  });

  test("the replicas start after the seed and the services they need are healthy", () => {
    expect(services.lk.depends_on.postgres.condition).toBe("service_healthy");
    expect(services.lk.depends_on.redis.condition).toBe("service_healthy");
    expect(services.lk.depends_on.sap.condition).toBe("service_healthy");
    expect(services.lk.depends_on["catalog-seed"].condition).toBe("service_completed_successfully");
    expect(services.lb.depends_on.lk.condition).toBe("service_healthy");
  });
});

describe("deploy/k8s", () => {
  const dir = "deploy/k8s";
  const files = readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".yaml"));
  const docs = files.map((f) => ({ file: f, doc: yaml(`${dir}/${f}`) }));
  const byKind = (kind: string) => {
    const found = docs.filter((d) => d.doc.kind === kind);
    expect({ kind, count: found.length }).toEqual({ kind, count: 1 });
    return found[0]?.doc as Manifest;
  };
  const deployment = byKind("Deployment");
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const configMap = byKind("ConfigMap");
  const secret = byKind("Secret");
  const labels = deployment.spec.template.metadata.labels;

  test("every file parses to a manifest, and kustomization lists all but the Secret example", () => {
    for (const { file, doc } of docs)
      expect({ file, kind: typeof doc.kind }).toEqual({ file, kind: "string" });
    const kustomization = byKind("Kustomization");
    const listed = new Set(kustomization.resources as string[]);
    for (const file of files) {
      if (file === "kustomization.yaml") continue;
      expect({ file, listed: listed.has(file) }).toEqual({ file, listed: file !== "secret.example.yaml" });
    }
  });

  test("Deployment: replicas, probes on /readyz and /healthz, resources, non-root, read-only root", () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.requests.memory).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(deployment.spec.selector.matchLabels).toEqual(labels);
  });

  test("the probe paths answer as the manifests expect, on the port the config sets", async () => {
    expect(await answers(container.readinessProbe.httpGet.path)).toBe(200);
    expect(await answers(container.livenessProbe.httpGet.path)).toBe(200);
    const port = container.ports.find(
      (p: { name: string }) => p.name === container.readinessProbe.httpGet.port,
    );
    expect(port?.containerPort).toBe(Number(configMap.data.PORT));
    for (const probe of [container.livenessProbe, container.startupProbe])
      expect(probe.httpGet.port).toBe(port?.name);
  });

  test("its command is a package script; its variables come from the ConfigMap and the Secret", () => {
    expectPackageScript(container.args ?? container.command, "Deployment");
    const sources = container.envFrom.map((e: Record<string, { name: string }>) => Object.values(e)[0]?.name);
    expect(sources).toEqual([configMap.metadata.name, secret.metadata.name]);
    for (const key of [...Object.keys(configMap.data), ...Object.keys(secret.stringData)]) {
      expect({ key, known: CONFIG_KEYS.has(key) }).toEqual({ key, known: true });
    }
    for (const env of container.env ?? [])
      expect({ key: env.name, known: CONFIG_KEYS.has(env.name) }).toEqual({ key: env.name, known: true });
    const config = loadConfig({ ...configMap.data, ...secret.stringData });
    expect(config.nodeEnv).toBe("production");
    expect(config.database.kind).toBe("postgres");
    expect(config.auth.mode).toBe("jwt");
  });

  test("Service, PodDisruptionBudget and HorizontalPodAutoscaler point at the Deployment", () => {
    const service = byKind("Service");
    expect(service.spec.selector).toEqual(labels);
    const target = service.spec.ports[0].targetPort;
    expect(container.ports.map((p: { name: string }) => p.name)).toContain(target);
    const pdb = byKind("PodDisruptionBudget");
    expect(pdb.spec.selector.matchLabels).toEqual(labels);
    expect(pdb.spec.maxUnavailable ?? deployment.spec.replicas - pdb.spec.minAvailable).toBeLessThan(
      deployment.spec.replicas,
    );
    const hpa = byKind("HorizontalPodAutoscaler");
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: "Deployment", name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
  });
});
