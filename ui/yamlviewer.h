// SPDX-License-Identifier: MIT
#pragma once

// A read-only window with one object as YAML (kubectl get -o yaml), issue 13: fetched
// asynchronously, coloured (keys, strings, numbers and booleans, comments and punctuation),
// search, copy, reload, and managedFields shown only on request.

#include <QJsonObject>
#include <QPointer>
#include <QString>
#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace rollscope {

class TextFindBar;
class YamlHighlighter;

namespace kube {
class ApiClient;
}

class YamlViewer : public QWidget
{
    Q_OBJECT

public:
    // `apiPath`: the object's path, e.g. /apis/apps/v1/namespaces/default/deployments/demo-dp;
    // `title`: how the window names it, e.g. "deployment/demo-dp". Fetching starts at once.
    YamlViewer(kube::ApiClient *client, const QString &apiPath, const QString &title,
               QWidget *parent = nullptr);
    ~YamlViewer() override;

    QString apiPath() const { return m_apiPath; }
    bool showsManagedFields() const;
    void setShowManagedFields(bool show);

    // For tests and the lead's wiring.
    QString yamlText() const;
    QString errorText() const { return m_error; }
    bool isLoading() const { return m_requestId != 0; }
    bool hasObject() const { return !m_object.isEmpty(); }
    TextFindBar *findBar() const { return m_find; }
    QPlainTextEdit *textView() const { return m_view; }

public slots:
    void reload();
    void copy();

signals:
    // A fetch finished: `ok` false with errorText() set when it failed.
    void loaded(bool ok);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    void showError(const QString &message);

    QPointer<kube::ApiClient> m_client;
    QString m_apiPath;
    QString m_title;
    QJsonObject m_object;
    QString m_error;
    quint64 m_requestId = 0;

    QCheckBox *m_managed = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_reload = nullptr;
    TextFindBar *m_find = nullptr;
    QPlainTextEdit *m_view = nullptr;
    QLabel *m_status = nullptr;
    YamlHighlighter *m_highlighter = nullptr;
};

} // namespace rollscope
