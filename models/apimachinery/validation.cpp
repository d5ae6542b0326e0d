// SPDX-License-Identifier: MIT
#include "apimachinery/validation.h"

namespace rollscope::apimachinery {

namespace {

constexpr qsizetype kDns1123LabelMaxLength = 63;
constexpr qsizetype kDns1123SubdomainMaxLength = 253;

bool isLowerAlphanumeric(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])?, without a length limit.
bool isLabelShape(QStringView text)
{
    if (text.isEmpty() || !isLowerAlphanumeric(text.front()) || !isLowerAlphanumeric(text.back()))
        return false;
    for (QChar c : text) {
        if (c != u'-' && !isLowerAlphanumeric(c))
            return false;
    }
    return true;
}

} // namespace

bool isDns1123Label(QStringView text)
{
    return text.size() <= kDns1123LabelMaxLength && isLabelShape(text);
}

bool isDns1123Subdomain(QStringView text)
{
    if (text.isEmpty() || text.size() > kDns1123SubdomainMaxLength)
        return false;
    for (QStringView part : text.tokenize(u'.')) {
        if (!isLabelShape(part))
            return false;
    }
    return true;
}

bool isDns1035Label(QStringView text)
{
    return isDns1123Label(text) && text.front() >= u'a' && text.front() <= u'z';
}

} // namespace rollscope::apimachinery
