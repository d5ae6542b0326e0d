// SPDX-License-Identifier: MIT
#include "kube/kubeconfig.h"

#include "apimachinery/validation.h"
#include "apimachinery/yamljson.h"
#include "common/boundedfile.h"
#include "common/text.h"
#include "kube/execplugin.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSet>

#include <optional>
#include <sstream>
#include <string>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace rollscope::kube {

namespace {

// Larger files are certainly not kubeconfigs; refusing them keeps a typo from eating memory.
constexpr qint64 kMaxKubeconfigBytes = 16 * 1024 * 1024;
// YAML aliases share their anchor's node in yaml-cpp, but whatever reads them (a string field,
// an extension turned into JSON) copies it: 700 bytes of nested aliases (a "billion laughs")
// expand to gigabytes. What aliases may add to a file is bounded the way go-yaml bounds it
// for kubectl ("excessive aliasing"): real kubeconfigs use few aliases, if any.
constexpr qint64 kMaxAliasedValues = 400'000;
constexpr qint64 kMaxAliasedTextBytes = 16 * 1024 * 1024;
// Extension objects nest a few levels; the bound keeps a malformed graph off the stack.
constexpr int kMaxExtensionDepth = 100;

constexpr QLatin1StringView kExecExtensionName("client.authentication.k8s.io/exec");
constexpr QLatin1StringView kExecV1("client.authentication.k8s.io/v1");
constexpr QLatin1StringView kExecV1beta1("client.authentication.k8s.io/v1beta1");
constexpr QLatin1StringView kExecV1alpha1("client.authentication.k8s.io/v1alpha1");

QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}

// Thrown inside the parser only; load() turns it into an Error.
struct ParseFailure
{
    QString message;
};

QString itemPath(const char *list, const QString &name)
{
    return QStringLiteral("%1[name=%2]").arg(QLatin1StringView(list), name);
}

// Thrown by AliasBudget; the parser turns it into a message with file, line and column.
struct AliasOverrun
{
    enum class Kind
    {
        Values,
        Text,
        Cycle
    };
    YAML::Mark mark;
    Kind kind;
};

// Adds up, from yaml-cpp's parse events, what every alias expands to (its anchor's node count
// and scalar bytes, aliases inside it included) and throws AliasOverrun at the alias that takes
// the total past the bounds, or that sits inside its own anchor.
class AliasBudget final : public YAML::EventHandler
{
public:
    void OnDocumentStart(const YAML::Mark &) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &, YAML::anchor_t anchor) override { leaf(anchor, 0); }
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t anchor,
                  const std::string &value) override
    {
        leaf(anchor, static_cast<qint64>(value.size()));
    }
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override
    {
        open(anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override
    {
        open(anchor);
    }
    void OnMapEnd() override { close(); }

    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        const auto it = m_sizes.constFind(anchor);
        if (it == m_sizes.cend()) // yaml-cpp refuses unknown anchors: this one is still open
            throw AliasOverrun{mark, AliasOverrun::Kind::Cycle};
        m_total.values += it->values;
        m_total.bytes += it->bytes;
        m_aliased.values += it->values;
        m_aliased.bytes += it->bytes;
        if (m_aliased.values > kMaxAliasedValues)
            throw AliasOverrun{mark, AliasOverrun::Kind::Values};
        if (m_aliased.bytes > kMaxAliasedTextBytes)
            throw AliasOverrun{mark, AliasOverrun::Kind::Text};
    }

private:
    struct Size
    {
        qint64 values = 0;
        qint64 bytes = 0;
    };
    struct OpenNode
    {
        YAML::anchor_t anchor;
        Size before;
    };

    void leaf(YAML::anchor_t anchor, qint64 bytes)
    {
        m_total.values += 1;
        m_total.bytes += bytes;
        if (anchor != YAML::NullAnchor)
            m_sizes.insert(anchor, Size{1, bytes});
    }
    void open(YAML::anchor_t anchor)
    {
        m_open.append({anchor, m_total});
        m_total.values += 1;
    }
    void close()
    {
        if (m_open.isEmpty())
            return;
        const OpenNode node = m_open.takeLast();
        if (node.anchor != YAML::NullAnchor)
            m_sizes.insert(node.anchor, Size{m_total.values - node.before.values,
                                             m_total.bytes - node.before.bytes});
    }

    QList<OpenNode> m_open;
    QHash<YAML::anchor_t, Size> m_sizes;
    Size m_total;   // the document as the parser will see it, aliases expanded
    Size m_aliased; // the part of it that aliases added
};

QString absolutePath(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

} // namespace

// Turns one kubeconfig file into entries. Relative paths are resolved against the file's folder,
// as client-go's ResolveLocalPaths does, so the merged view no longer needs to know the origin.
class KubeconfigParser
{
    Q_DECLARE_TR_FUNCTIONS(Kubeconfig)

public:
    explicit KubeconfigParser(QString path)
        : m_path(std::move(path))
        , m_dir(QFileInfo(m_path).absolutePath())
    {}

    // Throws ParseFailure.
    void parse(const QByteArray &content)
    {
        const std::string text = content.toStdString();
        // Without a '*' there is no alias, and nothing to size.
        if (content.contains('*'))
            checkAliases(text);
        YAML::Node root;
        try {
            root = YAML::Load(text);
        } catch (const YAML::Exception &e) {
            failAt(e.mark, fromStd(e.msg));
        }
        if (!root.IsDefined() || root.IsNull())
            return; // an empty file is an empty config, as in client-go
        if (!root.IsMap())
            fail(root, tr("a kubeconfig must be a mapping with clusters, users and contexts"));

        currentContext = string(root, "current-context", QString());
        namedList(root, "clusters", "cluster",
                  [this](const QString &name, const YAML::Node &body, const QString &path) {
                      clusters.append(parseCluster(name, body, path));
                  });
        namedList(root, "users", "user",
                  [this](const QString &name, const YAML::Node &body, const QString &path) {
                      users.append(parseUser(name, body, path));
                  });
        namedList(root, "contexts", "context",
                  [this](const QString &name, const YAML::Node &body, const QString &path) {
                      ContextInfo context;
                      context.name = name;
                      context.cluster = string(body, "cluster", path);
                      context.user = string(body, "user", path);
                      context.ns = string(body, "namespace", path);
                      context.definedIn = m_path;
                      contexts.append(context);
                  });
    }

    QString currentContext;
    QList<ClusterInfo> clusters;
    QList<UserInfo> users;
    QList<ContextInfo> contexts;
    QMap<QString, QList<Kubeconfig::DeferredProblem>> userProblems;

private:
    // A first pass over the parse events, before yaml-cpp builds nodes that share what aliases
    // point to; see AliasBudget.
    void checkAliases(const std::string &text) const
    {
        std::istringstream stream(text);
        AliasBudget budget;
        try {
            YAML::Parser parser(stream);
            parser.HandleNextDocument(budget);
        } catch (const YAML::Exception &e) {
            failAt(e.mark, fromStd(e.msg));
        } catch (const AliasOverrun &overrun) {
            switch (overrun.kind) {
            case AliasOverrun::Kind::Values:
                failAt(overrun.mark,
                       tr("YAML aliases expand this file by more than %1 values; such excessive "
                          "aliasing is refused (kubectl refuses it too).")
                           .arg(kMaxAliasedValues));
            case AliasOverrun::Kind::Text:
                failAt(overrun.mark,
                       tr("YAML aliases expand this file by more than %1 of text; such excessive "
                          "aliasing is refused (kubectl refuses it too).")
                           .arg(BoundedFile::sizeText(kMaxAliasedTextBytes)));
            case AliasOverrun::Kind::Cycle:
                failAt(overrun.mark, tr("this alias is used inside its own anchor."));
            }
        }
    }

