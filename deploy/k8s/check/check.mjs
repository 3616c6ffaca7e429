// Checks rendered Kubernetes manifests (a kustomize build on stdin) offline,
// printing every problem and exiting 1 if there is one:
//
// - schema: each object against the Kubernetes OpenAPI schema of
//   kubernetes-models (types, required fields, formats: a grpc probe's port
//   must be a number), and no field that the API does not know (a
//   misspelled `readinesProbe` would otherwise be dropped by the API server
//   without a word), from @kubernetes/client-node's models;
// - the suite's rules: every container limited and locked down, probes on
//   every server, a Service, a PodDisruptionBudget and a NetworkPolicy per
//   Deployment, a default-deny policy, no Secret committed, and the network
//   policies letting through exactly the calls the flags make (a
//   --<callee>_target in <name>-flags needs an egress rule of <name> and an
//   ingress rule of <callee> on its port).
//
// Usage: kubectl kustomize deploy/k8s/overlays/small | node check.mjs small
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import * as k8s from '@kubernetes/client-node';

const label = process.argv[2] ?? 'stdin';
const problems = [];
const problem = (obj, text) =>
  problems.push(`${obj ? `${obj.kind}/${obj.metadata?.name}` : label}: ${text}`);

// --- schema -----------------------------------------------------------------

// kubernetes-models/<group>/<version> (core: kubernetes-models/v1).
async function schemaCheck(obj) {
  let models;
  try {
    models = await import(`kubernetes-models/${obj.apiVersion}`);
  } catch {
    return problem(obj, `no schema for apiVersion ${obj.apiVersion}`);
  }
  const Model = models[obj.kind];
  if (!Model) return problem(obj, `no schema for ${obj.apiVersion} ${obj.kind}`);
  try {
    new Model(obj).validate();
  } catch (error) {
    for (const detail of error.details ?? [{ message: error.message }]) {
      problem(obj, detail.instancePath ? `${detail.instancePath} ${detail.message}` : detail.message);
    }
  }
}

// client-node's model class of a type name: "V1Deployment", ...
function modelOf(type) {
  const cls = k8s[type];
  return typeof cls?.getAttributeTypeMap === 'function' ? cls : null;
}

function unknownFields(obj, value, type, path) {
  if (value === null || value === undefined) return;
  let match;
  if ((match = /^Array<(.+)>$/.exec(type))) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(obj, v, match[1], `${path}/${i}`));
    return;
  }
  if ((match = /^\{ \[key: string\]: (.+); \}$/.exec(type))) {
    for (const [k, v] of Object.entries(value)) unknownFields(obj, v, match[1], `${path}/${k}`);
    return;
  }
  const model = modelOf(type);
  if (!model || typeof value !== 'object' || Array.isArray(value)) return;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!fields.has(k)) problem(obj, `${path}/${k}: unknown field (not in ${type})`);
    else unknownFields(obj, v, fields.get(k), `${path}/${k}`);
  }
}

function strictCheck(obj) {
  const version = obj.apiVersion.split('/').pop();
  const type = `${version[0].toUpperCase()}${version.slice(1)}${obj.kind}`;
  if (!modelOf(type)) return problem(obj, `no field list for ${obj.apiVersion} ${obj.kind}`);
  unknownFields(obj, obj, type, '');
}

// --- the suite's rules ------------------------------------------------------

const nameOf = (labels) => labels?.['app.kubernetes.io/name'];

function containerRules(obj, c, server) {
  const where = `container ${c.name}`;
  for (const kind of ['requests', 'limits']) {
    for (const resource of ['cpu', 'memory']) {
      if (!c.resources?.[kind]?.[resource]) problem(obj, `${where}: no ${kind}.${resource}`);
    }
  }
  const sc = c.securityContext ?? {};
  if (sc.allowPrivilegeEscalation !== false) problem(obj, `${where}: allowPrivilegeEscalation not false`);
  if (sc.readOnlyRootFilesystem !== true) problem(obj, `${where}: readOnlyRootFilesystem not true`);
  if (!sc.capabilities?.drop?.includes('ALL')) problem(obj, `${where}: capabilities do not drop ALL`);
  if (!server) return;
  const ports = new Set((c.ports ?? []).map((p) => p.containerPort));
  for (const probe of ['readinessProbe', 'livenessProbe']) {
    const p = c[probe];
    if (!p) {
      problem(obj, `${where}: no ${probe}`);
    } else if (p.grpc && !ports.has(p.grpc.port)) {
      problem(obj, `${where}: ${probe} grpc port ${p.grpc.port} is none of its ports`);
    }
  }
}

