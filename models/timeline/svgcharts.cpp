// SPDX-License-Identifier: MIT
#include "timeline/svgcharts.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace rollscope::timeline {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString num(double v)
{
    return formatDecimal(v, 1);
}

struct Plot
{
    ChartGeometry g;
    double t0 = 0;
    double t1 = 1;
    double yMax = 1;

    double x(double t) const
    {
        const double w = g.width - g.left - g.right;
        return g.left + (t - t0) / (t1 - t0) * w;
    }
    double y(double v) const
    {
        const double h = g.height - g.top - g.bottom;
        return g.top + h - v / yMax * h;
    }
    double plotTop() const { return g.top; }
    double plotBottom() const { return g.height - g.bottom; }
};

// A band between `lower` and `upper`, each value held over [edges[i], edges[i+1]).
QString stepBand(const Plot &p, const std::vector<double> &edges, const std::vector<double> &lower,
                 const std::vector<double> &upper)
{
    const size_t n = upper.size();
    bool any = false;
    for (size_t i = 0; i < n; ++i)
        any = any || upper[i] > lower[i];
    if (n == 0 || !any)
        return {};
    QString d = QStringLiteral("M") + num(p.x(edges[0])) + u',' + num(p.y(upper[0]));
    for (size_t i = 0; i < n; ++i) {
        d += QStringLiteral("H") + num(p.x(edges[i + 1]));
        if (i + 1 < n && upper[i + 1] != upper[i])
            d += QStringLiteral("V") + num(p.y(upper[i + 1]));
    }
    d += QStringLiteral("V") + num(p.y(lower[n - 1]));
    for (size_t i = n; i-- > 0;) {
        d += QStringLiteral("H") + num(p.x(edges[i]));
        if (i > 0 && lower[i - 1] != lower[i])
            d += QStringLiteral("V") + num(p.y(lower[i - 1]));
    }
    return d + u'Z';
}

// A step line through `values` held over [edges[i], edges[i+1]); segments where `values` is
// negative are left out.
QString stepLine(const Plot &p, const std::vector<double> &edges, const std::vector<double> &values)
{
    QString d;
    bool drawing = false;
    for (size_t i = 0; i < values.size(); ++i) {
        if (values[i] < 0) {
            drawing = false;
            continue;
        }
        if (!drawing)
            d += QStringLiteral("M") + num(p.x(edges[i])) + u',' + num(p.y(values[i]));
        else
            d += QStringLiteral("V") + num(p.y(values[i]));
        d += QStringLiteral("H") + num(p.x(edges[i + 1]));
        drawing = true;
    }
    return d;
}

QString secondsLabel(double t)
{
    if (std::abs(t) >= 60 && std::fmod(t, 60) == 0)
        return SvgCharts::tr("%1 min").arg(formatDecimal(t / 60, 1));
    return SvgCharts::tr("%1 s").arg(formatDecimal(t, 1));
}

