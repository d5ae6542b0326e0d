// SPDX-License-Identifier: MIT
#include "kube/imagereference.h"

#include "common/text.h"

#include <QRegularExpression>

namespace rollscope::kube {

namespace {

constexpr qsizetype kNameTotalLengthMax = 255;

const QRegularExpression &pathComponentPattern()
{
    static const QRegularExpression re(
        QStringLiteral("\\A[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\\z"));
    return re;
}

const QRegularExpression &domainComponentPattern()
{
    static const QRegularExpression re(
        QStringLiteral("\\A(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\\z"));
    return re;
}

const QRegularExpression &tagPattern()
{
    static const QRegularExpression re(QStringLiteral("\\A[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\\z"));
    return re;
}

const QRegularExpression &digestAlgorithmPattern()
{
    static const QRegularExpression re(
        QStringLiteral("\\A[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*\\z"));
    return re;
}

const QRegularExpression &hexPattern()
{
    static const QRegularExpression re(QStringLiteral("\\A[0-9a-fA-F]+\\z"));
    return re;
}

Error usage(const QString &message)
{
    return Error::make(Error::Kind::Usage, message);
}

// nullopt when valid, else the reason.
std::optional<QString> checkDomain(const QString &domain)
{
    QString host = domain;
    QString port;
    if (host.startsWith(u'[')) {
        const qsizetype close = host.indexOf(u']');
        if (close < 0)
            return ImageReferenceText::tr("the registry %1 has an unclosed \"[\"")
                .arg(quoted(domain));
        const QString inside = host.mid(1, close - 1);
        static const QRegularExpression ipv6(QStringLiteral("\\A[a-fA-F0-9:]+\\z"));
        if (!ipv6.match(inside).hasMatch())
            return ImageReferenceText::tr("the registry %1 is not a valid IPv6 address")
                .arg(quoted(domain));
        const QString rest = host.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return ImageReferenceText::tr("the registry %1 is not a valid host name")
                    .arg(quoted(domain));
            port = rest.mid(1);
            if (port.isEmpty())
                return ImageReferenceText::tr("the registry %1 has an empty port")
                    .arg(quoted(domain));
        }
    } else {
        const qsizetype colon = host.indexOf(u':');
        if (colon >= 0) {
            port = host.mid(colon + 1);
            host.truncate(colon);
            if (port.isEmpty())
                return ImageReferenceText::tr("the registry %1 has an empty port")
                    .arg(quoted(domain));
        }
        const QStringList parts = host.split(u'.');
        for (const QString &part : parts) {
            if (!domainComponentPattern().match(part).hasMatch())
                return ImageReferenceText::tr(
                           "the registry %1 is not a valid host name (each dot-separated part "
                           "uses letters, digits and inner hyphens)")
                    .arg(quoted(domain));
        }
    }
    if (!port.isEmpty()) {
        for (const QChar c : port) {
            if (!c.isDigit() || c.unicode() > 127)
                return ImageReferenceText::tr("the registry port %1 is not a number")
                    .arg(quoted(port));
        }
    }
    return std::nullopt;
}

} // namespace

QString ImageReference::name() const
{
    return domain.isEmpty() ? path : domain + u'/' + path;
}

QString ImageReference::toString() const
{
    QString text = name();
    if (!tag.isEmpty())
        text += u':' + tag;
    if (!digest.isEmpty())
        text += u'@' + digest;
    return text;
}

