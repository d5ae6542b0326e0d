// SPDX-License-Identifier: MIT
#include <QString>

int main()
{
    // QT_NO_CAST_FROM_ASCII must reject this implicit conversion.
    const QString text = "implicit";
    return text.isEmpty() ? 1 : 0;
}