    [[noreturn]] void failAt(const YAML::Mark &mark, const QString &problem) const
    {
        if (mark.is_null())
            throw ParseFailure{tr("Cannot load kubeconfig %1: %2").arg(m_path, problem)};
        throw ParseFailure{tr("Cannot load kubeconfig %1: line %2, column %3: %4")
                               .arg(m_path, QString::number(mark.line + 1),
                                    QString::number(mark.column + 1), problem)};
    }

    [[noreturn]] void fail(const YAML::Node &node, const QString &problem) const
    {
        failAt(node.Mark(), problem);
    }

    // A mapping may repeat a key. kubectl converts YAML to JSON without strict checks
    // (sigs.k8s.io/yaml's YAMLToJSON), and the last value wins; yaml-cpp's own lookup would
    // return the first, so the two could authenticate as different users.
    static YAML::Node child(const YAML::Node &map, const char *key)
    {
        std::optional<YAML::Node> last;
        if (map.IsMap()) {
            for (const auto &entry : map) {
                // emplace() copies the handle; assigning a yaml-cpp node would rewrite the
                // node it refers to.
                if (entry.first.IsScalar() && entry.first.Scalar() == key)
                    last.emplace(entry.second);
            }
        }
        if (last)
            return *last;
        return YAML::Node(YAML::NodeType::Undefined);
    }

    static bool absent(const YAML::Node &node) { return !node.IsDefined() || node.IsNull(); }

    static QString fieldOf(const QString &path, const char *key)
    {
        if (path.isEmpty())
            return QLatin1StringView(key);
        return path + u'.' + QLatin1StringView(key);
    }

    QString string(const YAML::Node &map, const char *key, const QString &path) const
    {
        const YAML::Node node = child(map, key);
        if (absent(node))
            return {};
        if (!node.IsScalar())
            fail(node, tr("%1 must be a string").arg(fieldOf(path, key)));
        return fromStd(node.Scalar());
    }

