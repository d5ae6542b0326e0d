// SPDX-License-Identifier: MIT
#include "timeline/exporters.h"

#include "common/translations.h"
#include "timeline/svgcharts.h"
#include "timeline/timelinejson.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QThread>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rollscope::timeline {

namespace {

// RFC 4180 quoting, and a leading apostrophe for text a spreadsheet would run as a formula.
QString csvCell(const QString &text)
{
    QString cell = text;
    if (!cell.isEmpty() && QStringLiteral("=+-@\t\r").contains(cell.front()))
        cell.prepend(u'\'');
    if (cell.contains(u',') || cell.contains(u'"') || cell.contains(u'\n') ||
        cell.contains(u'\r') || cell != cell.trimmed()) {
        cell.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        cell = u'"' + cell + u'"';
    }
    return cell;
}

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString seconds(qint64 ms)
{
    return TimelineExport::tr("%1 s").arg(formatDecimal(ms / 1000.0, 1));
}

QString utc(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("—");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
           QStringLiteral(" UTC");
}

QString verdictClass(VerdictCode code)
{
    switch (code) {
    case VerdictCode::Success:
        return QStringLiteral("ok");
    case VerdictCode::FailedRequests:
    case VerdictCode::Recording:
        return QStringLiteral("warn");
    default:
        return QStringLiteral("err");
    }
}

QString check(bool good)
{
    return good ? QStringLiteral("<span class=\"good\">✓</span>")
                : QStringLiteral("<span class=\"bad\">✗</span>");
}

QString row(const QString &name, const QString &valueHtml)
{
    return QStringLiteral("<tr><th scope=\"row\">") + esc(name) + QStringLiteral("</th><td>") +
           valueHtml + QStringLiteral("</td></tr>\n");
}

// A row that says whether one of the strategy's guarantees held: a check mark, then the text.
QString guaranteeRow(const QString &name, bool held, const QString &text)
{
    return row(name, check(held) + u' ' + esc(text));
}

// A strategy value as recorded, "?" when the recording does not know it.
QString orUnknown(const QString &value)
{
    return value.isEmpty() ? QStringLiteral("?") : value;
}

QString swatch(const QString &cls, const QString &text)
{
    return QStringLiteral("<li><span class=\"swatch ") + cls + QStringLiteral("\"></span>") +
           esc(text) + QStringLiteral("</li>");
}

const char *kStyle = R"CSS(
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1d1f24; --muted: #70707c; --panel: #f5f5f7; --border: #d5d5dc;
  --grid: #e6e6eb; --guide: #5a5a66; --ok: #1f9d55; --warning: #b77900; --error: #d03535;
  --new: #1f9d55; --v0: #3b6fc4; --v1: #7b4fb8; --v2: #55657a; --v3: #1b868f; --v4: #8a633d;
  --unknown: #9a9aa6;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #1d1f24; --fg: #e6e6ea; --muted: #9a9aa6; --panel: #26282e; --border: #44464e;
    --grid: #33353c; --guide: #c8c8d0; --ok: #4cc37e; --warning: #f0b43c; --error: #ff6b6b;
    --new: #4cc37e; --v0: #6f9ce6; --v1: #a986e0; --v2: #9aa8bc; --v3: #4fbfc8; --v4: #c49a6c;
    --unknown: #7a7a84;
  }
}
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 24px 20px 40px; max-width: 1120px; background: var(--bg);
  color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
  "DejaVu Sans", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
.sub { color: var(--muted); margin: 0 0 14px; }
code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; }
.verdict { display: inline-block; padding: 6px 12px; border-radius: 6px; font-weight: 600;
  border: 1px solid currentColor; }
.verdict.ok { color: var(--ok); } .verdict.warn { color: var(--warning); }
.verdict.err { color: var(--error); }
table { border-collapse: collapse; width: 100%; }
table.summary th { text-align: left; font-weight: 500; color: var(--muted); width: 30%;
  padding: 4px 12px 4px 0; vertical-align: top; }
table.summary td { padding: 4px 0; }
table.events { font-size: 13px; }
table.events th { text-align: left; color: var(--muted); font-weight: 500;
  border-bottom: 1px solid var(--border); padding: 4px 8px; }
