// SPDX-License-Identifier: MIT
#pragma once

#include <QStringView>

namespace rollscope::apimachinery {

// k8s.io/apimachinery/pkg/util/validation. Go's anchored regular expressions match the whole
// text, so a trailing newline is never allowed (a `$` in QRegularExpression would allow one).

// IsDNS1123Label: at most 63 of [a-z0-9-], starting and ending alphanumeric ("my-name",
// "123-abc"). Namespaces and container names.
bool isDns1123Label(QStringView text);
// IsDNS1123Subdomain: at most 253, dot-separated DNS-1123 labels ("example.com"). Most names.
bool isDns1123Subdomain(QStringView text);
// IsDNS1035Label: a DNS-1123 label that starts with a letter ("my-name"). Service names.
bool isDns1035Label(QStringView text);

} // namespace rollscope::apimachinery
