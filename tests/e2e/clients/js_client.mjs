// SPDX-License-Identifier: MIT
// The official JavaScript client (@kubernetes/client-node, pinned in package.json) against
// rollscope-sim. Run by js_client.sh, which installs the client, starts the simulator and sets
// KUBECONFIG and NODE_PATH. Covers list with paging, watch (resume from a resourceVersion,
// 410 Gone after a compaction), makeInformer caches equal to a fresh list through two rollouts
// and a forced relist, every patch type, pod logs (plain, tail, timestamps, follow) and
// fieldValidation. Prints one line per check; exits 1 when any check failed.
import * as k8s from '@kubernetes/client-node';
import fetch from 'node-fetch'; // the client's own transport (Node's fetch ignores its TLS agent)
import { Writable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';

const NS = 'default';
const failures = [];

const ok = (name) => console.log(`ok    ${name}`);
function fail(name, detail) {
    failures.push(name);
    console.log(`FAIL  ${name}`);
    if (detail !== undefined) {
        const text = typeof detail === 'string' ? detail : JSON.stringify(detail, null, 1);
        for (const line of String(text).split('\n').slice(0, 40)) console.log(`      ${line}`);
    }
}
function check(name, condition, detail) {
    if (condition) ok(name);
    else fail(name, detail);
    return condition;
}
function checkEq(name, expected, actual) {
    return check(name, isDeepStrictEqual(expected, actual), { expected, actual });
}
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Polls predicate (may be async) until it is true; fails the check after the deadline.
async function eventually(name, predicate, timeoutMs = 60000, detail = () => undefined) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (await predicate()) {
            ok(name);
            return true;
        }
        if (Date.now() > deadline) {
            fail(name, await detail());
            return false;
        }
        await pause(100); // paces the poll; the deadline bounds it
    }
}
async function apiError(promise) {
    try {
        await promise;
    } catch (e) {
        return e;
    }
    return null;
}
const bodyOf = (e) => {
    if (!e) return {};
    try {
        return typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    } catch {
        return { text: e.body };
    }
};

const kc = new k8s.KubeConfig();
kc.loadFromFile(process.env.KUBECONFIG);
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);
const headers = (type) => k8s.setHeaderOptions('Content-Type', type);

// A raw request through the client's own transport (its TLS and credentials).
async function raw(method, path, body, contentType = 'application/json') {
    const options = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
        options.body = typeof body === 'string' ? body : JSON.stringify(body);
        options.headers['Content-Type'] = contentType;
    }
    await kc.applyToFetchOptions(options).then((o) => Object.assign(options, o));
    const response = await fetch(`${kc.getCurrentCluster().server}${path}`, options).catch(
        (e) => ({ status: 0, headers: new Map(), text: async () => String(e) }));
    const text = await response.text();
    let parsed;
    try {
        parsed = JSON.parse(text);
    } catch {
        parsed = text;
    }
    return { status: response.status, headers: response.headers, body: parsed };
}

function deploymentBody(name, { image = 'nginx:1.27.2', replicas = 1, specExtra = {} } = {}) {
    return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name },
        spec: {
            replicas,
            selector: { matchLabels: { app: name } },
            template: {
                metadata: { labels: { app: name } },
                spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] },
            },
            ...specExtra,
        },
    };
}

async function rolledOut(name, image) {
    const d = await apps.readNamespacedDeployment({ name, namespace: NS });
    const s = d.status ?? {};
    if (image && d.spec.template.spec.containers[0].image !== image) return false;
    const want = d.spec.replicas;
    return (s.observedGeneration ?? 0) >= d.metadata.generation && s.updatedReplicas === want &&
        s.replicas === want && s.availableReplicas === want && !s.unavailableReplicas;
}

await eventually('demo-dp is rolled out', () => rolledOut('demo-dp'), 90000);

// --- list: typed decoding, paging ------------------------------------------------------------

const rss = (await apps.listNamespacedReplicaSet({ namespace: NS })).items;
check('every ReplicaSet has status.replicas', rss.every((rs) => typeof rs.status?.replicas === 'number'),
    rss.map((rs) => [rs.metadata.name, rs.status]));
