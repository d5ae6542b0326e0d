// SPDX-License-Identifier: MIT
#include "images.h"

#include <QRegularExpression>
#include <QStringList>

namespace rollscope::sim {

namespace {

qint64 parseDuration(const QString &text, qint64 fallback)
{
    static const QRegularExpression re(QStringLiteral("^([0-9]+(?:\\.[0-9]+)?)(ms|s|m)?$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return fallback;
    const double value = m.captured(1).toDouble();
    const QString unit = m.captured(2);
    if (unit == u"ms")
        return qint64(value);
    if (unit == u"m")
        return qint64(value * 60'000);
    return qint64(value * 1000);
}

void applyToken(ImageBehavior &b, const QString &token)
{
    static const QRegularExpression failPercent(QStringLiteral("^fail([0-9]{1,3})$"));
    const QString t = token.trimmed().toLower();
    if (t == u"slow")
        b.readyAfterMs = 20'000;
    else if (t == u"neverready")
        b.neverReady = true;
    else if (t == u"crash")
        b.crashAfterMs = 3000;
    else if (t == u"missing")
        b.exists = false;
    else if (t == u"latelisten")
        b.listenDelayMs = 5000;
    else if (t == u"nodrain")
        b.drain = false;
    else if (const auto m = failPercent.match(t); m.hasMatch())
        b.failRate = qBound(0, m.captured(1).toInt(), 100) / 100.0;
    else if (t.contains(u'=')) {
        const QString key = t.section(u'=', 0, 0).trimmed();
        const QString value = t.section(u'=', 1).trimmed();
        if (key == u"ready-after")
            b.readyAfterMs = parseDuration(value, b.readyAfterMs);
        else if (key == u"fail-rate")
            b.failRate = qBound(0.0, value.toDouble(), 1.0);
        else if (key == u"listen-delay")
            b.listenDelayMs = parseDuration(value, b.listenDelayMs);
        else if (key == u"latency")
            b.latencyMs = parseDuration(value, b.latencyMs);
        else if (key == u"crash-after")
            b.crashAfterMs = parseDuration(value, b.crashAfterMs);
        else if (key == u"drain")
            b.drain = value != u"false";
        else if (key == u"pull")
            b.pullMs = parseDuration(value, b.pullMs);
    }
}

} // namespace

bool isValidImageReference(const QString &image)
{
    // docker/distribution reference grammar, simplified: [host[:port]/]path[:tag][@digest].
    static const QRegularExpression re(QStringLiteral(
        "^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
        "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/)?"
        "[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*"
        "(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:"
        "[0-9A-Fa-f]{32,})?$"));
    return !image.isEmpty() && image.size() <= 255 && re.match(image).hasMatch();
}

ImageBehavior behaviorFor(const QString &image, const QJsonObject &annotations)
{
    ImageBehavior b;
    if (!isValidImageReference(image)) {
        b.invalidName = true;
        b.exists = false;
        return b;
    }
    QString reference = image;
    QString digest;
    if (const qsizetype at = reference.indexOf(u'@'); at >= 0) {
        digest = reference.mid(at + 1);
        reference = reference.left(at);
    }
    QString repository = reference;
    QString tag;
    const qsizetype slash = reference.lastIndexOf(u'/');
    const qsizetype colon = reference.lastIndexOf(u':');
    if (colon > slash) {
        repository = reference.left(colon);
        tag = reference.mid(colon + 1);
    }
    if (tag.isEmpty())
        tag = digest.isEmpty() ? QStringLiteral("latest") : digest.left(19);
    b.version = tag;

    const QStringList tokens = tag.split(u'-');
    for (qsizetype i = 1; i < tokens.size(); ++i)
        applyToken(b, tokens.at(i));

    // The seed guide's demo app publishes v1..v3 (with any behaviour suffix).
    const QString bare = repository.startsWith(QStringLiteral("docker.io/"))
                             ? repository.mid(int(sizeof("docker.io/")) - 1)
                             : repository;
    if (bare == u"bebullish/demo") {
        static const QStringList published{QStringLiteral("v1"), QStringLiteral("v2"),
                                           QStringLiteral("v3")};
        if (!published.contains(tokens.first()) && digest.isEmpty())
            b.exists = false;
    }

    const QString annotation = annotations.value(QLatin1StringView(kBehaviorAnnotation)).toString();
    for (const QString &token : annotation.split(u',', Qt::SkipEmptyParts))
        applyToken(b, token);
    return b;
}

} // namespace rollscope::sim
