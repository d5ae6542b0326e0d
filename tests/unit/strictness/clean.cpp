// SPDX-License-Identifier: MIT
#include <QByteArray>
#include <QString>

#include <type_traits>

// A concatenation must be an owning value: with QT_USE_QSTRINGBUILDER, `auto` (a variable, a
// lambda without a return type) would hold a QStringBuilder that refers to temporaries destroyed
// at the end of the statement. That crashed the simulator's pod logs; the define stays off.
static_assert(std::is_same_v<std::remove_cvref_t<decltype(QString() + QString())>, QString>);
static_assert(std::is_same_v<std::remove_cvref_t<decltype(QString() + QChar())>, QString>);
static_assert(
    std::is_same_v<std::remove_cvref_t<decltype(QByteArray() + QByteArray())>, QByteArray>);
static_assert(std::is_same_v<std::remove_cvref_t<decltype(QByteArray() + 'x')>, QByteArray>);

int main()
{
    const QString text = QStringLiteral("clean");
    return text.isEmpty() ? 1 : 0;
}