table.events td { border-bottom: 1px solid var(--grid); padding: 3px 8px; vertical-align: top; }
table.events td.t { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.events tr.warning td.type { color: var(--warning); }
table.events tr.error td.type { color: var(--error); }
table.events td.object { font: 12px ui-monospace, "DejaVu Sans Mono", monospace;
  white-space: nowrap; }
.good { color: var(--ok); font-weight: 700; } .bad { color: var(--error); font-weight: 700; }
.panel { background: var(--panel); border: 1px solid var(--border); border-radius: 8px;
  padding: 10px 12px 6px; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg.chart text.title { fill: var(--fg); font-weight: 600; }
svg.chart .grid { stroke: var(--grid); stroke-width: 1; }
svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
svg.chart .marker { stroke: var(--fg); stroke-width: 1; stroke-dasharray: 2 3; opacity: 0.6; }
svg.chart .burst { fill: var(--error); opacity: 0.13; }
svg.chart .notready { opacity: 0.35; }
svg.chart .failed { fill: var(--error); }
svg.chart .available { fill: none; stroke: var(--fg); stroke-width: 1.5; }
svg.chart .guide-max { fill: none; stroke: var(--guide); stroke-width: 1.5; stroke-dasharray: 7 4; }
svg.chart .guide-min { fill: none; stroke: var(--warning); stroke-width: 1.5;
  stroke-dasharray: 7 4; }
svg.chart text.guide-label { fill: var(--guide); stroke: var(--panel); stroke-width: 3px;
  paint-order: stroke; stroke-linejoin: round; }
.v-new { fill: var(--new); background: var(--new); }
.v0 { fill: var(--v0); background: var(--v0); } .v1 { fill: var(--v1); background: var(--v1); }
.v2 { fill: var(--v2); background: var(--v2); } .v3 { fill: var(--v3); background: var(--v3); }
.v4 { fill: var(--v4); background: var(--v4); }
.v-unknown { fill: var(--unknown); background: var(--unknown); }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 6px 0 4px;
  padding: 0; font-size: 12px; color: var(--muted); }
ul.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 14px; height: 10px; border-radius: 2px; }
.swatch.notready { opacity: 0.35; }
.swatch.failed { background: var(--error); }
.swatch.line { height: 0; border-top: 2px solid var(--fg); border-radius: 0; }
.swatch.dash-max { height: 0; border-top: 2px dashed var(--guide); border-radius: 0; }
.swatch.dash-min { height: 0; border-top: 2px dashed var(--warning); border-radius: 0; }
.swatch.burst { background: var(--error); opacity: 0.25; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
@media print {
  :root {
    --bg: #ffffff; --fg: #000000; --muted: #555560; --panel: #ffffff; --border: #bbbbc4;
    --grid: #e0e0e6; --guide: #44444e; --ok: #1f7d45; --warning: #9a6600; --error: #c02828;
    --new: #1f9d55; --v0: #3b6fc4; --v1: #7b4fb8; --v2: #55657a; --v3: #1b868f; --v4: #8a633d;
    --unknown: #9a9aa6;
  }
  body { max-width: none; padding: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section, .panel, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
}
)CSS";

} // namespace

QByteArray TimelineExport::json(const Timeline &timeline)
{
    return TimelineJson::exportDocument(timeline);
}