    bool boolean(const YAML::Node &map, const char *key, const QString &path) const
    {
        const YAML::Node node = child(map, key);
        if (absent(node))
            return false;
        bool value = false;
        if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value))
            fail(node, tr("%1 must be true or false").arg(fieldOf(path, key)));
        return value;
    }

    QStringList stringList(const YAML::Node &node, const QString &field) const
    {
        if (absent(node))
            return {};
        if (!node.IsSequence())
            fail(node, tr("%1 must be a list of strings").arg(field));
        QStringList result;
        for (const auto &item : node) {
            if (!item.IsScalar() && !item.IsNull())
                fail(item, tr("%1 must be a list of strings").arg(field));
            result.append(item.IsNull() ? QString() : fromStd(item.Scalar()));
        }
        return result;
    }

    // -data fields hold base64; the decoded bytes may be a private key, so no message shows them.
    QByteArray base64(const YAML::Node &map, const char *key, const QString &path) const
    {
        const QString text = string(map, key, path);
        if (text.isEmpty())
            return {};
        QByteArray compact = text.toLatin1();
        compact.replace('\n', QByteArray()).replace('\r', QByteArray()).replace(' ', QByteArray());
        auto decoded =
            QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            fail(child(map, key), tr("%1 is not valid base64").arg(fieldOf(path, key)));
        return *decoded;
    }

    // A YAML node as JSON would see it (Go converts kubeconfig YAML to JSON before decoding), so
    // extension objects reach exec plugins with their numbers and booleans intact. What aliases
    // expand to was bounded by checkAliases(); `owner` is where a failure is reported.
    QJsonValue toJson(const YAML::Node &node, const YAML::Node &owner, const QString &field) const
    {
        Result<QJsonValue> json = apimachinery::yamlNodeToJson(node, kMaxExtensionDepth);
        if (json)
            return std::move(json).value();
        if (json.error().reason == apimachinery::kYamlNestedTooDeep)
            fail(owner, tr("%1 is nested more than %2 levels deep.")
                            .arg(field, QString::number(kMaxExtensionDepth)));
        fail(owner, json.error().message);
    }

    QString localPath(const QString &path) const
    {
        if (path.isEmpty())
            return {};
        return QDir::cleanPath(QDir(m_dir).absoluteFilePath(path));
    }

    template<typename ParseItem>
    void namedList(const YAML::Node &root, const char *listKey, const char *bodyKey,
                   ParseItem parseItem)
    {
        const YAML::Node list = child(root, listKey);
        if (absent(list))
            return;
        if (!list.IsSequence())
            fail(list, tr("%1 must be a list").arg(QLatin1StringView(listKey)));
        QSet<QString> seen;
        int index = 0;
        for (const auto &item : list) {
            const QString indexed =
                QStringLiteral("%1[%2]").arg(QLatin1StringView(listKey), QString::number(index++));
            if (!item.IsMap())
                fail(item, tr("%1 must be a mapping with name and %2")
                               .arg(indexed, QLatin1StringView(bodyKey)));
            const QString name = string(item, "name", indexed);
            if (name.isEmpty())
                fail(item, tr("%1 has no name").arg(indexed));
            const QString path = itemPath(listKey, name);
            if (seen.contains(name))
                fail(item, tr("%1 is defined twice in this file").arg(path));
            seen.insert(name);
            const YAML::Node given = child(item, bodyKey);
            const YAML::Node body = absent(given) ? YAML::Node(YAML::NodeType::Map) : given;
            if (!body.IsMap())
                fail(body, tr("%1 must be a mapping").arg(fieldOf(path, bodyKey)));
            parseItem(name, body, fieldOf(path, bodyKey));
        }
    }

    ClusterInfo parseCluster(const QString &name, const YAML::Node &body, const QString &path)
    {
        ClusterInfo cluster;
        cluster.name = name;
        cluster.definedIn = m_path;
        cluster.certificateAuthorityFile = localPath(string(body, "certificate-authority", path));
        cluster.caPem = base64(body, "certificate-authority-data", path);
        cluster.insecureSkipTlsVerify = boolean(body, "insecure-skip-tls-verify", path);
        cluster.tlsServerName = string(body, "tls-server-name", path);
        cluster.disableCompression = boolean(body, "disable-compression", path);

        QString server = string(body, "server", path);
        cluster.serverAsWritten = server;
        // client-go's DefaultServerURL: a bare host:port means https when TLS is configured.
        if (!server.isEmpty() && !server.contains(QLatin1StringView("://"))) {
            const bool tls = cluster.insecureSkipTlsVerify || !cluster.caPem.isEmpty() ||
                             !cluster.certificateAuthorityFile.isEmpty();
            server.prepend(tls ? QLatin1StringView("https://") : QLatin1StringView("http://"));
        }
        if (!server.isEmpty())
            cluster.server = QUrl(server);
        const QString proxy = string(body, "proxy-url", path);
        if (!proxy.isEmpty())
            cluster.proxyUrl = QUrl(proxy);

        const YAML::Node extensions = child(body, "extensions");
        if (!absent(extensions)) {
            if (!extensions.IsSequence())
                fail(extensions, tr("%1 must be a list").arg(fieldOf(path, "extensions")));
            for (const auto &extension : extensions) {
                if (!extension.IsMap())
                    fail(extension, tr("%1 must be a list of name and extension")
                                        .arg(fieldOf(path, "extensions")));
                if (string(extension, "name", fieldOf(path, "extensions")) == kExecExtensionName) {
                    const QString field =
                        fieldOf(path, "extensions") +
                        QStringLiteral("[name=%1].extension").arg(kExecExtensionName);
                    cluster.execExtension = toJson(child(extension, "extension"), extension, field);
                }
            }
        }
        return cluster;
    }

    UserInfo parseUser(const QString &name, const YAML::Node &body, const QString &path)
    {
        UserInfo user;
        user.name = name;
        user.definedIn = m_path;
        user.clientCertificateFile = localPath(string(body, "client-certificate", path));
        user.clientCertPem = base64(body, "client-certificate-data", path);
        user.clientKeyFile = localPath(string(body, "client-key", path));
        user.clientKeyPem = base64(body, "client-key-data", path);
        user.token = string(body, "token", path);
        user.tokenFile = localPath(string(body, "tokenFile", path));
        user.username = string(body, "username", path);
        user.password = string(body, "password", path);
        user.impersonate = string(body, "as", path);
        user.impersonateUid = string(body, "as-uid", path);
        user.impersonateGroups = stringList(child(body, "as-groups"), fieldOf(path, "as-groups"));

        const YAML::Node extra = child(body, "as-user-extra");
        if (!absent(extra)) {
            if (!extra.IsMap())
                fail(extra,
                     tr("%1 must be a mapping of lists").arg(fieldOf(path, "as-user-extra")));
            for (const auto &entry : extra) {
                const QString key = fromStd(entry.first.Scalar());
                user.impersonateUserExtra.insert(
                    key, stringList(entry.second, fieldOf(path, "as-user-extra") + u'.' + key));
            }
        }

        const YAML::Node provider = child(body, "auth-provider");
        if (!absent(provider)) {
            const QString field = fieldOf(path, "auth-provider");
            if (!provider.IsMap())
                fail(provider, tr("%1 must be a mapping").arg(field));
            AuthProviderConfig config;
            config.name = string(provider, "name", field);
            const YAML::Node values = child(provider, "config");
            if (!absent(values)) {
                if (!values.IsMap())
                    fail(values, tr("%1 must be a mapping of strings")
                                     .arg(field + QStringLiteral(".config")));
                for (const auto &entry : values) {
                    if (!entry.second.IsScalar() && !entry.second.IsNull())
                        fail(entry.second, tr("%1 must be a mapping of strings")
                                               .arg(field + QStringLiteral(".config")));
                    config.config.insert(fromStd(entry.first.Scalar()),
                                         entry.second.IsNull() ? QString()
                                                               : fromStd(entry.second.Scalar()));
                }
            }
            user.authProvider = config;
        }

        const YAML::Node exec = child(body, "exec");
        if (!absent(exec))
            user.exec = parseExec(name, exec, fieldOf(path, "exec"));
        return user;
    }

    ExecConfig parseExec(const QString &userName, const YAML::Node &node, const QString &path)
    {
        if (!node.IsMap())
            fail(node, tr("%1 must be a mapping").arg(path));
        ExecConfig exec;
        exec.apiVersion = string(node, "apiVersion", path);
        exec.command = string(node, "command", path);
        // Only a command with a path separator is relative to the kubeconfig; bare names are
        // looked up in PATH when the plugin runs.
        if (exec.command.contains(u'/'))
            exec.command = localPath(exec.command);
        exec.args = stringList(child(node, "args"), fieldOf(path, "args"));
        exec.installHint = string(node, "installHint", path);
        exec.provideClusterInfo = boolean(node, "provideClusterInfo", path);

        const YAML::Node env = child(node, "env");
        if (!absent(env)) {
            if (!env.IsSequence())
                fail(env, tr("%1 must be a list of name and value").arg(fieldOf(path, "env")));
            for (const auto &entry : env) {
                if (!entry.IsMap())
                    fail(entry,
                         tr("%1 must be a list of name and value").arg(fieldOf(path, "env")));
                exec.env.append({string(entry, "name", fieldOf(path, "env")),
                                 string(entry, "value", fieldOf(path, "env"))});
            }
        }

        const QString mode = string(node, "interactiveMode", path);
        const QString modeField = fieldOf(path, "interactiveMode");
        if (mode.isEmpty()) {
            // Defaulted for v1beta1 only; v1 made the field required
            // (clientcmd/api/v1/defaults.go).
            exec.interactiveMode = ExecConfig::InteractiveMode::IfAvailable;
            if (exec.apiVersion == kExecV1)
                userProblems[userName].append(
                    {modeField, tr("User \"%1\": exec with apiVersion %2 needs interactiveMode "
                                   "(Never, IfAvailable or Always).")
                                    .arg(userName, exec.apiVersion)});
        } else if (mode == QLatin1StringView("Never")) {
            exec.interactiveMode = ExecConfig::InteractiveMode::Never;
        } else if (mode == QLatin1StringView("IfAvailable")) {
            exec.interactiveMode = ExecConfig::InteractiveMode::IfAvailable;
        } else if (mode == QLatin1StringView("Always")) {
            exec.interactiveMode = ExecConfig::InteractiveMode::Always;
        } else {
            userProblems[userName].append(
                {modeField,
                 tr("User \"%1\": interactiveMode \"%2\" is not Never, IfAvailable or Always.")
                     .arg(userName, mode)});
        }
        return exec;
    }

    QString m_path;
    QString m_dir;
};

// ---------------------------------------------------------------------------------------------

bool UserInfo::hasCredentials() const
{
    return !clientCertPem.isEmpty() || !clientKeyPem.isEmpty() ||
           !clientCertificateFile.isEmpty() || !clientKeyFile.isEmpty() || !token.isEmpty() ||
           !tokenFile.isEmpty() || !username.isEmpty() || !password.isEmpty() || exec ||
           authProvider;
}

bool UserInfo::impersonates() const
{
    return !impersonate.isEmpty() || !impersonateUid.isEmpty() || !impersonateGroups.isEmpty() ||
           !impersonateUserExtra.isEmpty();
}

bool ClusterConfig::isInsecure() const
{
    return cluster.insecureSkipTlsVerify || cluster.server.scheme() == QLatin1StringView("http");
}

