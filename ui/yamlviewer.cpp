// SPDX-License-Identifier: MIT
#include "yamlviewer.h"

#include "kube/apiclient.h"
#include "kube/yamlprint.h"
#include "textfindbar.h"
#include "theme.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSyntaxHighlighter>
#include <QVBoxLayout>

namespace rollscope {

namespace {

// Mixes two colours; t = 0 is `a`.
QColor yamlMix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

// Colours a YAML document as toYaml() writes it, line by line: the key of "key:" lines (also
// after "- "), quoted strings, numbers/booleans/null, and the lines of a literal block (|) as
// strings. Colours come from the palette, so light and dark themes both read well.
class YamlHighlighter : public QSyntaxHighlighter
{
public:
    explicit YamlHighlighter(QTextDocument *document)
        : QSyntaxHighlighter(document)
    {
        setPalette(QGuiApplication::palette());
    }

    void setPalette(const QPalette &palette)
    {
        const bool dark = Theme::isDark(palette);
        const QColor text = palette.color(QPalette::Text);
        m_key.setForeground(palette.color(QPalette::Link));
        m_key.setFontWeight(QFont::DemiBold);
        m_string.setForeground(
            yamlMix(text, dark ? QColor(0x7e, 0xe7, 0x87) : QColor(0x11, 0x6b, 0x2a), 0.85));
        m_literal.setForeground(m_string.foreground());
        m_constant.setForeground(
            yamlMix(text, dark ? QColor(0xd2, 0xa8, 0xff) : QColor(0x8a, 0x2b, 0xb8), 0.85));
        m_punctuation.setForeground(Theme::color(Theme::Role::Muted, palette));
        rehighlight();
    }

protected:
    // Block state: -1 normal; n >= 0 inside a literal block whose key is indented n columns.
    void highlightBlock(const QString &line) override
    {
        int indent = 0;
        while (indent < line.size() && line.at(indent) == u' ')
            ++indent;
        const int literalParent = previousBlockState();
        if (literalParent >= 0 && (line.trimmed().isEmpty() || indent > literalParent)) {
            setFormat(0, static_cast<int>(line.size()), m_literal);
            setCurrentBlockState(literalParent);
            return;
        }
        setCurrentBlockState(-1);
        // indentation, dashes, an optional key (quoted or plain) with its colon, the value.
        static const QRegularExpression structure(QStringLiteral(
            "^( *)((?:- )*)(?:(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^']|'')*'|[^\\s'\"#\\-](?:[^:]|:(?! "
            "|$))*?"
            "|-[^\\s:](?:[^:]|:(?! |$))*?)(:)(?= |$))? ?(.*)$"));
        const QRegularExpressionMatch m = structure.match(line);
        if (!m.hasMatch())
            return;
        if (m.capturedLength(2) > 0)
            setFormat(static_cast<int>(m.capturedStart(2)), static_cast<int>(m.capturedLength(2)),
                      m_punctuation);
        if (m.capturedLength(3) > 0) {
            setFormat(static_cast<int>(m.capturedStart(3)), static_cast<int>(m.capturedLength(3)),
                      m_key);
            setFormat(static_cast<int>(m.capturedStart(4)), 1, m_punctuation);
        }
        const QString value = m.captured(5);
        const int valueStart = static_cast<int>(m.capturedStart(5));
        if (value.isEmpty())
            return;
        if (value == u"|" || value == u"|-" || value == u"|+") {
            setFormat(valueStart, static_cast<int>(value.size()), m_punctuation);
            // The block's lines are indented deeper than its key, or than its dash ("- |").
            const qsizetype dashes = m.capturedLength(2);
            const qsizetype parent =
                m.capturedLength(1) +
                (m.capturedLength(3) > 0 ? dashes : std::max<qsizetype>(0, dashes - 2));
            setCurrentBlockState(static_cast<int>(parent));
            return;
        }
        if (value.startsWith(u'"') || value.startsWith(u'\'')) {
            setFormat(valueStart, static_cast<int>(value.size()), m_string);
            return;
        }
        static const QRegularExpression constant(
            QStringLiteral("^(-?[0-9][0-9.eE+-]*|true|false|null|\\{\\}|\\[\\])$"));
        if (constant.match(value).hasMatch())
            setFormat(valueStart, static_cast<int>(value.size()), m_constant);
    }

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_literal;
    QTextCharFormat m_constant;
    QTextCharFormat m_punctuation;
};

YamlViewer::YamlViewer(kube::ApiClient *client, const QString &apiPath, const QString &title,
                       QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_client(client)
    , m_apiPath(apiPath)
    , m_title(title)
{
    setObjectName(QStringLiteral("yamlViewer"));
    setWindowTitle(tr("%1 — YAML").arg(title));

    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(QStringLiteral("yamlText"));
    m_view->setReadOnly(true);
    m_view->setUndoRedoEnabled(false);
    m_view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setAccessibleName(tr("YAML of %1").arg(title));
    m_highlighter = new YamlHighlighter(m_view->document());
    m_highlighter->setPalette(m_view->palette());

    m_managed = new QCheckBox(tr("Show &managed fields"), this);
    m_managed->setObjectName(QStringLiteral("managedFieldsBox"));
    m_managed->setToolTip(tr("metadata.managedFields: which client set which field (hidden by "
                             "default, as kubectl get -o yaml does)"));
    m_copy = new QPushButton(tr("&Copy"), this);
    m_copy->setObjectName(QStringLiteral("copyButton"));
    m_copy->setToolTip(tr("Copy the selection, or the whole YAML when nothing is selected"));
    m_reload = new QPushButton(tr("&Reload"), this);
    m_reload->setObjectName(QStringLiteral("reloadButton"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *top = new QHBoxLayout;
    top->addWidget(m_managed);
    top->addStretch(1);
    top->addWidget(m_reload);
    top->addWidget(m_copy);
    m_find = new TextFindBar(m_view, this, this);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_find);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    connect(m_managed, &QCheckBox::toggled, this, [this] { render(); });
    connect(m_copy, &QPushButton::clicked, this, &YamlViewer::copy);
    connect(m_reload, &QPushButton::clicked, this, &YamlViewer::reload);

    resize(760, 720);
    reload();
}

YamlViewer::~YamlViewer()
{
    if (m_requestId != 0 && m_client)
        m_client->cancel(m_requestId);
}

bool YamlViewer::showsManagedFields() const
{
    return m_managed->isChecked();
}

void YamlViewer::setShowManagedFields(bool show)
{
    m_managed->setChecked(show);
}

QString YamlViewer::yamlText() const
{
    return m_view->toPlainText();
}

void YamlViewer::reload()
{
    if (!m_client) {
        showError(tr("Not connected to a cluster."));
        return;
    }
    if (m_requestId != 0)
        m_client->cancel(m_requestId);
    m_status->setText(tr("Loading %1…").arg(m_title));
    m_reload->setEnabled(false);
    m_requestId = m_client->getJson(m_apiPath, {}, this, [this](Result<QJsonObject> result) {
        m_requestId = 0;
        m_reload->setEnabled(true);
        if (!result) {
            const Error &e = result.error();
            QString message = e.message;
            if (e.kind == Error::Kind::NotFound)
                message = tr("%1 does not exist (any more): %2").arg(m_title, e.message);
            else if (e.kind == Error::Kind::Forbidden)
                message = tr("You may not read %1: %2").arg(m_title, e.message);
            showError(message);
            emit loaded(false);
            return;
        }
        m_error.clear();
        m_status->setPalette(palette());
        m_object = *result;
        render();
        m_status->setText(
            tr("%1, resourceVersion %2.")
                .arg(m_title,
                     m_object.value(u"metadata").toObject().value(u"resourceVersion").toString()));
        emit loaded(true);
    });
}

void YamlViewer::showError(const QString &message)
{
    m_error = message;
    m_object = {};
    m_view->clear();
    m_view->setPlaceholderText(message);
    m_status->setText(message);
    QPalette statusPalette = palette();
    statusPalette.setColor(QPalette::WindowText, Theme::color(Theme::Role::Error, palette()));
    m_status->setPalette(statusPalette);
    m_find->refresh();
}

void YamlViewer::render()
{
    if (m_object.isEmpty())
        return;
    kube::YamlPrintOptions options;
    options.showManagedFields = m_managed->isChecked();
    const int scroll = m_view->verticalScrollBar()->value();
    m_view->setPlaceholderText(QString());
    m_view->setPlainText(kube::toYaml(m_object, options));
    m_view->verticalScrollBar()->setValue(scroll);
    m_find->refresh();
}

void YamlViewer::copy()
{
    const QString selected = m_view->textCursor().selectedText();
    QGuiApplication::clipboard()->setText(
        selected.isEmpty() ? m_view->toPlainText()
                           : QString(selected).replace(QChar::ParagraphSeparator, u'\n'));
}

void YamlViewer::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The window hears of a new palette before its children do: colour by the window's own.
    if (event->type() == QEvent::PaletteChange && m_highlighter) {
        m_highlighter->setPalette(palette());
        m_find->refresh();
    }
}

} // namespace rollscope