QByteArray TimelineExport::csv(const Timeline &timeline)
{
    const QStringList order = timeline.versionOrder();
    QStringList header{QStringLiteral("t")};
    for (const QString &id : order) {
        const QString label = timeline.versionLabel(id);
        for (const char *column : {"total", "ready", "available", "terminating", "responses"})
            header << label + u' ' + QLatin1StringView(column);
    }
    header << QStringLiteral("failed");
    for (int c = 0; c < probe::kFailureClassCount; ++c)
        header << QStringLiteral("failed ") + probe::failureClassId(probe::FailureClass(c));
    header << QStringLiteral("desired") << QStringLiteral("maxTotal")
           << QStringLiteral("minAvailable") << QStringLiteral("peakPods")
           << QStringLiteral("lowAvailable") << QStringLiteral("mixedReadySeconds")
           << QStringLiteral("latencyP50Ms") << QStringLiteral("latencyP90Ms")
           << QStringLiteral("latencyP99Ms");

    QString out;
    QStringList cells;
    for (const QString &h : std::as_const(header))
        cells << csvCell(h);
    out += cells.join(u',') + u'\n';
    const auto latency = [](const std::optional<qint32> &us) {
        return us ? formatDecimal(*us / 1000.0, 3) : QString();
    };
    for (const TimelineSample &s : timeline.samples) {
        cells.clear();
        cells << formatSeconds(s.tMs);
        for (const QString &id : order) {
            // Empty pod cells when the version had no pods then, 0 responses when it did not
            // answer: "not there" and "there, but zero" read differently.
            const auto p = s.pods.constFind(id);
            if (p == s.pods.cend()) {
                cells << QString() << QString() << QString() << QString();
            } else {
                cells << QString::number(p->total) << QString::number(p->ready)
                      << QString::number(p->available) << QString::number(p->terminating);
            }
            cells << QString::number(s.responses.value(id));
        }
        cells << QString::number(s.failed());
        for (int c = 0; c < probe::kFailureClassCount; ++c)
            cells << QString::number(s.failures[size_t(c)]);
        cells << QString::number(s.desired) << QString::number(s.maxTotal)
              << QString::number(s.minAvailable)
              << (s.peakPods >= 0 ? QString::number(s.peakPods) : QString())
              << (s.lowAvailable >= 0 ? QString::number(s.lowAvailable) : QString())
              << formatSeconds(s.mixedReadyMs) << latency(s.latencyP50Us) << latency(s.latencyP90Us)
              << latency(s.latencyP99Us);
        out += cells.join(u',') + u'\n';
    }
    return out.toUtf8();
}

QByteArray TimelineExport::html(const Timeline &timeline)
{
    return (htmlHeader(timeline) + htmlSummary(timeline) + htmlCharts(timeline) +
            htmlEvents(timeline))
        .toUtf8();
}

QString TimelineExport::htmlHeader(const Timeline &timeline)
{
    const Summary &s = timeline.summary;
    const QString deployment = QStringLiteral("deployment/") + timeline.name;
    QString h;
    // The language of the report's own words (a BCP 47 tag: zh-CN).
    QString language = Translations::activeLanguage();
    language.replace(u'_', u'-');
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"%1\">\n<head>\n<meta charset=\"utf-8\">\n")
             .arg(language);
    h += QStringLiteral("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<meta name=\"color-scheme\" content=\"light dark\">\n"
                        "<meta name=\"generator\" content=\"Rollscope\">\n<title>");
    h += esc(tr("Rollout of %1 in %2").arg(deployment, timeline.ns));
    h += QStringLiteral("</title>\n<style>");
    h += QString::fromUtf8(kStyle);
    h += QStringLiteral("</style>\n</head>\n<body>\n<header>\n<h1>");
    h += esc(tr("Rollout of %1").arg(deployment));
    h += QStringLiteral("</h1>\n<p class=\"sub\">");
    QStringList sub;
    sub << tr("namespace %1").arg(timeline.ns);
    if (!timeline.context.isEmpty())
        sub << tr("context %1").arg(timeline.context);
    sub << tr("started %1").arg(utc(timeline.startedAtMs));
    sub << tr("duration %1").arg(seconds(s.durationMs));
    h += esc(sub.join(QStringLiteral(" · ")));
    h += QStringLiteral("</p>\n<div class=\"verdict ") + verdictClass(s.verdictCode) +
         QStringLiteral("\">") + esc(s.verdict) + QStringLiteral("</div>\n</header>\n");

    return h;
}