function deploymentRules(obj, all) {
  const pod = obj.spec?.template?.spec ?? {};
  const name = nameOf(obj.spec?.selector?.matchLabels);
  if (pod.securityContext?.runAsNonRoot !== true) problem(obj, 'pod: runAsNonRoot not true');
  if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') {
    problem(obj, 'pod: seccompProfile not RuntimeDefault');
  }
  (pod.initContainers ?? []).forEach((c) => containerRules(obj, c, false));
  (pod.containers ?? []).forEach((c) => containerRules(obj, c, true));
  const selects = (o, selector) => nameOf(selector) === name;
  if (!all.some((o) => o.kind === 'Service' && selects(o, o.spec?.selector))) problem(obj, 'no Service');
  if (!all.some((o) => o.kind === 'PodDisruptionBudget' && selects(o, o.spec?.selector?.matchLabels))) {
    problem(obj, 'no PodDisruptionBudget');
  }
  if (!all.some((o) => o.kind === 'NetworkPolicy' && selects(o, o.spec?.podSelector?.matchLabels))) {
    problem(obj, 'no NetworkPolicy of its own');
  }
}

// Whether a NetworkPolicy rule's peers and ports let `peer` (a pod name, or
// null for anyone) through on `port`.
function ruleAllows(rule, peers, peer, port) {
  const portOk = !rule.ports || rule.ports.some((p) => p.port === port);
  const list = rule[peers];
  const peerOk = !list || list.some((p) => p.podSelector && nameOf(p.podSelector.matchLabels) === peer && !p.namespaceSelector);
  return portOk && peerOk;
}

function networkRules(all) {
  const policies = all.filter((o) => o.kind === 'NetworkPolicy');
  const denyAll = policies.some(
    (p) => Object.keys(p.spec?.podSelector ?? {}).length === 0 && !p.spec.ingress && !p.spec.egress &&
      ['Ingress', 'Egress'].every((t) => p.spec.policyTypes?.includes(t)));
  if (!denyAll) problem(null, 'no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');
  const policyOf = (name) => policies.find((p) => nameOf(p.spec?.podSelector?.matchLabels) === name);
  for (const cm of all.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-flags'))) {
    const caller = cm.metadata.name.replace(/-flags$/, '');
    for (const [, callee, port] of (cm.data?.flags ?? '').matchAll(/^--([a-z]+)_target=dns:\/\/\/[^:]+:(\d+)$/gm)) {
      const out = policyOf(caller);
      const into = policyOf(callee);
      if (!out?.spec.egress?.some((r) => ruleAllows(r, 'to', callee, Number(port)))) {
        problem(out ?? cm, `${caller} calls ${callee}:${port} (${cm.metadata.name}) but no egress rule lets it`);
      }
      if (!into?.spec.ingress?.some((r) => ruleAllows(r, 'from', caller, Number(port)))) {
        problem(into ?? cm, `${caller} calls ${callee}:${port} (${cm.metadata.name}) but no ingress rule lets it in`);
      }
    }
  }
}

// --- main -------------------------------------------------------------------

const documents = parseAllDocuments(readFileSync(0, 'utf8'));
const objects = [];
for (const doc of documents) {
  if (doc.errors.length) doc.errors.forEach((e) => problem(null, `YAML: ${e.message}`));
  const obj = doc.toJS();
  if (obj) objects.push(obj);
}
if (objects.length === 0) problem(null, 'no objects rendered');
for (const obj of objects) {
  if (!obj.apiVersion || !obj.kind) {
    problem(obj, 'no apiVersion or kind');
    continue;
  }
  await schemaCheck(obj);
  strictCheck(obj);
  if (obj.kind === 'Secret') problem(obj, 'a Secret in the manifests: create it in the cluster, never commit it');
  if (obj.kind === 'Deployment') deploymentRules(obj, objects);
}
networkRules(objects);

const kinds = {};
objects.forEach((o) => (kinds[o.kind] = (kinds[o.kind] ?? 0) + 1));
const summary = Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ');
if (problems.length) {
  problems.forEach((p) => console.error(`${label}: ${p}`));
  console.error(`${label}: ${problems.length} problem(s) in ${objects.length} objects (${summary})`);
  process.exit(1);
}
console.log(`${label}: ${objects.length} objects valid (${summary})`);
