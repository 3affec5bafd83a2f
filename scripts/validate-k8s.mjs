#!/usr/bin/env node
// Offline checks for RenderFarm's deployment manifests; scripts/validate-deploy.sh drives it.
//
//   node scripts/validate-k8s.mjs k8s LABEL FILE|-      every object of a `kubectl kustomize` build
//   node scripts/validate-k8s.mjs compose LABEL FILE|-  the output of `docker-compose config`
//   node scripts/validate-k8s.mjs to-json FILE|-        a YAML stream as a JSON array (for tests)
//
// k8s: each object is checked against the kubernetes-models schema of its apiVersion/kind
// (validate()), for fields the API does not have (a misspelt `readinesProbe` would otherwise be
// dropped silently by the API server), and against the other objects of the same build: selectors
// that select pods, names that resolve (ConfigMaps, Secrets and their keys, PVCs, volumes, ports),
// autoscaler targets with CPU requests and without a fixed replica count, service accounts and
// their role bindings, and what Akka cluster discovery through the Kubernetes API needs (the pod
// selector matches the nodes and nothing else, the nodes may list pods, advertise their pod IP and
// name their remoting and management ports). KEDA's ScaledObject and TriggerAuthentication have
// no model; their fields are checked by hand below.
// Prints `OK   [LABEL] Kind/name` for every valid object and `FAIL [LABEL] Kind/name: reason` for
// every problem; exits 1 when anything failed.
//
// The npm packages (kubernetes-models, yaml) live in RENDERFARM_VALIDATOR_DIR, by default
// tools/deploy-validator/ (git-ignored), installed there by scripts/validate-deploy.sh.
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = process.env.RENDERFARM_VALIDATOR_DIR || path.join(root, 'tools', 'deploy-validator');
const toolsRequire = createRequire(path.join(toolsDir, 'package.json'));
let YAML;
try {
  YAML = toolsRequire('yaml');
} catch {
  console.error(`validate-k8s: npm packages missing in ${toolsDir}; run scripts/validate-deploy.sh --setup`);
  process.exit(2);
}

const [mode, ...rest] = process.argv.slice(2);
const read = (file) => readFileSync(file === '-' || file === undefined ? 0 : file, 'utf8');