const everything = await core.listPodForAllNamespaces();
const allNames = everything.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
const names = [];
const versions = new Set();
let token;
let pages = 0;
do {
    const page = await core.listPodForAllNamespaces({ limit: 3, _continue: token });
    pages += 1;
    if (page.items.length > 3) fail('a page holds at most limit items', page.items.length);
    names.push(...page.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
    versions.add(page.metadata.resourceVersion);
    token = page.metadata._continue;
    if (pages === 1) {
        await core.createNamespacedPod({
            namespace: NS,
            body: { metadata: { name: 'zz-late-pod' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27.2' }] } },
        });
    }
} while (token && pages < 100);
checkEq('paging: limit=3 pages', Math.ceil(allNames.length / 3), pages);
checkEq('paging: every pod once, as of the first page', allNames, names);
checkEq('paging: one resourceVersion for every page', 1, versions.size);

// A continue token whose snapshot was compacted away: 410 with a token for the rest.
const first = await core.listPodForAllNamespaces({ limit: 2 });
await core.patchNamespacedPod({ name: 'zz-late-pod', namespace: NS, body: { metadata: { labels: { touched: 'yes' } } } },
    headers(k8s.PatchStrategy.MergePatch));
await raw('POST', '/sim/v1/compact', {});
let e = await apiError(core.listPodForAllNamespaces({ limit: 2, _continue: first.metadata._continue }));
checkEq('paging: a compacted continue token is 410 Expired', [410, 'Expired'], [e?.code, bodyOf(e).reason]);
const inconsistent = bodyOf(e).metadata?.continue;
if (check('paging: the 410 carries a continue token for the inconsistent remainder', !!inconsistent, bodyOf(e))) {
    const rest = await core.listPodForAllNamespaces({ _continue: inconsistent });
    const firstTwo = first.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    const now = (await core.listPodForAllNamespaces()).items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    checkEq('paging: the inconsistent token lists the rest after the first page',
        now.filter((n) => n > firstTwo[1]), rest.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
}

// --- watch -----------------------------------------------------------------------------------

const watcher = new k8s.Watch(kc);
// Collects the events of a watch until `until(events)` or the deadline; resolves with
// { events, error }.
function watchEvents(path, query, until, timeoutMs = 15000) {
    return new Promise((resolve) => {
        const events = [];
        let controller;
        let settled = false;
        const settle = (error) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            controller?.abort();
            resolve({ events, error });
        };
        const timer = setTimeout(() => settle(new Error('deadline')), timeoutMs);
        watcher.watch(path, query, (type, object) => {
            events.push({ type, object });
            if (until(events)) settle();
        }, (err) => settle(err)).then((c) => {
            controller = c;
            if (settled) c.abort();
        }, (err) => settle(err));
    });
}

const deployments = `/apis/apps/v1/namespaces/${NS}/deployments`;
// No replicas, and read once the deployment controller has written its status: from then on
// nothing but this test changes the object (a controller writes status only when it changes),
// so the changes after `start` are exactly the three below. With pods, their readiness would
// add status writes at any moment in between, as on a real cluster.
await apps.createNamespacedDeployment({ namespace: NS, body: deploymentBody('watched', { replicas: 0 }) });
const settled = (d) => d.status?.observedGeneration === d.metadata.generation &&
    (d.status?.conditions ?? []).some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable');
await eventually('watch: the watched deployment is settled before the resume point',
    async () => settled(await apps.readNamespacedDeployment({ name: 'watched', namespace: NS })), 15000,
    async () => (await apps.readNamespacedDeployment({ name: 'watched', namespace: NS })).status);
const start = (await apps.readNamespacedDeployment({ name: 'watched', namespace: NS })).metadata.resourceVersion;
for (const step of ['one', 'two']) {
    await apps.patchNamespacedDeployment({ name: 'watched', namespace: NS, body: { metadata: { labels: { step } } } },
        headers(k8s.PatchStrategy.StrategicMergePatch));
}
await apps.deleteNamespacedDeployment({ name: 'watched', namespace: NS });
let w = await watchEvents(deployments, { resourceVersion: start, fieldSelector: 'metadata.name=watched' },
    (ev) => ev.at(-1).type === 'DELETED');
checkEq('watch resumed from a resourceVersion: exactly the changes after it',
    [['MODIFIED', 'one'], ['MODIFIED', 'two'], ['DELETED', 'two']],
    w.events.map((x) => [x.type, x.object.metadata.labels?.step]));
const current = (await apps.listNamespacedDeployment({ namespace: NS })).items.map((x) => x.metadata.name);
w = await watchEvents(deployments, { allowWatchBookmarks: true }, (ev) => ev.length >= current.length);
checkEq('watch without a resourceVersion: ADDED for the current objects', current.map((n) => ['ADDED', n]).sort(),
    w.events.map((x) => [x.type, x.object.metadata.name]).sort());

const old = (await apps.listNamespacedDeployment({ namespace: NS })).metadata.resourceVersion;
await apps.createNamespacedDeployment({ namespace: NS, body: deploymentBody('compacted') });
await apps.deleteNamespacedDeployment({ name: 'compacted', namespace: NS });
checkEq('POST /sim/v1/compact', 200, (await raw('POST', '/sim/v1/compact', {})).status);
w = await watchEvents(deployments, { resourceVersion: old }, (ev) => ev.length >= 1);
checkEq('watch from a compacted resourceVersion: one ERROR event with a 410 Expired Status',
    [['ERROR', 'Status', 410, 'Expired']],
    w.events.map((x) => [x.type, x.object.kind, x.object.code, x.object.reason]));

// --- makeInformer caches through two rollouts and a forced relist ----------------------------

function informerFor(path, list) {
    const informer = k8s.makeInformer(kc, path, list);
    const errors = [];
    informer.on('error', (err) => {
        errors.push(err);
        // The informer stops on an error; start again, as its documentation asks.
        setTimeout(() => informer.start().catch((x) => errors.push(x)), 100);
    });
    return { informer, errors };
}
const caches = {
    pods: [informerFor(`/api/v1/namespaces/${NS}/pods`, () => core.listNamespacedPod({ namespace: NS })),
        () => core.listNamespacedPod({ namespace: NS })],
    replicasets: [informerFor(`/apis/apps/v1/namespaces/${NS}/replicasets`,
        () => apps.listNamespacedReplicaSet({ namespace: NS })), () => apps.listNamespacedReplicaSet({ namespace: NS })],
    deployments: [informerFor(deployments, () => apps.listNamespacedDeployment({ namespace: NS })),
        () => apps.listNamespacedDeployment({ namespace: NS })],
};
// Watch events carry kind and apiVersion, list items do not (as on a real server): compare the
// rest. The informer keeps watched objects as JSON and listed ones as typed objects (Dates), so
// times are compared as instants.
const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const instant = (_key, value) => (typeof value === 'string' && rfc3339.test(value) ? new Date(value).toISOString() : value);
const byName = (items) => Object.fromEntries(items.map((o) => {
    const { kind, apiVersion, ...rest } = JSON.parse(JSON.stringify(o), instant);
    return [o.metadata.name, rest];
}));
async function cachesEqual() {
    for (const [{ informer }, list] of Object.values(caches)) {
        if (!isDeepStrictEqual(byName(informer.list()), byName((await list()).items))) return false;
    }
    return true;
}
async function cacheDiff() {
    const lines = [];
    for (const [kind, [{ informer }, list]] of Object.entries(caches)) {
        const cached = byName(informer.list());
        const listed = byName((await list()).items);
        for (const name of new Set([...Object.keys(cached), ...Object.keys(listed)])) {
            if (!isDeepStrictEqual(cached[name], listed[name]))
                lines.push(`${kind}/${name}: cache rv ${cached[name]?.metadata.resourceVersion}, list rv ${listed[name]?.metadata.resourceVersion}`,
                    `  cache: ${JSON.stringify(cached[name]).slice(0, 600)}`, `  list:  ${JSON.stringify(listed[name]).slice(0, 600)}`);
        }
    }
    return lines.join('\n');
}
for (const [{ informer }] of Object.values(caches)) await informer.start();
await eventually('informer caches equal a fresh list before the rollouts', cachesEqual, 30000, cacheDiff);

// A follower of an old pod's log ends when the rollout removes the pod.
const oldPod = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=demo' })).items[0].metadata.name;
let followed = '';
const follow = { done: false, error: null };
const sink = new Writable({
    write(chunk, _enc, cb) {
        followed += chunk.toString();
        cb();
    },
});
sink.on('finish', () => { follow.done = true; });
const followRequest = await new k8s.Log(kc).log(NS, oldPod, 'demo', sink, { follow: true });
await eventually('log follow streams the log so far', () => followed.split('\n').length > 2, 30000, () => followed);

for (const image of ['bebullish/demo:v2', 'bebullish/demo:v3']) {
    await apps.patchNamespacedDeployment({
        name: 'demo-dp', namespace: NS,
        body: { spec: { template: { spec: { containers: [{ name: 'demo', image }] } } } },
    }, headers(k8s.PatchStrategy.StrategicMergePatch));
    await eventually(`rollout to ${image} completes`, () => rolledOut('demo-dp', image), 120000);
    await eventually(`after the rollout to ${image} the informer caches equal a fresh list`, cachesEqual, 30000, cacheDiff);
}

// A forced relist: compact, then end every watch; the informers resume, get 410, and relist.
await apps.patchNamespacedDeployment({ name: 'demo-dp', namespace: NS, body: { metadata: { labels: { relist: 'one' } } } },
    headers(k8s.PatchStrategy.MergePatch));
checkEq('compact and end the watches', [200, 200],
    [(await raw('POST', '/sim/v1/compact', {})).status, (await raw('POST', '/sim/v1/end-watches', {})).status]);
await apps.patchNamespacedDeployment({ name: 'demo-dp', namespace: NS, body: { metadata: { labels: { relist: 'two' } } } },
    headers(k8s.PatchStrategy.MergePatch));
await eventually('after a 410 the informers relist and equal a fresh list', cachesEqual, 30000, cacheDiff);
for (const [kind, [{ informer, errors }]] of Object.entries(caches)) {
    check(`the ${kind} informer reported no errors`, errors.length === 0, errors.map(String));
    await informer.stop();
}

const demoPods = async () => (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=demo' })).items;
await eventually('three v3 pods after the rollouts (the old ones terminated)',
    async () => isDeepStrictEqual((await demoPods()).map((p) => p.spec.containers[0].image), Array(3).fill('bebullish/demo:v3')),
    60000, async () => (await demoPods()).map((p) => [p.metadata.name, p.spec.containers[0].image]));
const pods = await demoPods();
await eventually('log follow ends when the pod is gone', () => follow.done, 60000, () => followed);
checkEq('the followed log ends with the shutdown line', 'received SIGTERM, shutting down',
    followed.trimEnd().split('\n').at(-1));
followRequest?.abort?.();

// --- logs ------------------------------------------------------------------------------------

const pod = pods[0].metadata.name;
const text = await core.readNamespacedPodLog({ name: pod, namespace: NS });
const lines = text.trimEnd().split('\n');
check('logs: the app starting, then listening',
    /^starting (docker\.io\/)?bebullish\/demo:v3 \(version v3\)$/.test(lines[0]) && lines[1] === 'listening on :8080', lines);
checkEq('logs tailLines=1: the last line', lines.slice(-1),
    (await core.readNamespacedPodLog({ name: pod, namespace: NS, tailLines: 1 })).trimEnd().split('\n'));
const stamped = (await core.readNamespacedPodLog({ name: pod, namespace: NS, timestamps: true })).trimEnd().split('\n');
const stampRe = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z) (.*)$/;
check('logs timestamps: every line stamped', stamped.length === lines.length && stamped.every((s) => stampRe.test(s)), stamped);
checkEq('logs timestamps: the same lines after the stamp', lines, stamped.map((s) => stampRe.exec(s)?.[3]));
const stamps = stamped.map((s) => Date.parse(stampRe.exec(s)?.[1]));
check('logs timestamps: not after the wall clock', stamps.every((t) => t <= Date.now() + 1000),
    { stamps: stamped.map((s) => s.split(' ')[0]), now: new Date().toISOString() });
e = await apiError(core.readNamespacedPodLog({ name: pod, namespace: NS, container: 'nosuch' }));
check('logs of an unknown container: 400', e?.code === 400 && String(e.body).includes('container nosuch is not valid'), e?.body);

// --- patches of every type -------------------------------------------------------------------

await apps.createNamespacedDeployment({ namespace: NS, body: deploymentBody('patched') });
const read = () => apps.readNamespacedDeployment({ name: 'patched', namespace: NS });
const patch = (body, type) => apps.patchNamespacedDeployment({ name: 'patched', namespace: NS, body }, headers(type));
let d = await patch({ spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27.3' }] } } } },
    k8s.PatchStrategy.StrategicMergePatch);
checkEq('strategic-merge patch: merged by name, port kept', [['web', 'nginx:1.27.3', 80]],
    d.spec.template.spec.containers.map((c) => [c.name, c.image, c.ports?.[0]?.containerPort]));
d = await patch([{ op: 'test', path: '/spec/replicas', value: 1 }, { op: 'replace', path: '/spec/replicas', value: 2 }],
    k8s.PatchStrategy.JsonPatch);
checkEq('json patch: test then replace', 2, d.spec.replicas);
e = await apiError(patch([{ op: 'test', path: '/spec/replicas', value: 7 }], k8s.PatchStrategy.JsonPatch));
checkEq('json patch: a failed test is 422', 422, e?.code);
d = await patch({ spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27.4' }] } } } },
    k8s.PatchStrategy.MergePatch);
checkEq('merge patch: the list replaced whole (port gone)', [['web', 'nginx:1.27.4', undefined]],
    d.spec.template.spec.containers.map((c) => [c.name, c.image, c.ports]));
const applied = deploymentBody('applied', { replicas: 2 });
let info = await apps.patchNamespacedDeploymentWithHttpInfo(
    { name: 'applied', namespace: NS, body: applied, fieldManager: 'e2e-js' }, headers(k8s.PatchStrategy.ServerSideApply));
checkEq('server-side apply creates: 201', [201, 2], [info.httpStatusCode, info.data.spec.replicas]);
applied.spec.replicas = 3;
info = await apps.patchNamespacedDeploymentWithHttpInfo(
    { name: 'applied', namespace: NS, body: applied, fieldManager: 'e2e-js' }, headers(k8s.PatchStrategy.ServerSideApply));
checkEq('server-side apply updates: 200', [200, 3], [info.httpStatusCode, info.data.spec.replicas]);
e = await apiError(apps.patchNamespacedDeployment({ name: 'applied', namespace: NS, body: applied },
    headers(k8s.PatchStrategy.ServerSideApply)));
checkEq('server-side apply without fieldManager: 422', 422, e?.code);
const scale = await apps.patchNamespacedDeploymentScale({ name: 'patched', namespace: NS, body: { spec: { replicas: 4 } } },
    headers(k8s.PatchStrategy.MergePatch));
checkEq('merge patch of /scale', ['Scale', 4], [scale.kind, scale.spec.replicas]);

// --- fieldValidation and typed writes --------------------------------------------------------

// The typed methods drop fields their models do not have, so unknown fields go out raw.
const unknown = (name) => deploymentBody(name, { specExtra: { bogus: 1 } });
let res = await raw('POST', `${deployments}?fieldValidation=Strict`, unknown('fv-strict'));
check('fieldValidation=Strict: an unknown field is 400',
    res.status === 400 && String(res.body.message).includes('strict decoding error: unknown field "spec.bogus"'), res);
res = await raw('POST', `${deployments}?fieldValidation=Warn`, unknown('fv-warn'));
check('fieldValidation=Warn: 201 with a Warning header',
    res.status === 201 && /^299 - "unknown field \\"spec\.bogus\\""$/.test(res.headers.get('warning') ?? ''),
    [res.status, res.headers.get('warning')]);
check('fieldValidation=Warn: the unknown field is dropped', !('bogus' in (res.body.spec ?? {})), res.body);
res = await raw('POST', `${deployments}?fieldValidation=Ignore`, unknown('fv-ignore'));
check('fieldValidation=Ignore: 201, no Warning', res.status === 201 && !res.headers.get('warning'), res.headers);
const stored = await custom.getNamespacedCustomObject({ group: 'apps', version: 'v1', namespace: NS, plural: 'deployments', name: 'fv-ignore' });
check('fieldValidation=Ignore: the unknown field is not stored', !('bogus' in stored.spec), stored.spec);
res = await raw('PATCH', `${deployments}/fv-ignore?fieldValidation=Strict`, { spec: { bogus: 2 } }, 'application/merge-patch+json');
check('fieldValidation=Strict on a merge patch: 400', res.status === 400 && res.body.message === 'strict decoding error: unknown field "spec.bogus"', res);
res = await raw('PATCH', `${deployments}/fv-ignore?fieldValidation=Warn`,
    { spec: { template: { spec: { containers: [{ name: 'web', imagee: 'x' }] } } } }, 'application/strategic-merge-patch+json');
check('fieldValidation=Warn on a strategic-merge patch: the path with the list index',
    res.status === 200 && res.headers.get('warning') === '299 - "unknown field \\"spec.template.spec.containers[0].imagee\\""',
    [res.status, res.headers.get('warning')]);
const three = await raw('POST', `${deployments}`, deploymentBody('fv-three', { specExtra: { replicas: 'three' } }));
check('replicas: "three" is 400 BadRequest',
    three.status === 400 && three.body.reason === 'BadRequest' &&
    String(three.body.message).includes('cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'),
    three);
const paused = await raw('PATCH', `${deployments}/patched`, { spec: { paused: 'yes' } }, 'application/merge-patch+json');
check('paused: "yes" by merge patch is rejected', paused.status === 422 && String(paused.body.message).includes('spec.paused of type bool'), paused);

if (failures.length) {
    console.log(`${failures.length} check(s) failed`);
    process.exit(1);
}
console.log('all checks passed');
process.exit(0);