QString open(const ChartGeometry &g, const QString &label)
{
    return QStringLiteral(
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ") +
           QString::number(g.width) + u' ' + QString::number(g.height) +
           QStringLiteral("\" role=\"img\" aria-label=\"") + esc(label) + QStringLiteral("\">\n");
}

// Grid, axes and tick labels.
QString axes(const Plot &p, const QString &yTitle)
{
    QString s;
    const double yStep = SvgCharts::niceStep(p.yMax, 5);
    for (double v = 0; v <= p.yMax + 1e-9; v += yStep) {
        s += QStringLiteral("<line class=\"grid\" x1=\"") + num(p.g.left) +
             QStringLiteral("\" x2=\"") + num(p.g.width - p.g.right) + QStringLiteral("\" y1=\"") +
             num(p.y(v)) + QStringLiteral("\" y2=\"") + num(p.y(v)) + QStringLiteral("\"/>\n");
        s += QStringLiteral("<text class=\"tick\" x=\"") + num(p.g.left - 6) +
             QStringLiteral("\" y=\"") + num(p.y(v) + 4) +
             QStringLiteral("\" text-anchor=\"end\">") + formatDecimal(v, 1) +
             QStringLiteral("</text>\n");
    }
    const double xStep = SvgCharts::niceStep(p.t1 - p.t0, 8);
    for (double t = std::ceil(p.t0 / xStep) * xStep; t <= p.t1 + 1e-9; t += xStep) {
        s += QStringLiteral("<line class=\"axis\" x1=\"") + num(p.x(t)) +
             QStringLiteral("\" x2=\"") + num(p.x(t)) + QStringLiteral("\" y1=\"") +
             num(p.plotBottom()) + QStringLiteral("\" y2=\"") + num(p.plotBottom() + 4) +
             QStringLiteral("\"/>\n");
        s += QStringLiteral("<text class=\"tick\" x=\"") + num(p.x(t)) + QStringLiteral("\" y=\"") +
             num(p.plotBottom() + 17) + QStringLiteral("\" text-anchor=\"middle\">") +
             esc(secondsLabel(t)) + QStringLiteral("</text>\n");
    }
    s += QStringLiteral("<line class=\"axis\" x1=\"") + num(p.g.left) + QStringLiteral("\" x2=\"") +
         num(p.g.width - p.g.right) + QStringLiteral("\" y1=\"") + num(p.plotBottom()) +
         QStringLiteral("\" y2=\"") + num(p.plotBottom()) + QStringLiteral("\"/>\n");
    s += QStringLiteral("<text class=\"title\" x=\"") + num(p.g.left) + QStringLiteral("\" y=\"") +
         num(p.g.top - 6) + QStringLiteral("\">") + esc(yTitle) + QStringLiteral("</text>\n");
    return s;
}

// Failure bursts as shaded spans, and the change at t = 0.
QString markers(const Plot &p, const Timeline &timeline)
{
    QString s;
    for (const TimelineEvent &e : timeline.events) {
        if (e.type != QLatin1StringView("FailureBurst"))
            continue;
        const double x0 = p.x(e.tMs / 1000.0);
        const double x1 = std::max(p.x((e.tMs + e.durationMs) / 1000.0), x0 + 3);
        s += QStringLiteral("<rect class=\"burst\" x=\"") + num(x0) + QStringLiteral("\" y=\"") +
             num(p.plotTop()) + QStringLiteral("\" width=\"") + num(x1 - x0) +
             QStringLiteral("\" height=\"") + num(p.plotBottom() - p.plotTop()) +
             QStringLiteral("\"><title>") + esc(e.message) + QStringLiteral("</title></rect>\n");
    }
    if (p.t0 <= 0 && p.t1 > 0) {
        s += QStringLiteral("<line class=\"marker\" x1=\"") + num(p.x(0)) +
             QStringLiteral("\" x2=\"") + num(p.x(0)) + QStringLiteral("\" y1=\"") +
             num(p.plotTop()) + QStringLiteral("\" y2=\"") + num(p.plotBottom()) +
             QStringLiteral("\"/>\n");
    }
    return s;
}

QString path(const QString &cls, const QString &d, const QString &title = {})
{
    if (d.isEmpty())
        return {};
    QString s = QStringLiteral("<path class=\"") + cls + QStringLiteral("\" d=\"") + d +
                QStringLiteral("\"");
    if (title.isEmpty())
        return s + QStringLiteral("/>\n");
    return s + QStringLiteral("><title>") + esc(title) + QStringLiteral("</title></path>\n");
}

QString emptyChart(const ChartGeometry &g, const QString &label, const QString &text)
{
    return open(g, label) + QStringLiteral("<text class=\"tick\" x=\"") + num(g.width / 2.0) +
           QStringLiteral("\" y=\"") + num(g.height / 2.0) +
           QStringLiteral("\" text-anchor=\"middle\">") + esc(text) +
           QStringLiteral("</text>\n</svg>\n");
}

double endSeconds(const Timeline &timeline)
{
    const double last = timeline.samples.isEmpty() ? 0 : timeline.samples.last().tMs / 1000.0;
    return std::max({last, timeline.durationMs() / 1000.0, 0.001});
}

} // namespace