function parseStream(text, label) {
  const docs = YAML.parseAllDocuments(text);
  const objects = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(`${label}: YAML error: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

if (mode === 'to-json') {
  process.stdout.write(JSON.stringify(parseStream(read(rest[0]), rest[0] ?? '-')));
  process.exit(0);
}
if (mode !== 'k8s' && mode !== 'compose') {
  console.error('usage: validate-k8s.mjs k8s|compose LABEL FILE|-  or  validate-k8s.mjs to-json FILE|-');
  process.exit(2);
}
const [label, file] = rest;

// ---------------------------------------------------------------------------------------------
// Reporting: every problem belongs to one object (or to the build as a whole).
const problems = new Map(); // id -> [messages]
const order = [];
const isPlain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const idOf = (o) => `${o?.kind ?? '?'}/${o?.metadata?.name ?? '?'}`;
function fail(obj, message) {
  const id = typeof obj === 'string' ? obj : idOf(obj);
  if (!problems.has(id)) problems.set(id, []);
  problems.get(id).push(message);
}
function finish() {
  let failed = 0;
  for (const id of order) {
    const list = problems.get(id);
    if (!list) console.log(`OK   [${label}] ${id}`);
    else for (const m of list) { console.log(`FAIL [${label}] ${id}: ${m}`); failed++; }
  }
  for (const [id, list] of problems) {
    if (order.includes(id)) continue;
    for (const m of list) { console.log(`FAIL [${label}] ${id}: ${m}`); failed++; }
  }
  if (failed) console.log(`FAIL [${label}] ${failed} problem(s) in ${order.length} object(s)`);
  process.exit(failed ? 1 : 0);
}


// ---------------------------------------------------------------------------------------------
// Kubernetes.
function checkKubernetes(objects) {
  if (objects.length === 0) fail('(build)', 'no objects');
  const seen = new Set();
  for (const o of objects) {
    if (!isPlain(o)) { fail('(document)', `not a mapping: ${JSON.stringify(o).slice(0, 60)}`); continue; }
    const id = idOf(o);
    order.push(id);
    const key = `${o.apiVersion}|${id}|${o.metadata?.namespace ?? ''}`;
    if (seen.has(key)) fail(o, 'defined twice');
    seen.add(key);
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') { fail(o, 'apiVersion and kind are required'); continue; }
    if (typeof o.metadata?.name !== 'string') { fail(o, 'metadata.name is required'); continue; }
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(o.metadata.name) || o.metadata.name.length > 253) fail(o, `metadata.name "${o.metadata.name}" is not a DNS-1123 name`);
    if (o.apiVersion.startsWith('keda.sh/')) checkKeda(o);
    else checkModel(o);
  }
  checkReferences(objects.filter(isPlain));
}

function formatAjv(errors) {
  // One line per field: ajv reports a failed oneOf (Quantity, IntOrString) once per branch.
  const byPath = new Map();
  for (const e of errors) {
    const where = (e.instancePath || '').split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(object)';
    if (!byPath.has(where)) byPath.set(where, []);
    if (!byPath.get(where).includes(e.message)) byPath.get(where).push(e.message);
  }
  return [...byPath].map(([where, messages]) => `${where}: ${messages.join('; ')}`);
}

function checkModel(o) {
  let mod;
  try { mod = toolsRequire(`kubernetes-models/${o.apiVersion}`); } catch { /* unknown group/version */ }
  const Model = mod?.[o.kind];
  if (typeof Model !== 'function' || Model.kind !== o.kind) {
    fail(o, `no Kubernetes model for apiVersion ${o.apiVersion}, kind ${o.kind} (misspelt apiVersion/kind?)`);
    return;
  }
  try {
    new Model(structuredClone(o)).validate();
  } catch (e) {
    const list = Array.isArray(e.errors) ? formatAjv(e.errors) : [e.message];
    for (const m of list.slice(0, 8)) fail(o, m);
  }
  const typeFile = resolveTypes(toolsRequire, `kubernetes-models/${o.apiVersion}/${o.kind}`);
  if (typeFile) unknownFields(o, { ref: `I${o.kind}`, file: typeFile, local: true }, '', (m) => fail(o, m));
}

// ----- unknown fields, from the TypeScript declarations that ship with the models -------------
const interfaces = new Map(); // file -> Map(name -> {props, imports, file})
function resolveTypes(requireFrom, spec) {
  try {
    const js = requireFrom.resolve(spec);
    const dts = js.replace(/\.(c|m)?js$/, '.d.ts');
    return existsSync(dts) ? dts : null;
  } catch { return null; }
}
function loadDeclarations(file) {
  if (interfaces.has(file)) return interfaces.get(file);
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const imports = new Map();
  for (const m of text.matchAll(/^import \{([^}]+)\} from "([^"]+)";/gm)) {
    for (const name of m[1].split(',').map((s) => s.trim()).filter(Boolean)) imports.set(name, m[2]);
  }
  const found = new Map();
  for (const m of text.matchAll(/^export interface (\w+)(?: extends [^{]+)? \{\n([\s\S]*?)^\}/gm)) {
    const props = new Map();
    const lines = m[2].split('\n');
    for (let i = 0; i < lines.length; i++) {
      const p = /^ {4}"([^"]+)"\??: (.*)$/.exec(lines[i]);
      if (!p) continue;
      let type = p[2];
      while (!type.trimEnd().endsWith(';') || (type.match(/\{/g) || []).length > (type.match(/\}/g) || []).length) {
        i++;
        if (i >= lines.length) break;
        type += '\n' + lines[i];
      }
      props.set(p[1], parseType(type.trim().replace(/;$/, '')));
    }
    found.set(m[1], props);
  }
  const aliases = new Map();
  for (const m of text.matchAll(/^export \{([^}]+)\};/gm)) {
    for (const part of m[1].split(',')) {
      const a = /(\w+) as (\w+)/.exec(part);
      if (a) aliases.set(a[2], a[1]);
    }
  }
  const decl = { file, imports, found, aliases };
  interfaces.set(file, decl);
  return decl;
}
function parseType(t) {
  let m;
  if ((m = /^Array<([\s\S]+)>$/.exec(t))) return { array: parseType(m[1].trim()) };
  if ((m = /^\{\s*\[key: string\]: ([\s\S]+?);?\s*\}$/.exec(t))) return { map: parseType(m[1].trim()) };
  if (/^I\w+$/.test(t)) return { ref: t };
  return null; // string, number, literal unions, ...: nothing to look inside
}
function lookup(type, fromFile) {
  // -> { props, name } of the interface `type.ref` names, seen from fromFile; null when it is a
  // type alias (Quantity, IntOrString, Time) or cannot be found.
  const decl = loadDeclarations(fromFile);
  let file = fromFile, name = type.ref;
  if (!type.local && decl.imports.has(type.ref)) {
    const spec = decl.imports.get(type.ref);
    file = spec.startsWith('.') ? path.resolve(path.dirname(fromFile), spec + '.d.ts') : resolveTypes(createRequire(fromFile), spec);
    if (!file || !existsSync(file)) return null;
  }
  const target = loadDeclarations(file);
  const local = target.aliases.get(name) ?? name;
  const props = target.found.get(local);
  return props ? { props, name: local.replace(/^I/, ''), file } : null;
}
function unknownFields(value, type, at, report) {
  if (!type || value === null || value === undefined) return;
  if (type.array) { if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, type.array, `${at}[${i}]`, report)); return; }
  if (type.map) { if (isPlain(value)) for (const [k, v] of Object.entries(value)) unknownFields(v, type.map, `${at}.${k}`, report); return; }
  if (!isPlain(value)) return;
  const decl = lookup(type, type.file);
  if (!decl) return;
  for (const [k, v] of Object.entries(value)) {
    const where = at ? `${at}.${k}` : k;
    if (!decl.props.has(k)) { report(`${where}: unknown field (${decl.name} has no "${k}")`); continue; }
    const sub = decl.props.get(k);
    if (sub) unknownFields(v, withFile(sub, decl.file), where, report);
  }
}
function withFile(t, file) {
  if (!t) return t;
  if (t.array) return { array: withFile(t.array, file) };
  if (t.map) return { map: withFile(t.map, file) };
  return { ...t, file };
}

// ----- KEDA (keda.sh/v1alpha1): no model, so the fields RenderFarm uses are checked by hand ---------
function checkKeys(o, value, at, allowed) {
  if (!isPlain(value)) { fail(o, `${at}: must be an object`); return false; }
  for (const k of Object.keys(value)) if (!allowed.includes(k)) fail(o, `${at}.${k}: unknown field`);
  return true;
}
const isInt = (v) => Number.isInteger(v) && v >= 0;
function checkKeda(o) {
  if (o.apiVersion !== 'keda.sh/v1alpha1') { fail(o, `apiVersion ${o.apiVersion}: KEDA objects are keda.sh/v1alpha1`); return; }
  checkKeys(o, o, '(object)', ['apiVersion', 'kind', 'metadata', 'spec']);
  const s = o.spec;
  if (o.kind === 'ScaledObject') {
    if (!checkKeys(o, s, 'spec', ['scaleTargetRef', 'pollingInterval', 'cooldownPeriod', 'initialCooldownPeriod', 'idleReplicaCount',
      'minReplicaCount', 'maxReplicaCount', 'fallback', 'advanced', 'triggers'])) return;
    if (checkKeys(o, s.scaleTargetRef, 'spec.scaleTargetRef', ['apiVersion', 'kind', 'name', 'envSourceContainerName'])
      && typeof s.scaleTargetRef.name !== 'string') fail(o, 'spec.scaleTargetRef.name: required');
    for (const f of ['pollingInterval', 'cooldownPeriod', 'initialCooldownPeriod', 'idleReplicaCount', 'minReplicaCount', 'maxReplicaCount']) {
      if (s[f] !== undefined && !isInt(s[f])) fail(o, `spec.${f}: must be a non-negative integer`);
    }
    if (isInt(s.minReplicaCount) && isInt(s.maxReplicaCount) && s.minReplicaCount > s.maxReplicaCount) fail(o, 'spec.minReplicaCount: greater than maxReplicaCount');
    if (s.maxReplicaCount === undefined) fail(o, 'spec.maxReplicaCount: required here (KEDA would default to 100 workers)');
    if (s.advanced !== undefined) checkKeys(o, s.advanced, 'spec.advanced', ['horizontalPodAutoscalerConfig', 'restoreToOriginalReplicaCount', 'scalingModifiers']);
    if (!Array.isArray(s.triggers) || s.triggers.length === 0) { fail(o, 'spec.triggers: must be a non-empty array'); return; }
    s.triggers.forEach((t, i) => {
      const at = `spec.triggers[${i}]`;
      if (!checkKeys(o, t, at, ['type', 'name', 'metadata', 'authenticationRef', 'metricType', 'useCachedMetrics'])) return;
      if (typeof t.type !== 'string') fail(o, `${at}.type: required`);
      if (!isPlain(t.metadata)) { fail(o, `${at}.metadata: required object`); return; }
      for (const [k, v] of Object.entries(t.metadata)) if (typeof v !== 'string') fail(o, `${at}.metadata.${k}: must be a string (quote numbers)`);
      if (t.authenticationRef !== undefined && checkKeys(o, t.authenticationRef, `${at}.authenticationRef`, ['name', 'kind'])
        && typeof t.authenticationRef.name !== 'string') fail(o, `${at}.authenticationRef.name: required`);
      if (t.type === 'prometheus') {
        const m = t.metadata;
        checkKeys(o, m, `${at}.metadata`, ['serverAddress', 'query', 'threshold', 'activationThreshold', 'namespace', 'customHeaders',
          'ignoreNullValues', 'queryParameters', 'unsafeSsl', 'authModes']);
        if (typeof m.serverAddress !== 'string' || !/^https?:\/\/[^/\s]+/.test(m.serverAddress)) fail(o, `${at}.metadata.serverAddress: must be an http(s) URL of Prometheus, is ${JSON.stringify(m.serverAddress)}`);
        if (typeof m.query !== 'string' || !m.query.trim()) fail(o, `${at}.metadata.query: required (PromQL)`);
        else if ((m.query.match(/\(/g) || []).length !== (m.query.match(/\)/g) || []).length) fail(o, `${at}.metadata.query: unbalanced parentheses`);
        if (!(Number(m.threshold) > 0)) fail(o, `${at}.metadata.threshold: required, a positive number`);
        if (m.activationThreshold !== undefined && !(Number(m.activationThreshold) >= 0)) fail(o, `${at}.metadata.activationThreshold: must be a number >= 0`);
        if (m.ignoreNullValues !== undefined && !['true', 'false'].includes(m.ignoreNullValues)) fail(o, `${at}.metadata.ignoreNullValues: "true" or "false"`);
      }
    });
  } else if (o.kind === 'TriggerAuthentication') {
    if (!checkKeys(o, s, 'spec', ['secretTargetRef', 'env', 'configMapTargetRef', 'hashiCorpVault', 'azureKeyVault', 'awsSecretManager',
      'gcpSecretManager', 'podIdentity', 'boundServiceAccountToken'])) return;
    if (s.secretTargetRef === undefined) return;
    if (!Array.isArray(s.secretTargetRef)) { fail(o, 'spec.secretTargetRef: must be an array'); return; }
    s.secretTargetRef.forEach((r, i) => {
      if (!checkKeys(o, r, `spec.secretTargetRef[${i}]`, ['parameter', 'name', 'key'])) return;
      for (const f of ['parameter', 'name', 'key']) if (typeof r[f] !== 'string' || !r[f]) fail(o, `spec.secretTargetRef[${i}].${f}: required`);
    });
  } else {
    fail(o, `kind ${o.kind}: the validator knows ScaledObject and TriggerAuthentication of keda.sh/v1alpha1`);
  }
}

// ----- references between the objects of one build --------------------------------------------
function checkReferences(objs) {
  const byKind = (kind) => objs.filter((o) => o.kind === kind);
  const find = (kind, name, ns) => objs.find((o) => o.kind === kind && o.metadata?.name === name && (ns === undefined || o.metadata?.namespace === ns));
  const workloads = objs.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(o.kind) && isPlain(o.spec?.template));
  const namespaces = new Set(byKind('Namespace').map((o) => o.metadata.name));
  const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass',
    'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'ClusterTriggerAuthentication']);
  const matches = (selector, labels) => isPlain(selector) && Object.keys(selector).length > 0
    && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
  const secretKeys = (s) => new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]);

  for (const o of objs) {
    if (clusterScoped.has(o.kind) || !o.metadata) continue;
    if (!o.metadata.namespace) fail(o, 'metadata.namespace: not set (set `namespace:` in the kustomization)');
    else if (namespaces.size && !namespaces.has(o.metadata.namespace)) fail(o, `metadata.namespace: "${o.metadata.namespace}" is not created by this build`);
  }

  const controlled = new Map(); // Kind/name -> autoscaler id
  for (const w of workloads) {
    const spec = w.spec, pod = spec.template.spec ?? {};
    const labels = spec.template.metadata?.labels ?? {};
    if (w.kind !== 'Job') {
      const sel = spec.selector?.matchLabels;
      if (!matches(sel, labels)) fail(w, 'spec.selector.matchLabels: does not match spec.template.metadata.labels');
    }
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    for (const t of spec.volumeClaimTemplates ?? []) volumes.set(t.metadata?.name, { persistentVolumeClaim: {} });
    for (const v of pod.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim && !find('PersistentVolumeClaim', claim, w.metadata.namespace)) fail(w, `volume ${v.name}: PersistentVolumeClaim ${claim} is not in this build`);
      const cm = v.configMap?.name;
      if (cm && !v.configMap.optional && !find('ConfigMap', cm, w.metadata.namespace)) fail(w, `volume ${v.name}: ConfigMap ${cm} is not in this build`);
      const sec = v.secret?.secretName;
      if (sec && !v.secret.optional && !find('Secret', sec, w.metadata.namespace)) fail(w, `volume ${v.name}: Secret ${sec} is not in this build`);
    }
    const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
    for (const c of containers) {
      const at = `container ${c.name}`;
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) fail(w, `${at}: volumeMount ${m.name} has no volume of that name`);
      for (const src of c.envFrom ?? []) {
        if (src.configMapRef && !src.configMapRef.optional && !find('ConfigMap', src.configMapRef.name, w.metadata.namespace)) fail(w, `${at}: envFrom ConfigMap ${src.configMapRef.name} is not in this build`);
        if (src.secretRef && !src.secretRef.optional && !find('Secret', src.secretRef.name, w.metadata.namespace)) fail(w, `${at}: envFrom Secret ${src.secretRef.name} is not in this build`);
      }
      for (const e of c.env ?? []) {
        const sk = e.valueFrom?.secretKeyRef, ck = e.valueFrom?.configMapKeyRef;
        if (sk && !sk.optional) {
          const s = find('Secret', sk.name, w.metadata.namespace);
          if (!s) fail(w, `${at}: env ${e.name} reads Secret ${sk.name}, which is not in this build`);
          else if (!secretKeys(s).has(sk.key)) fail(w, `${at}: env ${e.name} reads key ${sk.key}, which Secret ${sk.name} does not have`);
        }
        if (ck && !ck.optional) {
          const m = find('ConfigMap', ck.name, w.metadata.namespace);
          if (!m) fail(w, `${at}: env ${e.name} reads ConfigMap ${ck.name}, which is not in this build`);
          else if (!(ck.key in (m.data ?? {}))) fail(w, `${at}: env ${e.name} reads key ${ck.key}, which ConfigMap ${ck.name} does not have`);
        }
      }
      const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
        if (typeof port === 'string' && !/^\d+$/.test(port) && !portNames.has(port)) fail(w, `${at}: ${probe} uses port "${port}", which the container does not name`);
      }
    }
  }

  for (const svc of byKind('Service')) {
    const sel = svc.spec?.selector;
    if (!sel) continue; // selector-less Services are allowed (manual Endpoints)
    const pods = workloads.filter((w) => w.metadata.namespace === svc.metadata.namespace && matches(sel, w.spec.template.metadata?.labels));
    if (pods.length === 0) { fail(svc, `spec.selector ${JSON.stringify(sel)}: selects no pods of this build`); continue; }
    for (const p of svc.spec.ports ?? []) {
      if (typeof p.targetPort !== 'string') continue;
      const named = pods.some((w) => (w.spec.template.spec?.containers ?? []).some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort)));
      if (!named) fail(svc, `port ${p.name ?? p.port}: targetPort "${p.targetPort}" is named by no container it selects`);
    }
  }

  for (const pdb of byKind('PodDisruptionBudget')) {
    const sel = pdb.spec?.selector?.matchLabels;
    if (!workloads.some((w) => w.metadata.namespace === pdb.metadata.namespace && matches(sel, w.spec.template.metadata?.labels))) fail(pdb, 'spec.selector: selects no pods of this build');
  }

  const target = (owner, ref, defaultKind) => {
    const kind = ref?.kind ?? defaultKind;
    const w = workloads.find((x) => x.kind === kind && x.metadata?.name === ref?.name && x.metadata?.namespace === owner.metadata?.namespace);
    if (!w) { fail(owner, `scale target ${kind}/${ref?.name} is not in this build`); return null; }
    const key = `${kind}/${ref.name}`;
    if (controlled.has(key)) fail(owner, `${key} is already scaled by ${controlled.get(key)}`);
    controlled.set(key, idOf(owner));
    if (w.spec.replicas !== undefined) fail(w, `spec.replicas: set although ${idOf(owner)} scales it (every apply would reset the autoscaler's count; remove it in the overlay)`);
    return w;
  };
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const w = target(hpa, hpa.spec?.scaleTargetRef, undefined);
    if (!w) continue;
    for (const m of hpa.spec.metrics ?? []) {
      const resource = m.type === 'Resource' ? m.resource?.name : m.type === 'ContainerResource' ? m.containerResource?.name : null;
      if (!resource || m[m.type === 'Resource' ? 'resource' : 'containerResource']?.target?.type !== 'Utilization') continue;
      for (const c of w.spec.template.spec?.containers ?? []) {
        if (m.type === 'ContainerResource' && c.name !== m.containerResource.container) continue;
        if (c.resources?.requests?.[resource] === undefined) fail(hpa, `${resource} utilisation needs resources.requests.${resource} on container ${c.name} of ${idOf(w)}`);
      }
    }
  }
  for (const so of objs.filter((o) => o.kind === 'ScaledObject')) {
    target(so, so.spec?.scaleTargetRef, 'Deployment');
    for (const t of so.spec?.triggers ?? []) {
      const ref = t?.authenticationRef;
      if (!ref?.name) continue;
      const kind = ref.kind ?? 'TriggerAuthentication';
      if (kind === 'TriggerAuthentication' && !find(kind, ref.name, so.metadata.namespace)) fail(so, `trigger ${t.name ?? t.type}: TriggerAuthentication ${ref.name} is not in this build`);
    }
  }
  for (const ta of objs.filter((o) => o.kind === 'TriggerAuthentication')) {
    for (const r of ta.spec?.secretTargetRef ?? []) {
      const s = find('Secret', r?.name, ta.metadata.namespace);
      if (!s) fail(ta, `secretTargetRef ${r?.parameter}: Secret ${r?.name} is not in this build`);
      else if (!secretKeys(s).has(r.key)) fail(ta, `secretTargetRef ${r.parameter}: Secret ${r.name} has no key ${r.key}`);
    }
  }

  // Service accounts and RBAC inside the build.
  for (const w of workloads) {
    const sa = w.spec.template.spec?.serviceAccountName;
    if (sa && sa !== 'default' && !find('ServiceAccount', sa, w.metadata.namespace)) fail(w, `serviceAccountName ${sa}: ServiceAccount is not in this build`);
  }
  for (const rb of byKind('RoleBinding')) {
    const ref = rb.roleRef;
    if (ref?.kind === 'Role' && !find('Role', ref.name, rb.metadata.namespace)) fail(rb, `roleRef: Role ${ref.name} is not in this build`);
    for (const sub of rb.subjects ?? []) {
      if (sub.kind === 'ServiceAccount' && sub.name !== 'default' && !find('ServiceAccount', sub.name, sub.namespace ?? rb.metadata.namespace)) {
        fail(rb, `subject ServiceAccount ${sub.namespace ?? rb.metadata.namespace}/${sub.name} is not in this build`);
      }
    }
  }
  // Can this service account list pods in its namespace (a Role of this build, bound to it)?
  const mayListPods = (sa, ns) => byKind('RoleBinding').some((rb) => rb.metadata.namespace === ns
    && (rb.subjects ?? []).some((sub) => sub.kind === 'ServiceAccount' && sub.name === sa && (sub.namespace ?? ns) === ns)
    && rb.roleRef?.kind === 'Role'
    && (find('Role', rb.roleRef.name, ns)?.rules ?? []).some((r) => (r.apiGroups ?? []).includes('')
      && (r.resources ?? []).some((x) => x === 'pods' || x === '*') && (r.verbs ?? []).some((v) => v === 'list' || v === '*')));

  // Akka cluster bootstrap through the Kubernetes API (RENDERFARM_DISCOVERY=kubernetes): every node
  // lists the pods that match RENDERFARM_K8S_POD_SELECTOR and probes their management port, so the
  // selector must find every node and nothing else (a pod that never answers stalls bootstrap).
  const envOf = (w, c) => {
    const env = {};
    for (const src of c.envFrom ?? []) {
      const cm = src.configMapRef && find('ConfigMap', src.configMapRef.name, w.metadata.namespace);
      if (cm) Object.assign(env, cm.data ?? {});
    }
    for (const e of c.env ?? []) env[e.name] = e.value ?? (e.valueFrom?.fieldRef ? `fieldRef:${e.valueFrom.fieldRef.fieldPath}` : e.valueFrom ? 'valueFrom' : '');
    return env;
  };
  const clusterNodes = new Map(); // workload id -> selector labels
  for (const w of workloads) {
    const pod = w.spec.template.spec ?? {};
    const labels = w.spec.template.metadata?.labels ?? {};
    for (const c of pod.containers ?? []) {
      const env = envOf(w, c);
      if (env.RENDERFARM_DISCOVERY !== 'kubernetes') continue;
      const at = `container ${c.name}`;
      const selector = {};
      for (const part of String(env.RENDERFARM_K8S_POD_SELECTOR ?? '').split(',').filter((p) => p.trim())) {
        const m = /^\s*([\w./-]+)\s*=\s*([\w.-]+)\s*$/.exec(part);
        if (m) selector[m[1]] = m[2];
        else fail(w, `${at}: RENDERFARM_K8S_POD_SELECTOR part "${part}" is not key=value`);
      }
      if (Object.keys(selector).length === 0) { fail(w, `${at}: RENDERFARM_DISCOVERY=kubernetes needs RENDERFARM_K8S_POD_SELECTOR`); continue; }
      clusterNodes.set(idOf(w), selector);
      if (!matches(selector, labels)) fail(w, `spec.template.metadata.labels: do not match RENDERFARM_K8S_POD_SELECTOR ${env.RENDERFARM_K8S_POD_SELECTOR}, so discovery would not find these pods`);
      if (pod.automountServiceAccountToken === false) fail(w, 'automountServiceAccountToken: false, but discovery reads the pod list with the service account token');
      const sa = pod.serviceAccountName ?? 'default';
      if (!mayListPods(sa, w.metadata.namespace)) fail(w, `serviceAccountName ${sa}: no RoleBinding of this build lets it list pods (discovery needs pods get/list/watch)`);
      if (!env.RENDERFARM_PUBLIC_HOSTNAME) fail(w, `${at}: RENDERFARM_PUBLIC_HOSTNAME is not set (use the pod IP, fieldRef status.podIP: a pod's host name does not resolve)`);
      if (!env.RENDERFARM_K8S_NAMESPACE) fail(w, `${at}: RENDERFARM_K8S_NAMESPACE is not set (fieldRef metadata.namespace)`);
      for (const [portName, variable, fallback] of [['remoting', 'RENDERFARM_REMOTE_PORT', 4053], ['management', 'RENDERFARM_MANAGEMENT_PORT', 8558]]) {
        const want = Number(env[variable] ?? fallback);
        const port = (c.ports ?? []).find((p) => p.name === portName);
        if (!port) fail(w, `${at}: names no port "${portName}" (${variable}, ${want})`);
        else if (port.containerPort !== want) fail(w, `${at}: port ${portName} is ${port.containerPort}, ${variable} says ${want}`);
      }
    }
  }
  for (const w of workloads) {
    if (clusterNodes.has(idOf(w))) continue;
    const node = [...clusterNodes].find(([id, selector]) => objs.find((o) => idOf(o) === id)?.metadata.namespace === w.metadata.namespace
      && matches(selector, w.spec.template.metadata?.labels));
    if (node) fail(w, `spec.template.metadata.labels: match the cluster's RENDERFARM_K8S_POD_SELECTOR (of ${node[0]}) but these pods are no cluster node; bootstrap would wait for them`);
  }
}