Result<Kubeconfig> Kubeconfig::load(const LoadOptions &options)
{
    QStringList candidates;
    bool fromEnv = false;
    if (!options.explicitPath.isEmpty()) {
        const QFileInfo info(options.explicitPath);
        if (!info.exists())
            return Error::make(
                Error::Kind::Config,
                tr("The kubeconfig file %1 does not exist.").arg(options.explicitPath));
        if (info.isDir())
            return Error::make(
                Error::Kind::Config,
                tr("The kubeconfig %1 is a folder, not a file.").arg(options.explicitPath));
        candidates.append(absolutePath(options.explicitPath));
    } else {
        const QString env =
            options.kubeconfigEnv ? *options.kubeconfigEnv : qEnvironmentVariable("KUBECONFIG");
        if (!env.isEmpty()) {
            fromEnv = true;
            const QStringList parts = env.split(QDir::listSeparator(), Qt::SkipEmptyParts);
            for (const QString &part : parts) {
                const QString path = absolutePath(part);
                if (!candidates.contains(path))
                    candidates.append(path);
            }
        } else {
            const QString home = options.homeDir.isEmpty() ? QDir::homePath() : options.homeDir;
            candidates.append(QDir::cleanPath(home + QLatin1StringView("/.kube/config")));
        }
    }

    Kubeconfig config;
    for (const QString &path : candidates) {
        const QFileInfo info(path);
        if (!info.exists())
            continue; // missing $KUBECONFIG entries are skipped silently, as client-go does
        // /dev/stdin stays readable (kubectl --kubeconfig /dev/stdin); other devices and FIFOs
        // are refused, and nothing is read past the limit.
        const Result<QByteArray> content =
            BoundedFile::read(path, kMaxKubeconfigBytes, BoundedFile::StdinPolicy::Allow);
        if (!content)
            return Error::make(
                Error::Kind::Config,
                tr("Cannot read kubeconfig %1: %2").arg(path, content.error().message));
        KubeconfigParser parser(path);
        try {
            parser.parse(*content);
        } catch (const ParseFailure &failure) {
            return Error::make(Error::Kind::Config, failure.message);
        } catch (const YAML::Exception &e) {
            // Parsing is guarded field by field; this is the safety net for conversions we missed.
            return Error::make(Error::Kind::Config,
                               tr("Cannot load kubeconfig %1: %2").arg(path, fromStd(e.what())));
        }

        config.m_files.append(path);
        if (config.m_currentContext.isEmpty())
            config.m_currentContext = parser.currentContext;
        // The first file that defines a name wins, with its whole entry. The name indexes keep
        // this linear: a lookup per entry in the lists made 200k contexts take minutes.
        for (const ClusterInfo &cluster : std::as_const(parser.clusters)) {
            if (!config.m_clusterIndex.contains(cluster.name)) {
                config.m_clusterIndex.insert(cluster.name, config.m_clusters.size());
                config.m_clusters.append(cluster);
            }
        }
        for (const UserInfo &user : std::as_const(parser.users)) {
            if (!config.m_userIndex.contains(user.name)) {
                config.m_userIndex.insert(user.name, config.m_users.size());
                config.m_users.append(user);
                if (parser.userProblems.contains(user.name))
                    config.m_userProblems.insert(user.name, parser.userProblems.value(user.name));
            }
        }
        for (const ContextInfo &context : std::as_const(parser.contexts)) {
            if (!config.m_contextIndex.contains(context.name)) {
                config.m_contextIndex.insert(context.name, config.m_contexts.size());
                config.m_contexts.append(context);
            }
        }
    }
    if (fromEnv && config.m_files.isEmpty() && !candidates.isEmpty())
        config.m_warnings.append(
            tr("None of the files listed in KUBECONFIG exist: %1").arg(candidates.join(u", ")));
    return config;
}

QStringList Kubeconfig::contextNames() const
{
    QStringList names;
    names.reserve(m_contexts.size());
    for (const ContextInfo &context : m_contexts)
        names.append(context.name);
    return names;
}

QList<ContextInfo> Kubeconfig::contexts() const
{
    return m_contexts;
}

QString Kubeconfig::currentContext() const
{
    return m_currentContext;
}

QStringList Kubeconfig::files() const
{
    return m_files;
}

QStringList Kubeconfig::warnings() const
{
    return m_warnings;
}

bool Kubeconfig::isEmpty() const
{
    return m_files.isEmpty();
}

std::optional<ContextInfo> Kubeconfig::context(const QString &name) const
{
    const auto it = m_contextIndex.constFind(name);
    if (it == m_contextIndex.cend())
        return std::nullopt;
    return m_contexts.at(*it);
}

std::optional<ClusterInfo> Kubeconfig::cluster(const QString &name) const
{
    const auto it = m_clusterIndex.constFind(name);
    if (it == m_clusterIndex.cend())
        return std::nullopt;
    return m_clusters.at(*it);
}

std::optional<UserInfo> Kubeconfig::user(const QString &name) const
{
    const auto it = m_userIndex.constFind(name);
    if (it == m_userIndex.cend())
        return std::nullopt;
    return m_users.at(*it);
}

// ---------------------------------------------------------------------------------------------

namespace {

// Collects everything wrong with one context so the person fixes it in one go.
class Resolution
{
    Q_DECLARE_TR_FUNCTIONS(Kubeconfig)

public:
    void problem(const QString &field, const QString &message)
    {
        m_causes.append({QStringLiteral("FieldValueInvalid"), message, field});
    }
    bool failed() const { return !m_causes.isEmpty(); }

    Error error(const QString &contextName) const
    {
        QString message;
        if (m_causes.size() == 1) {
            message =
                tr("Cannot use context \"%1\": %2").arg(contextName, m_causes.first().message);
        } else {
            message = tr("Cannot use context \"%1\":").arg(contextName);
            for (const ErrorCause &cause : m_causes)
                message += QLatin1StringView("\n- ") + cause.message;
        }
        Error error = Error::make(Error::Kind::Config, message);
        error.causes = m_causes;
        return error;
    }

    // Kubeconfig::resolve's steps, each on the part of `config` it names; `path` is the
    // kubeconfig field of the entry (clusters[name=x].cluster, users[name=y].user).
    // The cluster: server, proxy, then its TLS settings (clusterTls).
    void resolveCluster(const ClusterInfo &cluster, const QString &path);
    // The user: without TLS none of its credentials; then its credentials' shape, client
    // certificate, token file, exec plugin or auth-provider, and impersonation.
    void resolveUser(const UserInfo &user, const QString &path,
                     const QList<Kubeconfig::DeferredProblem> &deferred);

    ClusterConfig config;

    // Reads a file a kubeconfig field refers to; the message names both, never the content.
    std::optional<QByteArray> readReferenced(const QString &path, const QString &field,
                                             const QString &definedIn)
    {
        Result<QByteArray> content = BoundedFile::read(path, kMaxReferencedFileBytes);
        if (!content) {
            problem(field, tr("cannot read %1 (named by %2 in %3): %4")
                               .arg(path, field, definedIn, content.error().message));
            return std::nullopt;
        }
        return std::move(content).value();
    }

private:
    void clusterTls(const QString &path);
    void credentialShape(const QString &path);
    void clientCertificate(const QString &path);
    void tokenFile(const QString &path);
    void execPlugin(const QString &path);
    void authProvider(const QString &path);
    void impersonation(const QString &path);

