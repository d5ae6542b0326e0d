// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

namespace rollscope {

// The in-process demo cluster as the window sees it. The simulator provides it
// (sim::SimClusterThread) and the program's main() installs the factory, so the window's
// library does not link the simulator; a program without one has no demo cluster.
class DemoCluster : public QObject
{
    Q_OBJECT
public:
    using Factory = std::function<DemoCluster *(QObject *parent)>;
    static void setFactory(Factory factory);
    // A new demo cluster (not started) owned by `parent`; nullptr when none was installed.
    static DemoCluster *create(QObject *parent);

    // Starts the cluster with its clock running `speed` times faster, writes a kubeconfig for
    // it at `kubeconfigPath`, then emits ready() or failed().
    virtual void startDemo(double speed, const QString &kubeconfigPath) = 0;
    virtual bool isRunning() const = 0;

signals:
    void ready(const QUrl &serverUrl, const QString &kubeconfigPath);
    void failed(const QString &message);

protected:
    using QObject::QObject;
};

} // namespace rollscope
