// SPDX-License-Identifier: MIT
#include "probe/attribution.h"

#include "probe/probetypes.h"

#include <QCoreApplication>

namespace rollscope::probe {

namespace {

class AttributionText
{
    Q_DECLARE_TR_FUNCTIONS(AttributionText)
};

bool isPodNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool isSegmentChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// "<hash>-<suffix>": two non-empty segments of [a-z0-9], as a ReplicaSet's pod name ends.
bool isHashAndSuffix(QByteArrayView rest)
{
    const qsizetype dash = rest.indexOf('-');
    if (dash <= 0 || dash == rest.size() - 1)
        return false;
    for (qsizetype i = 0; i < rest.size(); ++i) {
        if (i != dash && !isSegmentChar(rest[i]))
            return false;
    }
    return true;
}

// The name without its last two '-' segments, keeping the trailing '-'; empty when the name
// has fewer than three segments.
QByteArray deploymentPrefix(const QByteArray &pod)
{
    const qsizetype last = pod.lastIndexOf('-');
    if (last <= 0)
        return {};
    const qsizetype second = pod.lastIndexOf('-', last - 1);
    if (second <= 0)
        return {};
    return pod.first(second + 1);
}

} // namespace

QString AttributionOptions::validationError() const
{
    switch (mode) {
    case Mode::PodName:
        return {};
    case Mode::Header:
        if (header.trimmed().isEmpty())
            return AttributionText::tr("Enter the name of the response header that names the "
                                       "version.");
        return {};
    case Mode::Regex: {
        const QRegularExpression re(pattern);
        if (pattern.isEmpty())
            return AttributionText::tr("Enter a regular expression with one capture group for "
                                       "the version.");
        if (!re.isValid())
            return AttributionText::tr("The regular expression is not valid: %1 (at character "
                                       "%2).")
                .arg(re.errorString())
                .arg(re.patternErrorOffset());
        if (re.captureCount() < 1)
            return AttributionText::tr("The regular expression needs a capture group, in "
                                       "parentheses, around the version.");
        return {};
    }
    }
    return {};
}

void Attributor::setOptions(const AttributionOptions &options)
{
    m_options = options;
    m_regex = QRegularExpression(options.mode == AttributionOptions::Mode::Regex ? options.pattern
                                                                                 : QString());
    if (m_options.mode == AttributionOptions::Mode::Regex)
        m_regex.optimize();
}

void Attributor::setPodVersions(const QHash<QString, QString> &podVersions, qint64 nowMs)
{
    for (auto it = m_pods.cbegin(); it != m_pods.cend(); ++it) {
        if (!podVersions.contains(it.key()))
            m_gone.insert(it.key(), Gone{it.value(), nowMs});
    }
    m_pods = podVersions;
    for (auto it = m_pods.cbegin(); it != m_pods.cend(); ++it)
        m_gone.remove(it.key());
    m_gone.removeIf([nowMs](const QHash<QString, Gone>::iterator &it) {
        return nowMs - it->goneAtMs > kForgetAfterMs;
    });
    while (m_gone.size() > kMaxRemembered) {
        auto oldest = m_gone.begin();
        for (auto it = m_gone.begin(); it != m_gone.end(); ++it) {
            if (it->goneAtMs < oldest->goneAtMs)
                oldest = it;
        }
        m_gone.erase(oldest);
    }
    m_versionIds.clear();
    for (const QString &version : std::as_const(m_pods))
        m_versionIds.insert(version, true);
    rebuildPrefixes();
}

void Attributor::setVersionAliases(const QHash<QString, QString> &aliases)
{
    m_aliases = aliases;
}

void Attributor::rebuildPrefixes()
{
    m_prefixes.clear();
    auto add = [this](const QString &pod) {
        const QByteArray prefix = deploymentPrefix(pod.toUtf8());
        if (!prefix.isEmpty() && !m_prefixes.contains(prefix))
            m_prefixes.append(prefix);
    };
    for (auto it = m_pods.cbegin(); it != m_pods.cend(); ++it)
        add(it.key());
    for (auto it = m_gone.cbegin(); it != m_gone.cend(); ++it)
        add(it.key());
}

QList<QByteArrayView> Attributor::tokens(QByteArrayView text, int limit)
{
    QList<QByteArrayView> out;
    qsizetype start = -1;
    for (qsizetype i = 0; i <= text.size() && out.size() < limit; ++i) {
        const bool inToken = i < text.size() && isPodNameChar(text[i]);
        if (inToken && start < 0) {
            start = i;
        } else if (!inToken && start >= 0) {
            QByteArrayView token = text.sliced(start, i - start);
            // Sentence punctuation around a name ("... pod demo-dp-x.") is not part of it.
            while (!token.isEmpty() && (token.back() == '.' || token.back() == '-'))
                token.chop(1);
            while (!token.isEmpty() && (token.front() == '.' || token.front() == '-'))
                token = token.sliced(1);
            if (!token.isEmpty() && token.size() <= 253)
                out.append(token);
            start = -1;
        }
    }
    return out;
}

std::optional<std::pair<QString, QString>> Attributor::lookupPod(QByteArrayView token) const
{
    const QString name = QString::fromLatin1(token); // pod-name characters are ASCII
    if (const auto it = m_pods.constFind(name); it != m_pods.cend())
        return std::make_pair(name, *it);
    if (const auto it = m_gone.constFind(name); it != m_gone.cend())
        return std::make_pair(name, it->versionId);
    return std::nullopt;
}

bool Attributor::looksLikeKnownPod(QByteArrayView token) const
{
    for (const QByteArray &prefix : m_prefixes) {
        if (token.size() > prefix.size() && token.startsWith(prefix) &&
            isHashAndSuffix(token.sliced(prefix.size())))
            return true;
    }
    return false;
}

Attribution Attributor::fromCapturedText(const QString &text) const
{
    Attribution a;
    if (text.isEmpty())
        return a;
    a.outcome = Attribution::Outcome::Resolved;
    if (const auto it = m_pods.constFind(text); it != m_pods.cend()) {
        a.pod = text;
        a.versionId = *it;
    } else if (const auto gone = m_gone.constFind(text); gone != m_gone.cend()) {
        a.pod = text;
        a.versionId = gone->versionId;
    } else if (const auto alias = m_aliases.constFind(text); alias != m_aliases.cend()) {
        a.versionId = *alias;
    } else {
        a.versionId = text; // a version id, or a name the user's pattern chose
    }
    return a;
}

Attribution Attributor::attribute(const AnswerEvidence &answer) const
{
    switch (m_options.mode) {
    case AttributionOptions::Mode::Header: {
        const QByteArray name = m_options.header.trimmed().toLatin1();
        for (const auto &[key, value] : answer.headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return fromCapturedText(QString::fromUtf8(value.trimmed()));
        }
        return {};
    }
    case AttributionOptions::Mode::Regex: {
        if (!m_regex.isValid() || m_regex.captureCount() < 1)
            return {};
        QRegularExpressionMatch match = m_regex.match(QString::fromUtf8(answer.body));
        for (qsizetype i = 0; !match.hasMatch() && i < answer.headers.size(); ++i) {
            const auto &[key, value] = answer.headers.at(i);
            match = m_regex.match(QString::fromUtf8(key + ": " + value));
        }
        if (!match.hasMatch())
            return {};
        return fromCapturedText(match.captured(1).trimmed());
    }
    case AttributionOptions::Mode::PodName:
        break;
    }

    Attribution a;
    auto scan = [&](QByteArrayView text) {
        for (QByteArrayView token : tokens(text)) {
            // Deployment pod names always have dashes; anything else is not worth a lookup.
            if (!token.contains('-'))
                continue;
            auto found = lookupPod(token);
            // A fully qualified name ("demo-dp-x.demo.svc") starts with the pod's name.
            if (const qsizetype dot = token.indexOf('.'); !found && dot > 0)
                found = lookupPod(token.first(dot));
            if (found) {
                a.outcome = Attribution::Outcome::Resolved;
                a.pod = found->first;
                a.versionId = found->second;
                a.candidates.clear();
                return true;
            }
            if (a.candidates.size() < kMaxCandidates && looksLikeKnownPod(token))
                a.candidates.append(QString::fromLatin1(token));
        }
        return false;
    };
    if (scan(answer.body))
        return a;
    for (const auto &[key, value] : answer.headers) {
        if (scan(value))
            return a;
    }
    a.outcome =
        a.candidates.isEmpty() ? Attribution::Outcome::Unknown : Attribution::Outcome::Pending;
    return a;
}

Attribution Attributor::retry(const QStringList &candidates) const
{
    Attribution a;
    for (const QString &candidate : candidates) {
        const QByteArray latin = candidate.toLatin1();
        if (const auto found = lookupPod(latin)) {
            a.outcome = Attribution::Outcome::Resolved;
            a.pod = found->first;
            a.versionId = found->second;
            return a;
        }
    }
    a.outcome = Attribution::Outcome::Pending;
    a.candidates = candidates;
    return a;
}

} // namespace rollscope::probe