QString TimelineExport::htmlSummary(const Timeline &timeline)
{
    const Summary &s = timeline.summary;
    QString h;
    // Summary.
    h += QStringLiteral("<section>\n<h2>") + esc(tr("Summary")) +
         QStringLiteral("</h2>\n<table class=\"summary\">\n");
    const ChangeInfo &c = timeline.change;
    QString change;
    if (!c.to.isEmpty()) {
        change = tr("container %1: %2 → %3")
                     .arg(QStringLiteral("<code>") + esc(c.container) + QStringLiteral("</code>"),
                          QStringLiteral("<code>") + esc(c.from) + QStringLiteral("</code>"),
                          QStringLiteral("<code>") + esc(c.to) + QStringLiteral("</code>"));
    } else {
        change = esc(tr("not known"));
    }
    if (c.observed)
        change += esc(tr(" (already in progress when recording began)"));
    h += row(tr("Change"), change);
    if (!c.cause.isEmpty() || !c.requestedBy.isEmpty()) {
        QStringList who;
        if (!c.requestedBy.isEmpty())
            who << esc(c.requestedBy);
        if (!c.cause.isEmpty())
            who << QStringLiteral("<code>") + esc(c.cause) + QStringLiteral("</code>");
        h += row(tr("Requested by"), who.join(QStringLiteral(" — ")));
    }
    h += row(tr("Outcome"), esc(outcomeId(timeline.outcome)) +
                                (timeline.outcomeMessage.isEmpty()
                                     ? QString()
                                     : QStringLiteral(" — ") + esc(timeline.outcomeMessage)));
    h += row(tr("Started / finished"), esc(utc(timeline.startedAtMs)) + QStringLiteral(" / ") +
                                           esc(utc(timeline.finishedAtMs)));
    h += row(tr("Duration"), esc(seconds(s.durationMs)));
    h += row(tr("First new-version pod ready after"),
             esc(s.firstNewReadyMs ? seconds(*s.firstNewReadyMs) : tr("never")));
    h += row(tr("Mixed-version window"),
             esc(tr("%1 with both versions answering, %2 with both versions ready")
                     .arg(seconds(s.mixedAnsweringMs), seconds(s.mixedReadyMs))));
    const StrategyInfo &st = timeline.strategy;
    if (s.maxPods >= 0)
        h += guaranteeRow(tr("Most pods at once"), !s.maxPodsExceeded(),
                          tr("%1, allowed %2 (replicas %3 + maxSurge %4)")
                              .arg(s.maxPods)
                              .arg(s.maxPodsAllowed)
                              .arg(st.replicas)
                              .arg(orUnknown(st.maxSurge)));
    if (s.minAvailable >= 0)
        h += guaranteeRow(tr("Fewest available pods"), !s.minAvailableViolated(),
                          tr("%1, required %2 (replicas %3 − maxUnavailable %4)")
                              .arg(s.minAvailable)
                              .arg(s.minAvailableRequired)
                              .arg(st.replicas)
                              .arg(orUnknown(st.maxUnavailable)));
    h += htmlTrafficRows(timeline);
    h += row(tr("Strategy"),
             esc(tr("%1, %2 replicas, maxSurge %3, maxUnavailable %4")
                     .arg(st.type)
                     .arg(st.replicas)
                     .arg(st.maxSurge.isEmpty() ? QStringLiteral("—") : st.maxSurge,
                          st.maxUnavailable.isEmpty() ? QStringLiteral("—") : st.maxUnavailable)));
    if (timeline.interrupted)
        h += row(tr("Note"), esc(tr("The recording was cut off (Rollscope stopped while "
                                    "recording); everything up to that moment is shown.")));
    h += QStringLiteral("</table>\n</section>\n");

    return h;
}

QString TimelineExport::htmlTrafficRows(const Timeline &timeline)
{
    const Summary &s = timeline.summary;
    QString h;
    if (timeline.probe.enabled || s.requests > 0) {
        QStringList perVersion;
        for (auto it = s.responsesByVersion.cbegin(); it != s.responsesByVersion.cend(); ++it)
            perVersion << QStringLiteral("<code>") + esc(timeline.versionLabel(it.key())) +
                              QStringLiteral("</code> ") + QString::number(it.value());
        QString requests =
            esc(tr("%1 sent, %2 answered").arg(s.requests).arg(s.requests - s.failedRequests));
        if (!perVersion.isEmpty())
            requests += QStringLiteral(" (") + perVersion.join(QStringLiteral(", ")) + u')';
        h += row(tr("Requests"), requests);
        QStringList byClass;
        for (int i = 0; i < probe::kFailureClassCount; ++i) {
            if (s.failedByClass[size_t(i)] > 0)
                byClass << esc(probe::failureClassText(probe::FailureClass(i))) +
                               QStringLiteral(": ") + QString::number(s.failedByClass[size_t(i)]);
        }
        h += row(tr("Failed requests"),
                 check(s.failedRequests == 0) + u' ' + QString::number(s.failedRequests) +
                     (byClass.isEmpty()
                          ? QString()
                          : QStringLiteral(" (") + byClass.join(QStringLiteral(", ")) + u')') +
                     (s.failureBursts > 0 ? esc(tr(" in %1 burst(s)").arg(s.failureBursts))
                                          : QString()));
        h +=
            row(tr("Traffic"), esc(tr("%1 at %2 requests/s, a new connection each")
                                       .arg(timeline.probe.target.isEmpty() ? tr("unknown target")
                                                                            : timeline.probe.target,
                                            formatDecimal(timeline.probe.ratePerSecond, 2))));
    } else {
        h += row(tr("Traffic"), esc(tr("not probed")));
    }
    return h;
}

