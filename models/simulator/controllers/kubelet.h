// SPDX-License-Identifier: MIT
#pragma once

#include "controller.h"
#include "simulator/clock.h"
#include "simulator/images.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

namespace rollscope::sim {

struct StoreEvent;

// Every node's kubelet in one object. It drives each pod bound to a known node through its
// lifecycle on the simulated clock, timed by the containers' ImageBehavior:
//
//   admitted   hostIP, podIP (unique, 10.244.<node>.<n>), startTime, ContainerCreating
//   image      Pulling/Pulled per node (a node pulls an image once; imagePullPolicy Always pulls
//              every time), missing images: ErrImagePull then ImagePullBackOff with back-off
//              10 s, 20 s, ... 300 s; invalid references: InvalidImageName
//   container  Created, then Started after startMs; Ready readyAfterMs later (never for
//              neverready: Unhealthy every probe period); crash: terminated (exit 1, Error),
//              restarted at once the first time, then CrashLoopBackOff 10 s, 20 s, ... 300 s
//   deletion   Killing, SIGTERM to the process (PodRuntime::terminating), exit after
//              min(drain, grace) for draining apps and at once for the others, terminal phase,
//              then the final delete (Registry::erase); a pod that never ran goes at once
//   adoption   a pod first seen already running on its node, every container running and
//              ready (a settled scenario written straight to the store, as a restarted kubelet
//              finds its containers in the runtime) is taken up where it is: its address and
//              container IDs kept, its process listening, nothing written
//
// Containers of one pod start one after the other, as the kubelet's SyncPod does. Status writes
// of one instant are merged, and each pod has one pending clock task. The PodRuntime table
// (running/listening/terminating) follows the first container, the pod's app.
class Kubelet final : public Controller
{
public:
    explicit Kubelet(const SimContext &context);
    ~Kubelet() override;

    static constexpr char kComponent[] = "kubelet";
    // PLEG notices an exited container (and kubelet re-syncs the pod) this long after.
    static constexpr qint64 kResyncDelayMs = 1000;
    // A failing pod sync (invalid image name) is retried this often.
    static constexpr qint64 kErrorRetryMs = 10'000;

    // The container restart and image pull back-off after `failures` failures: 10 s doubling to
    // at most 300 s (flowcontrol.Backoff with kubelet's settings).
    static qint64 backOffMs(int failures);
    // Go's time.Duration.String() for whole milliseconds: "812ms", "1.5s", "2m40s", "5m0s".
    static QString goDuration(qint64 ms);
    // The reference containerd reports for an image: "docker.io/library/nginx:latest".
    static QString normalizedImage(const QString &image);
    // The pod address of slot `slot` on the node with index `nodeIndex` (10.<block>.<node>.<n>),
    // and the slot of an address (-1 when it is not one this kubelet hands out).
    static QString podAddress(int nodeIndex, int slot);
    static int podAddressSlot(const QString &address);

private:
    enum class Stage
    {
        Queued,     // waiting for its turn (ContainerCreating)
        Pulling,    // image pull in flight
        PullFailed, // ErrImagePull / ImagePullBackOff, retried after the back-off
        Invalid,    // InvalidImageName
        Starting,   // created, starting
        Running,
        Exited,  // terminated; restart or back-off decided on the next resync
        BackOff, // CrashLoopBackOff
        Done,    // terminated for good (restartPolicy, or the pod's termination)
    };
    struct Container
    {
        QString name;
        QString image;
        QString pullPolicy;
        ImageBehavior behavior;
        Stage stage = Stage::Queued;
        qint64 dueAt = -1;
        bool everCreated = false;
        // image pull
        qint64 pullStartedAt = -1;
        int pullFailures = 0;
        qint64 retryPullAt = -1;
        bool backOffShown = false;
        QString waitingReason;
        QString waitingMessage;
        // running
        QString containerId;
        qint64 startedAt = -1;
        bool started = false;
        bool ready = false;
        qint64 readyAt = -1;
        qint64 crashAt = -1;
        qint64 probeAt = -1;
        qint64 probePeriodMs = 10'000;
        int restartCount = 0;
        QJsonObject lastState;
        QJsonObject terminated; // the state while Exited/Done
        // crash back-off (flowcontrol.Backoff entry)
        qint64 backOff = 0;
        qint64 backOffUpdated = -1;
        qint64 finishedAt = -1;
    };
    struct Pod
    {
        QString ns;
        QString name;
        QString uid;
        QString resourceVersion; // the latest seen, for events' involvedObject
        // The involved object of its events, made again when resourceVersion moves.
        mutable QJsonObject reference;
        QString node;
        QString hostIp;
        QString podIp;
        int ipSlot = -1;
        qint64 startTime = -1;
        QJsonObject annotations;
        QString restartPolicy;
        QList<Container> containers;
        int cursor = 0; // next container of the initial start sequence
        bool admitted = false;
        bool deleteRequested = false;
        bool terminating = false;
        qint64 exitAt = -1;
        int exitCode = 0;
        qint64 listenAt = -1;
        bool listening = false;
        bool terminal = false;
        SimClock::TaskId timer = 0;
        qint64 timerAt = -1;
    };
    struct NodeState
    {
        int index = 0;
        QString address;
        QHash<QString, qint64> images; // normalized image -> present from (may be in future)
        QSet<int> usedSlots;
        int nextSlot = 0;
    };

    void onNode(const StoreEvent &event);
    void onPod(const StoreEvent &event);
    void arm(Pod &pod, qint64 at);
    void rearm(Pod &pod);
    void run(const QString &key);
    bool step(Pod &pod, Container &c, int index, qint64 now);
    void admit(Pod &pod, qint64 now);
    // Takes up a pod found running and ready (see adoption above); false (nothing changed)
    // when it is not in that state or its app would not stay in it.
    bool adopt(Pod &pod, const QJsonObject &object);
    void beginPull(Pod &pod, Container &c, qint64 now);
    void createAndStart(Pod &pod, Container &c, qint64 now);
    void restart(Pod &pod, Container &c, qint64 now);
    void crash(Pod &pod, Container &c, int index, qint64 now);
    void beginTermination(Pod &pod, qint64 now);
    void finishTermination(Pod &pod, qint64 now);
    void advanceCursor(Pod &pod, int index, qint64 now);
    void writeStatus(Pod &pod, qint64 now);
    void forget(const QString &key);
    void finalErase(Pod &pod);
    void emitRuntime(Pod &pod);
    void containerEvent(const Pod &pod, const Container &c, const QString &type,
                        const QString &reason, const QString &message);
    QJsonObject podReference(const Pod &pod) const;
    QString allocateIp(Pod &pod);
    void releaseIp(Pod &pod);
    QString containerId();

    QHash<QString, Pod> m_pods;        // pod key -> state
    QHash<QString, NodeState> m_nodes; // node name -> state
    int m_nextCustomNodeIndex = 200;
};

} // namespace rollscope::sim
