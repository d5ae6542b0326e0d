#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The official Python client (Debian's python3-kubernetes) against rollscope-sim.

Run by python_client.sh, which starts the simulator and sets KUBECONFIG. Covers list with paging,
watch (resume from a resourceVersion, 410 Gone after a compaction), a watch-fed cache equal to a
fresh list through two rollouts, every patch type, pod logs (plain, tail, timestamps, follow) and
fieldValidation. Prints one line per check; exits 1 when any check failed.
"""
import datetime
import json
import os
import re
import sys
import threading
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

NS = "default"
FAILURES = []


def ok(name):
    print("ok    " + name, flush=True)


def fail(name, detail=""):
    FAILURES.append(name)
    print("FAIL  " + name, flush=True)
    if detail:
        for line in str(detail).splitlines()[:40]:
            print("      " + line, flush=True)


def check(name, condition, detail=""):
    if condition:
        ok(name)
    else:
        fail(name, detail)
    return condition


def check_eq(name, expected, actual):
    return check(name, expected == actual, "expected: %r\nactual:   %r" % (expected, actual))


def eventually(name, predicate, timeout=60.0, detail=lambda: ""):
    """Polls predicate until it is true; fails the check after the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            ok(name)
            return True
        if time.monotonic() > deadline:
            fail(name, detail())
            return False
        time.sleep(0.1)  # paces the poll; the deadline bounds it


config.load_kube_config(config_file=os.environ["KUBECONFIG"])
API = client.ApiClient()
CORE = client.CoreV1Api(API)
APPS = client.AppsV1Api(API)


def raw(method, path, body=None, content_type="application/json", query=None):
    """A request the generated methods cannot make (a content type, a parameter this client
    version lacks): returns (status, headers, decoded body or text)."""
    try:
        response = API.call_api(
            path, method, query_params=query or [],
            header_params={"Content-Type": content_type, "Accept": "application/json"},
            body=body, auth_settings=["BearerToken"], _preload_content=False)[0]
        status, headers, data = response.status, response.getheaders(), response.data
    except ApiException as e:
        status, headers, data = e.status, e.headers or {}, e.body
    text = data.decode() if isinstance(data, bytes) else data
    try:
        return status, headers, json.loads(text)
    except ValueError:
        return status, headers, text


def api_error(call):
    """Runs call; returns the ApiException it raised (or None)."""
    try:
        call()
    except ApiException as e:
        return e
    return None


def deployment_body(name, image="nginx:1.27.2", replicas=1, spec_extra=None):
    spec = {
        "replicas": replicas,
        "selector": {"matchLabels": {"app": name}},
        "template": {
            "metadata": {"labels": {"app": name}},
            "spec": {"containers": [{"name": "web", "image": image,
                                     "ports": [{"containerPort": 80}]}]},
        },
    }
    spec.update(spec_extra or {})
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": spec}


# --- the demo deployment is there and rolled out --------------------------------------------

def rolled_out(name, image=None):
    d = APPS.read_namespaced_deployment(name, NS)
    s = d.status
    if image and d.spec.template.spec.containers[0].image != image:
        return False
    want = d.spec.replicas
    return ((s.observed_generation or 0) >= d.metadata.generation
            and (s.updated_replicas or 0) == want and (s.replicas or 0) == want
            and (s.available_replicas or 0) == want and not s.unavailable_replicas)


eventually("demo-dp is rolled out", lambda: rolled_out("demo-dp"), 90)

# --- list: typed decoding of every kind served, paging ---------------------------------------

for name, call in [("pods", CORE.list_pod_for_all_namespaces),
                   ("deployments", APPS.list_deployment_for_all_namespaces),
                   ("replicasets", APPS.list_replica_set_for_all_namespaces),
                   ("services", CORE.list_service_for_all_namespaces),
                   ("endpoints", CORE.list_endpoints_for_all_namespaces),
                   ("namespaces", CORE.list_namespace),
                   ("nodes", CORE.list_node),
                   ("events", CORE.list_event_for_all_namespaces)]:
    try:
        result = call()
        check("list %s decodes (%d items)" % (name, len(result.items)),
              len(result.items) > 0 and result.metadata.resource_version)
    except (ApiException, ValueError) as e:
        fail("list %s decodes" % name, e)