// ---------------------------------------------------------------------------------------------
// docker-compose: what RenderFarm needs beyond the compose schema (docker-compose config -q).
function checkCompose(c) {
  if (!isPlain(c?.services)) { fail('(compose)', 'no services'); return; }
  const s = c.services;
  for (const name of Object.keys(s)) order.push(`service/${name}`);
  const need = (cond, name, message) => { if (!cond) fail(`service/${name}`, message); };
  for (const name of ['postgres', 'gateway', 'cpu-worker', 'gpu-worker']) need(s[name], name, 'missing');
  if (s.postgres) need(s.postgres.healthcheck?.test, 'postgres', 'needs a healthcheck (the nodes wait for service_healthy)');
  const mounts = (svc) => (svc.volumes ?? []).map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1], read_only: v.endsWith(':ro') } : v));
  const replicas = (svc) => Number(svc.deploy?.replicas ?? svc.scale ?? 1);
  const nodes = [['gateway', 'gateway'], ['cpu-worker', 'cpu'], ['gpu-worker', 'gpu']];
  for (const [name, role] of nodes) {
    const svc = s[name];
    if (!svc) continue;
    const env = svc.environment ?? {};
    const cmd = Array.isArray(svc.command) ? svc.command.join(' ') : String(svc.command ?? '');
    need(new RegExp(`(^| )node --roles ${role}( |$)`).test(cmd), name, `command must be "node --roles ${role}", is "${cmd}"`);
    const m = mounts(svc);
    need(m.some((v) => v.source === 'artifacts' && v.target === '/var/lib/renderfarm/artifacts'), name, 'must mount the shared `artifacts` volume at /var/lib/renderfarm/artifacts');
    need(m.some((v) => v.target === '/media' && v.read_only), name, 'must mount media read-only at /media');
    need(svc.depends_on?.postgres?.condition === 'service_healthy', name, 'must depend on postgres being healthy');
    if (role !== 'gateway') need(['service_healthy', 'service_started'].includes(svc.depends_on?.gateway?.condition), name, 'must depend on gateway (its seed node) being healthy or started');
    need(env.RENDERFARM_ARTIFACTS === '/var/lib/renderfarm/artifacts', name, 'RENDERFARM_ARTIFACTS must be /var/lib/renderfarm/artifacts');
    need(env.RENDERFARM_POSTGRES, name, 'needs RENDERFARM_POSTGRES (Akka journal, snapshots, read model)');
    // Replicas of one service share its environment: a fixed public host name would give them all
    // the same address. Without it each advertises its own container host name.
    if (env.RENDERFARM_PUBLIC_HOSTNAME !== undefined) {
      need(replicas(svc) <= 1, name, `RENDERFARM_PUBLIC_HOSTNAME is set, so its ${replicas(svc)} replicas would advertise one address`);
      need([name, svc.hostname, ...(Object.values(svc.networks ?? {}).flatMap((n) => n?.aliases ?? []))].includes(env.RENDERFARM_PUBLIC_HOSTNAME), name,
        `RENDERFARM_PUBLIC_HOSTNAME ${env.RENDERFARM_PUBLIC_HOSTNAME} is neither the service name nor its hostname or alias: the others could not resolve it`);
    }
    // Seed nodes: akka.tcp://SYSTEM@HOST:PORT, each a single-replica node service that advertises HOST and listens on PORT.
    const seeds = String(env.RENDERFARM_SEED_NODES ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    need(seeds.length > 0, name, 'needs RENDERFARM_SEED_NODES (akka.tcp://renderfarm@gateway:4053)');
    for (const seed of seeds) {
      const a = /^akka\.tcp:\/\/([A-Za-z0-9][\w-]*)@([^:/@\s]+):(\d+)$/.exec(seed);
      if (!a) { need(false, name, `RENDERFARM_SEED_NODES entry "${seed}" is not akka.tcp://SYSTEM@HOST:PORT`); continue; }
      const [, , host, port] = a;
      const target = nodes.map(([n]) => n).find((n) => s[n] && s[n].environment?.RENDERFARM_PUBLIC_HOSTNAME === host);
      if (!target) { need(false, name, `seed ${seed}: no node service advertises ${host} (RENDERFARM_PUBLIC_HOSTNAME)`); continue; }
      const remotePort = Number(s[target].environment?.RENDERFARM_REMOTE_PORT ?? 4053);
      need(remotePort === Number(port), name, `seed ${seed}: ${target} listens on ${remotePort} (RENDERFARM_REMOTE_PORT)`);
    }
  }
  if (s.gateway) {
    const seeds = String(s.gateway.environment?.RENDERFARM_SEED_NODES ?? '');
    need(s.gateway.environment?.RENDERFARM_PUBLIC_HOSTNAME && seeds.split(',')[0].trim().includes(`@${s.gateway.environment.RENDERFARM_PUBLIC_HOSTNAME}:`), 'gateway',
      'must be the first seed node (RENDERFARM_SEED_NODES starts with its own RENDERFARM_PUBLIC_HOSTNAME), or the cluster never forms');
    need((s.gateway.ports ?? []).some((p) => (typeof p === 'object' ? p.target === 8080 : String(p).endsWith(':8080'))), 'gateway', 'must publish port 8080');
  }
  if (s['gpu-worker']) {
    const devices = s['gpu-worker'].deploy?.resources?.reservations?.devices ?? [];
    need(devices.some((d) => d.driver === 'nvidia' && (d.count === 1 || d.count === 'all') && (d.capabilities ?? []).includes('gpu')), 'gpu-worker',
      'needs deploy.resources.reservations.devices [{driver: nvidia, count: 1, capabilities: [gpu]}]');
  }
  if (!isPlain(c.volumes) || !('artifacts' in c.volumes)) fail('(compose)', 'the named volume `artifacts` is not declared');
}

// ---------------------------------------------------------------------------------------------
let objects;
try {
  objects = parseStream(read(file), label);
} catch (e) {
  fail('(input)', e.message);
  finish();
}
if (mode === 'compose') checkCompose(objects[0]);
else checkKubernetes(objects);
finish();
