// SPDX-License-Identifier: MIT
// Kubeconfig files (YAML, or JSON, which is YAML too): Kubeconfig::load parses one file per
// input, then resolve() checks every context (what the app does when one is picked). load()
// reads from a path only, so each input is written to a file in a private temporary folder.
// Paths the input names (certificate-authority, token files) are resolved against that folder;
// resolve() reads them (bounded, regular files only) but never runs an exec plugin.

#include "fuzzsupport.h"
#include "kube/kubeconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace rollscope;
using namespace rollscope::kube;

namespace {

QString fuzzKubeconfigPath()
{
    static QTemporaryDir dir(QDir::tempPath() +
                             QStringLiteral("/rollscope-fuzz-kubeconfig-XXXXXX"));
    if (!dir.isValid())
        abort();
    return dir.filePath(QStringLiteral("config"));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rollscope::fuzz::initQt();
    const QString path = fuzzKubeconfigPath();
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            abort();
        file.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    Kubeconfig::LoadOptions options;
    options.explicitPath = path;
    const Result<Kubeconfig> config = Kubeconfig::load(options);
    if (!config) {
        FUZZ_CHECK(!config.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(config->files().size() == 1);
    (void)config->currentContext();
    (void)config->warnings();
    int resolved = 0;
    const QList<ContextInfo> contexts = config->contexts();
    for (const ContextInfo &context : contexts) {
        if (++resolved > 8)
            break;
        (void)config->cluster(context.cluster);
        if (const auto user = config->user(context.user)) {
            (void)user->hasCredentials();
            (void)user->impersonates();
        }
        const Result<ClusterConfig> cluster = config->resolve(context.name);
        if (!cluster)
            continue;
        (void)cluster->isInsecure();
        (void)sslConfigurationFor(*cluster);
        (void)proxyFor(*cluster);
    }
    (void)config->resolve(); // current-context, which may name nothing
    return 0;
}