double SvgCharts::niceCeiling(double value)
{
    if (value <= 1)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (m * magnitude >= value - 1e-9)
            return m * magnitude;
    }
    return 10 * magnitude;
}

double SvgCharts::niceStep(double span, int count)
{
    if (span <= 0 || count <= 0)
        return 1;
    const double raw = span / count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * magnitude >= raw - 1e-9)
            return std::max(m * magnitude, 0.1);
    }
    return 10 * magnitude;
}

QString SvgCharts::versionClass(const Timeline &timeline, const QString &versionId)
{
    const rollout::VersionInfo *v = timeline.version(versionId);
    if (!v)
        return QStringLiteral("v-unknown");
    if (v->isNew)
        return QStringLiteral("v-new");
    return QStringLiteral("v") + QString::number(((v->colorIndex % 5) + 5) % 5);
}

QString SvgCharts::podsChart(const Timeline &timeline, const ChartGeometry &g)
{
    const QString label = tr("Pods per version over time");
    const QList<TimelineSample> &samples = timeline.samples;
    bool anyPods = false;
    for (const TimelineSample &s : samples)
        anyPods = anyPods || !s.pods.isEmpty();
    if (!anyPods)
        return emptyChart(g, label, tr("No pods were recorded."));

    Plot p;
    p.g = g;
    p.t0 = std::min(0.0, samples.first().tMs / 1000.0);
    p.t1 = endSeconds(timeline);
    // A sample holds the state at the end of its interval: drawn over that interval, so a pod
    // change shows no later than the failures it causes (which count in the same interval).
    // The t = 0 snapshot covers no interval and is only drawn when it is all there is.
    std::vector<double> edges;
    std::vector<qsizetype> shown;
    for (qsizetype i = 0; i < samples.size(); ++i) {
        if (i == 0 && samples.size() > 1)
            continue;
        edges.push_back(i == 0 ? samples[i].tMs / 1000.0 : samples[i - 1].tMs / 1000.0);
        shown.push_back(i);
    }
    edges.push_back(std::max(samples.last().tMs / 1000.0, edges.back()));

    QStringList order;
    for (const QString &id : timeline.versionOrder()) {
        for (const TimelineSample &s : samples) {
            if (s.pods.contains(id)) {
                order << id;
                break;
            }
        }
    }
    double top = 1;
    for (const TimelineSample &s : samples) {
        // In double: any number of versions of up to INT_MAX pods each cannot overflow it.
        double total = 0;
        for (const PodCounts &c : s.pods)
            total += c.total;
        top = std::max({top, total, double(s.maxTotal), double(s.desired), double(s.peakPods)});
    }
    p.yMax = niceCeiling(top + 1);

    QString svg = open(g, label);
    svg += axes(p, tr("pods"));
    svg += markers(p, timeline);
    const size_t n = shown.size();
    std::vector<double> cumulative(n, 0.0);
    for (const QString &id : std::as_const(order)) {
        const QString cls = versionClass(timeline, id);
        const QString name = timeline.versionLabel(id);
        std::vector<double> ready(n), all(n);
        for (size_t i = 0; i < n; ++i) {
            const PodCounts c = samples[shown[i]].pods.value(id);
            ready[i] = cumulative[i] + c.ready;
            all[i] = cumulative[i] + double(std::max(c.total, c.ready));
        }
        svg += path(cls + QStringLiteral(" ready"), stepBand(p, edges, cumulative, ready),
                    tr("%1: ready").arg(name));
        svg += path(cls + QStringLiteral(" notready"), stepBand(p, edges, ready, all),
                    tr("%1: not ready").arg(name));
        cumulative = all;
    }

    // The available pods against the guarantees.
    std::vector<double> available(n), maxTotal(n), minAvailable(n);
    for (size_t i = 0; i < n; ++i) {
        const TimelineSample &s = samples[shown[i]];
        double a = 0;
        for (const PodCounts &c : s.pods)
            a += c.available;
        available[i] = s.pods.isEmpty() ? -1 : a;
        maxTotal[i] = s.maxTotal > 0 ? s.maxTotal : -1;
        minAvailable[i] = s.maxTotal > 0 ? s.minAvailable : -1;
    }
    svg += path(QStringLiteral("available"), stepLine(p, edges, available), tr("available pods"));
    svg += path(QStringLiteral("guide-max"), stepLine(p, edges, maxTotal),
                tr("at most replicas + maxSurge pods"));
    svg += path(QStringLiteral("guide-min"), stepLine(p, edges, minAvailable),
                tr("at least replicas - maxUnavailable available"));
    // Labels at the right end of the guarantee lines.
    const TimelineSample &last = samples.last();
    if (last.maxTotal > 0) {
        svg += QStringLiteral("<text class=\"guide-label\" x=\"") + num(g.width - g.right - 4) +
               QStringLiteral("\" y=\"") + num(p.y(last.maxTotal) - 4) +
               QStringLiteral("\" text-anchor=\"end\">") +
               esc(tr("max %1 (replicas + maxSurge)").arg(last.maxTotal)) +
               QStringLiteral("</text>\n");
        // Below its line, unless that would run into the time axis.
        const double minY = p.y(last.minAvailable) + 13 > p.plotBottom() - 3
                                ? p.y(last.minAvailable) - 4
                                : p.y(last.minAvailable) + 13;
        svg += QStringLiteral("<text class=\"guide-label\" x=\"") + num(g.width - g.right - 4) +
               QStringLiteral("\" y=\"") + num(minY) + QStringLiteral("\" text-anchor=\"end\">") +
               esc(tr("min available %1 (replicas − maxUnavailable)").arg(last.minAvailable)) +
               QStringLiteral("</text>\n");
    }
    return svg + QStringLiteral("</svg>\n");
}