QString TimelineExport::htmlCharts(const Timeline &timeline)
{
    const Summary &s = timeline.summary;
    QString h;
    // Legends list the versions in chart order.
    QString podsLegend;
    QString responsesLegend;
    for (const QString &id : timeline.versionOrder()) {
        const QString cls = SvgCharts::versionClass(timeline, id);
        const QString label = timeline.versionLabel(id);
        bool ready = false;
        bool notReady = false;
        bool answered = false;
        for (const TimelineSample &sample : timeline.samples) {
            const PodCounts pods = sample.pods.value(id);
            ready = ready || pods.ready > 0;
            notReady = notReady || pods.total > pods.ready;
            answered = answered || sample.responses.value(id) > 0;
        }
        if (ready)
            podsLegend += swatch(cls, tr("%1 ready").arg(label));
        if (notReady)
            podsLegend += swatch(cls + QStringLiteral(" notready"), tr("%1 not ready").arg(label));
        if (answered)
            responsesLegend += swatch(cls, label);
    }
    podsLegend += swatch(QStringLiteral("line"), tr("available")) +
                  swatch(QStringLiteral("dash-max"), tr("replicas + maxSurge")) +
                  swatch(QStringLiteral("dash-min"), tr("replicas − maxUnavailable"));
    responsesLegend += swatch(QStringLiteral("failed"), tr("failed"));
    if (s.failureBursts > 0) {
        podsLegend += swatch(QStringLiteral("burst"), tr("failure burst"));
        responsesLegend += swatch(QStringLiteral("burst"), tr("failure burst"));
    }

    h += QStringLiteral("<section>\n<h2>") + esc(tr("Pods per version")) +
         QStringLiteral("</h2>\n<div class=\"panel\">\n") + SvgCharts::podsChart(timeline) +
         QStringLiteral("<ul class=\"legend\">") + podsLegend +
         QStringLiteral("</ul>\n</div>\n</section>\n");
    h += QStringLiteral("<section>\n<h2>") + esc(tr("Responses per second")) +
         QStringLiteral("</h2>\n<div class=\"panel\">\n") + SvgCharts::responsesChart(timeline) +
         QStringLiteral("<ul class=\"legend\">") + responsesLegend +
         QStringLiteral("</ul>\n</div>\n</section>\n");

    return h;
}

QString TimelineExport::htmlEvents(const Timeline &timeline)
{
    QString h;
    // Events.
    h += QStringLiteral("<section>\n<h2>") + esc(tr("Events")) +
         QStringLiteral("</h2>\n<table class=\"events\">\n<thead><tr><th>") + esc(tr("t (s)")) +
         QStringLiteral("</th><th>") + esc(tr("Event")) + QStringLiteral("</th><th>") +
         esc(tr("Object")) + QStringLiteral("</th><th>") + esc(tr("Message")) +
         QStringLiteral("</th></tr></thead>\n<tbody>\n");
    for (const TimelineEvent &e : timeline.events) {
        h += QStringLiteral("<tr class=\"") + severityId(e.severity) +
             QStringLiteral("\"><td class=\"t\">") + formatSeconds(e.tMs) +
             QStringLiteral("</td><td class=\"type\">") + esc(e.type) +
             QStringLiteral("</td><td class=\"object\">") + esc(e.object) +
             QStringLiteral("</td><td>") + esc(e.message) + QStringLiteral("</td></tr>\n");
    }
    if (timeline.events.isEmpty())
        h += QStringLiteral("<tr><td colspan=\"4\">") + esc(tr("No events were recorded.")) +
             QStringLiteral("</td></tr>\n");
    h += QStringLiteral("</tbody>\n</table>\n</section>\n<footer>");
    h += esc(tr("Recorded by Rollscope. t is seconds since the change (%1). Timeline format %2.")
                 .arg(utc(timeline.startedAtMs), QString(kFormatId)));
    h += QStringLiteral("</footer>\n</body>\n</html>\n");
    return h;
}

QByteArray TimelineExport::render(const Timeline &timeline, Format format)
{
    switch (format) {
    case Format::Json:
        return json(timeline);
    case Format::Csv:
        return csv(timeline);
    case Format::Html:
        return html(timeline);
    }
    return {};
}

