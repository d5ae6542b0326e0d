// SPDX-License-Identifier: MIT
#pragma once

// Which version answered: from the answering pod's name (the default), a response header, or a
// regular expression. Exactness rules (tested in tst_attribution):
// - a pod name counts only as a whole token of the body or of a header value (a token is a
//   maximal run of [a-z0-9.-], the characters of a pod name), and only when it is a key of the
//   pod -> version map, so "demo-dp-1" never matches inside "demo-dp-12";
// - the body is searched first, then the header values in the order they came; the first
//   token that is a known pod wins;
// - pods leave the map when they are deleted, but answers can still be in flight: a pod that
//   left the map is remembered for kForgetAfterMs so its late answers resolve exactly;
// - an answer that names no known pod but a token that looks like a pod of a known Deployment
//   (same "<deployment>-" prefix, two more segments) is held, not guessed: the map usually
//   learns new pods before they turn Ready, but a lagging watch must not turn answers into
//   "unknown". Held answers are resolved again whenever the map changes and become "unknown"
//   after the hold window (ProbeOptions::holdUnresolved, 2 s by default).
// In Header and Regex mode the captured text is the answer's identity: a pod name is mapped to
// its version, a version alias (setVersionAliases) to its version id, a version id is kept, and
// any other text is used as the version id verbatim (so "v2" charts as its own series).

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace rollscope::probe {

struct AttributionOptions
{
    enum class Mode
    {
        PodName, // a token of the body or a header value that is a known pod name
        Header,  // the value of the response header `header`
        Regex,   // capture group 1 of `pattern` on the body, else on "Name: value" header lines
    };
    Mode mode = Mode::PodName;
    QString header;
    QString pattern;

    // Plain words when the options cannot work (empty header name, invalid pattern, a pattern
    // without a capture group); empty when they are fine.
    QString validationError() const;
    bool operator==(const AttributionOptions &) const = default;
};

// The parts of an answer attribution looks at; the body is what the reader kept of it.
struct AnswerEvidence
{
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
};

struct Attribution
{
    enum class Outcome
    {
        Resolved, // versionId (and pod, in PodName mode or when a pod was captured) are known
        Unknown,  // nothing identifies a version
        Pending,  // plausible pod names not (yet) in the map: hold and try again
    };
    Outcome outcome = Outcome::Unknown;
    QString pod;
    QString versionId;
    // For Pending: the plausible names to try again (bounded, see Attributor::kMaxCandidates).
    QStringList candidates;
};

// Lives on one thread (the prober's worker); not thread-safe by itself.
class Attributor
{
public:
    static constexpr int kMaxCandidates = 8;
    static constexpr qint64 kForgetAfterMs = 60'000;
    static constexpr int kMaxRemembered = 4096;

    void setOptions(const AttributionOptions &options);
    const AttributionOptions &options() const { return m_options; }

    // The current pod -> version id map. Pods that left it are remembered for kForgetAfterMs
    // (at most kMaxRemembered of them).
    void setPodVersions(const QHash<QString, QString> &podVersions, qint64 nowMs);
    // Other names of versions: "v2" -> "6b5b87b666", for Header and Regex modes.
    void setVersionAliases(const QHash<QString, QString> &aliases);

    Attribution attribute(const AnswerEvidence &answer) const;
    // A held answer, against the map as it is now.
    Attribution retry(const QStringList &candidates) const;

    // Tokens of `text` that could be a pod name (DNS-1123 subdomain characters, 1..253 long),
    // in order; at most `limit` of them.
    static QList<QByteArrayView> tokens(QByteArrayView text, int limit = 4096);

private:
    std::optional<std::pair<QString, QString>> lookupPod(QByteArrayView token) const;
    bool looksLikeKnownPod(QByteArrayView token) const;
    Attribution fromCapturedText(const QString &text) const;
    void rebuildPrefixes();

    AttributionOptions m_options;
    QRegularExpression m_regex;
    QHash<QString, QString> m_pods;
    struct Gone
    {
        QString versionId;
        qint64 goneAtMs = 0;
    };
    QHash<QString, Gone> m_gone;
    QHash<QString, QString> m_aliases;
    QHash<QString, bool> m_versionIds;
    // "<deployment>-" prefixes of the known pods (pod name minus its last two segments).
    QList<QByteArray> m_prefixes;
};

} // namespace rollscope::probe

Q_DECLARE_METATYPE(rollscope::probe::AttributionOptions)
