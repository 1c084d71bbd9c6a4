import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import YAML from 'yaml';
import { loadConfig } from '../../src/config/config';

const dir = join(__dirname, '../../deploy/kubernetes');

/** Each kind the manifests may hold, validated offline against its published schema (kubernetes-models, CloudNativePG's CRD). */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'postgresql.cnpg.io/v1 Cluster': Cluster as never,
  'apps/v1 Deployment': Deployment as never,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget as never,
  'v1 Secret': Secret as never,
  'v1 Service': Service as never,
};

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; stringData?: Record<string, string> };

function manifests(): Manifest[] {
  const kustomization = YAML.parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  return kustomization.resources.flatMap((file) => YAML.parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as Manifest));
}

/**
 * deploy/kubernetes (issue 29): plain manifests with a CloudNativePG Cluster as the database,
 * validated offline against the Kubernetes and CloudNativePG schemas (an unknown kind fails),
 * and checked for what Parley relies on: probes, the -rw and -ro Services, secrets as files,
 * resources, a PodDisruptionBudget that covers the pods.
 */
describe('the Kubernetes manifests', () => {
  it('validate against their schemas, every one', () => {
    const all = manifests();
    expect(all.map((m) => `${m.apiVersion} ${m.kind}`).sort()).toEqual(Object.keys(MODELS).sort());
    for (const manifest of all) {
      const Model = MODELS[`${manifest.apiVersion} ${manifest.kind}`];
      expect(Model).toBeDefined();
      expect(() => new Model!(manifest as never).validate()).not.toThrow();
    }
  });

  it('a wrong field fails the validation (the schemas are really applied)', () => {
    const deployment = manifests().find((m) => m.kind === 'Deployment')!;
    const broken = structuredClone(deployment);
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas/);
    const cluster = structuredClone(manifests().find((m) => m.kind === 'Cluster')!);
    cluster.spec.postgresql.synchronous.method = 'all';
    expect(() => new Cluster(cluster as never).validate()).toThrow(/method/);
  });

  it('wires Parley to the cluster: -rw as DATABASE_URL, -ro as replicas, keys by file, probes, resources, a budget', () => {
    const all = manifests();
    const cluster = all.find((m) => m.kind === 'Cluster')!;
    const deployment = all.find((m) => m.kind === 'Deployment')!;
    const pdb = all.find((m) => m.kind === 'PodDisruptionBudget')!;
    const service = all.find((m) => m.kind === 'Service')!;
    const secret = all.find((m) => m.kind === 'Secret')!;
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    const name = cluster.metadata.name;
    expect(cluster.spec.postgresql.synchronous).toEqual({ method: 'any', number: 1 });
    // CloudNativePG's app Secret holds the URI of the -rw Service; the -ro Service serves replicas.
    const db = pod.volumes.find((v: { name: string }) => v.name === 'db');
    expect(db.secret.secretName).toBe(`${name}-app`);
    expect(env.DATABASE_URL_FILE).toBe(`${container.volumeMounts.find((m: { name: string }) => m.name === 'db').mountPath}/uri`);
    expect(env.DATABASE_REPLICA_URLS).toContain(`@${name}-ro:5432/`);
    expect(env.PARLEY_API_KEYS_FILE).toBe(`${container.volumeMounts.find((m: { name: string }) => m.name === 'keys').mountPath}/api-keys`);
    expect(pod.volumes.find((v: { name: string }) => v.name === 'keys').secret.secretName).toBe(secret.metadata.name);
    expect(container.livenessProbe.httpGet.path).toBe('/livez');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    // Draining on SIGTERM fits in the grace period.
    expect(Number(env.PARLEY_SHUTDOWN_DELAY_MS) / 1000).toBeLessThan(pod.terminationGracePeriodSeconds);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    // The image's user (Dockerfile: node, uid 1000) and a read-only root: Parley writes no file with DATABASE_URL.
    expect(pod.securityContext.runAsUser).toBe(1000);
  });

  it("the shipped keys parse with Parley's own configuration rules", () => {
    const secret = manifests().find((m) => m.kind === 'Secret')!;
    const config = loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', PARLEY_API_KEYS: secret.stringData!['api-keys']!, HOST: '0.0.0.0' });
    expect(config.PARLEY_API_KEYS).toHaveLength(3);
  });
});
