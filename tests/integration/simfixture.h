// SPDX-License-Identifier: MIT
#pragma once

// Shared pieces of the integration tests: an in-process simulator on the test thread, kubeconfig
// contexts for it, and waiting for asynchronous results without sleeping.

#include "common/result.h"
#include "kube/apiclient.h"
#include "kube/kubeconfig.h"
#include "simulator/apiserver.h"
#include "simulator/cluster.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace rollscope::test {

// A simulator and a folder with its kubeconfig. Lives on the test thread.
class SimFixture
{
public:
    explicit SimFixture(bool virtualClock = true)
    {
        sim::SimOptions options;
        options.virtualClock = virtualClock;
        options.seed = 42;
        options.traffic = false;
        // Long enough for the demo pods to be running and ready; shorter starts faster.
        options.warmUpMs = 2 * 60 * 1000;
        Result<std::unique_ptr<sim::SimCluster>> started = sim::SimCluster::start(options);
        if (!started) {
            m_error = started.error().message;
            return;
        }
        m_cluster = std::move(started).value();
        m_kubeconfig = m_dir.filePath(QStringLiteral("kubeconfig"));
        if (VoidResult written = m_cluster->writeKubeconfig(m_kubeconfig); !written)
            m_error = written.error().message;
    }

    bool ok() const { return m_cluster && m_error.isEmpty(); }
    QString error() const { return m_error; }
    sim::SimCluster *cluster() const { return m_cluster.get(); }
    sim::ApiServer *api() const { return m_cluster->api(); }
    QString kubeconfigPath() const { return m_kubeconfig; }
    QString dir() const { return m_dir.path(); }

    Result<kube::ClusterConfig> config(const QString &context = QStringLiteral("rollscope-sim"),
                                       const QString &path = {}) const
    {
        kube::Kubeconfig::LoadOptions load;
        load.explicitPath = path.isEmpty() ? m_kubeconfig : path;
        Result<kube::Kubeconfig> kubeconfig = kube::Kubeconfig::load(load);
        if (!kubeconfig)
            return kubeconfig.error();
        return kubeconfig->resolve(context);
    }

    // A kubeconfig whose only user runs `plugin` (an exec credential plugin).
    QString writeExecKubeconfig(const QString &plugin, const QString &envName = {},
                                const QString &envValue = {}) const
    {
        QByteArray y =
            "apiVersion: v1\nkind: Config\ncurrent-context: exec\nclusters:\n"
            "- name: sim\n  cluster:\n    server: " +
            m_cluster->serverUrl().toString().toUtf8() +
            "\n    certificate-authority-data: " + m_cluster->caCertificatePem().toBase64() +
            "\nusers:\n- name: exec-user\n  user:\n    exec:\n"
            "      apiVersion: client.authentication.k8s.io/v1\n"
            "      interactiveMode: Never\n      command: " +
            plugin.toUtf8() + "\n";
        if (!envName.isEmpty())
            y += "      env:\n      - name: " + envName.toUtf8() + "\n        value: \"" +
                 envValue.toUtf8() + "\"\n";
        y += "contexts:\n- name: exec\n  context:\n    cluster: sim\n    user: exec-user\n"
             "    namespace: default\n";
        const QString path = m_dir.filePath(QStringLiteral("exec-kubeconfig"));
        QFile file(path);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(y);
        return path;
    }

    // A shell script plugin printing an ExecCredential with `token`; every run appends a line to
    // runs.log. With `firstToken`, the first run prints that instead (e.g. a revoked token).
    QString writePlugin(const QString &token, const QString &firstToken = {}) const
    {
        const QString path = m_dir.filePath(QStringLiteral("plugin.sh"));
        const QString runs = m_dir.filePath(QStringLiteral("runs.log"));
        QByteArray script = "#!/bin/sh\necho run >> '" + runs.toUtf8() + "'\n";
        if (!firstToken.isEmpty())
            script += "if [ \"$(wc -l < '" + runs.toUtf8() + "')\" -eq 1 ]; then T='" +
                      firstToken.toUtf8() + "'; else T='" + token.toUtf8() + "'; fi\n";
        else
            script += "T='" + token.toUtf8() + "'\n";
        script += "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                  "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"%s\"}}' \"$T\"\n";
        QFile file(path);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            file.write(script);
            file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        }
        return path;
    }

    int pluginRuns() const
    {
        QFile file(m_dir.filePath(QStringLiteral("runs.log")));
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        return static_cast<int>(file.readAll().count('\n'));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sim::SimCluster> m_cluster;
    QString m_kubeconfig;
    QString m_error;
};

// Collects one asynchronous result: pass callback() to the API, then QTRY_VERIFY(ready()).
template<typename T>
class Await
{
public:
    auto callback()
    {
        return [this](Result<T> result) { m_value.emplace(std::move(result)); };
    }
    bool ready() const { return m_value.has_value(); }
    const Result<T> &result() const { return *m_value; }
    const T &value() const { return m_value->value(); }
    QString errorText() const
    {
        return m_value && !m_value->ok() ? m_value->error().message : QString();
    }
    void reset() { m_value.reset(); }

private:
    std::optional<Result<T>> m_value;
};

} // namespace rollscope::test

#define ROLLSCOPE_SIM_OR_SKIP(fixture)                                                             \
    do {                                                                                           \
        if (!(fixture).ok())                                                                       \
            QFAIL(                                                                                 \
                qPrintable(QStringLiteral("the simulator did not start: ") + (fixture).error()));  \
    } while (false)
