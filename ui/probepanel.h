// SPDX-License-Identifier: MIT
#pragma once

#include "probe/probetypes.h"
#include "probe/trafficprober.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QToolButton;

namespace rollscope {

// The prober's controls above the responses chart: which target (found from the Services, or a
// URL the user types), path, rate, concurrency, timeout, start/stop, and the totals so far.
class ProbePanel : public QWidget
{
    Q_OBJECT
public:
    explicit ProbePanel(QWidget *parent = nullptr);

    void setCandidates(const QList<probe::ProbeTarget> &targets);
    // The options as the controls stand; nullopt (and `problem` set) when they cannot run.
    std::optional<probe::ProbeOptions> options(QString *problem = nullptr) const;
    void setRunning(bool running);
    void setTotals(const probe::ProbeTotals &totals, const QString &summary);
    QString targetDescription() const;

    QToolButton *startButton() const { return m_start; }
    QComboBox *targetBox() const { return m_target; }
    QSpinBox *rateBox() const { return m_rate; }

signals:
    void startRequested();
    void stopRequested();
    void optionsEdited();

private:
    QComboBox *m_target;
    QLineEdit *m_url;
    QLineEdit *m_path;
    QSpinBox *m_rate;
    QSpinBox *m_concurrency;
    QSpinBox *m_timeout;
    QToolButton *m_start;
    QLabel *m_totals;
    QList<probe::ProbeTarget> m_candidates;
    bool m_running = false;
    bool m_customChosen = false; // the user picked "Custom URL…" (kept when targets change)
};

} // namespace rollscope