    QList<ErrorCause> m_causes;
    bool m_tls = true; // the cluster's server is https (client-go merges TLS and user only then)
};

// A URL as the kubeconfig spells it, for a message: QUrl cannot be asked (it did not parse), so
// a password in the userinfo part is masked by hand and control characters are replaced.
QString writtenUrlForMessage(const QString &written)
{
    constexpr qsizetype limit = 200;
    QString text = printablePrefix(written, limit);
    const qsizetype schemeEnd = text.indexOf(QLatin1StringView("://"));
    const qsizetype authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
    qsizetype authorityEnd = text.indexOf(u'/', authorityStart);
    if (authorityEnd < 0)
        authorityEnd = text.size();
    const qsizetype at = text.lastIndexOf(u'@', authorityEnd - 1);
    if (at >= authorityStart) {
        const qsizetype colon = text.indexOf(u':', authorityStart);
        if (colon >= 0 && colon < at)
            text.replace(colon + 1, at - colon - 1, QStringLiteral("<masked>"));
    }
    return written.size() > limit ? text + QStringLiteral("...") : text;
}

// One DER TLV off the front of `in`: its tag and contents. False on anything malformed.
bool takeDer(QByteArrayView &in, quint8 &tag, QByteArrayView &contents)
{
    if (in.size() < 2)
        return false;
    tag = static_cast<quint8>(in[0]);
    qsizetype length = static_cast<quint8>(in[1]);
    qsizetype offset = 2;
    if (length & 0x80) {
        const int octets = length & 0x7f;
        if (octets == 0 || octets > 4 || in.size() < 2 + octets)
            return false;
        length = 0;
        for (int i = 0; i < octets; ++i)
            length = (length << 8) | static_cast<quint8>(in[2 + i]);
        offset += octets;
    }
    if (length < 0 || length > in.size() - offset)
        return false;
    contents = in.sliced(offset, length);
    in = in.sliced(offset + length);
    return true;
}

constexpr quint8 kDerInteger = 0x02;
constexpr quint8 kDerBitString = 0x03;
constexpr quint8 kDerOctetString = 0x04;
constexpr quint8 kDerSequence = 0x30;
constexpr quint8 kDerEcPublicKeyTag = 0xa1; // [1] in SEC 1's ECPrivateKey

// The public half that a private key (PKCS#1 RSA, SEC 1 EC, or either wrapped in PKCS#8)
// carries, in the form a certificate's SubjectPublicKeyInfo holds it: the RSAPublicKey
// (modulus, exponent) or the EC point. Empty when the key does not say.
QByteArray publicHalfOfPrivateKey(QByteArrayView der, QSsl::KeyAlgorithm algorithm)
{
    quint8 tag = 0;
    QByteArrayView body;
    if (!takeDer(der, tag, body) || tag != kDerSequence)
        return {};
    QByteArrayView version;
    if (!takeDer(body, tag, version) || tag != kDerInteger)
        return {};
    QByteArrayView next;
    QByteArrayView afterNext = body;
    if (!takeDer(afterNext, tag, next))
        return {};
    if (tag == kDerSequence) {
        // PKCS#8: an AlgorithmIdentifier, then the inner key as an OCTET STRING.
        QByteArrayView inner;
        if (!takeDer(afterNext, tag, inner) || tag != kDerOctetString)
            return {};
        return publicHalfOfPrivateKey(inner, algorithm);
    }
    if (algorithm == QSsl::Rsa) {
        // RSAPrivateKey: version, modulus, publicExponent, ... The two integers, as the TLVs
        // they are, are what RSAPublicKey's SEQUENCE holds.
        QByteArrayView exponent;
        if (tag != kDerInteger || !takeDer(afterNext, tag, exponent) || tag != kDerInteger)
            return {};
        return body.first(body.size() - afterNext.size()).toByteArray();
    }
    if (algorithm == QSsl::Ec) {
        // ECPrivateKey: version, privateKey, [0] parameters OPTIONAL, [1] publicKey OPTIONAL.
        if (tag != kDerOctetString)
            return {};
        while (!afterNext.isEmpty()) {
            QByteArrayView field;
            if (!takeDer(afterNext, tag, field))
                return {};
            if (tag != kDerEcPublicKeyTag)
                continue;
            QByteArrayView bits;
            if (!takeDer(field, tag, bits) || tag != kDerBitString || bits.isEmpty())
                return {};
            return bits.sliced(1).toByteArray(); // after the unused-bits octet
        }
    }
    return {};
}

// The same for a certificate's SubjectPublicKeyInfo.
QByteArray publicHalfOfCertificate(QByteArrayView der, QSsl::KeyAlgorithm algorithm)
{
    quint8 tag = 0;
    QByteArrayView body;
    QByteArrayView algorithmId;
    QByteArrayView bits;
    if (!takeDer(der, tag, body) || tag != kDerSequence || !takeDer(body, tag, algorithmId) ||
        tag != kDerSequence || !takeDer(body, tag, bits) || tag != kDerBitString || bits.isEmpty())
        return {};
    QByteArrayView key = bits.sliced(1); // after the unused-bits octet
    if (algorithm == QSsl::Ec)
        return key.toByteArray();
    QByteArrayView integers;
    if (algorithm != QSsl::Rsa || !takeDer(key, tag, integers) || tag != kDerSequence)
        return {};
    return integers.toByteArray();
}

// Whether the key is the private half of the certificate's public key, which the TLS handshake
// would find out with a message that names neither file (kubectl: "private key does not match
// public key"). nullopt when that cannot be told from here (e.g. an unusual encoding).
// The certificate's SubjectPublicKeyInfo (the whole DER element) and its algorithm, read from
// the certificate's DER. Not QSslCertificate::publicKey(): Qt 6.4's OpenSSL backend dereferences
// the null key OpenSSL returns for a certificate whose key it cannot decode (found by
// fuzz_kubeconfig; tests/fuzz/regressions/kubeconfig/).
struct PublicKeyInfo
{
    QByteArrayView der;
    QSsl::KeyAlgorithm algorithm = QSsl::Opaque;
};
std::optional<PublicKeyInfo> publicKeyInfoOf(QByteArrayView certificate)
{
    quint8 tag = 0;
    QByteArrayView body;
    QByteArrayView tbs;
    if (!takeDer(certificate, tag, body) || tag != kDerSequence || !takeDer(body, tag, tbs) ||
        tag != kDerSequence)
        return std::nullopt;
    // TBSCertificate: [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject,
    // subjectPublicKeyInfo, ...
    QByteArrayView field;
    QByteArrayView rest = tbs;
    if (!takeDer(rest, tag, field))
        return std::nullopt;
    if (tag == 0xa0 && !takeDer(rest, tag, field)) // the serial number after a version
        return std::nullopt;
    for (int skipped = 0; skipped < 4; ++skipped) { // signature, issuer, validity, subject
        if (!takeDer(rest, tag, field))
            return std::nullopt;
    }
    const QByteArrayView before = rest;
    QByteArrayView spki;
    if (!takeDer(rest, tag, spki) || tag != kDerSequence)
        return std::nullopt;
    PublicKeyInfo info;
    info.der = before.first(before.size() - rest.size());
    QByteArrayView algorithmId;
    QByteArrayView oid;
    if (!takeDer(spki, tag, algorithmId) || tag != kDerSequence ||
        !takeDer(algorithmId, tag, oid) || tag != 0x06)
        return std::nullopt;
    static constexpr char kRsaEncryption[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01";
    static constexpr char kEcPublicKey[] = "\x2a\x86\x48\xce\x3d\x02\x01";
    if (oid == QByteArrayView(kRsaEncryption, sizeof kRsaEncryption - 1))
        info.algorithm = QSsl::Rsa;
    else if (oid == QByteArrayView(kEcPublicKey, sizeof kEcPublicKey - 1))
        info.algorithm = QSsl::Ec;
    return info;
}

std::optional<bool> keyMatchesCertificate(const QSslCertificate &certificate, const QSslKey &key)
{
    const QByteArray certificateDer = certificate.toDer();
    const std::optional<PublicKeyInfo> publicKey = publicKeyInfoOf(certificateDer);
    if (!publicKey || publicKey->algorithm == QSsl::Opaque || key.isNull())
        return std::nullopt;
    if (publicKey->algorithm != key.algorithm())
        return false;
    const QByteArray fromCertificate = publicHalfOfCertificate(publicKey->der, key.algorithm());
    const QByteArray fromKey = publicHalfOfPrivateKey(key.toDer(), key.algorithm());
    if (fromCertificate.isEmpty() || fromKey.isEmpty())
        return std::nullopt;
    return fromCertificate == fromKey;
}

// --- Kubeconfig::resolve's steps ------------------------------------------------------

void Resolution::resolveCluster(const ClusterInfo &cluster, const QString &path)
{
    config.cluster = cluster;
    ClusterInfo &c = config.cluster;
    const QString scheme = c.server.scheme();
    if (c.server.isEmpty()) {
        problem(path + QLatin1StringView(".server"),
                tr("cluster \"%1\" in %2 has no server.").arg(c.name, c.definedIn));
    } else if (!c.server.isValid() || c.server.host().isEmpty() ||
               (scheme != QLatin1StringView("https") && scheme != QLatin1StringView("http"))) {
        problem(path + QLatin1StringView(".server"),
                tr("server \"%1\" of cluster \"%2\" in %3 is not an http(s) URL.")
                    .arg(writtenUrlForMessage(c.serverAsWritten.isEmpty() ? c.server.toString()
                                                                          : c.serverAsWritten),
                         c.name, c.definedIn));
    }
    m_tls = scheme != QLatin1StringView("http");

    if (!c.proxyUrl.isEmpty()) {
        const QString proxyScheme = c.proxyUrl.scheme();
        if (!c.proxyUrl.isValid() || c.proxyUrl.host().isEmpty() ||
            (proxyScheme != QLatin1StringView("http") &&
             proxyScheme != QLatin1StringView("https") &&
             proxyScheme != QLatin1StringView("socks5")))
            problem(path + QLatin1StringView(".proxy-url"),
                    tr("proxy-url \"%1\" of cluster \"%2\" is not supported: use an http, "
                       "https or socks5 URL with a host.")
                        .arg(c.proxyUrl.toDisplayString(), c.name));
    }

    clusterTls(path);
}

void Resolution::clusterTls(const QString &path)
{
    ClusterInfo &c = config.cluster;
    // Without TLS client-go merges none of the TLS settings, so they cannot be wrong either.
    if (m_tls) {
        const bool hasCaData = !c.caPem.isEmpty();
        const bool hasCaFile = !c.certificateAuthorityFile.isEmpty();
        if (c.insecureSkipTlsVerify && (hasCaData || hasCaFile))
            problem(path + QLatin1StringView(".insecure-skip-tls-verify"),
                    tr("cluster \"%1\" in %2 sets insecure-skip-tls-verify together with a "
                       "certificate authority; that is not allowed (kubectl refuses it too). "
                       "Remove one of them.")
                        .arg(c.name, c.definedIn));
        if (hasCaData && hasCaFile)
            config.warnings.append(
                tr("Cluster \"%1\": certificate-authority-data and certificate-authority are "
                   "both set; certificate-authority-data is used.")
                    .arg(c.name));
        if (!hasCaData && hasCaFile) {
            if (auto pem =
                    readReferenced(c.certificateAuthorityFile,
                                   path + QLatin1StringView(".certificate-authority"), c.definedIn))
                c.caPem = *pem;
        }
        if (!c.caPem.isEmpty()) {
            config.caCertificates = QSslCertificate::fromData(c.caPem, QSsl::Pem);
            if (config.caCertificates.isEmpty())
                problem(path + QLatin1StringView(hasCaData ? ".certificate-authority-data"
                                                           : ".certificate-authority"),
                        tr("the certificate authority of cluster \"%1\" (%2) holds no PEM "
                           "certificate.")
                            .arg(c.name, hasCaData ? QStringLiteral("certificate-authority-data")
                                                   : c.certificateAuthorityFile));
        }
        if (c.insecureSkipTlsVerify)
            config.warnings.append(
                tr("Cluster \"%1\" skips TLS verification (insecure-skip-tls-verify): the "
                   "server's identity is not checked.")
                    .arg(c.name));
    } else {
        config.warnings.append(tr("Server %1 of cluster \"%2\" uses plain http: the connection "
                                  "is not encrypted.")
                                   .arg(c.server.toDisplayString(), c.name));
    }
}

void Resolution::resolveUser(const UserInfo &user, const QString &path,
                             const QList<Kubeconfig::DeferredProblem> &deferred)
{
    config.user = user;
    UserInfo &u = config.user;
    if (!m_tls) {
        // kubectl sends no credentials over plain http (client_config.go merges user
        // identity only for TLS); do the same rather than leak them.
        if (u.hasCredentials() || u.impersonates())
            config.warnings.append(tr("The credentials of user \"%1\" are not sent over plain "
                                      "http.")
                                       .arg(u.name));
        UserInfo bare;
        bare.name = u.name;
        bare.definedIn = u.definedIn;
        u = bare;
    }

    if (m_tls) {
        for (const Kubeconfig::DeferredProblem &p : deferred)
            problem(p.field, p.message);
    }

    credentialShape(path);
    clientCertificate(path);
    tokenFile(path);
    if (u.exec)
        execPlugin(path);
    else if (u.authProvider)
        authProvider(path);
    impersonation(path);
}

void Resolution::credentialShape(const QString &path)
{
    UserInfo &u = config.user;
    const bool hasToken = !u.token.isEmpty() || !u.tokenFile.isEmpty();
    if (hasToken && (!u.username.isEmpty() || !u.password.isEmpty()))
        problem(path, tr("user \"%1\" in %2: username/password or bearer token may be set, but not "
                         "both.")
                          .arg(u.name, u.definedIn));
    if (hasLineBreak(u.token) || hasLineBreak(u.username) || hasLineBreak(u.password))
        problem(path, tr("user \"%1\" in %2: token, username and password must be single "
                         "lines.")
                          .arg(u.name, u.definedIn));
}

void Resolution::clientCertificate(const QString &path)
{
    UserInfo &u = config.user;
    const bool hasCert = !u.clientCertPem.isEmpty() || !u.clientCertificateFile.isEmpty();
    const bool hasKey = !u.clientKeyPem.isEmpty() || !u.clientKeyFile.isEmpty();
    if (hasCert && !hasKey)
        problem(path + QLatin1StringView(".client-key"),
                tr("user \"%1\" in %2 has a client certificate but no client-key or "
                   "client-key-data.")
                    .arg(u.name, u.definedIn));
    if (hasKey && !hasCert)
        problem(path + QLatin1StringView(".client-certificate"),
                tr("user \"%1\" in %2 has a client key but no client-certificate or "
                   "client-certificate-data.")
                    .arg(u.name, u.definedIn));
    if (hasCert && hasKey) {
        if (!u.clientCertPem.isEmpty() && !u.clientCertificateFile.isEmpty())
            config.warnings.append(tr("User \"%1\": client-certificate-data and "
                                      "client-certificate are both set; "
                                      "client-certificate-data is used.")
                                       .arg(u.name));
        if (!u.clientKeyPem.isEmpty() && !u.clientKeyFile.isEmpty())
            config.warnings.append(tr("User \"%1\": client-key-data and client-key are both "
                                      "set; client-key-data is used.")
                                       .arg(u.name));
        const bool certFromFile = u.clientCertPem.isEmpty();
        const bool keyFromFile = u.clientKeyPem.isEmpty();
        if (certFromFile) {
            if (auto pem =
                    readReferenced(u.clientCertificateFile,
                                   path + QLatin1StringView(".client-certificate"), u.definedIn))
                u.clientCertPem = *pem;
        }
        if (keyFromFile) {
            if (auto pem = readReferenced(u.clientKeyFile, path + QLatin1StringView(".client-key"),
                                          u.definedIn))
                u.clientKeyPem = *pem;
        }
        if (!u.clientCertPem.isEmpty()) {
            const auto certs = QSslCertificate::fromData(u.clientCertPem, QSsl::Pem);
            if (certs.isEmpty())
                problem(path + QLatin1StringView(certFromFile ? ".client-certificate"
                                                              : ".client-certificate-data"),
                        tr("the client certificate of user \"%1\" in %2 (%3) is not a "
                           "PEM certificate.")
                            .arg(u.name, u.definedIn,
                                 certFromFile ? u.clientCertificateFile
                                              : QStringLiteral("client-certificate-data")));
            else
                config.clientCertificate = certs.first();
        }
        if (!u.clientKeyPem.isEmpty()) {
            config.clientKey = privateKeyFromPem(u.clientKeyPem);
            if (config.clientKey.isNull())
                problem(
                    path + QLatin1StringView(keyFromFile ? ".client-key" : ".client-key-data"),
                    tr("the client key of user \"%1\" in %2 (%3) is not an unencrypted "
                       "PEM RSA or EC private key.")
                        .arg(u.name, u.definedIn,
                             keyFromFile ? u.clientKeyFile : QStringLiteral("client-key-data")));
        }
        if (!config.clientCertificate.isNull() && !config.clientKey.isNull() &&
            keyMatchesCertificate(config.clientCertificate, config.clientKey) == false) {
            problem(path + QLatin1StringView(keyFromFile ? ".client-key" : ".client-key-data"),
                    tr("the client key of user \"%1\" in %2 (%3) does not belong to its client "
                       "certificate (%4): the private key does not match the certificate's "
                       "public key.")
                        .arg(u.name, u.definedIn,
                             keyFromFile ? u.clientKeyFile : QStringLiteral("client-key-data"),
                             certFromFile ? u.clientCertificateFile
                                          : QStringLiteral("client-certificate-data")));
        }
    }
}

void Resolution::tokenFile(const QString &path)
{
    UserInfo &u = config.user;
    if (u.token.isEmpty() && !u.tokenFile.isEmpty()) {
        // client-go reads tokenFile once here and later refreshes it; a missing file is an
        // error now, not a mysterious 401 later.
        if (auto content =
                readReferenced(u.tokenFile, path + QLatin1StringView(".tokenFile"), u.definedIn)) {
            u.token = QString::fromUtf8(*content).trimmed();
            if (u.token.isEmpty())
                problem(path + QLatin1StringView(".tokenFile"),
                        tr("the token file %1 (named by %2 in %3) is empty.")
                            .arg(u.tokenFile, path + QLatin1StringView(".tokenFile"), u.definedIn));
            else if (hasLineBreak(u.token))
                problem(path + QLatin1StringView(".tokenFile"),
                        tr("the token file %1 holds more than one line.").arg(u.tokenFile));
        }
    }
}

void Resolution::execPlugin(const QString &path)
{
    UserInfo &u = config.user;
    {
        const ExecConfig &e = *u.exec;
        const QString execPath = path + QLatin1StringView(".exec");
        if (u.authProvider)
            problem(path, tr("user \"%1\" in %2 sets both exec and auth-provider; only one "
                             "is allowed.")
                              .arg(u.name, u.definedIn));
        if (e.command.isEmpty())
            problem(execPath + QLatin1StringView(".command"),
                    tr("the exec plugin of user \"%1\" has no command.").arg(u.name));
        if (e.apiVersion.isEmpty())
            problem(execPath + QLatin1StringView(".apiVersion"),
                    tr("the exec plugin of user \"%1\" has no apiVersion (use %2).")
                        .arg(u.name, kExecV1));
        else if (e.apiVersion == kExecV1alpha1)
            problem(execPath + QLatin1StringView(".apiVersion"),
                    tr("the exec plugin of user \"%1\" uses %2, which Kubernetes removed in "
                       "1.24; use %3 (the plugin may need an update).")
                        .arg(u.name, e.apiVersion, kExecV1));
        else if (e.apiVersion != kExecV1 && e.apiVersion != kExecV1beta1)
            problem(execPath + QLatin1StringView(".apiVersion"),
                    tr("the exec plugin of user \"%1\" uses the unknown apiVersion \"%2\" "
                       "(supported: %3, %4).")
                        .arg(u.name, e.apiVersion, kExecV1, kExecV1beta1));
        for (const auto &entry : e.env) {
            if (entry.first.isEmpty())
                problem(execPath + QLatin1StringView(".env"),
                        tr("the exec plugin of user \"%1\" has an env entry without a name.")
                            .arg(u.name));
        }
    }
}

void Resolution::authProvider(const QString &path)
{
    UserInfo &u = config.user;
    {
        const AuthProviderConfig &p = *u.authProvider;
        const QString field = path + QLatin1StringView(".auth-provider");
        if (p.name == QLatin1StringView("oidc")) {
            if (p.config.value(QStringLiteral("id-token")).isEmpty())
                problem(field,
                        tr("the oidc auth-provider of user \"%1\" has no id-token. Rollscope "
                           "does not refresh OIDC tokens itself; log in with kubectl first, "
                           "or switch to an exec plugin such as kubelogin (kubectl "
                           "oidc-login).")
                            .arg(u.name));
            else if (hasLineBreak(p.config.value(QStringLiteral("id-token"))))
                problem(field,
                        tr("the oidc id-token of user \"%1\" must be a single line.").arg(u.name));
        } else if (p.name == QLatin1StringView("gcp")) {
            problem(field, tr("user \"%1\" uses the gcp auth-provider, which was removed from "
                              "Kubernetes clients (1.26). Install gke-gcloud-auth-plugin and run "
                              "\"gcloud container clusters get-credentials\" again to switch this "
                              "user to an exec plugin.")
                               .arg(u.name));
        } else if (p.name == QLatin1StringView("azure")) {
            problem(field, tr("user \"%1\" uses the azure auth-provider, which was removed from "
                              "Kubernetes clients (1.26). Install kubelogin and run \"kubelogin "
                              "convert-kubeconfig\" to switch this user to an exec plugin.")
                               .arg(u.name));
        } else {
            problem(field, tr("user \"%1\" uses the auth-provider \"%2\", which Kubernetes "
                              "clients no longer support; use an exec plugin instead.")
                               .arg(u.name, p.name));
        }
    }
}

void Resolution::impersonation(const QString &path)
{
    UserInfo &u = config.user;
    if ((!u.impersonateGroups.isEmpty() || !u.impersonateUserExtra.isEmpty()) &&
        u.impersonate.isEmpty())
        problem(path + QLatin1StringView(".as"),
                tr("user \"%1\" sets as-groups or as-user-extra without as (the user to "
                   "impersonate).")
                    .arg(u.name));
    // QNetworkRequest keeps one value per header name, and Kubernetes reads each repeated
    // Impersonate-Group line as one group (a comma-joined value would be a single group).
    if (u.impersonateGroups.size() > 1)
        problem(path + QLatin1StringView(".as-groups"),
                tr("user \"%1\" impersonates %2 groups; Rollscope can send only one "
                   "Impersonate-Group header.")
                    .arg(u.name, QString::number(u.impersonateGroups.size())));
    for (auto it = u.impersonateUserExtra.cbegin(); it != u.impersonateUserExtra.cend(); ++it) {
        if (it.value().size() > 1)
            problem(path + QLatin1StringView(".as-user-extra"),
                    tr("user \"%1\" gives as-user-extra \"%2\" several values; Rollscope can "
                       "send only one.")
                        .arg(u.name, it.key()));
    }
    if (hasLineBreak(u.impersonate) || hasLineBreak(u.impersonateUid) ||
        hasLineBreak(u.impersonateGroups.join(QString())))
        problem(path + QLatin1StringView(".as"),
                tr("the impersonation fields of user \"%1\" must be single lines.").arg(u.name));
}

} // namespace

Result<ClusterConfig> Kubeconfig::resolve(const QString &contextName,
                                          const QString &namespaceOverride) const
{
    const QString filesText = m_files.join(u", ");
    if (isEmpty())
        return Error::make(
            Error::Kind::Config,
            tr("No kubeconfig file was found. Pass --kubeconfig FILE, set KUBECONFIG "
               "or create ~/.kube/config."));
    const QString name = contextName.isEmpty() ? m_currentContext : contextName;
    const QString available = contextNames().join(u", ");
    if (name.isEmpty()) {
        return Error::make(Error::Kind::Config,
                           m_contexts.isEmpty()
                               ? tr("The kubeconfig %1 defines no contexts.").arg(filesText)
                               : tr("No context is selected: the kubeconfig %1 has no "
                                    "current-context. Choose one of: %2.")
                                     .arg(filesText, available));
    }
    const std::optional<ContextInfo> context = this->context(name);
    if (!context) {
        return Error::make(Error::Kind::Config,
                           m_contexts.isEmpty()
                               ? tr("Context \"%1\" does not exist: the kubeconfig %2 defines no "
                                    "contexts.")
                                     .arg(name, filesText)
                               : tr("Context \"%1\" does not exist in %2. Available contexts: %3.")
                                     .arg(name, filesText, available));
    }

    Resolution r;
    ClusterConfig &config = r.config;
    config.contextName = name;
    const QString contextPath = itemPath("contexts", name) + QLatin1StringView(".context");

    std::optional<ClusterInfo> cluster;
    if (context->cluster.isEmpty())
        r.problem(contextPath + QLatin1StringView(".cluster"),
                  tr("the context names no cluster (in %1).").arg(context->definedIn));
    else if (!(cluster = this->cluster(context->cluster)))
        r.problem(contextPath + QLatin1StringView(".cluster"),
                  tr("cluster \"%1\" is not defined in %2.").arg(context->cluster, filesText));

    std::optional<UserInfo> user;
    if (!context->user.isEmpty() && !(user = this->user(context->user)))
        r.problem(contextPath + QLatin1StringView(".user"),
                  tr("user \"%1\" is not defined in %2.").arg(context->user, filesText));

    config.ns = !namespaceOverride.isEmpty() ? namespaceOverride
                : !context->ns.isEmpty()     ? context->ns
                                             : QStringLiteral("default");
    if (!apimachinery::isDns1123Label(config.ns))
        r.problem(namespaceOverride.isEmpty() ? contextPath + QLatin1StringView(".namespace")
                                              : QStringLiteral("--namespace"),
                  tr("namespace \"%1\" is not a valid name (lowercase letters, digits and '-', at "
                     "most 63 characters).")
                      .arg(config.ns));

    if (cluster)
        r.resolveCluster(*cluster,
                         itemPath("clusters", cluster->name) + QLatin1StringView(".cluster"));
    if (user)
        r.resolveUser(*user, itemPath("users", user->name) + QLatin1StringView(".user"),
                      m_userProblems.value(user->name));

    if (r.failed())
        return r.error(name);
    return config;
}

// ---------------------------------------------------------------------------------------------

QSslConfiguration sslConfigurationFor(const ClusterConfig &config)
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setProtocol(QSsl::TlsV1_2OrLater);
    // A kubeconfig CA replaces the system roots (client-go builds its pool from it alone).
    if (!config.caCertificates.isEmpty())
        ssl.setCaCertificates(config.caCertificates);
    ssl.setPeerVerifyMode(config.cluster.insecureSkipTlsVerify ? QSslSocket::VerifyNone
                                                               : QSslSocket::VerifyPeer);
    if (!config.clientCertificate.isNull() && !config.clientKey.isNull()) {
        ssl.setLocalCertificate(config.clientCertificate);
        ssl.setPrivateKey(config.clientKey);
    }
    ssl.setAllowedNextProtocols({QByteArray(QSslConfiguration::ALPNProtocolHTTP2),
                                 QByteArray(QSslConfiguration::NextProtocolHttp1_1)});
    return ssl;
}

