// SPDX-License-Identifier: MIT
// rollscope-sim: a Kubernetes-API-compatible cluster simulator on loopback.
#include "cli/interrupt.h"
#include "common/allocator.h"
#include "common/openssl.h"
#include "common/translations.h"
#include "common/version.h"
#include "simulator/cluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace rollscope::sim;

int main(int argc, char **argv)
{
    // The cluster's objects live in the heap: back it with huge pages (see the function).
    rollscope::restartWithHugePageHeap(argv);
    rollscope::keepOpenSslUntilExit(); // before anything uses TLS: see common/openssl.h
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rollscope-sim"));
    QCoreApplication::setApplicationVersion(QLatin1StringView(rollscope::kVersion));
    // The system's language (LANGUAGE, LANG), for help and messages.
    rollscope::Translations::install(rollscope::Translations::chooseLocale({}, {}));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "A Kubernetes-API-compatible cluster simulator: API server over HTTPS, "
                "deployment controller, simulated pods and Service traffic, on loopback."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listen(
        QStringLiteral("listen"),
        QCoreApplication::translate("main", "Address and port to serve the API on (port 0 = any)."),
        QStringLiteral("host:port"), QStringLiteral("127.0.0.1:0"));
    const QCommandLineOption kubeconfig(
        QStringLiteral("kubeconfig"),
        QCoreApplication::translate("main",
                                    "Write a kubeconfig for this cluster here once it serves."),
        QStringLiteral("path"));
    const QCommandLineOption scenario(
        QStringLiteral("scenario"),
        QCoreApplication::translate("main", "What the cluster starts with: demo, empty or "
                                            "scale:DEPLOYMENTS:PODS_EACH."),
        QStringLiteral("name"), QStringLiteral("demo"));
    const QCommandLineOption speed(
        QStringLiteral("speed"),
        QCoreApplication::translate("main", "Simulated time runs this many times faster "
                                            "(start delays, grace periods)."),
        QStringLiteral("factor"), QStringLiteral("1"));
    const QCommandLineOption seed(
        QStringLiteral("seed"),
        QCoreApplication::translate("main", "Random seed, for reproducible names and routing."),
        QStringLiteral("number"), QStringLiteral("0"));
    const QCommandLineOption nodes(QStringLiteral("nodes"),
                                   QCoreApplication::translate("main", "Number of nodes."),
                                   QStringLiteral("count"), QStringLiteral("3"));
    parser.addOptions({listen, kubeconfig, scenario, speed, seed, nodes});
    parser.process(app);

    QTextStream err(stderr);
    auto usage = [&err](const QString &message) {
        err << "rollscope-sim: " << message << '\n';
        return 64;
    };

    SimOptions options;
    const QString listenValue = parser.value(listen);
    const qsizetype colon = listenValue.lastIndexOf(u':');
    bool portOk = false;
    const int port = listenValue.mid(colon + 1).toInt(&portOk);
    QString host = listenValue.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    options.address = QHostAddress(host == u"localhost" ? QStringLiteral("127.0.0.1") : host);
    if (colon < 0 || !portOk || port < 0 || port > 65535 || options.address.isNull())
        return usage(QCoreApplication::translate("main", "--listen expects HOST:PORT, got \"%1\"")
                         .arg(listenValue));
    options.port = quint16(port);
    auto parsedScenario = Scenario::parse(parser.value(scenario));
    if (!parsedScenario)
        return usage(parsedScenario.error().message);
    options.scenario = parsedScenario.value();
    bool speedOk = false;
    options.speed = parser.value(speed).toDouble(&speedOk);
    if (!speedOk || options.speed <= 0 || options.speed > 1000)
        return usage(QCoreApplication::translate("main", "--speed expects a factor in (0, 1000]"));
    options.seed = parser.value(seed).toUInt();
    options.nodes = qBound(1, parser.value(nodes).toInt(), 100);

    // SIGINT/SIGTERM end the event loop.
    rollscope::cli::onInterrupt(&app, [] { QCoreApplication::quit(); });
    auto cluster = SimCluster::start(options);
    if (!cluster) {
        err << "rollscope-sim: " << cluster.error().message << '\n';
        return 1;
    }
    if (parser.isSet(kubeconfig)) {
        if (auto written = cluster.value()->writeKubeconfig(parser.value(kubeconfig)); !written) {
            err << "rollscope-sim: " << written.error().message << '\n';
            return 1;
        }
    }
    QTextStream out(stdout);
    out << "rollscope-sim: serving " << cluster.value()->serverUrl().toString() << Qt::endl;
    const int rc = app.exec();
    cluster.value().reset();
    out << "rollscope-sim: stopped" << Qt::endl;
    return rc;
}