Result<ImageReference> ImageReference::parse(const QString &text)
{
    if (text.isEmpty())
        return usage(ImageReferenceText::tr("The image reference is empty."));
    for (const QChar c : text) {
        if (c.isSpace())
            return usage(ImageReferenceText::tr("The image reference %1 contains white space.")
                             .arg(quoted(text)));
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return usage(
                ImageReferenceText::tr("The image reference %1 contains a character that is not "
                                       "printable ASCII.")
                    .arg(quoted(text)));
    }

    const auto invalid = [&text](const QString &why) {
        return usage(ImageReferenceText::tr("The image reference %1 is invalid: %2.")
                         .arg(quoted(text), why));
    };

    ImageReference ref;
    QString rest = text;

    const qsizetype at = rest.indexOf(u'@');
    if (at >= 0) {
        ref.digest = rest.mid(at + 1);
        rest.truncate(at);
        if (ref.digest.contains(u'@'))
            return invalid(ImageReferenceText::tr("it contains more than one \"@\""));
        const qsizetype colon = ref.digest.indexOf(u':');
        if (colon < 0)
            return invalid(
                ImageReferenceText::tr("the digest %1 must look like sha256:<64 hex digits>")
                    .arg(quoted(ref.digest)));
        const QString algorithm = ref.digest.left(colon);
        const QString hex = ref.digest.mid(colon + 1);
        if (!digestAlgorithmPattern().match(algorithm).hasMatch())
            return invalid(ImageReferenceText::tr("the digest algorithm %1 is not valid")
                               .arg(quoted(algorithm)));
        if (!hexPattern().match(hex).hasMatch())
            return invalid(ImageReferenceText::tr("the digest %1 must be hexadecimal after \"%2:\"")
                               .arg(quoted(ref.digest), algorithm));
        qsizetype expected = 0;
        if (algorithm == u"sha256")
            expected = 64;
        else if (algorithm == u"sha384")
            expected = 96;
        else if (algorithm == u"sha512")
            expected = 128;
        else
            return invalid(
                ImageReferenceText::tr(
                    "the digest algorithm %1 is not supported (use sha256, sha384 or sha512)")
                    .arg(quoted(algorithm)));
        if (hex.size() != expected)
            return invalid(ImageReferenceText::tr("a %1 digest has %2 hex digits, this one has %3")
                               .arg(algorithm)
                               .arg(expected)
                               .arg(hex.size()));
        if (hex != hex.toLower())
            return invalid(ImageReferenceText::tr("the digest must be lower-case hex"));
    }

    // A ':' after the last '/' starts the tag; earlier ones belong to a registry port.
    const qsizetype lastSlash = rest.lastIndexOf(u'/');
    const qsizetype tagColon = rest.indexOf(u':', lastSlash + 1);
    if (tagColon >= 0) {
        ref.tag = rest.mid(tagColon + 1);
        rest.truncate(tagColon);
        if (ref.tag.isEmpty())
            return invalid(ImageReferenceText::tr("the tag after \":\" is empty"));
        if (!tagPattern().match(ref.tag).hasMatch()) {
            if (ref.tag.size() > 128)
                return invalid(ImageReferenceText::tr("the tag is longer than 128 characters"));
            return invalid(
                ImageReferenceText::tr("the tag %1 may only use letters, digits, \"_\", \".\" and "
                                       "\"-\", and must not start with \".\" or \"-\"")
                    .arg(quoted(ref.tag)));
        }
    }

    if (rest.isEmpty())
        return invalid(ImageReferenceText::tr("the repository name is missing"));
    if (rest.size() > kNameTotalLengthMax)
        return invalid(ImageReferenceText::tr("the repository name is longer than %1 characters")
                           .arg(kNameTotalLengthMax));

    QStringList components = rest.split(u'/');
    const QString &first = components.first();
    const bool hasDomain = components.size() > 1 &&
                           (first.contains(u'.') || first.contains(u':') || first == u"localhost" ||
                            first != first.toLower() || first.startsWith(u'['));
    if (hasDomain) {
        ref.domain = first;
        components.removeFirst();
        if (const auto problem = checkDomain(ref.domain))
            return invalid(*problem);
    }
    for (const QString &component : std::as_const(components)) {
        if (component.isEmpty())
            return invalid(ImageReferenceText::tr(
                "the repository name has an empty part (\"//\", or a \"/\" at "
                "the start or end)"));
        if (component != component.toLower())
            return invalid(ImageReferenceText::tr("the repository name must be lower-case: %1")
                               .arg(quoted(components.join(u'/'))));
        if (!pathComponentPattern().match(component).hasMatch())
            return invalid(
                ImageReferenceText::tr("the repository part %1 may only use lower-case letters and "
                                       "digits, separated by \".\", \"_\", \"__\" or \"-\"")
                    .arg(quoted(component)));
    }
    ref.path = components.join(u'/');
    // Docker refuses a bare 64-hex-digit name: it would read as an image ID.
    static const QRegularExpression imageId(QStringLiteral("\\A[a-f0-9]{64}\\z"));
    if (ref.domain.isEmpty() && imageId.match(ref.path).hasMatch())
        return invalid(
            ImageReferenceText::tr("a repository name cannot be a 64-digit hexadecimal string"));
    return ref;
}

} // namespace rollscope::kube