rss = APPS.list_namespaced_replica_set(NS).items
check("every ReplicaSet has a status (status.replicas is always written)",
      all(rs.status is not None and rs.status.replicas is not None for rs in rss),
      [rs.metadata.name for rs in rss if rs.status is None])

everything = CORE.list_pod_for_all_namespaces()
all_names = [(p.metadata.namespace, p.metadata.name) for p in everything.items]
pages, names, versions, token = 0, [], set(), None
late = None
while True:
    page = CORE.list_pod_for_all_namespaces(limit=2, _continue=token) if token else \
        CORE.list_pod_for_all_namespaces(limit=2)
    pages += 1
    if len(page.items) > 2:
        fail("a page holds at most limit items", len(page.items))
    names += [(p.metadata.namespace, p.metadata.name) for p in page.items]
    versions.add(page.metadata.resource_version)
    token = page.metadata._continue
    if pages == 1:
        # Created after the first page: not in this list's snapshot.
        late = CORE.create_namespaced_pod(NS, {
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "zz-late-pod"},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27.2"}]}})
    if not token or pages > 100:
        break
check_eq("paging: limit=2 pages", (len(all_names) + 1) // 2, pages)
check_eq("paging: every pod exactly once, in the first page's snapshot", all_names, names)
check_eq("paging: every page carries the first page's resourceVersion", 1, len(versions))
check("paging: the snapshot's resourceVersion is older than the pod created meanwhile",
      late is not None and everything.metadata.resource_version != late.metadata.resource_version)

# A token whose snapshot was compacted away: 410 Expired, with a token for the rest as it is now.
first = CORE.list_pod_for_all_namespaces(limit=1)
CORE.patch_namespaced_pod("zz-late-pod", NS, {"metadata": {"labels": {"touched": "yes"}}})
raw("POST", "/sim/v1/compact")
e = api_error(lambda: CORE.list_pod_for_all_namespaces(limit=1, _continue=first.metadata._continue))
if check("paging: a continue token from before a compaction is 410 Expired",
         e is not None and e.status == 410, e):
    body = json.loads(e.body)
    check_eq("paging: 410 reason", "Expired", body.get("reason"))
    rest_token = body.get("metadata", {}).get("continue")
    if check("paging: 410 carries a continue token for the inconsistent remainder",
             bool(rest_token), body):
        rest = CORE.list_pod_for_all_namespaces(_continue=rest_token)
        after = [(p.metadata.namespace, p.metadata.name)
                 for p in CORE.list_pod_for_all_namespaces().items]
        seen = (first.items[0].metadata.namespace, first.items[0].metadata.name)
        check_eq("paging: that token lists every pod after the first page, as they are now",
                 [n for n in after if n > seen],
                 [(p.metadata.namespace, p.metadata.name) for p in rest.items])
e = api_error(lambda: CORE.list_pod_for_all_namespaces(limit=1, _continue="not-a-token"))
check("paging: a malformed continue token is 400", e is not None and e.status == 400, e)

# --- watch ----------------------------------------------------------------------------------

def watch_events(func, *args, **kwargs):
    """All events of a bounded watch (timeoutSeconds, so the client does not retry)."""
    stop_after = kwargs.pop("stop_after", None)
    w = watch.Watch()
    events = []
    for event in w.stream(func, *args, **kwargs):
        events.append(event)
        if stop_after and stop_after(events):
            w.stop()
            break
    return events


listed = APPS.list_namespaced_deployment(NS)
events = watch_events(APPS.list_namespaced_deployment, NS, timeout_seconds=1,
                      stop_after=lambda ev: len(ev) >= len(listed.items))
check_eq("watch without a resourceVersion: ADDED for every deployment",
         sorted(("ADDED", d.metadata.name) for d in listed.items),
         sorted((e["type"], e["object"].metadata.name) for e in events))

# No replicas, and read once the deployment controller has written its status: from then on
# nothing but this test changes the object (a controller writes status only when it changes),
# so the changes after `start` are exactly the three below. With pods, their readiness would
# add status writes at any moment in between, as on a real cluster.
APPS.create_namespaced_deployment(NS, deployment_body("watched", replicas=0))


def settled(d):
    return (d.status.observed_generation == d.metadata.generation and
            any(c.type == "Progressing" and c.reason == "NewReplicaSetAvailable"
                for c in d.status.conditions or []))


eventually("watch: the watched deployment is settled before the resume point",
           lambda: settled(APPS.read_namespaced_deployment("watched", NS)), timeout=15.0,
           detail=lambda: APPS.read_namespaced_deployment("watched", NS).status)
start = APPS.read_namespaced_deployment("watched", NS).metadata.resource_version
APPS.patch_namespaced_deployment("watched", NS, {"metadata": {"labels": {"step": "one"}}})
APPS.patch_namespaced_deployment("watched", NS, {"metadata": {"labels": {"step": "two"}}})
APPS.delete_namespaced_deployment("watched", NS)
events = watch_events(APPS.list_namespaced_deployment, NS, resource_version=start,
                      field_selector="metadata.name=watched", timeout_seconds=5,
                      stop_after=lambda ev: ev[-1]["type"] == "DELETED")
check_eq("watch resumed from a resourceVersion: exactly the changes after it",
         [("MODIFIED", "one"), ("MODIFIED", "two"), ("DELETED", "two")],
         [(e["type"], (e["object"].metadata.labels or {}).get("step")) for e in events])

# A watch from a resourceVersion the server has compacted away: 410 Gone as an ERROR event.
old = APPS.list_namespaced_deployment(NS).metadata.resource_version
APPS.create_namespaced_deployment(NS, deployment_body("compacted"))
APPS.delete_namespaced_deployment("compacted", NS)
status, _, _ = raw("POST", "/sim/v1/compact")
check_eq("POST /sim/v1/compact", 200, status)
e = api_error(lambda: watch_events(APPS.list_namespaced_deployment, NS, resource_version=old,
                                   timeout_seconds=5))
check("watch from a compacted resourceVersion raises 410", e is not None and e.status == 410, e)
check("the 410 is Expired: too old resource version",
      e is not None and "Expired" in str(e.reason) and "too old resource version" in str(e.reason),
      e)

# --- a watch-fed cache (an informer) through two rollouts -----------------------------------

class Cache:
    """list, then watch from the list's resourceVersion; relist on 410."""

    def __init__(self, list_call):
        self.list_call = list_call
        self.items = {}
        self.lock = threading.Lock()
        self.errors = []
        self.relists = 0
        self.watcher = watch.Watch()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.watcher._stop:
            try:
                listed = self.list_call(NS)
                with self.lock:
                    self.items = {o.metadata.name: comparable(o) for o in listed.items}
                for event in self.watcher.stream(
                        self.list_call, NS, resource_version=listed.metadata.resource_version,
                        timeout_seconds=30):
                    o = comparable(event["object"])
                    with self.lock:
                        if event["type"] == "DELETED":
                            self.items.pop(o["metadata"]["name"], None)
                        elif event["type"] in ("ADDED", "MODIFIED"):
                            self.items[o["metadata"]["name"]] = o
            except ApiException as e:
                if e.status != 410:
                    self.errors.append(e)
                    return
                self.relists += 1
            except Exception as e:  # noqa: BLE001 - any failure ends the check
                self.errors.append(e)
                return

    def snapshot(self):
        with self.lock:
            return dict(self.items)

    def stop(self):
        self.watcher.stop()


def comparable(o):
    """Watch events carry kind and apiVersion, list items do not (as on a real server)."""
    o = API.sanitize_for_serialization(o)
    o.pop("kind", None)
    o.pop("apiVersion", None)
    return o


def fresh(list_call):
    return {o.metadata.name: comparable(o) for o in list_call(NS).items}


def diff(cached, listed):
    lines = []
    for name in sorted(set(cached) | set(listed)):
        a = cached.get(name, {}).get("metadata", {}).get("resourceVersion")
        b = listed.get(name, {}).get("metadata", {}).get("resourceVersion")
        if cached.get(name) != listed.get(name):
            lines.append("%s: cache rv %s, list rv %s" % (name, a, b))
    return "\n".join(lines)


caches = {"pods": (Cache(CORE.list_namespaced_pod), CORE.list_namespaced_pod),
          "replicasets": (Cache(APPS.list_namespaced_replica_set),
                          APPS.list_namespaced_replica_set),
          "deployments": (Cache(APPS.list_namespaced_deployment),
                          APPS.list_namespaced_deployment)}


def caches_equal():
    return all(cache.snapshot() == fresh(call) for cache, call in caches.values())


eventually("the caches equal a fresh list before the rollouts", caches_equal, 30,
           lambda: "\n".join("%s:\n%s" % (k, diff(c.snapshot(), fresh(call)))
                              for k, (c, call) in caches.items()))

# A follower of an old pod's log: the stream ends when the rollout removes the pod.
old_pod = CORE.list_namespaced_pod(NS, label_selector="app=demo").items[0].metadata.name
follow = {"lines": [], "done": False, "error": None}


def follow_log():
    try:
        response = CORE.read_namespaced_pod_log(old_pod, NS, follow=True,
                                                _preload_content=False)
        buffered = b""
        for chunk in response.stream(1024):
            buffered += chunk
            *complete, buffered = buffered.split(b"\n")
            follow["lines"] += [line.decode() for line in complete]
    except Exception as e:  # noqa: BLE001
        follow["error"] = e
    follow["done"] = True


follower = threading.Thread(target=follow_log, daemon=True)
follower.start()
eventually("logs follow=True streams the log so far", lambda: len(follow["lines"]) >= 2, 30,
           lambda: follow)

for image in ("bebullish/demo:v2", "bebullish/demo:v3"):
    APPS.patch_namespaced_deployment(
        "demo-dp", NS,
        {"spec": {"template": {"spec": {"containers": [{"name": "demo", "image": image}]}}}})
    eventually("rollout to %s completes" % image, lambda: rolled_out("demo-dp", image), 120)
    eventually("after the rollout to %s the caches equal a fresh list" % image, caches_equal, 30,
               lambda: "\n".join("%s:\n%s" % (k, diff(c.snapshot(), fresh(call)))
                                 for k, (c, call) in caches.items()))

for kind, (cache, _) in caches.items():
    check("the %s cache saw no errors" % kind, not cache.errors, cache.errors)
    cache.stop()
def demo_pods():
    return CORE.list_namespaced_pod(NS, label_selector="app=demo").items


eventually("three v3 pods after the rollouts (the old ones terminated)",
           lambda: [p.spec.containers[0].image for p in demo_pods()] == ["bebullish/demo:v3"] * 3,
           60, lambda: [(p.metadata.name, p.spec.containers[0].image) for p in demo_pods()])
pods = demo_pods()
rs_by_image = {rs.spec.template.spec.containers[0].image: rs
               for rs in APPS.list_namespaced_replica_set(NS, label_selector="app=demo").items}
check_eq("three ReplicaSets, one per image",
         ["bebullish/demo:v1", "bebullish/demo:v2", "bebullish/demo:v3"], sorted(rs_by_image))
check_eq("old ReplicaSets are scaled to 0 and report 0",
         [(0, 0), (0, 0), (3, 3)],
         [(rs_by_image[i].spec.replicas, rs_by_image[i].status.replicas) for i in sorted(rs_by_image)])

eventually("logs follow=True ends when the pod is gone", lambda: follow["done"], 60)
check("the followed log ends with the shutdown line",
      follow["lines"][-1:] == ["received SIGTERM, shutting down"] and not follow["error"],
      follow)

# --- logs -----------------------------------------------------------------------------------

pod = pods[0].metadata.name
text = CORE.read_namespaced_pod_log(pod, NS)
lines = text.splitlines()
check("logs: the app starting, then listening",
      len(lines) >= 2 and re.match(r"^starting (docker\.io/)?bebullish/demo:v3 \(version v3\)$",
                                   lines[0]) and lines[1] == "listening on :8080", lines)
check_eq("logs container=demo: the same", text,
         CORE.read_namespaced_pod_log(pod, NS, container="demo"))
check_eq("logs tail_lines=1: the last line", lines[-1:],
         CORE.read_namespaced_pod_log(pod, NS, tail_lines=1).splitlines())
stamped = CORE.read_namespaced_pod_log(pod, NS, timestamps=True).splitlines()
stamp_re = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z) (.*)$")
check("logs timestamps=True: every line stamped",
      len(stamped) == len(lines) and all(stamp_re.match(s) for s in stamped), stamped)
check_eq("logs timestamps=True: the same lines after the stamp", lines,
         [stamp_re.match(s).group(3) for s in stamped if stamp_re.match(s)])
e = api_error(lambda: CORE.read_namespaced_pod_log(pod, NS, container="nosuch"))
check("logs of an unknown container: 400",
      e is not None and e.status == 400 and "container nosuch is not valid" in e.body, e)
e = api_error(lambda: CORE.read_namespaced_pod_log("nosuch-pod", NS))
check("logs of a missing pod: 404", e is not None and e.status == 404, e)

# --- patches of every type ------------------------------------------------------------------

APPS.create_namespaced_deployment(NS, deployment_body("patched"))
path = "/apis/apps/v1/namespaces/%s/deployments/patched" % NS


def containers():
    return APPS.read_namespaced_deployment("patched", NS).spec.template.spec.containers


# strategic merge: containers merge by name, the port stays (the client's default for a dict).
d = APPS.patch_namespaced_deployment("patched", NS, {"spec": {"template": {"spec": {
    "containers": [{"name": "web", "image": "nginx:1.27.3"}]}}}})
c = d.spec.template.spec.containers
check_eq("strategic-merge patch: merged by name, port kept",
         [("web", "nginx:1.27.3", 80)], [(x.name, x.image, x.ports[0].container_port) for x in c])
# json patch (the client's choice for a list body).
d = APPS.patch_namespaced_deployment("patched", NS, [
    {"op": "test", "path": "/spec/replicas", "value": 1},
    {"op": "replace", "path": "/spec/replicas", "value": 2},
    {"op": "add", "path": "/metadata/labels", "value": {"patched": "json"}}])
check_eq("json patch: test, replace, add", (2, {"patched": "json"}),
         (d.spec.replicas, d.metadata.labels))
e = api_error(lambda: APPS.patch_namespaced_deployment("patched", NS, [
    {"op": "test", "path": "/spec/replicas", "value": 5}]))
check("json patch: a failed test op is 422", e is not None and e.status == 422, e)
# merge patch: lists are replaced whole, so the port goes away; null deletes.
status, _, body = raw("PATCH", path, {"metadata": {"labels": None}, "spec": {"template": {"spec": {
    "containers": [{"name": "web", "image": "nginx:1.27.4"}]}}}}, "application/merge-patch+json")
check_eq("merge patch: 200", 200, status)
c = containers()
check_eq("merge patch: the list replaced (port gone), null deleted the labels",
         ([("web", "nginx:1.27.4", None)], None),
         ([(x.name, x.image, x.ports) for x in c],
          APPS.read_namespaced_deployment("patched", NS).metadata.labels))
# server-side apply: creates, then updates; fieldManager is required.
applied = deployment_body("applied", replicas=2)
status, _, body = raw("PATCH", "/apis/apps/v1/namespaces/%s/deployments/applied" % NS,
                      json.dumps(applied), "application/apply-patch+yaml",
                      [("fieldManager", "e2e-python")])
check_eq("apply creates a missing object: 201", 201, status)
applied["spec"]["replicas"] = 3
status, _, body = raw("PATCH", "/apis/apps/v1/namespaces/%s/deployments/applied" % NS,
                      json.dumps(applied), "application/apply-patch+yaml",
                      [("fieldManager", "e2e-python")])
check_eq("apply updates: 200 and replicas 3", (200, 3),
         (status, body.get("spec", {}).get("replicas") if isinstance(body, dict) else body))
status, _, body = raw("PATCH", "/apis/apps/v1/namespaces/%s/deployments/applied" % NS,
                      json.dumps(applied), "application/apply-patch+yaml")
check_eq("apply without fieldManager: 422", 422, status)
status, _, body = raw("PATCH", path, "{}", "application/xml")
check_eq("an unknown patch type: 415", 415, status)
# the scale subresource takes a merge patch.
status, _, body = raw("PATCH", path + "/scale", {"spec": {"replicas": 4}},
                      "application/merge-patch+json")
check_eq("merge patch of /scale: a Scale with 4 replicas", (200, "Scale", 4),
         (status, body.get("kind"), body.get("spec", {}).get("replicas")))

# --- fieldValidation and typed writes -------------------------------------------------------

def warnings(headers):
    return [v for k, v in headers.items() if k.lower() == "warning"]


collection = "/apis/apps/v1/namespaces/%s/deployments" % NS
unknown = lambda name: deployment_body(name, spec_extra={"bogus": 1})
status, headers, body = raw("POST", collection, unknown("fv-strict"),
                            query=[("fieldValidation", "Strict")])
check("fieldValidation=Strict: an unknown field is 400",
      status == 400 and 'strict decoding error: unknown field "spec.bogus"' in str(body),
      (status, body))
status, headers, body = raw("POST", collection, unknown("fv-warn"),
                            query=[("fieldValidation", "Warn")])
check("fieldValidation=Warn: created, with a Warning header",
      status == 201 and any('unknown field \\"spec.bogus\\"' in w for w in warnings(headers)),
      (status, headers))
check("fieldValidation=Warn: the unknown field is dropped",
      isinstance(body, dict) and "bogus" not in body.get("spec", {}), body)
status, headers, body = raw("POST", collection, unknown("fv-ignore"),
                            query=[("fieldValidation", "Ignore")])
check("fieldValidation=Ignore: created, no warning, field dropped",
      status == 201 and not warnings(headers) and "bogus" not in body.get("spec", {}),
      (status, headers, body))
status, headers, body = raw("POST", collection, unknown("fv-default"))
check("no fieldValidation: Warn is the default",
      status == 201 and any("spec.bogus" in w for w in warnings(headers)), (status, headers))
status, headers, body = raw("POST", collection, unknown("fv-lower"),
                            query=[("fieldValidation", "strict")])
check("fieldValidation=strict (wrong case) is 422 on CreateOptions",
      status == 422 and body.get("message", "").startswith(
          'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict"'),
      (status, body))
status, headers, body = raw("PATCH", collection + "/fv-ignore", {"spec": {"bogus": 2}},
                            "application/merge-patch+json", [("fieldValidation", "Strict")])
check("fieldValidation=Strict on a merge patch: 400",
      status == 400 and 'unknown field "spec.bogus"' in str(body), (status, body))
status, headers, body = raw("POST", collection,
                            deployment_body("fv-three", spec_extra={"replicas": "three"}))
check("replicas: \"three\" is 400 BadRequest",
      status == 400 and body.get("reason") == "BadRequest"
      and "cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type "
          "int32" in body.get("message", ""), (status, body))
check("nothing was stored for the rejected writes",
      all(api_error(lambda n=n: APPS.read_namespaced_deployment(n, NS)) is not None
          for n in ("fv-strict", "fv-three")))

# The namespace still lists in the typed client after all of that.
try:
    APPS.list_namespaced_deployment(NS)
    CORE.list_namespaced_pod(NS)
    ok("the namespace still decodes in the typed client")
except (ApiException, ValueError) as e:
    fail("the namespace still decodes in the typed client", e)

if FAILURES:
    print("%d check(s) failed" % len(FAILURES))
    sys.exit(1)
print("all checks passed")