std::optional<TimelineExport::Format> TimelineExport::formatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1StringView("json"))
        return Format::Json;
    if (suffix == QLatin1StringView("csv"))
        return Format::Csv;
    if (suffix == QLatin1StringView("html") || suffix == QLatin1StringView("htm"))
        return Format::Html;
    return std::nullopt;
}

namespace {

// The descriptor a path names without opening anything: "-", /dev/stdout, /dev/stderr and
// /dev/fd/N (also /proc/self/fd/N). Opening those paths again would start a new file
// description (at offset 0, truncating a redirected file), and QSaveFile would follow their
// links and replace whatever the shell had opened; writing to the descriptor itself goes on
// where the rest of the output is.
std::optional<int> descriptorFor(const QString &path)
{
    if (path == QLatin1StringView("-") || path == QLatin1StringView("/dev/stdout"))
        return STDOUT_FILENO;
    if (path == QLatin1StringView("/dev/stderr"))
        return STDERR_FILENO;
    static const QRegularExpression fdPath(QStringLiteral("^/(?:dev|proc/self)/fd/([0-9]{1,9})$"));
    const QRegularExpressionMatch m = fdPath.match(path);
    if (m.hasMatch())
        return m.captured(1).toInt();
    return std::nullopt;
}

QString errnoText(int error)
{
    return qt_error_string(error); // strerror() is not thread-safe
}

VoidResult cannotWrite(const QString &path, const QString &reason)
{
    return Error::make(Error::Kind::Generic,
                       TimelineExport::tr("Cannot write %1: %2").arg(path, reason));
}

// Writes all of `data` to an open descriptor, then closes it.
VoidResult writeAll(int fd, const QString &path, const QByteArray &data)
{
    QFile file;
    if (!file.open(fd, QIODevice::WriteOnly | QIODevice::Unbuffered,
                   QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return cannotWrite(path, file.errorString());
    }
    if (file.write(data) != data.size())
        return cannotWrite(path, file.errorString());
    file.close();
    return Done{};
}

// A FIFO blocks its writer until a reader opens it; waiting a bounded time for one means a
// forgotten reader fails the export instead of hanging the command for ever.
constexpr int kFifoReaderWaitMs = 10'000;

int openFifo(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    for (int waited = 0;; waited += 20) {
        const int fd = ::open(name.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd >= 0) {
            // Blocking again for the writes: the reader drains at its own pace.
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            return fd;
        }
        if (errno != ENXIO || waited >= kFifoReaderWaitMs)
            return -1;
        QThread::msleep(20);
    }
}

} // namespace

VoidResult TimelineExport::write(const QString &path, const QByteArray &data)
{
    // Messages name the file, not the local path it is in.
    const QString name = QFileInfo(path).fileName();
    if (const std::optional<int> target = descriptorFor(path)) {
        const QString shown = path == QLatin1StringView("-") ? tr("standard output") : path;
        if (*target == STDOUT_FILENO)
            std::fflush(stdout); // what was printed before comes first
        const int fd = ::fcntl(*target, F_DUPFD_CLOEXEC, 0);
        if (fd < 0)
            return cannotWrite(shown, errnoText(errno));
        return writeAll(fd, shown, data);
    }

    // Only a regular file (or a new one) is replaced. A device, a FIFO or a socket is written
    // to as it is: renaming over /dev/null would replace it with a plain file for everyone (as
    // root), or fail and turn a successful rollout into an error (as anyone else). stat()
    // follows symbolic links, as the write does.
    struct stat st = {};
    const QByteArray encoded = QFile::encodeName(path);
    if (::stat(encoded.constData(), &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return cannotWrite(name, tr("it is a folder"));
        // Raw bytes of a report on a disk would destroy it; nobody means that.
        if (S_ISBLK(st.st_mode))
            return cannotWrite(name, tr("it is a block device"));
        const int fd = S_ISFIFO(st.st_mode)
                           ? openFifo(path)
                           : ::open(encoded.constData(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
            return cannotWrite(name, errno == ENXIO && S_ISFIFO(st.st_mode)
                                         ? tr("nothing reads from the FIFO")
                                         : errnoText(errno));
        return writeAll(fd, name, data);
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return cannotWrite(name, file.errorString());
    if (file.write(data) != data.size() || !file.commit())
        return cannotWrite(name, file.errorString());
    return Done{};
}

} // namespace rollscope::timeline