QString SvgCharts::responsesChart(const Timeline &timeline, const ChartGeometry &g)
{
    const QString label = tr("Responses per second per version, with failed requests");
    const QList<TimelineSample> &samples = timeline.samples;
    if (!timeline.probe.enabled && timeline.summary.requests == 0)
        return emptyChart(g, label, tr("Traffic was not probed during this rollout."));
    if (samples.size() < 2)
        return emptyChart(g, label, tr("No traffic was recorded."));

    Plot p;
    p.g = g;
    p.t0 = std::min(0.0, samples.first().tMs / 1000.0);
    p.t1 = endSeconds(timeline);
    // Each stretch drawn over its real length, the short last interval merged into the one
    // before (see trafficIntervals()): rates are counts over the time they took.
    const QList<TrafficInterval> intervals = trafficIntervals(timeline);
    const size_t n = size_t(intervals.size());
    std::vector<double> edges{intervals.first().startMs / 1000.0};
    for (const TrafficInterval &t : intervals)
        edges.push_back(t.endMs / 1000.0);

    QStringList order;
    for (const QString &id : timeline.versionOrder()) {
        for (const TrafficInterval &t : intervals) {
            if (t.responses.value(id) > 0) {
                order << id;
                break;
            }
        }
    }
    double top = 1;
    for (const TrafficInterval &t : intervals)
        top = std::max(top, t.requestRate());
    p.yMax = niceCeiling(top);

    QString svg = open(g, label);
    svg += axes(p, tr("responses / s"));
    svg += markers(p, timeline);
    std::vector<double> cumulative(n, 0.0);
    for (const QString &id : std::as_const(order)) {
        std::vector<double> upper(n);
        for (size_t i = 0; i < n; ++i)
            upper[i] = cumulative[i] + intervals[qsizetype(i)].responseRate(id);
        svg += path(versionClass(timeline, id) + QStringLiteral(" ready"),
                    stepBand(p, edges, cumulative, upper),
                    tr("%1: responses per second").arg(timeline.versionLabel(id)));
        cumulative = upper;
    }
    std::vector<double> failed(n);
    for (size_t i = 0; i < n; ++i)
        failed[i] = cumulative[i] + intervals[qsizetype(i)].failedRate();
    svg += path(QStringLiteral("failed"), stepBand(p, edges, cumulative, failed),
                tr("failed requests per second"));
    return svg + QStringLiteral("</svg>\n");
}

} // namespace rollscope::timeline
