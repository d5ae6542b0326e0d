#include <QString>

int main()
{
    const QString text = QStringLiteral("clean");
    return text.isEmpty() ? 1 : 0;
}
