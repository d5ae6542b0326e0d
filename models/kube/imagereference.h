// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QCoreApplication>
#include <QString>

namespace rollscope::kube {

// A container image reference, checked against the grammar of distribution/reference (the
// library containerd and Docker use):
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [domain "/"] path-component ["/" path-component]*   (at most 255 characters)
//   domain    := host [":" port]        host: DNS name or [IPv6]
//   path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator: "." "_" "__" or "-"+
//   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//   digest    := algorithm ":" hex     (sha256: 64, sha384: 96, sha512: 128 hex digits)
// As Docker does, the first component is a registry only when it contains "." or ":", is
// "localhost", or has upper-case letters; "demo:v2" is the repository "demo" with tag "v2".
struct ImageReference
{
    QString domain; // "" when none was given (the runtime's default registry)
    QString path;   // "bebullish/demo"
    QString tag;    // "" when none was given
    QString digest; // "sha256:..." or ""

    // name[:tag][@digest], as written.
    QString toString() const;
    QString name() const;

    // Checks `text`. The error (kind Usage) says what is wrong in plain words, e.g.
    // "the repository name must be lower-case: \"Bebullish/Demo\"".
    static Result<ImageReference> parse(const QString &text);
};

class ImageReferenceText
{
    Q_DECLARE_TR_FUNCTIONS(ImageReference)
    friend struct ImageReference;
};

} // namespace rollscope::kube