namespace {
class ProxyText
{
    Q_DECLARE_TR_FUNCTIONS(Kubeconfig)

public:
    static QString httpsProxy(const QString &url, const QString &cluster)
    {
        return tr("proxy-url \"%1\" of cluster \"%2\" is an https proxy; Qt cannot speak TLS to a "
                  "proxy. Use the proxy's http:// address instead (the connection to the cluster "
                  "stays encrypted end to end).")
            .arg(url, cluster);
    }
    static QString unsupported(const QString &url, const QString &cluster)
    {
        return tr("proxy-url \"%1\" of cluster \"%2\" is not supported: use an http or socks5 URL "
                  "with a host.")
            .arg(url, cluster);
    }
};
} // namespace

Result<QNetworkProxy> proxyFor(const ClusterConfig &config)
{
    const QUrl &url = config.cluster.proxyUrl;
    if (url.isEmpty())
        return QNetworkProxy(QNetworkProxy::DefaultProxy);
    const QString scheme = url.scheme();
    const QString shown = url.toDisplayString(); // without the password
    if (scheme == QLatin1StringView("https"))
        return Error::make(Error::Kind::Config, ProxyText::httpsProxy(shown, config.cluster.name));
    QNetworkProxy::ProxyType type;
    quint16 defaultPort = 0;
    if (scheme == QLatin1StringView("http")) {
        type = QNetworkProxy::HttpProxy;
        defaultPort = 80; // Go's http.Transport default for an http proxy without a port
    } else if (scheme == QLatin1StringView("socks5")) {
        type = QNetworkProxy::Socks5Proxy;
        defaultPort = 1080;
    } else {
        return Error::make(Error::Kind::Config, ProxyText::unsupported(shown, config.cluster.name));
    }
    if (!url.isValid() || url.host().isEmpty())
        return Error::make(Error::Kind::Config, ProxyText::unsupported(shown, config.cluster.name));
    return QNetworkProxy(type, url.host(), static_cast<quint16>(url.port(defaultPort)),
                         url.userName(QUrl::FullyDecoded), url.password(QUrl::FullyDecoded));
}

void configureRequest(const ClusterConfig &config, QNetworkRequest &request)
{
    request.setSslConfiguration(sslConfigurationFor(config));
    if (!config.cluster.tlsServerName.isEmpty())
        request.setPeerVerifyName(config.cluster.tlsServerName);
    // Qt adds "gzip, deflate" on its own; naming an encoding turns that off.
    if (config.cluster.disableCompression)
        request.setRawHeader("Accept-Encoding", "identity");
}

} // namespace rollscope::kube
