// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>

namespace rollscope::sim {

// What a simulated container does, decided by its image reference (and optionally a pod
// annotation). The catalogue is documented in the README ("Simulated images").
//
// Tag tokens, after the version and separated by '-', e.g. `bebullish/demo:v2-slow-nodrain`:
//   slow        ready 20 s after start instead of ~1.5 s
//   neverready  the readiness check never passes
//   crash       the process exits with code 1 three seconds after each start (CrashLoopBackOff)
//   missing     the image does not exist (ErrImagePull, then ImagePullBackOff)
//   failNN      NN% of HTTP answers are 500 (fail50 = every other request)
//   latelisten  Ready 5 s before the server listens: connections fail meanwhile
//   nodrain     no graceful shutdown: in-flight requests are reset at SIGTERM
// The pod-template annotation `sim.rollscope.dev/behavior` takes the same tokens, comma
// separated, plus `ready-after=20s`, `fail-rate=0.3`, `listen-delay=5s`, `latency=200ms`,
// `crash-after=3s`, `drain=false`. Repository `bebullish/demo` publishes tags v1, v2 and v3
// only; other repositories publish every tag.
struct ImageBehavior
{
    bool exists = true;
    bool invalidName = false; // not a valid reference (InvalidImageName)
    QString version;          // what the app reports: the tag (or digest), e.g. "v2"
    qint64 pullMs = 800;      // Pulling -> Pulled on a node that does not have the image
    qint64 startMs = 300;     // Created -> Started
    qint64 readyAfterMs = 1500;
    bool neverReady = false;
    qint64 crashAfterMs = -1; // >= 0: exits with code 1 this long after each start
    double failRate = 0.0;    // share of HTTP 500 answers
    qint64 listenDelayMs = 0; // after Ready, not yet listening
    qint64 latencyMs = 2;     // time to answer one request
    bool drain = true;        // finishes in-flight requests at SIGTERM, then exits
    qint64 drainMs = 1000;    // graceful shutdown takes this long (bounded by the grace period)
};

// The behaviour of `image` in a pod whose annotations are `annotations`.
ImageBehavior behaviorFor(const QString &image, const QJsonObject &annotations = {});

// Whether `image` is a syntactically valid image reference (docker/distribution grammar).
bool isValidImageReference(const QString &image);

inline constexpr char kBehaviorAnnotation[] = "sim.rollscope.dev/behavior";

} // namespace rollscope::sim
